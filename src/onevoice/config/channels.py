"""Channels as data: `channels/<name>/channel.yml` plus the channel's templates."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from onevoice.content.loader import SourceFile
from onevoice.content.model import VARIANTS, Located
from onevoice.content.schema import SLUG_HINT, babel_locale, is_slug
from onevoice.errors import ErrorLog
from onevoice.locations import Location

AUDIENCES = ("general", "seniors", "youth", "business")
# Web: the navigation's titles of the generated pages, in the channel's own words.
SECTIONS = {"offers": "Aanbod", "journeys": "Klantreizen", "conditions": "Voorwaarden"}



@dataclass(frozen=True)
class ChannelKind:
    """What a kind of channel is, in one place: what it writes, the templates its writer
    needs and the one for journeys, and what sets it apart from the others. (The code that
    writes it is the kind's writer in render/build.py.)"""

    name: str
    formats: tuple[str, ...]
    """What it may write, the default first (`format:` in channel.yml)."""
    templates: tuple[str, ...]
    """The templates a channel of this kind must have."""
    journey_templates: tuple[str, ...] = ()
    """The templates of the journey steps it serves, rendered when the channel has them
    all; none: it serves no journey steps."""
    website: bool = False
    """Published at an address of its own (`base_url`), with hand-written pages from
    docs/, navigation sections and the internal pages: a MkDocs site."""
    prints: bool = False
    """Printed and put up in stores: one card per offer and store, in each store's
    languages."""
    feed: bool = False
    """A product feed for shopping sites, in every language that has a website."""
    spoken: bool = False
    """Read out to a caller by an agent: the caller's identity is checked first."""

    @property
    def journey_template(self) -> str:
        """The template of a journey page or message (the first of `journey_templates`)."""
        return self.journey_templates[0] if self.journey_templates else ""


KINDS: dict[str, ChannelKind] = {kind.name: kind for kind in (
    ChannelKind("web", ("mkdocs",), ("offer.md.j2", "category.md.j2", "conditions.md.j2"),
                ("journey.md.j2",), website=True),
    ChannelKind("phone", ("html+txt",), ("script.html.j2", "spoken.txt.j2"),
                ("journey.html.j2",), spoken=True),
    ChannelKind("store", ("pdf",), ("card.typ",), ("journey.html.j2",), prints=True),
    ChannelKind("email", ("eml",), ("subject.txt.j2", "preheader.txt.j2", "message.html.j2",
                                    "message.txt.j2"), ("journey.html.j2", "journey.txt.j2")),
    ChannelKind("chat", ("json",), ("answer.md.j2",), ("journey.md.j2",)),
    ChannelKind("feed", ("rss",), ("feed.xml.j2",), feed=True),
)}
UNKNOWN_KIND = ChannelKind("", (), ())
"""The kind of a channel whose channel.yml names none that onevoice knows (a load error)."""


@dataclass
class Channel(Located):
    """One channel: what it is, who reads it, and how its output is limited."""

    name: str = ""
    kind: str = ""
    title: str = ""
    online: bool = True
    identity_verified: bool = False
    audience: str = "general"
    condition_variant: str = "canonical"
    format: str = ""
    max_chars: int | None = None
    internal: str = "internal"
    """Web: the build folder for internal pages (channel map, rule reference), or `site`."""
    locale: str = ""
    """The language and region the channel speaks (`fr_BE`); the organisation's when empty."""
    base_url: str = ""
    """Web: the address this website is published at (`https://…/fr`); the organisation's
    `base_url` when empty. Offer links, QR codes and feeds in its language point there."""
    sections: dict[str, str] = field(default_factory=lambda: dict(SECTIONS))
    """Web: the navigation's titles of the offers, the journeys and the conditions, in the
    channel's language (`sections: {offers: Offres, …}`); Dutch when not given."""
    folder: Path = field(default_factory=Path)

    @property
    def spec(self) -> ChannelKind:
        """What its kind is: its templates, formats, and what sets it apart."""
        return KINDS.get(self.kind, UNKNOWN_KIND)


def page_versions(page: str, locale: str) -> list[str]:
    """The hand-written files (in docs/) that a page (`about.md`) of a website in `locale`
    is read from: its version in that locale (`about.fr-BE.md`), in that language
    (`about.fr.md`), else the page itself, which every language's website shares."""
    stem = page.removesuffix(".md")
    tag = locale.replace("_", "-")
    return [*(f"{stem}.{suffix}.md" for suffix in dict.fromkeys([tag, tag.split("-")[0]])
              if suffix), page]


def language_suffix(page: str, locales: set[str]) -> tuple[str, str] | None:
    """(the page, the language) of a language version of a page (`about.fr.md`: `about.md`
    in `fr`), for the `locales` (or their languages) a project speaks; else None."""
    stem, dot, suffix = page.removesuffix(".md").rpartition(".")
    tags = {tag for locale in locales for tag in (locale.replace("_", "-"),
                                                  locale.split("_")[0])}
    return (f"{stem}.md", suffix) if dot and page.endswith(".md") and suffix in tags else None


def load_channel(folder: Path, root: Path, log: ErrorLog) -> Channel | None:
    path = folder / "channel.yml"
    shown = Location.of(path, root=root)
    if not path.is_file():
        log.add(shown, "channel folder without channel.yml",
                "add channel.yml with at least 'kind:' and 'title:'")
        return None
    source = SourceFile(path, root, log, front_matter=False)
    if source.failed:
        return None
    channel = Channel(path=shown.path, name=folder.name, folder=folder)
    if not is_slug(folder.name):
        log.add(shown, f"channel folder name '{folder.name}' is not a safe id", SLUG_HINT)
    f = source.fields(channel.locs)
    channel.kind = f.choice("kind", tuple(KINDS)) or ""
    channel.title = f.text("title") or folder.name
    channel.online = f.boolean("online", True)
    channel.identity_verified = f.boolean("identity_verified", False)
    channel.audience = f.choice("audience", AUDIENCES, default="general") or "general"
    channel.condition_variant = f.choice("condition_variant", VARIANTS, default="canonical") or ""
    channel.internal = f.text("internal", False, "internal") or "internal"
    if channel.internal != "site" and not is_slug(channel.internal):
        f.error("internal", f"'internal' must be a folder name, got '{channel.internal}'",
                "write a folder of the build such as 'internal', or 'site' to publish the "
                "internal pages in the website")
    locale = f.text("locale", False, "") or ""
    if locale:
        channel.locale = babel_locale(locale) or ""
        if not channel.locale:
            f.error("locale", f"unknown locale '{locale}'",
                    "write a language and region such as fr-BE")
    if channel.spec.website:
        channel.base_url = f.web_address("base_url")
        sections = f.mapping("sections")
        if sections:
            channel.sections.update({key: text for key in SECTIONS
                                     if (text := sections.text(key, False))})
            sections.finish()
    elif f.raw("base_url") is not None and channel.kind:
        f.error("base_url", "only a web channel is published at an address of its own",
                "remove 'base_url', or set it on the website this channel links to")
    limits = f.mapping("limits")
    if limits:
        channel.max_chars = limits.integer("max_chars", required=False, minimum=1)
        limits.finish()
    if channel.kind:
        spec = channel.spec
        channel.format = f.choice("format", spec.formats, default=spec.formats[0]) or ""
        for template in spec.templates:
            if not (folder / template).is_file():
                f.error("kind", f"{channel.kind} channel '{channel.name}' has no template "
                        f"'{template}'", f"create {Location.of(folder / template, root=root)}")
    else:
        f.raw("format")
    f.finish()
    return channel


def load_channels(root: Path, log: ErrorLog) -> dict[str, Channel]:
    """Every channel folder under `root/channels`, by name."""
    base = root / "channels"
    if not base.is_dir():
        log.add(Location("channels"), "no channels folder",
                "create channels/<name>/channel.yml for each channel")
        return {}
    channels = {}
    for folder in sorted(p for p in base.iterdir() if p.is_dir()):
        channel = load_channel(folder, root, log)
        if channel:
            channels[channel.name] = channel
    return channels
