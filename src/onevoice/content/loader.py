"""Load `content/` into a Catalog: every file read, every mistake collected.

Each loader reads one kind of file with `Fields`, so every value keeps the
`path:line` it came from. Nothing is written; the caller raises all mistakes
at once through the ErrorLog.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from onevoice.errors import ErrorLog
from onevoice.locations import Location

from .model import (
    PHASES,
    REDUCTION_EXCEPTIONS,
    RELATIONS,
    SENSITIVITIES,
    SHEETS,
    UNITS,
    Catalog,
    Condition,
    Contact,
    Cost,
    Journey,
    JourneyStep,
    Offer,
    Price,
    PricePoint,
    Reduction,
    Settings,
    Store,
    Term,
    Validity,
)
from .schema import SLUG_HINT, Fields, is_slug
from .yaml_source import parse_yaml, split_front_matter

T = TypeVar("T")
# A source file is written by hand; anything larger is a mistake or an attack.
MAX_SOURCE_BYTES = 5_000_000


@functools.lru_cache(maxsize=16)
def resolved_root(root: Path) -> Path:
    """`root` resolved, once for all the files of a load: load_project forgets it before
    each load, so a project folder that is a link may point elsewhere the next time."""
    return root.resolve()


class SourceFile:
    """One file of the source: its shown path, its text, and its parsed YAML."""

    def __init__(self, path: Path, root: Path, log: ErrorLog, front_matter: bool):
        # Location.of(path, root=root), resolving the path once and the root once a load
        # (resolving is most of the cost of a small file).
        resolved, top = path.resolve(), resolved_root(root)
        inside = resolved.is_relative_to(top)
        self.shown = (resolved.relative_to(top) if inside else path.relative_to(root)
                      if path.is_relative_to(root) else path).as_posix()
        self.log = log
        self.body = ""
        self.body_line = 1
        self.data: Any = None
        self.failed = True
        if not inside:
            log.add(Location(self.shown), "a link to a file outside the project",
                    "copy the file into the project instead of linking to it")
            return
        try:
            if path.stat().st_size > MAX_SOURCE_BYTES:
                log.add(Location(self.shown), f"larger than {MAX_SOURCE_BYTES // 1_000_000} MB",
                        "split the file; a source file is text an editor writes")
                return
            text = path.read_text(encoding="utf-8-sig")  # a BOM (Windows editors) is no text
        except UnicodeDecodeError as exc:
            log.add(Location(self.shown, 1), f"not UTF-8 text ({exc.reason})", "save as UTF-8")
            return
        except OSError as exc:
            log.add(Location(self.shown), f"cannot be read ({exc.strerror})",
                    "check that it is a readable file")
            return
        yaml_text: str | None = text
        offset = 0
        if front_matter:
            yaml_text, self.body, self.body_line = split_front_matter(text)
            offset = 1
            if yaml_text is None:
                log.add(
                    Location(self.shown, 1),
                    "no front matter",
                    "start the file with a line '---', the fields, and another line '---'",
                )
                return
        self.data, errors = parse_yaml(yaml_text or "", self.shown, offset)
        log.extend(errors)
        self.failed = bool(errors) and self.data is None

    def fields(self, locs: dict[str, Location]) -> Fields:
        return Fields(self.data, self.shown, self.log, locs)


def _files(folder: Path, suffix: str, root: Path, log: ErrorLog) -> list[Path]:
    """The files ending in `suffix` under `folder`. Folders named like files, dangling
    links, link loops and links that leave the project are reported, not followed."""
    found: list[Path] = []
    if not folder.is_dir():
        return found
    project = resolved_root(root)
    for parent, dirs, files in os.walk(folder):
        plain = set(files)
        for name in sorted(dirs + files):
            path = Path(parent) / name
            link = path.is_symlink()
            if not name.endswith(suffix) and not link:
                continue
            if not link and name in plain:  # SourceFile tells where it lies when it reads it
                found.append(path)
                continue
            # Not Location.of: that resolves the link, and the link itself is what to fix.
            where = Location(path.relative_to(root).as_posix())
            try:
                target = path.resolve(strict=True)
            except (OSError, RuntimeError):
                log.add(where, "a link that points nowhere (or at itself)",
                        "remove the link or point it at a file in the project")
                continue
            if not target.is_relative_to(project):
                log.add(where, "a link to a file outside the project",
                        "copy the file into the project instead of linking to it")
            elif target.is_dir():
                if name.endswith(suffix) or path.is_symlink():
                    log.add(where, "a folder where a file was expected" if not
                            path.is_symlink() else "a link to a folder, which is not followed",
                            f"move the {suffix} files into {Location.of(folder, root=root)} "
                            "itself or a real subfolder")
            elif name.endswith(suffix):
                found.append(path)
    return sorted(found)


def _by_id(items: Iterable[tuple[str, Location, T]], kind: str, log: ErrorLog) -> dict[str, T]:
    result: dict[str, T] = {}
    first: dict[str, Location] = {}
    for item_id, loc, item in items:
        if item_id in result:
            log.add(loc, f"duplicate {kind} id '{item_id}', also defined at {first[item_id]}",
                    "give each one a unique file name")
            continue
        result[item_id] = item
        first[item_id] = loc
    return result


def _file_id(path: Path, source: SourceFile) -> str | None:
    if not is_slug(path.stem):
        source.log.add(Location(source.shown, 1), f"file name '{path.name}' is not a safe id",
                       f"rename the file; {SLUG_HINT}")
        return None
    return path.stem


def load_settings(root: Path, log: ErrorLog) -> Settings:
    path = root / "content" / "settings.yml"
    settings = Settings(path=Location.of(path, root=root).path)
    if not path.is_file():
        log.add(Location(settings.path), "missing settings file",
                "create content/settings.yml with the organisation's name, locale and currency")
        return settings
    source = SourceFile(path, root, log, front_matter=False)
    f = source.fields(settings.locs)
    settings.name = f.text("name") or ""
    settings.locale = (f.text("locale", False, "nl-NL") or "nl-NL").replace("-", "_")
    settings.currency = f.text("currency", False, "EUR") or "EUR"
    settings.base_url = f.web_address("base_url")
    settings.one_off_label = f.text("one_off_label", False, "eenmalig") or "eenmalig"
    settings.allow_html = f.boolean("allow_html", False)
    categories = f.mapping("categories")
    if categories:
        for key in list(categories.data):
            settings.categories[key] = categories.text(key) or key
    contact = f.mapping("contact", required=True)
    if contact:
        settings.contact = Contact(
            phone=contact.text("phone") or "",
            email=contact.text("email") or "",
            opening_hours=contact.text("opening_hours") or "",
            address=contact.text("address", False, "") or "",
        )
        contact.finish()
        _check_email(settings.contact.email, contact)
    f.finish()
    _check_locale(settings, f, log)
    return settings


def _check_email(address: str, contact: Fields) -> None:
    """The sender address goes into every email's From: header: a plain addr-spec only."""
    from email.errors import HeaderParseError
    from email.headerregistry import Address

    try:
        parsed = Address(addr_spec=address)
    except (HeaderParseError, ValueError, IndexError):
        parsed = None
    if address and (parsed is None or parsed.addr_spec != address or not parsed.domain):
        contact.error("email", f"'contact.email' is not an email address: '{address}'",
                      "write a plain address such as service@example.nl, without a name")


