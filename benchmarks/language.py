"""How quiet and how sharp the language rule is (check/language.py), on real catalogs.

Quiet: every sentence of every output of the example (nl-NL), the energy company's catalog
(tests/fixtures/energie, nl-NL) and the Belgian example (nl-BE and fr-BE) is judged against
its output's language, as the check does; each sentence it would report is a false alarm
(these outputs are right). Sharp: every sentence of the same catalogs' sources, Dutch and
French, is judged as if it stood in an output of the other language (a text left
untranslated): the share reported is the rule's reach. Sentences too short to judge are
counted apart, as that is where the rule keeps quiet by design.

    python benchmarks/language.py
"""

from __future__ import annotations

import datetime as dt
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from onevoice.check import language  # noqa: E402
from onevoice.check.context import CheckContext  # noqa: E402
from onevoice.extract.crawl import list_folder  # noqa: E402
from onevoice.extract.formats import extract_untrusted  # noqa: E402
from onevoice.outputs.manifest import read_manifest  # noqa: E402
from onevoice.project import load_project  # noqa: E402

AS_OF = dt.date(2026, 12, 1)
CATALOGS = {"example (nl-NL)": REPO, "energie (nl-NL)": REPO / "tests/fixtures/energie",
            "energie-be (nl-BE, fr-BE)": REPO / "tests/fixtures/energie-be",
            "belgie (nl-BE, fr-BE)": REPO / "examples/belgie"}


def _build(project: Path, out: Path) -> None:
    from click.testing import CliRunner

    from onevoice.cli import main

    result = CliRunner().invoke(main, ["build", "--project", str(project), "--out", str(out),
                                       "--as-of", AS_OF.isoformat(), "--quiet", "--no-cache"])
    if result.exit_code != 0:
        raise SystemExit(result.output)


def quiet(name: str, project_root: Path, work: Path) -> Counter[str]:
    """Sentences of the built outputs: judged, too short, and reported (false alarms)."""
    out = work / name.split()[0]
    root = _with_channels(project_root, work / f"{out.name}-project")
    project = load_project(root)
    ctx = CheckContext(project, AS_OF)
    known = language._languages(ctx)
    _build(root, out)
    ctx.manifest = read_manifest(out)  # which channel made each output, as the check knows
    counts: Counter[str] = Counter()
    for relpath in list_folder(out):  # what the check reads: no manifest, no cache
        path = out / relpath
        channel = ctx.channel_of(relpath)
        if language._for_staff(ctx, relpath, channel):
            continue
        try:
            documents = extract_untrusted(relpath, path.read_bytes())
        except Exception:  # noqa: BLE001 (images and the like)
            continue
        for document in documents:
            expected = language.language_of(document.lang or ctx.locale_of(
                channel.name if channel else None))
            for sentence, _ in language.sentences(document):
                verdict = language._judged(ctx, known, sentence, expected)
                if verdict is None:
                    counts["too short"] += 1
                    continue
                counts["judged"] += 1
                if verdict[0] != expected and verdict[1] <= language.MAX_EXPECTED:
                    counts["false alarms"] += 1
                    print(f"  false alarm in {relpath}: {sentence!r} ({verdict})")
    return counts


def _with_channels(project_root: Path, copy: Path) -> Path:
    """The project, or for a catalog of content alone a copy with the example's channels."""
    if (project_root / "channels").is_dir():
        return project_root
    if not copy.exists():
        shutil.copytree(project_root, copy)
        shutil.copytree(REPO / "channels", copy / "channels")
    return copy


def sharp(project_root: Path, work: Path) -> Counter[str]:
    """Source sentences, each judged as if in an output of the other language."""
    project = load_project(_with_channels(project_root, work / f"{project_root.name}-sharp"))
    ctx = CheckContext(project, AS_OF)
    known = language._languages(ctx)
    counts: Counter[str] = Counter()
    catalog = project.catalog
    texts: list[tuple[str, str]] = []  # (language written in, text)
    for offer in catalog.offers.values():
        texts += [("nl", offer.summary), ("nl", offer.body)]
        texts += [(loc[:2], w.get(k, "")) for loc, w in offer.translations.items()
                  for k in ("summary", "body")]
    for condition in catalog.conditions.values():
        texts += [("nl", condition.wording(v)) for v in ("canonical", "short", "spoken")]
        texts += [(loc[:2], w.get(k, "")) for loc, w in condition.translations.items()
                  for k in ("canonical", "short", "spoken")]
    for journey in catalog.journeys.values():
        texts += [("nl", step.message) for step in journey.steps]
    for written, text in texts:
        other = "fr" if written == "nl" else "nl"
        for sentence in language._SENTENCE_END.split(text):
            if not sentence.strip():
                continue
            verdict = language._judged(ctx, known, sentence, other)
            if verdict is None:
                counts["too short"] += 1
            elif verdict[0] != other and verdict[1] <= language.MAX_EXPECTED:
                counts["caught"] += 1
            else:
                counts["missed"] += 1
                print(f"  missed ({written} as {other}): {sentence!r} ({verdict})")
    return counts


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        print(f"MIN_WORDS={language.MIN_WORDS}, MAX_EXPECTED={language.MAX_EXPECTED}")
        for name, root in CATALOGS.items():
            q = quiet(name, root, work)
            s = sharp(root, work)
            judged = s["caught"] + s["missed"]
            print(f"{name}: outputs: {q['judged']} sentences judged, {q['too short']} too "
                  f"short, {q['false alarms']} false alarms | source as the other language: "
                  f"{s['caught']}/{judged} caught ({s['too short']} too short)")


if __name__ == "__main__":
    main()
