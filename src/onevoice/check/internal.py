"""What the build's internal pages show of the checker: the channel map (the findings of
the rules on the source alone, the journeys' steps and the offer × channel matrix) and the
rule reference.

The checker makes it and the build is given it (`render.build.build(analyse=...)`), so
that rendering never imports the checker: the internal pages are the one output of the
build that shows the check's verdict.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from onevoice.outputs.published import INTERNAL_TEMPLATES
from onevoice.project import Project

from .registry import RULES
from .run import check_source
from .strategy import journey_maps, offer_matrix


def internal_view(project: Project, as_of: dt.date) -> dict[str, Any] | None:
    """The internal pages' data, or None when no web channel has their templates."""
    webs = [c for c in project.channels.values() if c.spec.website]
    if not any((c.folder / name).is_file() for c in webs for name in INTERNAL_TEMPLATES):
        return None
    offers = sorted(project.catalog.offers_valid_on(as_of), key=lambda o: o.title)
    mapped = any((c.folder / "channel-map.md.j2").is_file() for c in webs)
    view: dict[str, Any] = {"rules": list(RULES.values())}
    if mapped:
        findings = check_source(project, as_of)
        view.update(findings=findings, journeys=journey_maps(project, findings),
                    matrix=offer_matrix(project, [o.id for o in offers], findings),
                    titles={o.id: o.title for o in offers})
    return view
