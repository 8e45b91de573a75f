"""Shared fixtures: the example project, a tiny project, and builds of them."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import http.server
import os
import re
import shutil
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from onevoice.cli import main

REPO = Path(__file__).resolve().parent.parent
TINY = Path(__file__).resolve().parent / "fixtures" / "tiny"
BELGIE = REPO / "examples" / "belgie"
# Pinned so the example stays as intended: the promotion runs, one offer has
# expired and one is not yet valid.
AS_OF = dt.date(2026, 12, 1)

# Modules whose tests drive a browser, a Dask cluster, git or pre-commit, a served site, or
# build a project many times: marked `slow`, so that `pytest -m "not slow"` runs the rest
# (every rule, reader and writer on built outputs) in a few minutes.
SLOW = {"tests/a11y/test_axe.py", "tests/a11y/test_nu.py", "tests/check/test_changed.py",
        "tests/check/test_any_catalog.py", "tests/hostile/test_http.py",
        "tests/hostile/test_scheduler.py", "tests/hostile/test_escaping_property.py",
        "tests/hostile/test_site_caps.py", "tests/render/test_parallel.py",
        "tests/render/test_publish.py", "tests/render/test_cache.py",
        "tests/render/test_third_parties.py", "tests/render/test_screenshots.py",
        "tests/test_serve.py", "tests/test_manual.py", "tests/test_action.py",
        "tests/test_setup.py", "tests/extract/test_crawl.py", "tests/test_callstack.py"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if Path(item.path).relative_to(REPO).as_posix() in SLOW:
            item.add_marker(pytest.mark.slow)


def copy_project(source: Path, target: Path) -> Path:
    """A writable copy of a project; the tiny one borrows the example's channels."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ("content", "docs", "channels"):
        folder = source / name if (source / name).is_dir() else REPO / name
        shutil.copytree(folder, target / name)
    shutil.copy(source / "mkdocs.yml", target / "mkdocs.yml")
    return target


