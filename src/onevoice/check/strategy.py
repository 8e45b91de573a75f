"""The channel strategy as data to show: journeys with their channels per step, and the
offer × channel matrix, each cell with the rules that fail there."""

from __future__ import annotations

from dataclasses import dataclass, field

from onevoice.common import SEVERITY_RANK
from onevoice.content.model import Journey
from onevoice.project import Project

from .findings import Finding

# How a channel serves a step, as drawn in the channel map.
PREFERRED, SUPPORTING, SENDS, MISSING = "preferred", "supporting", "sends", "missing"


@dataclass
class MapCell:
    role: str = ""
    """preferred, supporting, sends, missing (preferred but without content), or ''."""
    rules: list[str] = field(default_factory=list)


@dataclass
class StepColumn:
    id: str
    title: str
    phase: str
    moment_of_truth: bool
    cells: dict[str, MapCell]
    rules: list[str]


@dataclass
class JourneyMap:
    id: str
    title: str
    relation: str
    steps: list[StepColumn]


@dataclass
class MatrixCell:
    offered: bool
    rules: list[str]
    severity: str


def _step_findings(journey: Journey, findings: list[Finding]) -> list[list[Finding]]:
    """The findings located in each step's lines of the journey file."""
    starts = [step.location.line for step in journey.steps] + [10**9]
    result: list[list[Finding]] = [[] for _ in journey.steps]
    for finding in findings:
        if finding.source is None or finding.source.path != journey.path:
            continue
        for index in range(len(journey.steps)):
            if starts[index] <= finding.source.line < starts[index + 1]:
                result[index].append(finding)
    return result


def journey_maps(project: Project, findings: list[Finding]) -> list[JourneyMap]:
    """Every journey: its steps left to right, the channels under each step."""
    channels = sorted(project.channels)
    maps = []
    for journey_id in sorted(project.catalog.journeys):
        journey = project.catalog.journeys[journey_id]
        columns = []
        for step, found in zip(journey.steps, _step_findings(journey, findings), strict=True):
            cells = {name: MapCell() for name in channels}
            for name in step.supporting_channels:
                cells.setdefault(name, MapCell()).role = SUPPORTING
            if step.sends:
                cells.setdefault(step.sends, MapCell()).role = SENDS
            preferred = cells.setdefault(step.preferred_channel, MapCell())
            preferred.role = PREFERRED
            for finding in found:
                cell = cells.get(finding.channel or "")
                if cell is not None:
                    cell.rules.append(finding.rule)
                    if finding.rule == "journey.preferred-content":
                        cell.role = MISSING
            columns.append(StepColumn(step.id, step.title, step.phase, step.moment_of_truth,
                                      cells, sorted({f.rule for f in found})))
        maps.append(JourneyMap(journey.id, journey.title, journey.relation, columns))
    return maps


def offer_matrix(project: Project, offers: list[str],
                 findings: list[Finding]) -> dict[str, dict[str, MatrixCell]]:
    """Offer × channel: offered or not, and the rules that fail in that cell."""
    matrix: dict[str, dict[str, MatrixCell]] = {}
    for offer_id in offers:
        offer = project.catalog.offers[offer_id]
        matrix[offer_id] = {name: MatrixCell(name in offer.channels, [], "none")
                            for name in sorted(project.channels)}
    for finding in findings:
        cell = matrix.get(finding.offer or "", {}).get(finding.channel or "")
        if cell is None:
            continue
        cell.rules.append(finding.rule)
        if SEVERITY_RANK[finding.severity] > SEVERITY_RANK.get(cell.severity, 0):
            cell.severity = finding.severity
    return matrix
