"""A project: the source (`content/`) and the channels (`channels/`), loaded and cross-checked."""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path

from onevoice.cache import RunCache
from onevoice.config.channels import Channel, load_channels
from onevoice.content.loader import load_content, resolved_root
from onevoice.content.model import TRANSLATIONS, Catalog, Journey, Located, Offer
from onevoice.content.parsed import kept
from onevoice.errors import ErrorLog
from onevoice.folders import file_entries
from onevoice.locations import Location

SOURCE_FOLDERS = ("channels", "content", "docs")
SOURCE_FILES = ("mkdocs.yml",)
SOURCE_TREE = SOURCE_FOLDERS + SOURCE_FILES
"""What a build is made from (the check's settings are not)."""
CHECK_SETTINGS = ("onevoice.yml", "waivers.yml")
"""The check's settings: a change to them changes every check, and no build."""


@dataclass
class Project:
    root: Path
    catalog: Catalog
    channels: dict[str, Channel]


def load_project(root: Path, cache: RunCache | None = None) -> Project:
    """Load and validate everything; raise InputError with all mistakes at once. With a
    run's `cache`, YAML texts an earlier run parsed come from it (content/parsed.py)."""
    resolved_root.cache_clear()  # the folder, or a link on its way, may have moved since
    root = root.resolve()
    log = ErrorLog()
    with kept(cache):
        catalog = load_content(root, log)
        channels = load_channels(root, log)
    check_references(catalog, channels, log)
    check_languages(catalog, channels, log)
    log.raise_if_any()
    return Project(root, catalog, channels)


def is_source_file(relpath: str) -> bool:
    """Whether a path (relative to the project) names a file of SOURCE_TREE: hidden files
    and folders (as MkDocs leaves them out of the site), editors' backups (`name~`) and
    auto-saves (`#name#`) are none."""
    parts = relpath.split("/")
    return (relpath in SOURCE_FILES or len(parts) > 1 and parts[0] in SOURCE_FOLDERS) and (
        ".." not in parts and not relpath.endswith("~")
        and not any(part.startswith((".", "#")) for part in parts))


def source_files(root: Path) -> list[str]:
    """Every file of the source (is_source_file) below `root`, relative to it, sorted."""
    files = []
    for name in SOURCE_TREE:
        path = root / name
        if path.is_file():
            files.append(name)
        elif path.is_dir():
            files.extend(Path(entry.path).relative_to(root).as_posix()
                         for entry in file_entries(path))
    return sorted(filter(is_source_file, files))


def _unknown(kind: str, name: str, known: Iterable[str], where: Location, log: ErrorLog) -> None:
    known = sorted(known)
    close = difflib.get_close_matches(name, known, n=1)
    hint = f"did you mean '{close[0]}'?" if close else (
        f"known {kind}s: {', '.join(known)}" if known else f"no {kind}s are defined yet"
    )
    log.add(where, f"unknown {kind} '{name}'", hint)


def check_references(catalog: Catalog, channels: dict[str, Channel], log: ErrorLog) -> None:
    """Every id that points elsewhere must point at something that exists. With no channel
    at all (the channels folder is missing, and said so once) no channel is named wrong."""
    for offer in catalog.offers.values():
        for field, targets, kind in (
            ("conditions", catalog.conditions, "condition"),
            ("channels", channels if channels else None, "channel"),
            ("stores", catalog.stores, "store"),
        ):
            if targets is None:
                continue
            for index, name in enumerate(getattr(offer, field)):
                if name not in targets:
                    _unknown(kind, name, targets, offer.where(f"{field}[{index}]"), log)
        on_store = [c for c in offer.channels if c in channels and channels[c].spec.prints]
        if on_store and not offer.stores:
            log.add(offer.where("channels"), f"offer is on the store channel '{on_store[0]}' "
                    "but names no stores", "add 'stores: [...]' with the stores that sell it")
    for journey in catalog.journeys.values():
        if journey.offer and journey.offer not in catalog.offers:
            _unknown("offer", journey.offer, catalog.offers, journey.where("offer"), log)
        for i, step in enumerate(journey.steps):
            named = [(step.preferred_channel, f"steps[{i}].preferred_channel")]
            named += [(c, f"steps[{i}].supporting_channels[{j}]")
                      for j, c in enumerate(step.supporting_channels)]
            if step.sends:
                named.append((step.sends, f"steps[{i}].sends"))
            for name, field in named:
                if name and channels and name not in channels:
                    _unknown("channel", name, channels, journey.where(field), log)


def _tag(locale: str) -> str:
    return locale.replace("_", "-")


def _lacking(item: Located, locale: str, needed: list[str], given: Collection[str],
             what: str, channel: Channel, log: ErrorLog, where: Location | None = None) -> None:
    """A mistake at `item` when its words in `locale` lack some of `needed`."""
    missing = [name for name in needed if name not in given]
    if not missing:
        return
    tag = _tag(locale)
    at = item.locs.get(f"{TRANSLATIONS}.{locale}") or where or item.where(TRANSLATIONS)
    log.add(at, f"{what}: shown in {tag} (channel '{channel.name}'), but without {tag} words "
            f"for {', '.join(missing)}",
            f"add them under 'translations:' → '{tag}:', in the same shape as the fields "
            "they translate")


