"""Waivers: accepted exceptions mark their findings; expired and unused waivers are findings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import replace

from onevoice.config.checks import Waiver

from .findings import Finding, finding


def _matches(waiver: Waiver, finding: Finding, conditions: Mapping[str, str]) -> bool:
    """Whether the finding is of the waiver's rule and everything the waiver names: its offer,
    channel, condition (the finding's source is the condition's file) and path (the
    output's or the source's path matches the pattern)."""
    paths = [where.path for where in (finding.output, finding.source) if where is not None]
    pattern = waiver.path_pattern
    return (waiver.rule == finding.rule
            and (waiver.offer is None or waiver.offer == finding.offer)
            and (waiver.channel is None or waiver.channel == finding.channel)
            and (waiver.condition is None or finding.source is not None
                 and finding.source.path == conditions.get(waiver.condition))
            and (pattern is None or any(pattern.match(path) for path in paths)))


def apply_waivers(findings: list[Finding], waivers: list[Waiver], as_of: dt.date,
                  conditions: Mapping[str, str] | None = None
                  ) -> tuple[list[Finding], list[Finding]]:
    """The findings with the waived ones marked (they stay in the report), and the findings
    on the waivers gone bad (expired, unused), which are yet to be configured.
    `conditions` gives each condition's source file, for waivers of a condition."""
    used: set[int] = set()
    result = []
    for found in findings:
        for index, waiver in enumerate(waivers):
            if waiver.expires >= as_of and _matches(waiver, found, conditions or {}):
                found = replace(found, waived=waiver.reason or "waived")
                used.add(index)
                break
        result.append(found)
    own = []
    for index, waiver in enumerate(waivers):
        target = waiver.describe()
        if waiver.expires < as_of:
            own.append(finding("waiver.expired",
                                  f"the waiver of {target} expired on {waiver.expires}",
                                  offer=waiver.offer, channel=waiver.channel,
                                  source=waiver.location, hint=waiver.reason))
        elif index not in used:
            own.append(finding("waiver.unused",
                                  f"the waiver of {target} matches no finding",
                                  offer=waiver.offer, channel=waiver.channel,
                                  source=waiver.location))
    return result, own
