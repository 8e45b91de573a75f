"""Load `content/` into a Catalog: every file read, every mistake collected.

Each loader reads one kind of file with `Fields`, so every value keeps the
`path:line` it came from. Nothing is written; the caller raises all mistakes
at once through the ErrorLog.
"""

from __future__ import annotations

import difflib
import functools
import os
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from onevoice.common import is_url
from onevoice.errors import ErrorLog
from onevoice.locations import Location

from .model import (
    PHASES,
    PLACEHOLDER,
    REDUCTION_EXCEPTIONS,
    RELATIONS,
    SENSITIVITIES,
    SHEETS,
    TRANSLATIONS,
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
    StatedAmount,
    Store,
    Term,
    Validity,
)
from .parsed import parse_yaml
from .schema import SLUG_HINT, Fields, babel_locale, is_slug
from .yaml_source import split_front_matter

T = TypeVar("T")
# The name of an amount a condition states, as its placeholder gives it: `{opzegvergoeding}`.
AMOUNT_NAME = re.compile(r"[a-z][a-z0-9_-]*")
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


def link_in_project(path: Path, root: Path, project: Path, log: ErrorLog) -> Path | None:
    """Where `path` (a link, or a folder named like a file) leads, when that is inside
    `project`; else the mistake is logged at the link itself and None is given."""
    # Not Location.of: that resolves the link, and the link itself is what to fix.
    where = Location(path.relative_to(root).as_posix())
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):
        log.add(where, "a link that points nowhere (or at itself)",
                "remove the link or point it at a file in the project")
        return None
    if not target.is_relative_to(project):
        log.add(where, "a link to a file outside the project",
                "copy the file into the project instead of linking to it")
        return None
    return target


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
            target = link_in_project(path, root, project, log)
            if target is None:
                continue
            where = Location(path.relative_to(root).as_posix())
            if target.is_dir():
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


ENCODED_WORD = re.compile(r"=\?[^?\s]*\?[bBqQ]\?")
"""The start of an RFC 2047 encoded word, `=?charset?Q?` or `=?charset?B?`."""


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
    if ENCODED_WORD.search(settings.name):
        # A mail client decodes `=?utf-8?q?…?=` in From: even inside quotes: another sender.
        f.error("name", f"'name' contains a MIME encoded word: '{settings.name}'",
                "write the name as plain text; onevoice encodes it for the headers itself")
    settings.locale = f.text("locale", False, "nl-NL") or "nl-NL"
    settings.currency = f.text("currency", False, "EUR") or "EUR"
    settings.base_url = f.web_address("base_url")
    settings.one_off_label = f.text("one_off_label", False, "eenmalig") or "eenmalig"
    settings.allow_html = f.boolean("allow_html", False)
    settings.trust_mkdocs_yml = f.boolean("trust_mkdocs_yml", False)
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
    _check_locale(settings, f, log)
    settings.translations = read_translations(f, settings.locale, _settings_words)
    f.finish()
    return settings


def _settings_words(words: Fields) -> dict[str, Any]:
    found: dict[str, Any] = {}
    if label := words.text("one_off_label", False):
        found["one_off_label"] = label
    categories = words.mapping("categories")
    if categories:
        found["categories"] = {key: text for key in list(categories.data)
                               if (text := categories.text(key))}
    contact = words.mapping("contact")
    if contact:
        found["contact"] = {key: text for key in ("opening_hours", "address")
                            if (text := contact.text(key, False))}
        contact.finish()
    return found


