"""What a channel writer gets: the project, its channel, the date, and a place to write."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from onevoice.cache import BUILD_CACHE, Cache, code_digest, digest, folder_digest
from onevoice.config.channels import Channel
from onevoice.content.model import Condition, Journey, JourneyStep, Offer, Settings
from onevoice.errors import InputError, SourceError
from onevoice.outputs.filters import Formatter
from onevoice.outputs.manifest import OutputEntry
from onevoice.outputs.published import JOURNEYS_DIR as JOURNEYS_DIR
from onevoice.outputs.published import OFFERS_DIR as OFFERS_DIR
from onevoice.outputs.published import formatter_for as formatter_for
from onevoice.outputs.published import landing_site as landing_site
from onevoice.outputs.published import offer_url as offer_url
from onevoice.outputs.published import site_url as site_url
from onevoice.project import Project

from .data import as_data
from .environment import LimitedEnvironment, make_environment, render


def write_output(path: Path, data: bytes, previous: Path | None, new: bool = False) -> None:
    """Write `data` at `path`: as a hard link to the `previous` build's file when that holds
    the same bytes (an output that did not change), which spares writing it again and
    freeing it when the previous build is removed; else as a new file. The previous build
    goes once this one is published, so no file is shared for long, and a file edited by
    hand there holds other bytes. With `new`, a file already at `path` is an error
    (FileExistsError), not replaced."""
    if previous is not None:
        try:
            found = previous.lstat()
            if (stat.S_ISREG(found.st_mode) and found.st_size == len(data)
                    and previous.read_bytes() == data):
                os.link(previous, path, follow_symlinks=False)
                return
        except OSError:
            pass  # no such file, or a file system without hard links (or one at `path`)
    with open(path, "xb" if new else "wb") as file:
        file.write(data)


Templates = str | dict[str, str] | None
"""The template that wrote an output, or the templates of its parts by part (an email's
`Subject`, `text/html part`, `text/plain part`; `""` for the rest)."""

Printed = dict[tuple[str, str], dict[str, str]]
"""The cards a build printed, by store channel and store: the digest of what each card
shows, by offer."""


@dataclass
class ChannelJob:
    project: Project
    channel: Channel
    as_of: dt.date
    build_root: Path
    formatter: Formatter
    outputs: list[OutputEntry]
    part: str | None = None
    """The part of the channel to render (a store), when its writer splits; None for all."""
    cache: Cache = field(default_factory=lambda: Cache(None, BUILD_CACHE))
    """Costly results (laid-out PDFs) of earlier builds, by the key of what they are made of."""
    previous: Path | None = None
    """The previous build (the output this one replaces): an unchanged output is linked."""
    printed: Printed | None = None
    """The cards the previous build printed (reprint.py), to compare with: store reprints."""
    internal: dict[str, Any] | None = None
    """What the internal pages show (the channel map, the rule reference), made by the
    checker and given to the build (check/internal.py): see web.internal_pages."""
    env: LimitedEnvironment = field(init=False)
    _folders: set[Path] = field(init=False, default_factory=set)
    """The folders this job made (or found) to write into."""
    _offers_data: dict[str, dict[str, Any]] = field(init=False, default_factory=dict)
    _offers_key: dict[str, str] = field(init=False, default_factory=dict)
    _conditions: dict[str, Condition] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.env = make_environment(self.channel, self.formatter, self.project.root,
                                    self.project.catalog.settings.allow_html)

    def __getstate__(self) -> dict[str, Any]:
        """A job goes to worker processes without its template environment (made anew)."""
        state = dict(self.__dict__)
        del state["env"]
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.__post_init__()

    @functools.cached_property
    def channel_digest(self) -> str:
        return folder_digest(self.channel.folder)

    def cache_key(self, *parts: str | bytes) -> str:
        """The key of a result made from this channel's files and `parts` (and the code)."""
        return digest(code_digest(), self.channel.name, self.channel_digest, *parts)

    @functools.cached_property
    def _shared_key(self) -> str:
        return self.cache_key("template data", repr(self.shared_data))

    def _render_key(self, template: str, offer: Offer | None, extra: dict[str, Any]) -> str:
        """The key of a template's output: the template (and the channel's other files,
        which it may include), the code, and everything in its context. Template data is
        plain values, records and tuples (data.py), whose repr() spells out every value."""
        offer_key = ""
        if offer is not None:
            offer_key = self._offers_key.get(offer.id, "")
            if not offer_key:
                offer_key = self._offers_key[offer.id] = digest(repr(self.offer_data(offer)))
        return digest(self._shared_key, template, offer_key, repr(extra))

    @property
    def out(self) -> Path:
        return self.build_root / self.channel.name

    def offers(self) -> list[Offer]:
        """The offers on this channel that are valid on the build date, by id."""
        valid = self.project.catalog.offers_valid_on(self.as_of)
        return sorted((o for o in valid if self.channel.name in o.channels), key=lambda o: o.id)

    def condition(self, condition_id: str) -> Condition:
        """A condition with its amounts written in, as this channel writes amounts."""
        found = self._conditions.get(condition_id)
        if found is None:
            found = self._conditions[condition_id] = self.formatter.condition(
                self.project.catalog.conditions[condition_id].in_locale(self.locale))
        return found

    @property
    def locale(self) -> str:
        """The language the channel speaks: its own, else the source's."""
        return self.channel.locale or self.project.catalog.settings.locale

    @functools.cached_property
    def settings(self) -> Settings:
        """The organisation's settings in the channel's language."""
        return self.project.catalog.settings.in_locale(self.locale)

    def conditions(self, offer: Offer) -> list[dict[str, str]]:
        """The offer's conditions in the wording this channel uses."""
        variant = self.channel.condition_variant
        found = [self.condition(c) for c in offer.conditions]
        return [{"id": c.id, "title": c.title, "text": c.wording(variant)} for c in found]

    @functools.cached_property
    def shared_data(self) -> dict[str, Any]:
        """What every template of this job sees, made into template data once per job."""
        return {"settings": as_data(self.settings),
                "channel": as_data(self.channel), "as_of": self.as_of}

    def offer_data(self, offer: Offer) -> dict[str, Any]:
        """What a template sees of one offer, made into template data once per job."""
        found = self._offers_data.get(offer.id)
        if found is None:
            offer = offer.in_locale(self.locale)
            found = self._offers_data[offer.id] = {
                "offer": as_data(offer),
                "conditions": as_data(self.conditions(offer)),
                "url": offer_url(self.project, offer, self.channel),
                "category_title": self.settings.category_title(offer.category),
            }
        return found

    def context(self, offer: Offer | None = None, **extra: Any) -> dict[str, Any]:
        """What a template sees: data made from the model here, never live objects."""
        return self._context(offer, {key: as_data(value) for key, value in extra.items()})

    def _context(self, offer: Offer | None, extra: dict[str, Any]) -> dict[str, Any]:
        context = {**self.shared_data, **extra}
        if offer is not None:
            context.update(self.offer_data(offer))
        return context

    def render(self, template: str, offer: Offer | None = None, *, given: int = 0,
               **extra: Any) -> str:
        """`template` rendered for `offer` with `extra` in its context; `given` counts the
        characters of rendered content in `extra` (see environment.render).

        An output an earlier build rendered from the same template and data comes
        from the cache, without rendering."""
        data = {key: as_data(value) for key, value in extra.items()}
        key = self._render_key(template, offer, data) if self.cache.folder else ""
        cached = self.cache.get(key) if key else None
        if cached is not None:
            text = cached.decode("utf-8", "surrogatepass")
        else:
            text = render(self.env, self.channel, template, self._context(offer, data),
                          self.project.root, offer.id if offer else None, given)
            if key:
                self.cache.put(key, text.encode("utf-8", "surrogatepass"))
        limit = self.channel.max_chars
        if limit and len(text) > limit:
            raise InputError([SourceError(
                self.channel.where("limits.max_chars"),
                f"'{template}' renders {len(text)} characters for offer "
                f"'{offer.id if offer else '-'}', more than this channel's limit of {limit}",
                "shorten the template or the offer's summary, or raise the limit",
            )])
        return text

    def journeys(self) -> list[tuple[Journey, list[JourneyStep]]]:
        """Each journey with the steps this channel serves: as preferred or supporting
        channel, or as the channel a step sends its message to."""
        name = self.channel.name
        result = []
        for journey_id in sorted(self.project.catalog.journeys):
            journey = self.project.catalog.journeys[journey_id].in_locale(self.locale)
            steps = [s for s in journey.steps if name in s.channels or s.sends == name]
            if steps:
                result.append((journey, steps))
        return result

    def has_template(self, name: str) -> bool:
        return (self.channel.folder / name).is_file()

    @property
    def journey_template(self) -> str | None:
        """The template of the journey steps this channel serves (its kind's), when the
        channel has all its kind's journey templates; else None: it renders no journeys."""
        spec = self.channel.spec
        serves = spec.journey_templates and all(map(self.has_template, spec.journey_templates))
        return spec.journey_template if serves else None

    def sources(self, offer: Offer | None) -> list[str]:
        if offer is None:
            return []
        catalog = self.project.catalog
        return [offer.path, *(catalog.conditions[c].path for c in offer.conditions)]

    def write(self, relpath: str, data: str | bytes, offer: Offer | None = None,
              store: str | None = None, journey: Journey | None = None,
              printed: str | None = None, template: Templates = None) -> Path:
        """Write one output file under this channel's folder and record it (`printed`: a
        store card's digest of what it shows; `template`: the template that wrote it, or
        the templates of its parts)."""
        path = self.out / relpath
        if path.parent not in self._folders:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(path.parent)
        if isinstance(data, str):
            data = data.encode("utf-8")
        try:
            write_output(path, data, self.previous / path.relative_to(self.build_root)
                         if self.previous else None, new=True)
        except FileExistsError:
            raise RuntimeError(f"two outputs at one path: {path}") from None
        self.record(path, offer, store, journey, hashlib.sha256(data).hexdigest(), template)
        self.outputs[-1].printed = printed
        return path

    def record(self, path: Path, offer: Offer | None = None, store: str | None = None,
               journey: Journey | None = None, sha256: str | None = None,
               template: Templates = None) -> None:
        """Record a file written under the build; its hash is read from it unless given."""
        self.outputs.append(OutputEntry(
            path=path.relative_to(self.build_root).as_posix(),
            channel=self.channel.name,
            offer=offer.id if offer else None,
            store=store,
            journey=journey.id if journey else None,
            sources=self.sources(offer) + ([journey.path] if journey else []),
            sha256=sha256 or hashlib.sha256(path.read_bytes()).hexdigest(),
            templates={"": template} if isinstance(template, str) else dict(template or {}),
        ))
