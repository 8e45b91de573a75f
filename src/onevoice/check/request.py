"""What a check is asked: against which source and day, how, and what to read.

The command line makes one `CheckRequest` from its options, the MkDocs plugin one from its
configuration; the check takes it with the `Target` to read, so that no option travels
through a chain of positional parameters.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from onevoice.common import is_url
from onevoice.outputs.manifest import Manifest
from onevoice.project import Project
from onevoice.workers import EVERY_CORE, Workers


@dataclass(frozen=True)
class CheckRequest:
    """The source to check against (`root`, as valid on `as_of`) and how to check."""

    root: Path
    as_of: dt.date
    channel: str | None = None
    """Treat every output as this channel's (a single site or URL)."""
    fail_on: str | None = None
    """The lowest severity that fails the check; onevoice.yml's when None."""
    waivers: Path | None = None
    """The waiver file; waivers.yml in the project when None."""
    workers: Workers = EVERY_CORE
    use_cache: bool = False
    render: bool = False
    """Read a site's pages as headless Chromium shows them."""
    project: Project | None = field(default=None, repr=False)
    """The project at `root`, when loaded already (None: the check loads it)."""
    sources: Collection[str] | None = None
    """Of the findings on the source alone, report those in these source files (a check of a
    change); None: as the target asks (all for a whole folder, none for single files)."""


@dataclass
class Target:
    """A folder or URL to check, and the files in it to check (None: all of them)."""

    where: str
    files: set[str] | None = field(default=None)
    cards: dict[str, set[str]] = field(default_factory=dict)
    """Print sheets and feeds of which to read only these offers' cards or items."""
    manifest: Manifest | None = field(default=None, repr=False)
    """The folder's build manifest, when read already (None: the check reads it)."""

    @property
    def remote(self) -> bool:
        return is_url(self.where)

    def kept_sources(self, request: CheckRequest) -> Collection[str] | None:
        """The source files whose source-only findings this target's check reports: the
        request's, else all for a whole folder and none for single files."""
        if request.sources is not None or self.files is None:
            return request.sources
        return set()