def read_translations(f: Fields, written_in: str, read: Callable[[Fields], dict[str, Any]]
                      ) -> dict[str, dict[str, Any]]:
    """`translations:` of a source item: by locale (`fr_BE`), what `read` makes of the
    words given for it, each located under `translations.fr_BE.<name>`."""
    found: dict[str, dict[str, Any]] = {}
    translations = f.mapping(TRANSLATIONS)
    if translations is None:
        return found
    for key in list(translations.data):
        locale = _locale_key(translations, key)
        if locale is None:
            continue
        if locale == written_in:
            translations.error(key, f"'{key}' is the language the source is written in",
                               "write these words in the fields themselves, or remove them")
            continue
        name = f"{f.name(TRANSLATIONS)}.{locale}"
        f.locs[name] = translations.loc(key)
        words = Fields(translations.data[key], f.path, f.log, f.locs, name,
                       translations.loc(key).line)
        found[locale] = read(words)
        words.finish()
    return found


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
    from babel.numbers import is_currency

    locale = babel_locale(settings.locale)
    if locale is None:
        log.add(f.loc("locale"), f"unknown locale '{settings.locale}'", "use e.g. nl-NL or nl-BE")
    settings.locale = locale or "nl_NL"
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
    offer.translations = read_translations(f, settings.locale, functools.partial(
        _offer_words, offer))
    _load_product_fields(offer, f, root)
    f.finish()
    return offer if offer_id else None


def _offer_words(offer: Offer, words: Fields) -> dict[str, Any]:
    """An offer's words in another language: its texts, its one-off costs' labels (in their
    order) and its reduction's label; its amounts are the same in every language."""
    found: dict[str, Any] = {name: value for name in ("title", "summary", "body")
                             if (value := words.text(name, False, None, name != "title"))}
    labels = [label for label, _ in words.text_list("one_off_costs")]
    if labels and len(labels) != len(offer.one_off_costs):
        words.error("one_off_costs", f"{len(labels)} labels for {len(offer.one_off_costs)} "
                    "one-off costs", "give the label of each one-off cost, in their order")
    elif labels:
        found["one_off_costs"] = tuple(labels)
    if reduction := words.text("reduction", False):
        found["reduction"] = reduction
    return found


# What Merchant Center reads as an image (support.google.com/merchants/answer/6324350).
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".webp", ".png", ".gif", ".bmp", ".tif", ".tiff")
GTIN_LENGTHS = (8, 12, 13, 14)


def gtin_valid(value: str) -> bool:
    """GS1's mod-10 check digit: weights 3 and 1 from the right, the last digit the check."""
    if not value.isascii() or not value.isdigit() or len(value) not in GTIN_LENGTHS:
        return False
    digits = [int(d) for d in reversed(value[:-1])]
    total = sum(d * (3 if i % 2 == 0 else 1) for i, d in enumerate(digits))
    return (10 - total % 10) % 10 == int(value[-1])


def _load_product_fields(offer: Offer, f: Fields, root: Path) -> None:
    """The fields shopping sites and search engines read: image, brand and identifiers."""
    offer.image = f.text("image", False, "") or ""
    if offer.image:
        _check_image(offer.image, f, root)
    offer.brand = f.text("brand", False, "") or ""
    offer.mpn = f.text("mpn", False, "") or ""
    gtin = f.raw("gtin")
    if gtin is not None:
        text = str(gtin).strip()
        if isinstance(gtin, (int, str)) and not isinstance(gtin, bool) and gtin_valid(text):
            offer.gtin = text
        else:
            f.error("gtin", f"'gtin' is not a valid GTIN: '{text}'",
                    "write the 8, 12, 13 or 14 digits of the barcode (EAN/UPC) in quotes; "
                    "the last digit is GS1's check digit")
    if "identifier_exists" in f.data:
        offer.identifier_exists = f.boolean("identifier_exists", True)
    offer.product_category = f.integer("google_product_category", required=False, minimum=1)


def _check_image(value: str, f: Fields, root: Path) -> None:
    """An https URL, or a file under docs/ that exists, in a format shopping sites read."""
    from urllib.parse import urlsplit

    suffix = Path(urlsplit(value).path).suffix.lower()
    if is_url(value):
        parts = urlsplit(value)
        if parts.scheme != "https" or not parts.hostname or " " in value \
                or not value.isascii():
            f.error("image", f"'image' is not a well-formed https address: '{value}'",
                    "write https://host/path/picture.png, or a path under docs/")
            return
    else:
        docs = (root / "docs").resolve()
        path = (docs / value).resolve()
        if not path.is_relative_to(docs) or not path.is_file():
            f.error("image", f"'image' names no file under docs/: '{value}'",
                    "put the picture in docs/ (e.g. docs/images/aanbod/x.png) and give its "
                    "path from there, or an https address")
            return
    if suffix not in IMAGE_SUFFIXES:
        f.error("image", f"'image' is a {suffix or 'file without extension'}, which shopping "
                "sites do not show", f"use one of: {', '.join(IMAGE_SUFFIXES)}")