def _offer_needs(offer: Offer) -> list[str]:
    """What of an offer a channel in another language shows: every text it has."""
    return ["title", *(["summary"] if offer.summary else []), *(["body"] if offer.body else []),
            *(["one_off_costs"] if offer.one_off_costs else []),
            *(["reduction"] if offer.reduction and offer.reduction.label else [])]


def check_languages(catalog: Catalog, channels: dict[str, Channel], log: ErrorLog) -> None:
    """A channel in another language than the source's shows every text in that language:
    each text that the channels of a language show (their offers, the offers' conditions,
    the journey steps they serve, the organisation's words, the cards of a bilingual store)
    has words in its locale, or the load says which ones lack them and where to write them,
    once per item and language."""
    written_in = catalog.settings.locale
    speaking: dict[str, list[Channel]] = {}
    for channel in sorted(channels.values(), key=lambda c: c.name):
        if (channel.locale or written_in) != written_in:
            speaking.setdefault(channel.locale, []).append(channel)
    for locale, group in speaking.items():
        names = {c.name for c in group}
        offers = [o for o in catalog.offers.values() if names & set(o.channels)]
        conditions: dict[str, tuple[Offer, Channel]] = {}
        for offer in offers:
            first = next(c for c in group if c.name in offer.channels)
            _lacking(offer, locale, _offer_needs(offer), offer.translations.get(locale, {}),
                     f"offer '{offer.id}'", first, log,
                     offer.where(f"channels[{offer.channels.index(first.name)}]"))
            for condition_id in offer.conditions:
                conditions.setdefault(condition_id, (offer, first))
        for condition_id, (offer, first) in conditions.items():
            condition = catalog.conditions.get(condition_id)
            if condition is not None:
                _lacking(condition, locale, ["title", "canonical", "short", "spoken"],
                         condition.translations.get(locale, {}),
                         f"condition '{condition_id}' (of offer '{offer.id}')", first, log)
        if offers:
            _settings_lacking(catalog, group[0], locale, offers, log)
        for journey in catalog.journeys.values():
            _journey_lacking(journey, locale, group, log)
        _store_words_lacking(catalog, locale, group, log)
    _store_languages(catalog, channels, log)


def _journey_lacking(journey: Journey, locale: str, group: list[Channel],
                     log: ErrorLog) -> None:
    """The words in `locale` of every step that a channel of that language serves."""
    names = {c.name for c in group}
    served = [s for s in journey.steps if names & set(s.channels) or s.sends in names]
    if not served:
        return
    words = journey.translations.get(locale, {})
    steps = words.get("steps", {})
    lacking = [s for s in served if not {"title", "message"} <= set(steps.get(s.id, {}))]
    first = next(c for c in group if any(c.name in s.channels or s.sends == c.name
                                         for s in lacking or served))
    given = {"title"} & set(words) | {f"steps.{s.id}.{key}" for s in served
                                      for key in steps.get(s.id, {})}
    _lacking(journey, locale, ["title", *(f"steps.{s.id}.{key}" for s in served
                                          for key in ("title", "message"))],
             given, f"journey '{journey.id}'", first, log)


def _store_words_lacking(catalog: Catalog, locale: str, group: list[Channel],
                         log: ErrorLog) -> None:
    """A bilingual store's line on the cards of its other language: its name, address and
    city in that language (a store in that language alone writes them in it)."""
    printing = next((c for c in group if c.spec.prints), None)
    if printing is None:
        return
    for store in catalog.stores.values():
        if locale in store.languages and len(store.languages) > 1:
            _lacking(store, locale, ["name", "address", "city"],
                     store.translations.get(locale, {}), f"store '{store.id}'", printing, log,
                     store.where(f"languages[{store.languages.index(locale)}]"))


def _settings_lacking(catalog: Catalog, channel: Channel, locale: str, offers: list[Offer],
                      log: ErrorLog) -> None:
    settings = catalog.settings
    words = settings.translations.get(locale, {})
    needed = []
    if any(o.one_off_costs or o.price.unit == "one-off" for o in offers):
        needed.append("one_off_label")
    categories = sorted({o.category for o in offers if o.category in settings.categories})
    needed += [f"categories.{c}" for c in categories]
    if settings.contact.opening_hours:
        needed.append("contact.opening_hours")
    given = {name for name in words if isinstance(words[name], str)} | {
        f"{group}.{key}" for group in ("categories", "contact") for key in words.get(group, {})}
    _lacking(settings, locale, needed, given, "the organisation's settings", channel, log)


def _store_languages(catalog: Catalog, channels: dict[str, Channel], log: ErrorLog) -> None:
    """Each language a store's cards are in is printed by a store channel."""
    printed = {c.locale or catalog.settings.locale for c in channels.values()
               if c.spec.prints}
    if not printed:
        return
    for store in catalog.stores.values():
        for index, locale in enumerate(store.languages):
            if locale not in printed:
                log.add(store.where(f"languages[{index}]"), f"no store channel prints cards "
                        f"in {_tag(locale)}, a language of {store.name}",
                        "add a store channel with 'locale: " + _tag(locale) + "', or remove "
                        "the language", )