def _check_locale(settings: Settings, f: Fields, log: ErrorLog) -> None:
    from babel import Locale, UnknownLocaleError
    from babel.numbers import is_currency

    try:
        Locale.parse(settings.locale)
    except (UnknownLocaleError, ValueError):
        log.add(f.loc("locale"), f"unknown locale '{settings.locale}'", "use e.g. nl-NL or nl-BE")
        settings.locale = "nl_NL"
    # CLDR's list of ISO 4217 codes; a currency's name would load a whole locale's data.
    if len(settings.currency) != 3 or not is_currency(settings.currency):
        log.add(f.loc("currency"), f"unknown currency '{settings.currency}'",
                "use an ISO 4217 code such as EUR")


def load_offer(path: Path, root: Path, settings: Settings, log: ErrorLog) -> Offer | None:
    source = SourceFile(path, root, log, front_matter=True)
    offer = Offer(path=source.shown, body=source.body.strip(), body_line=source.body_line)
    offer.locs["."] = Location(source.shown, 1)
    offer_id = _file_id(path, source)
    if source.failed:
        return None
    f = source.fields(offer.locs)
    offer.id = offer_id or path.stem
    offer.title = f.text("title") or ""
    offer.category = f.slug("category") or ""
    offer.summary = f.text("summary", False, "", multiline=True) or ""
    price = f.mapping("price", required=True)
    if price:
        offer.price = Price(
            amount=price.amount("amount") or offer.price.amount,
            currency=price.text("currency", False, settings.currency) or settings.currency,
            unit=price.choice("unit", UNITS) or "one-off",
            vat_included=price.boolean("vat_included", True),
        )
        if not offer.price.vat_included:
            price.error("vat_included", "prices for consumers must include VAT",
                        "enter the price including VAT and set 'vat_included: true'")
        price.finish()
    for cost in f.items("one_off_costs"):
        offer.one_off_costs.append(
            Cost(cost.text("label") or "", cost.amount("amount") or offer.price.amount)
        )
        cost.finish()
    offer.contract_months = f.integer("contract_months", required=False, minimum=1)
    for point in f.items("price_history"):
        since, amount = point.date("since"), point.amount("amount")
        if since and amount is not None:
            offer.price_history.append(PricePoint(since, amount))
        point.finish()
    reduction = f.mapping("reduction")
    if reduction:
        since = reduction.date("since")
        exception = reduction.choice("exception", REDUCTION_EXCEPTIONS, default="")
        if since:
            offer.reduction = Reduction(since, reduction.text("label", False, "") or "",
                                        exception or None)
        reduction.finish()
        if since and not offer.price_history and not exception:
            reduction.error(None, "a reduction needs the earlier prices",
                            "add 'price_history' with the prices before the reduction")
    segments = f.mapping("segment_prices")
    if segments:
        for relation in list(segments.data):
            if relation not in RELATIONS:
                segments.error(relation, f"unknown customer relation '{relation}'",
                               f"use one of: {', '.join(RELATIONS)}")
                segments.seen.add(relation)
                continue
            amount = segments.amount(relation)
            if amount is not None:
                offer.segment_prices[relation] = amount
    valid = f.mapping("valid")
    if valid:
        offer.validity = Validity(valid.date("from", False), valid.date("until", False))
        valid.finish()
        start, end = offer.validity.start, offer.validity.end
        if start and end and end < start:
            valid.error("until", f"validity ends ({end}) before it starts ({start})",
                        "swap the dates or correct 'until'")
    offer.topic = f.text("topic", False, "") or ""
    offer.sensitivity = f.choice("sensitivity", SENSITIVITIES, default="none") or "none"
    offer.relation = f.choice("relation", RELATIONS, default="none") or "none"
    offer.conditions = [c for c, _ in f.slug_list("conditions")]
    offer.channels = [c for c, _ in f.slug_list("channels", required=True)]
    offer.stores = [s for s, _ in f.slug_list("stores")]
    translations = f.mapping("translations")
    if translations:
        for key in list(translations.data):
            locale = _locale_key(translations, key)
            words = translations.mapping(key)
            if locale and words:
                offer.translations[locale] = {
                    name: value for name in ("title", "summary", "body")
                    if (value := words.text(name, name == "title", None, name != "title"))
                }
                words.finish()
    f.finish()
    return offer if offer_id else None


