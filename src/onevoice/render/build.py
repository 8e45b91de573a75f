"""The build: load → validate → render → write, published atomically.

Everything is rendered into a temporary folder beside the output; only when
every channel succeeded does it replace the previous build. A failed build
leaves the previous output untouched (unlike MkDocs, which empties first).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from onevoice import progress
from onevoice.cache import SOURCE_CACHE, Cache, cache_for
from onevoice.content.parsed import kept
from onevoice.outputs.manifest import source_digests, write_manifest
from onevoice.project import Project, load_project
from onevoice.workers import default_jobs, map_rounds

from .chat import write_chat
from .email import write_email
from .feed import write_feed
from .job import BUILD_CACHE, ChannelJob, OutputEntry, Printed, formatter_for
from .phone import write_phone
from .publish import publishing
from .reprint import printed_cards
from .store import WORK_DIR, store_finishes, store_parts, write_store
from .web import write_web

# One writer per kind of channel; a new channel of a known kind is only a folder.
WRITERS: dict[str, Callable[[ChannelJob], None]] = {
    "web": write_web,
    "phone": write_phone,
    "store": write_store,
    "email": write_email,
    "chat": write_chat,
    "feed": write_feed,
}

# Writers whose channel splits into parts that render independently (shares of a store's
# cards, the journey pages), and the parts that then finish the channel from what those
# wrote (each store's print sheet and reprints).
PARTS: dict[str, Callable[[ChannelJob], list[str]]] = {
    "store": store_parts,
}
FINISHES: dict[str, Callable[[ChannelJob], list[str]]] = {
    "store": store_finishes,
}

# A piece of the build: a channel, or one part of it.
Unit = tuple[str, str | None]


def make_job(project: Project, channel: str, as_of: dt.date, build_root: Path,
             outputs: list[OutputEntry] | None = None) -> ChannelJob:
    return ChannelJob(project, project.channels[channel], as_of, build_root,
                      formatter_for(project, project.channels[channel]),
                      outputs if outputs is not None else [])


@contextlib.contextmanager
def source_date(day: dt.date) -> Iterator[None]:
    """Pin every tool's idea of "now" to the build date, so builds repeat byte for byte.

    MkDocs (sitemap dates, gzip) and fontTools (font subsets in PDFs) honour it.
    """
    before = os.environ.get("SOURCE_DATE_EPOCH")
    midnight = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
    os.environ["SOURCE_DATE_EPOCH"] = str(int(midnight.timestamp()))
    try:
        yield
    finally:
        if before is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before


def plan_units(project: Project, as_of: dt.date, build_root: Path) -> list[list[Unit]]:
    """The build in two rounds: the pieces that render independently, whole channels
    first and the many small parts last (so that the workers finish together), then
    the parts that finish a channel from what the first round wrote."""
    whole: list[Unit] = []
    parts: list[Unit] = []
    finishes: list[Unit] = []
    for name in sorted(project.channels):
        job = make_job(project, name, as_of, build_root)
        split = PARTS.get(job.channel.kind)
        if split is None:
            whole.append((name, None))
            continue
        parts.extend((name, part) for part in split(job))
        finish = FINISHES.get(job.channel.kind)
        finishes.extend((name, part) for part in (finish(job) if finish else []))
    return [whole + parts, finishes]


Shared = tuple[Project, dt.date, Path, Path | None, Path | None, Printed | None,
               dict[str, Any] | None]
"""What every piece of the build gets: the project, the day, where to build, the cache, the
previous build, the cards it printed and what the internal pages show."""
Analyse = Callable[[Project, dt.date], "dict[str, Any] | None"]
"""What the checker makes of the source for the internal pages (check/internal.py)."""


def render_unit(shared: Shared, unit: Unit) -> list[OutputEntry]:
    """Render one channel, or one part of it; return what was written."""
    project, as_of, build_root, cache, previous, printed, internal = shared
    job = make_job(project, unit[0], as_of, build_root)
    job.internal = internal
    job.part = unit[1]
    job.cache = Cache(cache, BUILD_CACHE)
    job.previous = previous
    job.printed = printed
    job.out.mkdir(parents=True, exist_ok=True)
    with source_date(as_of):
        WRITERS[job.channel.kind](job)
    return job.outputs


def render_all(project: Project, as_of: dt.date, build_root: Path, jobs: int = 1,
               scheduler: str | None = None, cache: Path | None = None,
               previous: Path | None = None, *, sources: dict[str, str],
               internal: dict[str, Any] | None = None) -> list[OutputEntry]:
    """Render every channel into `build_root/<channel>/`; return what was written.

    The channels (and the parts of a channel that splits) render on `jobs` processes,
    or on a Dask cluster; each writes its files as it goes and returns only their record.
    Costly results come from the `cache` folder when an earlier build made them; the
    `previous` build is what store reprints compare with; `sources` are the digests of the
    source files the manifest records (source_digests(), taken before the project was
    loaded); `internal` what the internal pages show.
    """
    rounds = plan_units(project, as_of, build_root)
    outputs: list[OutputEntry] = []
    stores = any(channel.kind == "store" for channel in project.channels.values())
    shared: Shared = (project, as_of, build_root, cache, previous,
                      printed_cards(previous) if stores else None, internal)
    with progress.task("Rendering", sum(len(units) for units in rounds)):
        for written in map_rounds(render_unit, shared, rounds, jobs, scheduler):
            outputs.extend(written)
            progress.advance()
    shutil.rmtree(build_root / WORK_DIR, ignore_errors=True)
    write_manifest(build_root, project, as_of, outputs, sources)
    return outputs


def build(root: Path, out: Path, as_of: dt.date, jobs: int | None = None,
          scheduler: str | None = None, use_cache: bool = False, *,
          analyse: Analyse) -> list[OutputEntry]:
    """Build every channel of the project at `root` into `out`, atomically (see publish.py).

    With `use_cache`, results of earlier builds are reused from a cache beside `out`
    (the output is the same bytes as without). `analyse` is the checker's view of the
    source for the internal pages (check.internal.internal_view).
    """
    cache = cache_for(out.resolve()) if use_cache else None
    sources = source_digests(root.resolve())  # before any of it is read
    with kept(cache / SOURCE_CACHE if cache else None) as parsed:
        project = load_project(root)
    used = Cache(cache, BUILD_CACHE)
    with publishing(out, project.root) as staging:
        if parsed:  # the output folder is accepted
            parsed.save()
        outputs = render_all(project, as_of, staging, jobs or default_jobs(), scheduler, cache,
                             previous=out.resolve(), sources=sources,
                             internal=analyse(project, as_of))
    used.prune()
    return outputs
