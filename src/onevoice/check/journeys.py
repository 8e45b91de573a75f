"""Journey rules: every step served, moments of truth not left to one channel, no question
asked twice, and each step's message present in the channels it names."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Any

from onevoice.content.model import TRANSLATIONS, JourneyStep
from onevoice.extract.documents import Document
from onevoice.outputs.manifest import Manifest

from .conditions import normalise
from .context import CheckContext
from .findings import Finding, finding
from .subjects import Crawl, Scope, Seen, Source


def check_journey_source(ctx: CheckContext, source: Source) -> Iterator[Finding]:
    """journey.no-support, journey.single-channel-moment, journey.asked-twice."""
    for journey in source.catalog.journeys.values():
        asked: dict[str, str] = {}
        for step in journey.steps:
            base: dict[str, Any] = {"offer": journey.offer, "source": step.location}
            if not step.supporting_channels:
                yield finding("journey.no-support",
                              f"{journey.title} › {step.title}: no supporting channel",
                              expected="one or more supporting channels",
                              found=step.preferred_channel, **base)
            if step.moment_of_truth and len(step.channels) < 2:
                yield finding("journey.single-channel-moment",
                              f"{journey.title} › {step.title}: a moment of truth on one "
                              "channel only", expected="two or more channels",
                              found=", ".join(step.channels), **base)
            for item in step.asks:
                key = item.lower()
                if key in asked:
                    yield finding("journey.asked-twice",
                                  f"{journey.title} › {step.title}: asks '{item}' again, already "
                                  f"asked in '{asked[key]}'", expected=f"asked once ({asked[key]})",
                                  found=item, **base)
                else:
                    asked[key] = step.title


def iter_steps_seen(ctx: CheckContext, document: Document, channel: str | None,
                    ) -> Iterator[tuple[str, str, str]]:
    """The journey steps whose message this document carries."""
    if channel is None or not ctx.project.catalog.journeys:
        return
    text = normalise(document.text)
    for journey in ctx.journeys_in(channel):
        for step in journey.steps:
            if normalise(step.message) in text:
                yield journey.id, step.id, channel


def _wanted(step: JourneyStep) -> list[tuple[str, str, str]]:
    """(rule, channel, what is missing) for each channel a step's message must be in."""
    wanted = [("journey.preferred-content", step.preferred_channel,
               "has no content in its preferred channel")]
    if step.sends:
        wanted.append(("journey.message-missing", step.sends,
                       "sends a message that is not in that channel"))
    return wanted


CONTENT_RULES = ("journey.preferred-content", "journey.message-missing")
"""The journey rules over the outputs: whether a channel carries a step's message."""



def journey_channels(manifest: Manifest | None, outputs: Collection[str]) -> set[str]:
    """The channels with a journey output (one made from a journey template) among
    `outputs`: where a change to them may change which steps the channel carries."""
    entries = manifest.outputs if manifest else {}
    return {entries[path].channel for path in outputs
            if path in entries and entries[path].journey}


def _judged(scope: Scope | None, journey: str, channel: str) -> bool:
    if scope is None:
        return True
    channels = scope.get(journey, ())
    return channels is None or channel in channels


def unseen(ctx: CheckContext, seen: Seen, channels: set[str], scope: Scope) -> Seen:
    """The steps judged in `scope` whose message is wanted in one of `channels` and not
    `seen` there: (journey id, step id, channel)."""
    catalog = ctx.project.catalog.journeys
    return {(journey, step.id, channel) for journey in scope if journey in catalog
            for step in catalog[journey].steps for _, channel, _ in _wanted(step)
            if channel in channels and _judged(scope, journey, channel)
            and (journey, step.id, channel) not in seen}


def check_journey_outputs(ctx: CheckContext, crawl: Crawl) -> Iterator[Finding]:
    """journey.preferred-content and journey.message-missing, over all checked outputs, of
    the journeys and channels the crawl judges (what it has `seen` must then hold every
    output of those channels that carries their steps)."""
    seen, channels, scope = crawl.seen, crawl.checked, crawl.journeys
    if not scope:
        return
    for journey in ctx.project.catalog.journeys.values():
        for step in journey.steps:
            for rule, channel, what in _wanted(step):
                if (channel in channels and _judged(scope, journey.id, channel)
                        and (journey.id, step.id, channel) not in seen):
                    locale = ctx.locale_of(channel)
                    message = journey.in_locale(locale).steps[step.index].message
                    translated = f"{TRANSLATIONS}.{locale}.steps.{step.id}.message"
                    yield finding(rule, f"{journey.title} › {step.title} {what} "
                                  f"'{channel}'", offer=journey.offer, channel=channel,
                                  expected=message, found=None,
                                  source=journey.locs.get(translated) or journey.where(
                                      f"steps[{step.index}].message"))
