"""The source model: what the editors write, as plain data with locations."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from onevoice.locations import Location

RELATIONS = ("none", "occasional", "long-term", "obligatory")
UNITS = ("one-off", "month", "year")
SENSITIVITIES = ("none", "financial", "medical", "personal-data")
VARIANTS = ("canonical", "short", "spoken")
# Print sheets for the A6 cards: four to an A4 sheet, two to an A5 sheet.
SHEETS = ("A4", "A5")
PHASES = ("orient", "order", "confirm", "install", "use", "evaluate")
REDUCTION_EXCEPTIONS = ("perishable", "new-product", "progressive")

# The earlier price of a reduction is the lowest price of the 30 days before it
# (EU Omnibus directive; Besluit prijsaanduiding producten, art. 5a).
REDUCTION_LOOKBACK_DAYS = 30


@dataclass
class Located:
    """Locations of an item's fields, by dotted name (`price.amount`, `conditions[0]`)."""

    path: str
    locs: dict[str, Location] = field(default_factory=dict, repr=False, compare=False)

    def where(self, name: str = ".") -> Location:
        """The location of a field, or of its nearest enclosing field, or the file."""
        while name:
            if name in self.locs:
                return self.locs[name]
            name = name.rpartition(".")[0] if "." in name else ""
        return self.locs.get(".", Location(self.path, 1))

    def _relocated(self, locale: str, names: list[str]) -> dict[str, Location]:
        """The locations of a copy in `locale`: each of `names` where its translation is
        written (`translations.fr_BE.title`), so a finding points at the words shown."""
        locs = dict(self.locs)
        for name in names:
            translated = f"{TRANSLATIONS}.{locale}.{name}"
            if translated in self.locs:
                locs[name] = self.locs[translated]
        return locs


# Where a source item gives its texts in other languages, by locale: `translations: fr-BE:`.
TRANSLATIONS = "translations"


def language_of(locale: str) -> str:
    """`fr` of `fr_BE`."""
    return locale.replace("-", "_").split("_")[0]


@dataclass
class Contact:
    phone: str
    email: str
    opening_hours: str
    address: str = ""


@dataclass
class Settings(Located):
    """The organisation: its name, locale, currency, contact details and site."""

    name: str = ""
    locale: str = "nl_NL"
    currency: str = "EUR"
    base_url: str = ""
    contact: Contact = field(default_factory=lambda: Contact("", "", ""))
    one_off_label: str = "eenmalig"
    categories: dict[str, str] = field(default_factory=dict)
    allow_html: bool = False
    """Whether HTML an editor writes in a Markdown body is kept (sanitised) or shown as text."""
    trust_mkdocs_yml: bool = False
    """Whether mkdocs.yml may use `!ENV`, `hooks:` and folders outside the project."""
    translations: dict[str, dict[str, Any]] = field(default_factory=dict)
    """The organisation's words in other languages, by locale (`fr_BE`): `one_off_label`,
    `categories` (by id), `contact` (`opening_hours`, `address`)."""

    def in_locale(self, locale: str) -> Settings:
        """The settings as a channel in `locale` shows them."""
        words = self.translations.get(locale)
        if not words:
            return self
        contact = words.get("contact", {})
        return dataclasses.replace(
            self, one_off_label=words.get("one_off_label", self.one_off_label),
            categories={**self.categories, **words.get("categories", {})},
            contact=dataclasses.replace(self.contact, **contact),
            locs=self._relocated(locale, ["one_off_label", *(
                f"categories.{c}" for c in words.get("categories", {})), *(
                f"contact.{k}" for k in contact)]))

    def category_title(self, category: str) -> str:
        return self.categories.get(category) or category.replace("-", " ").capitalize()


@dataclass
class Price:
    amount: Decimal
    currency: str
    unit: str
    vat_included: bool = True


@dataclass
class Cost:
    label: str
    amount: Decimal


@dataclass
class PricePoint:
    """The regular price in force from `since` until the next point."""

    since: dt.date
    amount: Decimal


@dataclass
class Reduction:
    """An announced price reduction, started on `since`."""

    since: dt.date
    label: str = ""
    exception: str | None = None


