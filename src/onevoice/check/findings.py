"""The one shape of every finding, whatever rule raised it and whatever reports it."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any

from onevoice.locations import Location


@dataclass(frozen=True)
class Finding:
    """One disagreement between an output and the source, or a broken rule of the field.

    `source` is the `path:line` in content/ (or channels/) to fix; `output` is where
    the disagreement was seen: a file and line, a page of a PDF, or a MIME part of an
    email (in `output.part`).
    """

    rule: str
    severity: str
    """Set once, by the configuration (run.configure: onevoice.yml, else the rule's default);
    empty until then."""
    message: str
    offer: str | None = None
    channel: str | None = None
    expected: str | None = None
    found: str | None = None
    source: Location | None = None
    output: Location | None = None
    hint: str = ""
    waived: str | None = field(default=None, compare=False)
    made_by: str | None = None
    """The file that produced the output: its template in channels/, or its page in docs/."""
    outdated: bool = field(default=False, compare=False)
    """Seen in an output made from a source file changed since the build: a rebuild may
    clear it (the report lists these under the one line that says to rebuild)."""

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["source"] = self.source.as_dict() if self.source else None
        data["output"] = self.output.as_dict() if self.output else None
        return data

    @property
    def fingerprint(self) -> str:
        """Stable across runs and line shifts: what the finding is about, not where it was seen."""
        output = self.output.path if self.output else ""
        key = "\0".join((self.rule, self.offer or "", self.channel or "", output))
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]

    @property
    def sort_key(self) -> tuple[str, int, str, str, int]:
        source = self.source or Location("")
        output = self.output or Location("")
        return (source.path, source.line, self.rule, output.path, output.line)


def finding(rule: str, message: str, **fields: Any) -> Finding:
    """A finding of `rule`. Rule code never sets its severity: the configuration does
    (run.configure), once, for every finding."""
    return Finding(rule, "", message, **fields)


def once_per_file(findings: list[Finding]) -> list[Finding]:
    """One finding for the same wrong text in several surfaces of one file (an email's
    Subject and its HTML `<title>`, a page's title and its share preview): the first seen."""
    seen: set[tuple[Any, ...]] = set()
    kept = []
    for item in findings:
        key = (item.rule, item.offer, item.channel, item.expected, item.found,
               item.output.path if item.output else None)
        if item.found is None or key not in seen:
            kept.append(item)
            seen.add(key)
    return kept
