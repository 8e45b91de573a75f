"""Which file made an output: the channel template, or the hand-written page in docs/.

So that a finding names what the editor can open. The build records the template that
wrote each output (and each part of an email) in its manifest; an output it made from no
template it records names the channel folder, and a hand-written page its Markdown.
"""

from __future__ import annotations

from dataclasses import replace

from .context import CheckContext
from .findings import Finding
from .pages import hand_written_page


def made_by(ctx: CheckContext, finding: Finding) -> Finding:
    """The finding with the file that produced its output, where that can be told."""
    if finding.output is None or finding.made_by:
        return finding
    relpath = finding.output.path
    channel = ctx.channel_of(relpath)
    if channel is None:
        return finding
    entry = ctx.entry(relpath)
    template = entry.template(finding.output.part) if entry is not None else None
    generated = entry is not None and (entry.generated or template is not None)
    page = hand_written_page(ctx, relpath) if channel.spec.website and not generated else None
    if page is not None:
        return replace(finding, made_by=page)
    folder = f"channels/{channel.name}/"
    if template and (ctx.project.root / folder / template).is_file():
        return replace(finding, made_by=folder + template)
    return replace(finding, made_by=folder) if generated else finding
