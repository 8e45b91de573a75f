"""The HTML report: one self-contained page with an offer × channel matrix and every finding."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from onevoice.check.findings import Finding
from onevoice.check.result import CheckResult
from onevoice.common import SEVERITY_RANK

if TYPE_CHECKING:
    from jinja2 import Environment

from .text import group_by_file, summary_line

TEMPLATES = Path(__file__).resolve().parent / "templates"
NO_OFFER = "(no offer)"
NO_CHANNEL = "(no channel)"


@dataclass(frozen=True)
class Cell:
    """One offer in one channel: how many active findings, the worst severity, which rules."""

    offer: str
    channel: str
    count: int
    severity: str
    rules: tuple[str, ...]

    offered: bool = True

    @property
    def title(self) -> str:
        if self.rules:
            return ", ".join(self.rules)
        return "No findings" if self.offered else "Not offered on this channel"


def axis(known: list[str], seen: set[str | None], missing: str) -> list[str]:
    """The given names, then any a finding names that the result did not list, then `missing`."""
    extra = sorted(name for name in seen if name and name not in known)
    return [*known, *extra, *([missing] if None in seen else [])]


def make_cell(offer: str, channel: str, findings: list[Finding], offered: bool = True) -> Cell:
    if not findings:
        return Cell(offer, channel, 0, "none", (), offered)
    worst = max((f.severity for f in findings), key=lambda s: SEVERITY_RANK.get(s, 0))
    return Cell(offer, channel, len(findings), worst, tuple(sorted({f.rule for f in findings})))


def build_matrix(result: CheckResult) -> tuple[list[str], list[list[Cell]]]:
    """The channels (columns) and, per offer, a row of cells; both from active findings only."""
    active = result.active
    offers = axis(result.offers, {f.offer for f in active}, NO_OFFER)
    channels = axis(result.channels, {f.channel for f in active}, NO_CHANNEL)
    by_cell: dict[tuple[str, str], list[Finding]] = {}
    for f in active:
        by_cell.setdefault((f.offer or NO_OFFER, f.channel or NO_CHANNEL), []).append(f)
    rows = [[make_cell(offer, channel, by_cell.get((offer, channel), []),
                       offer not in result.offered or channel in result.offered[offer])
             for channel in channels] for offer in offers]
    return channels, rows


def environment() -> Environment:
    # Jinja only for this report: the other formats start without it.
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True,
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                       keep_trailing_newline=True)


def render(result: CheckResult) -> str:
    channels, rows = build_matrix(result)
    return environment().get_template("report.html.j2").render(
        result=result,
        counts=result.counts(),
        summary=summary_line(result),
        channels=channels,
        rows=rows,
        groups=group_by_file(result.active),
        waived=group_by_file(f for f in result.findings if f.waived),
        waived_count=len(result.findings) - len(result.active),
    )