def _locale_key(fields: Fields, key: str, field: str | None = None) -> str | None:
    """A locale written as a key (`fr-BE`) or in the list `field`, as Babel names it
    (`fr_BE`); None if unknown."""
    if field is None:
        fields.seen.add(key)
    locale = babel_locale(key)
    if locale is None:
        fields.error(field or key, f"unknown locale '{key}'",
                     "write a language and region such as fr-BE")
    return locale


def _store_words(words: Fields) -> dict[str, str]:
    return {key: text for key in ("name", "address", "city", "opening_hours")
            if (text := words.text(key, False))}


def load_condition(path: Path, root: Path, settings: Settings, log: ErrorLog
                   ) -> Condition | None:
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
    amounts = f.mapping("amounts")
    if amounts:
        condition.amounts = _stated_amounts(amounts, settings)
    condition.translations = read_translations(f, settings.locale, _condition_words)
    f.finish()
    condition.canonical = " ".join(source.body.split())
    condition.locs["canonical"] = Location(source.shown, source.body_line)
    if not condition.canonical and source.data is not None:
        log.add(Location(source.shown, source.body_line), "the canonical wording is empty",
                "write the full wording of the condition below the front matter")
    texts = [("title", condition.title, f.loc("title").line, False),
             ("short", condition.short, f.loc("short").line, True),
             ("spoken", condition.spoken, f.loc("spoken").line, True),
             ("canonical", source.body, source.body_line, True)]
    _check_placeholders(condition, texts, amounts, settings.locale, settings.currency, log)
    for locale, words in condition.translations.items():
        at = condition.where(f"{TRANSLATIONS}.{locale}")
        _check_placeholders(condition, [
            (f"{name} in {locale.replace('_', '-')}", text, condition.locs.get(
                f"{TRANSLATIONS}.{locale}.{name}", at).line, name != "title")
            for name, text in words.items()], amounts, locale, settings.currency, log,
            unused=False)
    return condition if condition_id else None


def _condition_words(words: Fields) -> dict[str, str]:
    """A condition's wordings in another language, with the same placeholders."""
    return {name: " ".join(value.split()) if name == "canonical" else value
            for name in ("title", "canonical", "short", "spoken")
            if (value := words.text(name, False, None, name != "title"))}


def _stated_amounts(amounts: Fields, settings: Settings) -> dict[str, StatedAmount]:
    """`amounts:` of a condition: `name: 125`, or `name: {amount: 5, unit: month}`."""
    stated = {}
    for name in list(amounts.data):
        if not AMOUNT_NAME.fullmatch(str(name)):
            amounts.seen.add(name)
            amounts.error(name, f"'{name}' is not a name for an amount",
                          "use lowercase letters, digits and '_' or '-', starting with a "
                          "letter, e.g. 'opzegvergoeding'")
            continue
        if isinstance(amounts.data[name], dict):
            typed = amounts.mapping(name)
            assert typed is not None
            amount = typed.amount("amount")
            currency = typed.text("currency", False, settings.currency) or settings.currency
            unit = typed.choice("unit", UNITS, default="one-off") or "one-off"
            typed.finish()
        else:
            amount, currency, unit = amounts.amount(name), settings.currency, "one-off"
        if amount is not None:
            stated[name] = StatedAmount(amount, currency, unit)
    return stated


