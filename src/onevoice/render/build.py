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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from onevoice import progress
from onevoice.cache import BUILD_CACHE, Cache, RunCache
from onevoice.outputs.manifest import source_digests, write_manifest
from onevoice.project import Project, load_project
from onevoice.workers import EVERY_CORE, ONE_PROCESS, Workers, map_rounds

from .chat import write_chat
from .email import write_email
from .feed import write_feed
from .job import ChannelJob, OutputEntry, Printed, formatter_for
from .phone import write_phone
from .publish import publishing
from .reprint import printed_cards
from .store import WORK_DIR, store_finishes, store_parts, write_store
from .web import write_web


@dataclass(frozen=True)
class Writer:
    """The code that writes a kind of channel (what the kind is: config.channels.KINDS)."""

    write: Callable[[ChannelJob], None]
    """Writes the channel's outputs (or, when it splits, the job's part of them)."""
    parts: Callable[[ChannelJob], list[str]] | None = None
    """The parts a channel of this kind splits into, which render independently (shares
    of a store's cards); None: it renders whole."""
    finishes: Callable[[ChannelJob], list[str]] | None = None
    """The parts that then finish the channel from what those wrote (each store's print
    sheet and reprints)."""


# One writer per kind of channel; a new channel of a known kind is only a folder.
WRITERS: dict[str, Writer] = {
    "web": Writer(write_web),
    "phone": Writer(write_phone),
    "store": Writer(write_store, store_parts, store_finishes),
    "email": Writer(write_email),
    "chat": Writer(write_chat),
    "feed": Writer(write_feed),
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
        writer = WRITERS[job.channel.kind]
        if writer.parts is None:
            whole.append((name, None))
            continue
        parts.extend((name, part) for part in writer.parts(job))
        finishes.extend((name, part) for part in (writer.finishes(job) if writer.finishes
                                                  else []))
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
        WRITERS[job.channel.kind].write(job)
    return job.outputs


def render_all(project: Project, as_of: dt.date, build_root: Path,
               workers: Workers = ONE_PROCESS, cache: Path | None = None,
               previous: Path | None = None, *, sources: dict[str, str],
               internal: dict[str, Any] | None = None) -> list[OutputEntry]:
    """Render every channel into `build_root/<channel>/`; return what was written.

    The channels (and the parts of a channel that splits) render on the `workers`; each
    writes its files as it goes and returns only their record.
    Costly results come from the `cache` folder when an earlier build made them; the
    `previous` build is what store reprints compare with; `sources` are the digests of the
    source files the manifest records (source_digests(), taken before the project was
    loaded); `internal` what the internal pages show.
    """
    rounds = plan_units(project, as_of, build_root)
    outputs: list[OutputEntry] = []
    stores = any(channel.spec.prints for channel in project.channels.values())
    shared: Shared = (project, as_of, build_root, cache, previous,
                      printed_cards(previous) if stores else None, internal)
    with progress.task("Rendering", sum(len(units) for units in rounds)):
        for written in map_rounds(render_unit, shared, rounds, workers):
            outputs.extend(written)
            progress.advance()
    shutil.rmtree(build_root / WORK_DIR, ignore_errors=True)
    write_manifest(build_root, project, as_of, outputs, sources)
    return outputs


def build(root: Path, out: Path, as_of: dt.date, workers: Workers = EVERY_CORE,
          use_cache: bool = False, *, analyse: Analyse) -> list[OutputEntry]:
    """Build every channel of the project at `root` into `out`, atomically (see publish.py).

    With `use_cache`, results of earlier builds are reused from a cache beside `out`
    (the output is the same bytes as without). `analyse` is the checker's view of the
    source for the internal pages (check.internal.internal_view).
    """
    cache = RunCache(out if use_cache else None, BUILD_CACHE)
    sources = source_digests(root.resolve())  # before any of it is read
    project = load_project(root, cache)
    with publishing(out, project.root) as staging:
        cache.keep()  # the output folder is accepted
        outputs = render_all(project, as_of, staging, workers, cache.folder,
                             previous=out.resolve(), sources=sources,
                             internal=analyse(project, as_of))
    cache.end()
    return outputs
