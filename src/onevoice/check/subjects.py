"""What a rule judges. Every rule has one signature, `rule(ctx, subject)`, yielding findings;
the subject is one of these, and run.py holds the rules of each in one list."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple, TypeVar

from onevoice.config.channels import Channel
from onevoice.extract.documents import Document
from onevoice.project import Project

from .context import CheckContext
from .findings import Finding

Seen = set[tuple[str, str, str]]
"""(journey id, step id, channel) for every step message found in a channel's output."""
Scope = Mapping[str, Collection[str] | None]
"""The journeys whose content a check judges, each in these channels (None: in all)."""


class Shown(NamedTuple):
    """One document (a page, a MIME part, a PDF page, a feed item) as its channel shows it."""

    document: Document
    channel: Channel | None


class OutputFile(NamedTuple):
    """One output file whole: all its documents (a feed's items together)."""

    relpath: str
    documents: list[Document]
    channel: Channel | None


@dataclass
class Crawl:
    """Everything the check read: each output's hash, the journey steps seen, and what of
    them this check judges."""

    hashes: dict[str, str]
    seen: Seen
    remote: bool = False
    """Read over HTTP: no build manifest says what should be there."""
    sources: Collection[str] | None = None
    """The source files whose findings are reported (None: all)."""
    checked: set[str] = field(default_factory=set)
    """The channels all of whose outputs were read (journey content needs all of them)."""
    journeys: Scope = field(default_factory=dict)
    """The journeys whose content is judged, with the channels it is judged in."""


Source = Project
"""The source alone: the channel strategy as the editors wrote it."""

Subject = TypeVar("Subject", Shown, OutputFile, Crawl, Project)
Rule = Callable[[CheckContext, Subject], Iterable[Finding]]