def _locale_key(fields: Fields, key: str) -> str | None:
    """A locale written as a key (`fr-BE`), as Babel names it (`fr_BE`); None if unknown."""
    from babel import Locale, UnknownLocaleError

    fields.seen.add(key)
    try:
        return str(Locale.parse(key.replace("-", "_")))
    except (ValueError, UnknownLocaleError):
        fields.error(key, f"unknown locale '{key}'", "write a language and region such as fr-BE")
        return None


def load_condition(path: Path, root: Path, log: ErrorLog) -> Condition | None:
    source = SourceFile(path, root, log, front_matter=True)
    condition = Condition(path=source.shown)
    condition.locs["."] = Location(source.shown, 1)
    condition_id = _file_id(path, source)
    if source.failed:
        return None
    f = source.fields(condition.locs)
    condition.id = condition_id or path.stem
    condition.title = f.text("title") or ""
    condition.short = f.text("short", multiline=True) or ""
    condition.spoken = f.text("spoken", multiline=True) or ""
    f.finish()
    condition.canonical = " ".join(source.body.split())
    condition.locs["canonical"] = Location(source.shown, source.body_line)
    if not condition.canonical and source.data is not None:
        log.add(Location(source.shown, source.body_line), "the canonical wording is empty",
                "write the full wording of the condition below the front matter")
    return condition if condition_id else None