@dataclass
class Validity:
    start: dt.date | None = None
    end: dt.date | None = None

    def contains(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass
class Offer(Located):
    id: str = ""
    title: str = ""
    category: str = ""
    summary: str = ""
    body: str = ""
    body_line: int = 1
    price: Price = field(default_factory=lambda: Price(Decimal(0), "EUR", "one-off"))
    one_off_costs: list[Cost] = field(default_factory=list)
    contract_months: int | None = None
    price_history: list[PricePoint] = field(default_factory=list)
    reduction: Reduction | None = None
    segment_prices: dict[str, Decimal] = field(default_factory=dict)
    validity: Validity = field(default_factory=Validity)
    topic: str = ""
    sensitivity: str = "none"
    relation: str = "none"
    """The customer relation the offer is addressed to (obligatory: no sales language)."""
    conditions: list[str] = field(default_factory=list)
    channels: list[str] = field(default_factory=list)
    stores: list[str] = field(default_factory=list)
    translations: dict[str, dict[str, Any]] = field(default_factory=dict)
    """The offer's words in other languages, by locale (`fr_BE`): `title`, `summary`,
    `body`, `one_off_costs` (their labels, in order) and `reduction` (its label)."""
    image: str = ""
    """Its picture: a path under docs/ (`images/aanbod/x.png`) or an https URL."""
    brand: str = ""
    """The maker's brand of a device; the organisation's own services carry its name."""
    gtin: str = ""
    """The manufacturer's GTIN (EAN/UPC), digits with a valid GS1 check digit."""
    mpn: str = ""
    """The manufacturer's part number."""
    identifier_exists: bool | None = None
    """False for a product that has no GTIN or MPN (custom made, own service)."""
    product_category: int | None = None
    """Google's product category id (267 for a mobile phone), where it matters to a feed."""

    def in_locale(self, locale: str) -> Offer:
        """The offer as a channel in `locale` shows it: its translation where it has one
        (the project's load makes sure a channel's language has every text it shows)."""
        words = self.translations.get(locale, {})
        if not words:
            return self
        labels = words.get("one_off_costs", ())
        costs = [dataclasses.replace(cost, label=label) for cost, label in zip(
            self.one_off_costs, labels, strict=True)] if labels else self.one_off_costs
        reduction = self.reduction
        if reduction is not None and "reduction" in words:
            reduction = dataclasses.replace(reduction, label=words["reduction"])
        body_at = self.locs.get(f"{TRANSLATIONS}.{locale}.body")
        return dataclasses.replace(
            self, title=words.get("title", self.title), summary=words.get("summary",
                                                                          self.summary),
            body=words.get("body", self.body), one_off_costs=costs, reduction=reduction,
            body_line=body_at.line if body_at and "body" in words else self.body_line,
            locs=self._relocated(locale, ["title", "summary", *(
                f"one_off_costs[{n}].label" for n in range(len(labels))), "reduction.label"]))

    @property
    def sensitive(self) -> bool:
        return self.sensitivity != "none"

    @property
    def upfront_cost(self) -> Decimal:
        """The one-off costs together: what is paid upfront (a feed's g:price)."""
        return sum((c.amount for c in self.one_off_costs), Decimal(0))

    @property
    def earlier_price(self) -> Decimal | None:
        """The price to show as 'was': the lowest of the 30 days before the reduction."""
        if self.reduction is None or not self.price_history:
            return None
        return lowest_price_before(self.price_history, self.reduction.since)


def lowest_price_before(history: list[PricePoint], since: dt.date) -> Decimal | None:
    """The lowest price in force on any day of the 30 days before `since`."""
    window_start = since - dt.timedelta(days=REDUCTION_LOOKBACK_DAYS)
    points = sorted(history, key=lambda p: p.since)
    in_window = [
        point.amount
        for point, after in zip(points, [*points[1:], None], strict=True)
        if point.since < since and (after is None or after.since > window_start)
    ]
    return min(in_window) if in_window else None


# Where a condition's text gives one of its amounts: `{opzegvergoeding}`.
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


@dataclass
class StatedAmount:
    """An amount a condition states itself (a fee, a deposit, a cap), typed in its front
    matter and written in its texts as a `{name}` placeholder."""

    amount: Decimal
    currency: str
    unit: str = "one-off"


@dataclass
class Condition(Located):
    """A reusable condition: its canonical wording and approved variants."""

    id: str = ""
    title: str = ""
    canonical: str = ""
    short: str = ""
    spoken: str = ""
    amounts: dict[str, StatedAmount] = field(default_factory=dict)
    """The amounts its texts give through placeholders, by name (located `amounts.<name>`)."""
    translations: dict[str, dict[str, str]] = field(default_factory=dict)
    """Its wordings in other languages, by locale (`fr_BE`): `title` and every variant
    (`canonical`, `short`, `spoken`), each approved like the original."""

    def in_locale(self, locale: str) -> Condition:
        """The condition in `locale`: its translated wordings where it has them, located
        where they are written."""
        words: dict[str, Any] = self.translations.get(locale) or {}
        if not words:
            return self
        return dataclasses.replace(self, **words, locs=self._relocated(locale, list(words)))

    def wording(self, variant: str) -> str:
        """The wording as the editor wrote it, placeholders and all."""
        return {"canonical": self.canonical, "short": self.short, "spoken": self.spoken}[variant]

    def filled(self, write: Callable[[StatedAmount, bool], str]) -> Condition:
        """The condition with every placeholder replaced by its amount as `write` writes it
        (told whether the wording is the spoken one)."""
        if not self.amounts:
            return self

        def fill(variant: str) -> str:
            spoken = variant == "spoken"
            return PLACEHOLDER.sub(lambda m: write(self.amounts[m.group(1)], spoken)
                                   if m.group(1) in self.amounts else m.group(),
                                   self.wording(variant))

        return dataclasses.replace(self, canonical=fill("canonical"), short=fill("short"),
                                   spoken=fill("spoken"))


@dataclass
class Term:
    """A preferred term and the words that must not be used instead of it."""

    preferred: str
    forbidden: list[str]
    not_preferred: list[str]
    audience: str | None
    location: Location


@dataclass
class JourneyStep:
    id: str
    title: str
    phase: str
    preferred_channel: str
    supporting_channels: list[str]
    message: str
    moment_of_truth: bool
    asks: list[str]
    sends: str | None
    location: Location
    sensitivity: str = "none"
    index: int = 0

    @property
    def channels(self) -> list[str]:
        """The channels that serve this step: preferred first, then supporting."""
        return list(dict.fromkeys([self.preferred_channel, *self.supporting_channels]))


@dataclass
class Journey(Located):
    id: str = ""
    title: str = ""
    relation: str = "none"
    offer: str | None = None
    steps: list[JourneyStep] = field(default_factory=list)
    translations: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Its words in other languages, by locale: `title`, and `steps` by step id, each with
    its `title` and `message`."""

    def in_locale(self, locale: str) -> Journey:
        """The journey in `locale`: its steps' titles and messages translated."""
        words = self.translations.get(locale)
        if not words:
            return self
        steps = words.get("steps", {})
        return dataclasses.replace(
            self, title=words.get("title", self.title),
            steps=[dataclasses.replace(step, **steps.get(step.id, {})) for step in self.steps])


@dataclass
class Store(Located):
    id: str = ""
    name: str = ""
    address: str = ""
    city: str = ""
    opening_hours: str = ""
    sheet: str = "A4"
    """The paper its print sheets are on: A4 (four cards) or A5 (two)."""
    languages: list[str] = field(default_factory=list)
    """The languages of its cards, as locales (`nl_BE`, `fr_BE`: a bilingual store); none
    given: the organisation's. A store channel prints the cards of the stores that speak
    its language."""
    translations: dict[str, dict[str, str]] = field(default_factory=dict)
    """Its name, address, city and opening hours in another of its languages."""

    def in_locale(self, locale: str) -> Store:
        words: dict[str, Any] = self.translations.get(locale) or {}
        return dataclasses.replace(self, **words) if words else self


@dataclass
class Catalog:
    """Everything in `content/`, loaded and validated."""

    root: Path
    settings: Settings
    offers: dict[str, Offer]
    conditions: dict[str, Condition]
    terms: list[Term]
    journeys: dict[str, Journey]
    stores: dict[str, Store]

    def offers_valid_on(self, day: dt.date) -> list[Offer]:
        return [o for o in self.offers.values() if o.validity.contains(day)]
