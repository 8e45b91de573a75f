"""Waivers: accepted exceptions mark their findings; expired and unused waivers are findings."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from onevoice.config.checks import Waiver

from .findings import Finding, finding


def _matches(waiver: Waiver, finding: Finding) -> bool:
    return (waiver.rule == finding.rule
            and (waiver.offer is None or waiver.offer == finding.offer)
            and (waiver.channel is None or waiver.channel == finding.channel))


def apply_waivers(findings: list[Finding], waivers: list[Waiver],
                  as_of: dt.date) -> list[Finding]:
    """Mark waived findings (they stay in the report), and report waivers gone bad."""
    used: set[int] = set()
    result = []
    for found in findings:
        for index, waiver in enumerate(waivers):
            if waiver.expires >= as_of and _matches(waiver, found):
                found = replace(found, waived=waiver.reason or "waived")
                used.add(index)
                break
        result.append(found)
    for index, waiver in enumerate(waivers):
        target = (f"{waiver.rule} for {waiver.offer or 'any offer'} "
                  f"on {waiver.channel or 'any channel'}")
        if waiver.expires < as_of:
            result.append(finding("waiver.expired",
                                  f"the waiver of {target} expired on {waiver.expires}",
                                  offer=waiver.offer, channel=waiver.channel,
                                  source=waiver.location, hint=waiver.reason))
        elif index not in used:
            result.append(finding("waiver.unused",
                                  f"the waiver of {target} matches no finding",
                                  offer=waiver.offer, channel=waiver.channel,
                                  source=waiver.location))
    return result