def load_terms(root: Path, log: ErrorLog) -> list[Term]:
    path = root / "content" / "terminology.yml"
    if not path.is_file():
        return []
    source = SourceFile(path, root, log, front_matter=False)
    f = source.fields({})
    terms = []
    for entry in f.items("terms"):
        terms.append(Term(
            preferred=entry.text("preferred") or "",
            forbidden=[t for t, _ in entry.text_list("forbidden")],
            not_preferred=[t for t, _ in entry.text_list("not_preferred")],
            audience=entry.text("audience", False),
            location=entry.loc(),
        ))
        entry.finish()
    f.finish()
    return terms


def load_journey(path: Path, root: Path, log: ErrorLog) -> Journey | None:
    source = SourceFile(path, root, log, front_matter=False)
    journey = Journey(path=source.shown)
    journey_id = _file_id(path, source)
    if source.failed:
        return None
    f = source.fields(journey.locs)
    journey.id = journey_id or path.stem
    journey.title = f.text("title") or ""
    journey.relation = f.choice("relation", RELATIONS, default="none") or "none"
    journey.offer = f.slug("offer", required=False)
    for index, step in enumerate(f.items("steps", required=True)):
        journey.steps.append(JourneyStep(
            id=step.slug("id") or "",
            title=step.text("title") or "",
            phase=step.choice("phase", PHASES) or "orient",
            preferred_channel=step.slug("preferred_channel") or "",
            supporting_channels=[c for c, _ in step.slug_list("supporting_channels")],
            message=step.text("message", multiline=True) or "",
            moment_of_truth=step.boolean("moment_of_truth", False),
            asks=[a for a, _ in step.text_list("asks")],
            sends=step.slug("sends", required=False),
            location=step.loc(),
            sensitivity=step.choice("sensitivity", SENSITIVITIES, default="none") or "none",
            index=index,
        ))
        step.finish()
    f.finish()
    return journey if journey_id else None


def load_stores(root: Path, log: ErrorLog) -> dict[str, Store]:
    path = root / "content" / "stores.yml"
    if not path.is_file():
        return {}
    source = SourceFile(path, root, log, front_matter=False)
    f = source.fields({})
    found = []
    for entry in f.items("stores"):
        store = Store(path=source.shown)
        store.id = entry.slug("id") or ""
        store.name = entry.text("name") or ""
        store.address = entry.text("address") or ""
        store.city = entry.text("city") or ""
        store.opening_hours = entry.text("opening_hours") or ""
        store.sheet = entry.choice("sheet", SHEETS, default="A4") or "A4"
        store.locs["."] = entry.loc()
        entry.finish()
        if store.id:
            found.append((store.id, entry.loc(), store))
    f.finish()
    return _by_id(found, "store", log)


def _load_all(
    folder: Path, suffix: str, load: Callable[[Path], Any], kind: str, log: ErrorLog,
    root: Path,
) -> dict[str, Any]:
    loaded = [load(path) for path in _files(folder, suffix, root, log)]
    return _by_id(((x.id, x.where(), x) for x in loaded if x is not None), kind, log)


def load_content(root: Path, log: ErrorLog) -> Catalog:
    """Read every file under `root/content`; mistakes go to `log`."""
    content = root / "content"
    settings = load_settings(root, log)
    return Catalog(
        root=root,
        settings=settings,
        offers=_load_all(content / "offers", ".md",
                         lambda p: load_offer(p, root, settings, log), "offer", log, root),
        conditions=_load_all(content / "conditions", ".md",
                             lambda p: load_condition(p, root, log), "condition", log, root),
        terms=load_terms(root, log),
        journeys=_load_all(content / "journeys", ".yml",
                           lambda p: load_journey(p, root, log), "journey", log, root),
        stores=load_stores(root, log),
    )
