"""The floors a build and a check are measured against: the tools alone, no onevoice.

    python benchmarks/floors.py mkdocs BUILD PROJECT        bare `mkdocs build` of the same pages
    python benchmarks/floors.py card-data BUILD PROJECT OUT  the cards' data, for `cards` (untimed)
    python benchmarks/floors.py cards OUT PROJECT            Typst: the same faces and store lines
    python benchmarks/floors.py parse BUILD                 a bare parse of every output

Each runs in its own process (the runner measures its wall time and memory).
"""

from __future__ import annotations

import email
import json
import shutil
import sys
import tempfile
from email import policy
from pathlib import Path

import lxml.html
import pypdfium2
import yaml

# Faces per Typst document: one document for everything would hold every laid-out page
# in memory at once; the time per face is about the same either way.
CARDS_PER_DOCUMENT = 1000


def _store_job(build: Path, project: Path):  # type: ignore[no-untyped-def]
    import datetime as dt

    from onevoice.project import load_project
    from onevoice.render.build import make_job

    as_of = dt.date.fromisoformat(json.loads((build / "manifest.json").read_text())["as_of"])
    return make_job(load_project(project), "store", as_of, build)


def mkdocs_floor(build: Path, project: Path) -> None:
    """The generated Markdown pages built by MkDocs + Material without the onevoice plugin."""
    import datetime as dt

    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    from onevoice.project import load_project
    from onevoice.render.build import make_job
    from onevoice.render.web import render_pages

    as_of = dt.date.fromisoformat(json.loads((build / "manifest.json").read_text())["as_of"])
    from onevoice.check.internal import internal_view

    job = make_job(load_project(project), "web", as_of, build)
    job.internal = internal_view(job.project, as_of)
    with tempfile.TemporaryDirectory() as tmp:
        docs = Path(tmp) / "docs"
        shutil.copytree(project / "docs", docs)
        nav = []
        for page in render_pages(job):
            (docs / page.src_uri).parent.mkdir(parents=True, exist_ok=True)
            (docs / page.src_uri).write_text(page.markdown, encoding="utf-8")
            if page.in_nav:
                nav.append({page.title: page.src_uri})
        config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
        config["plugins"] = [p for p in config["plugins"]
                             if not (isinstance(p, dict) and "onevoice" in p) and p != "onevoice"]
        # The same navigation as the plugin gives: offer pages stay out of it.
        config.update(docs_dir=str(docs), site_dir=str(Path(tmp) / "site"), nav=nav)
        (Path(tmp) / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
        mkdocs_build(load_config(str(Path(tmp) / "mkdocs.yml")))


def card_data(build: Path, project: Path, out: Path) -> None:
    """What the store channel's card template gets, as the build makes it (not timed: the
    floor is the layout): every face once, every store's line once."""
    from onevoice.render.store import (
        document,
        face_record,
        stamp_record,
        store_offers,
        with_codes,
    )

    job = _store_job(build, project)
    faces = with_codes([face_record(job, offer) for offer in store_offers(job)])
    stamps = [stamp_record(store) for _, store in sorted(job.project.catalog.stores.items())]
    documents = [document(job, faces[start:start + CARDS_PER_DOCUMENT], [])
                 for start in range(0, len(faces), CARDS_PER_DOCUMENT)]
    out.write_text(json.dumps({"as_of": job.as_of.isoformat(),
                               "documents": [*documents, document(job, [], stamps)]},
                              ensure_ascii=False), encoding="utf-8")


def cards_floor(data: Path, project: Path) -> None:
    """Typst laying out the build's faces and store lines with the channel's card template,
    a thousand faces to a document, and writing the PDFs: the layout a build cannot do
    without. Not onevoice's code: the binding, the template and the data alone."""
    import datetime as dt

    import typst

    from onevoice.render.typeset import CARD_TEMPLATE, _font_folder

    given = json.loads(data.read_text(encoding="utf-8"))
    midnight = dt.datetime.combine(dt.date.fromisoformat(given["as_of"]), dt.time(),
                                   tzinfo=dt.UTC)
    channel = project / "channels" / "store"
    compiler = typst.Compiler(root=str(channel), font_paths=[str(_font_folder())],
                              ignore_system_fonts=True)
    for document in given["documents"]:
        compiler.compile(input=str(channel / CARD_TEMPLATE), format="pdf", pdf_tags=False,
                         sys_inputs={"cards": json.dumps(document, ensure_ascii=False)},
                         timestamp=int(midnight.timestamp()))


def parse_floor(build: Path) -> None:
    """Read and parse every output once, with the fastest reader of each kind."""
    for path in build.rglob("*"):
        if path.suffix in (".html", ".htm"):
            lxml.html.fromstring(path.read_bytes()).text_content()
        elif path.suffix == ".eml":
            message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
            for part in message.walk():
                if part.get_content_type() == "text/html":
                    lxml.html.fromstring(part.get_content()).text_content()
        elif path.suffix == ".pdf":
            document = pypdfium2.PdfDocument(path.read_bytes())
            for page in document:
                page.get_textpage().get_text_range()
            document.close()
        elif path.suffix == ".json" and path.parts[-2:] != ("build", "manifest.json"):
            json.loads(path.read_bytes())
        elif path.suffix in (".txt", ".md"):
            path.read_text(encoding="utf-8")


if __name__ == "__main__":
    kind, build = sys.argv[1], Path(sys.argv[2])
    if kind == "mkdocs":
        mkdocs_floor(build, Path(sys.argv[3]))
    elif kind == "card-data":
        card_data(build, Path(sys.argv[3]), Path(sys.argv[4]))
    elif kind == "cards":
        cards_floor(build, Path(sys.argv[3]))
    else:
        parse_floor(build)
