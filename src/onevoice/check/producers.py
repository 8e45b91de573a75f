"""Which file made an output: the channel template, or the hand-written page in docs/.

So that a finding names what the editor can open. Outputs are matched to templates the
way the writers name them (see the template table in the README); where no template of
that name exists, the channel folder is named instead.
"""

from __future__ import annotations

from dataclasses import replace

from onevoice.render.published import JOURNEYS_DIR, OFFERS_DIR

from .context import CheckContext
from .findings import Finding
from .pages import hand_written_page

# Web pages the web writer generates besides offers and journeys, on the site or among the
# internal pages: the page's first folder or name → template.
WEB_PAGES = {"voorwaarden": "conditions.md.j2", "kanaalkaart": "channel-map.md.j2",
             "regels": "rule.md.j2"}
RULES_INDEX = ("regels/index.html", "regels.html")
INTERNAL_PAGES = ("kanaalkaart", "regels")
"""The first folder (or name) of the internal pages when they are published in the site."""


def template_of(kind: str, inside: str, part: str, generated: bool) -> str | None:
    """The template that renders an output at `inside` (its path in the channel folder)."""
    journey = inside.startswith(f"{JOURNEYS_DIR}/")
    if kind == "web":
        folders = inside.split("/")
        if journey:
            return "journey.md.j2"
        if folders[0] == OFFERS_DIR:
            return "category.md.j2" if len(folders) == 3 else "offer.md.j2"
        if inside in RULES_INDEX:
            return "rules.md.j2"
        return WEB_PAGES.get(folders[0].removesuffix(".html"))
    if kind == "feed":
        return "feed.xml.j2"
    if kind == "email":
        html = "html" in part
        if part == "Subject" and not journey:
            return "subject.txt.j2"
        if journey:
            return "journey.html.j2" if html else "journey.txt.j2"
        return "message.html.j2" if html else "message.txt.j2"
    if journey:
        return "journey.html.j2" if kind in ("phone", "store") else "journey.md.j2"
    if kind == "phone":
        return "spoken.txt.j2" if inside.endswith(".spoken.txt") else "script.html.j2"
    if kind == "store":  # the cards and their print sheets
        return "card.typ"
    return "answer.md.j2" if kind == "chat" else None


def made_by(ctx: CheckContext, finding: Finding) -> Finding:
    """The finding with the file that produced its output, where that can be told."""
    if finding.output is None or finding.made_by:
        return finding
    relpath = finding.output.path
    channel = ctx.channel_of(relpath)
    if channel is None:
        return finding
    inside = relpath.removeprefix(f"{channel.name}/") if ctx.channel is None else relpath
    entry = ctx.entry(relpath)
    generated = entry is not None and bool(entry["sources"] or entry["offer"])
    internal = f"{channel.internal}/"
    if channel.kind == "web" and inside.startswith(internal):  # the build's internal pages
        inside, generated = inside.removeprefix(internal), True
    root = ctx.project.root
    page = hand_written_page(ctx, relpath) if channel.kind == "web" and not generated else None
    if page is not None:
        return replace(finding, made_by=page)
    template = template_of(channel.kind, inside, finding.output.part, generated)
    folder = f"channels/{channel.name}/"
    if template and (root / folder / template).is_file():
        return replace(finding, made_by=folder + template)
    return replace(finding, made_by=folder) if generated else finding
