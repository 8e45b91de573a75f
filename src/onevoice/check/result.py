"""What a check produces, handed to every reporter."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from onevoice.common import SEVERITY_RANK

from .findings import Finding


@dataclass
class CheckResult:
    """The findings of one check run, with what was checked (for matrices and summaries)."""

    target: str
    as_of: dt.date
    findings: list[Finding]
    offers: list[str] = field(default_factory=list)
    channels: list[str] = field(default_factory=list)
    offered: dict[str, list[str]] = field(default_factory=dict)
    """Per offer, the channels the source offers it on (empty when not known)."""
    journeys: list[Any] = field(default_factory=list)
    """The channel map: `strategy.JourneyMap` per journey."""
    files_checked: int = 0
    also_read: int = 0
    """Outputs read besides, only to see which journey steps they carry (a check of some
    outputs, where a step those lack may be in another)."""
    fail_on: str = "error"
    root: str = ""
    """The project folder, absolute (empty when not known)."""
    rule_pages: str = ""
    """Where each rule's page is, with `{rule}` for its id (empty when not known)."""

    @property
    def active(self) -> list[Finding]:
        """Findings that count: not waived."""
        return [f for f in self.findings if not f.waived]

    def fails(self, finding: Finding) -> bool:
        """Whether this finding fails the check: not waived, and at or above `fail_on`."""
        return not finding.waived and SEVERITY_RANK[finding.severity] >= SEVERITY_RANK[self.fail_on]

    @property
    def failed(self) -> bool:
        return any(self.fails(f) for f in self.findings)

    def counts(self) -> dict[str, int]:
        counts = {"error": 0, "warning": 0, "info": 0}
        for finding in self.active:
            counts[finding.severity] += 1
        return counts