def run_cli(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def build_project(project: Path, out: Path, as_of: dt.date = AS_OF, *options: str) -> Result:
    return run_cli("build", "--project", str(project), "--out", str(out),
                   "--as-of", as_of.isoformat(), *options)


@pytest.fixture(scope="session", autouse=True)
def scripts_of_this_environment() -> Iterator[None]:
    """The environment's commands (`onevoice`, `pre-commit`) on the PATH, as activating it
    would put them: the README's test command runs `.venv/bin/python -m pytest` as it is."""
    scripts = str(Path(sys.executable).parent)
    before = os.environ.get("PATH", "")
    os.environ["PATH"] = os.pathsep.join([scripts, before]) if before else scripts
    yield
    os.environ["PATH"] = before


@pytest.fixture(scope="session", autouse=True)
def cache_secret_of_the_session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The cache's secret in a folder of the session (and none from the environment):
    tests never read or make the one in the real home."""
    state = tmp_path_factory.mktemp("state")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_STATE_HOME", str(state))
        patch.delenv("ONEVOICE_CACHE_KEY", raising=False)
        yield state


@pytest.fixture
def example_project(tmp_path: Path) -> Path:
    return copy_project(REPO, tmp_path / "example")


@pytest.fixture
def tiny_project(tmp_path: Path) -> Path:
    return copy_project(TINY, tmp_path / "tiny")


def build_once(factory: pytest.TempPathFactory, project: Path, name: str) -> Path:
    out = factory.mktemp(name) / "build"
    result = build_project(project, out)
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="session")
def example_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example, built once for the whole session at AS_OF."""
    return build_once(tmp_path_factory, REPO, "example")


@pytest.fixture(scope="session")
def belgian_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """examples/belgie (websites in nl-BE and fr-BE), built once for the session at AS_OF."""
    return build_once(tmp_path_factory, BELGIE, "belgie")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@contextlib.contextmanager
def serving(folder: Path) -> Iterator[str]:
    """`folder` served on a loopback port (chosen free); yields the base URL."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def extracted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The outputs the check parses (not those it takes from its cache), in order."""
    import onevoice.check.run as run

    paths: list[str] = []
    extract = run.extract_untrusted

    def counted(path: str, data: bytes, cards: object = None) -> list:
        paths.append(path)
        return extract(path, data, cards)  # type: ignore[arg-type]

    monkeypatch.setattr(run, "extract_untrusted", counted)
    return paths


def tamper_pdf(project: Path, build: Path, relpath: str, old: str, new: str,
               more: tuple[tuple[str, str], ...] = (), offer: str | None = None) -> None:
    """Make the store PDF at `relpath` again as someone who edited it would: from the
    build's own card template and data with `old` replaced by `new` (in the template, the
    cards' texts, or, for `<title>…`, the PDF's title), and each pair of `more` likewise
    (with `offer`, in that offer's card alone), laid out by Typst and made up by pikepdf
    as the build does. The other files of the build stay as built."""
    import io
    import json as json_module

    import pikepdf

    from onevoice.project import load_project
    from onevoice.render import impose, store, typeset
    from onevoice.render.build import make_job
    from onevoice.workers import in_runs

    channel, store_id, name = relpath.split("/")
    manifest = json_module.loads((build / "manifest.json").read_text("utf-8"))
    loaded = load_project(project)
    job = make_job(loaded, channel, dt.date.fromisoformat(manifest["as_of"]), build)
    shop = loaded.catalog.stores[store_id]
    offers = [o for o in store.store_offers(job) if store_id in o.stores]
    volume = re.fullmatch(r"print-sheet-([0-9]+)\.pdf", name)
    if volume:  # a large store's sheet in volumes: this one's cards
        offers = in_runs(offers, store.CARDS_PER_VOLUME)[int(volume[1]) - 1]
    if not name.startswith(("print-sheet", "reprint")):
        offers = [o for o in offers if o.id == name.removesuffix(".pdf")]
    records = [json_module.dumps(store.face_record(job, o), ensure_ascii=False) for o in offers]
    template = (job.channel.folder / typeset.CARD_TEMPLATE).read_text("utf-8")
    title = f"{offers[0].title} · {shop.name}" if len(offers) == 1 else f"Printvel {shop.name}"
    if old.startswith("<title>"):
        assert title.startswith(old.removeprefix("<title>")), (old, title)
        title = new.removeprefix("<title>") + title.removeprefix(old.removeprefix("<title>"))
    else:
        more = ((old, new), *more)
    for old, new in more:
        quoted_old, quoted_new = (json_module.dumps(t, ensure_ascii=False)[1:-1]
                                  for t in (old, new))
        edited = [n for n, o in enumerate(offers) if offer in (None, o.id)]
        assert old in template or any(quoted_old in records[n] for n in edited), (
            f"{old!r} not in {relpath}")
        if offer is None:
            template = template.replace(old, new)
        for n in edited:
            records[n] = records[n].replace(quoted_old, quoted_new)
    folder = build.parent / f".tampered-{channel}"
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(job.channel.folder, folder)
    (folder / typeset.CARD_TEMPLATE).write_text(template, "utf-8")
    faces = pikepdf.open(io.BytesIO(typeset.lay_out(folder, project, store.document(
        job, store.with_codes([json_module.loads(r) for r in records]), []), job.as_of)))
    stamps = pikepdf.open(io.BytesIO(typeset.lay_out(folder, project, store.document(
        job, [], [store.stamp_record(shop)]), job.as_of)))
    cards = [impose.Placed(o.id, 0, faces.pages[n], stamps.pages[0])
             for n, o in enumerate(offers)]
    lang = job.formatter.locale.language
    pdf = (impose.card_pdf(cards[0], title, lang) if len(offers) == 1 and not name.startswith(
        ("print-sheet", "reprint")) else impose.print_sheets(cards, shop.sheet, title, lang))
    shutil.rmtree(folder)
    (build / relpath).write_bytes(pdf)