def _check_placeholders(condition: Condition, texts: list[tuple[str, str, int, bool]],
                        amounts: Fields | None, locale: str, currency: str, log: ErrorLog,
                        unused: bool = True) -> None:
    """Every amount in a condition's texts (in `locale`) is a placeholder of one of its
    amounts, and every amount is used (`unused`: looked for): an amount typed into the text
    is formatted by hand and known to no check. A title takes no placeholders."""
    from onevoice.extract.prices import find_price_mentions

    used: set[str] = set()
    for variant, text, line, placeholders in texts:
        for match in PLACEHOLDER.finditer(text):
            where = Location(condition.path, line + text.count("\n", 0, match.start()))
            name = match.group(1)
            if not placeholders:
                log.add(where, f"the {variant} has a placeholder '{match.group()}'",
                        "write the amount in the condition's wording, not in its title")
            elif name in condition.amounts or (amounts and name in amounts.data):
                used.add(name)
            else:
                known = sorted(condition.amounts)
                close = difflib.get_close_matches(name, known, n=1)
                log.add(where, f"unknown amount '{match.group()}' in the {variant} wording",
                        f"did you mean '{{{close[0]}}}'?" if close else
                        f"add it under 'amounts:', e.g. 'amounts: {{{name or 'naam'}: 125}}'")
        # Placeholders blanked, not removed: the positions stay those of the file.
        blank = PLACEHOLDER.sub(lambda m: " " * len(m.group()), text)
        for mention in find_price_mentions(blank, locale, currency):
            where = Location(condition.path, line + text.count("\n", 0, mention.start))
            log.add(where, f"the {variant} {'' if variant == 'title' else 'wording '}states "
                    f"the amount '{mention.raw}' as text",
                    "type it under 'amounts:' (e.g. 'amounts: {opzegvergoeding: 125}') and "
                    "write '{opzegvergoeding}' where the text gives it, so that every channel "
                    "formats it and the check knows it")
    for name in sorted(set(condition.amounts) - used if unused else ()):
        log.add(condition.where(f"amounts.{name}"),
                f"the amount '{name}' is used in none of the condition's wordings",
                f"write '{{{name}}}' where a wording gives it, or remove it")


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


def load_journey(path: Path, root: Path, settings: Settings, log: ErrorLog) -> Journey | None:
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
    journey.translations = read_translations(f, settings.locale, functools.partial(
        _journey_words, {step.id for step in journey.steps}))
    f.finish()
    return journey if journey_id else None


def _journey_words(step_ids: set[str], words: Fields) -> dict[str, Any]:
    """A journey's words in another language: its title and, by step id, each step's."""
    found: dict[str, Any] = {}
    if title := words.text("title", False):
        found["title"] = title
    steps = words.mapping("steps")
    if steps:
        found["steps"] = {}
        for step_id in list(steps.data):
            step = steps.mapping(step_id)
            if step_id not in step_ids:
                close = difflib.get_close_matches(str(step_id), sorted(step_ids), n=1)
                steps.error(step_id, f"no step '{step_id}' in this journey",
                            f"did you mean '{close[0]}'?" if close else
                            f"its steps: {', '.join(sorted(step_ids))}")
            elif step is not None:
                found["steps"][step_id] = {key: text for key in ("title", "message")
                                           if (text := step.text(key, False, None,
                                                                 key == "message"))}
            if step is not None:
                step.finish()
    return found


def load_stores(root: Path, log: ErrorLog, written_in: str = "") -> dict[str, Store]:
    """The stores of `content/stores.yml`, their words in languages other than `written_in`
    (the source's locale) under `translations`."""
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
        store.languages = [locale for key, _ in entry.text_list("languages")
                           if (locale := _locale_key(entry, key, "languages"))]
        store.translations = read_translations(entry, written_in, _store_words)
        inside = f"{entry.prefix}."  # the store's own fields, as the store names them
        store.locs.update({key.removeprefix(inside): loc for key, loc in entry.locs.items()
                           if key.startswith(inside)})
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
                             lambda p: load_condition(p, root, settings, log), "condition",
                             log, root),
        terms=load_terms(root, log),
        journeys=_load_all(content / "journeys", ".yml",
                           lambda p: load_journey(p, root, settings, log), "journey", log,
                           root),
        stores=load_stores(root, log, settings.locale),
    )
