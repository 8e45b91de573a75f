"""Locale-aware formatting for templates, backed by Babel/CLDR and num2words.

Templates never format a price, date or unit themselves; they call these
filters, so every channel writes the same amount the same way.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, get_currency_name
from markupsafe import Markup

from onevoice.content.model import Condition, Offer, Price, StatedAmount

# UN/CEFACT Common Codes, which schema.org's unitCode takes: month, year.
UNIT_CODES = {"month": "MON", "year": "ANN"}


def _unit_price(price: Price, term_months: int | None) -> dict[str, object]:
    """A recurring price: per month (or year), billed for the minimum term when there is one."""
    code = UNIT_CODES[price.unit]
    duration = term_months if code == "MON" and term_months else 1
    return {"@type": "UnitPriceSpecification", "price": f"{price.amount:.2f}",
            "priceCurrency": price.currency,
            "priceComponentType": "https://schema.org/Subscription",
            "referenceQuantity": {"@type": "QuantitativeValue", "value": 1, "unitCode": code},
            "billingDuration": duration, "unitCode": code, "valueAddedTaxIncluded": True}


def qr_svg(url: str) -> Markup:
    """A QR code of `url` as inline SVG, sized by CSS (`.qr svg`): from the shelf to the web.

    Error correction level M (15 %): a card may get a crease or a price sticker.
    """
    import segno  # the build's alone: a check never draws a QR code

    code = segno.make(str(url), error="m", micro=False)
    return Markup(code.svg_inline(omitsize=True, border=0, dark="#000"))


class Formatter:
    """Formats amounts, units and dates by the rules of one locale."""

    def __init__(self, locale: str, currency: str, one_off_label: str):
        self.locale = Locale.parse(locale)
        self.currency = currency
        self.one_off_label = one_off_label
        self.language = self.locale.language

    def price(self, amount: Decimal, currency: str | None = None) -> str:
        """`€ 49,95`, `€ 1.299,00`: the locale's currency pattern, with its NBSP."""
        return format_currency(amount, currency or self.currency, locale=self.locale)

    def per(self, text: str, unit: str) -> str:
        """`{text} per maand`, from CLDR's per-unit pattern; one-off gets the settings' label."""
        if unit == "one-off":
            return f"{text} {self.one_off_label}"
        pattern = self.locale._data["unit_patterns"][f"duration-{unit}"]["long"]["per"]
        return str(pattern).replace("{0}", text)

    def price_per(self, price: Price) -> str:
        return self.per(self.price(price.amount, price.currency), price.unit)

    def months(self, count: int) -> str:
        """`12 maanden`: CLDR's plural pattern for months."""
        patterns = self.locale._data["unit_patterns"]["duration-month"]["long"]
        form = self.locale.plural_form(count)
        return str(patterns.get(form, patterns["other"])).replace("{0}", str(count))

    def number(self, value: Decimal | int) -> str:
        return format_decimal(value, locale=self.locale)

    def date(self, day: dt.date) -> str:
        return format_date(day, format="long", locale=self.locale)

    # -- spoken forms, for scripts and voice systems ----------------------
    def words(self, value: int) -> str:
        """`negenenveertig`, `nonante-cinq` (in Belgium): num2words in the locale's own
        counting where it has one (`fr_BE`, `fr_CH`), else in its language's."""
        from num2words import CONVERTER_CLASSES, num2words  # loaded when one is spoken

        from onevoice.extract.spoken import french_spelling

        own = str(self.locale)
        words = str(num2words(value, lang=own if own in CONVERTER_CLASSES else self.language))
        return french_spelling(words) if own == "fr_BE" else words

    def spoken_price(self, amount: Decimal, currency: str | None = None) -> str:
        """`negenenveertig euro vijfennegentig`, `quarante-neuf euros nonante-cinq`: how an
        agent says the amount, the currency's name in CLDR's plural form for the amount."""
        code = currency or self.currency
        whole = int(amount)
        name = get_currency_name(code, count=whole, locale=self.locale).lower()
        cents = int((amount - whole) * 100)
        text = f"{self.words(whole)} {name}"
        return f"{text} {self.words(cents)}" if cents else text

    def spoken_price_per(self, price: Price) -> str:
        return self.per(self.spoken_price(price.amount, price.currency), price.unit)

    def spoken_months(self, count: int) -> str:
        patterns = self.locale._data["unit_patterns"]["duration-month"]["long"]
        form = self.locale.plural_form(count)
        return str(patterns.get(form, patterns["other"])).replace("{0}", self.words(count))

    def spoken_date(self, day: dt.date) -> str:
        month = format_date(day, format="MMMM", locale=self.locale)
        return f"{self.words(day.day)} {month} {self.words(day.year)}"

    # -- conditions ----------------------------------------------------------
    def stated(self, stated: StatedAmount, spoken: bool = False) -> str:
        """An amount a condition states, as its placeholder shows it: `€ 125,00`, `€ 5,00
        per maand`, or in words for the spoken wording."""
        text = self.spoken_price(stated.amount, stated.currency) if spoken else self.price(
            stated.amount, stated.currency)
        return text if stated.unit == "one-off" else self.per(text, stated.unit)

    def condition(self, condition: Condition) -> Condition:
        """The condition with its amounts in its wordings, as this locale writes them."""
        return condition.filled(self.stated)

    # -- structured data ---------------------------------------------------
    def jsonld(self, offer: Offer, url: str, organisation: str, image: str | None = None) -> str:
        """schema.org Product/Offer: price with a dot decimal, ISO currency code.

        A subscription's price is a UnitPriceSpecification per month or year
        (UN/CEFACT unit codes) billed over the minimum term; each one-off cost is
        a price specification of its own, so search engines do not read a monthly
        price as the price of the product.
        """
        specs = [_unit_price(offer.price, offer.contract_months)] if offer.price.unit in \
            UNIT_CODES else []
        specs += [{"@type": "UnitPriceSpecification", "name": cost.label,
                   "price": f"{cost.amount:.2f}", "priceCurrency": offer.price.currency,
                   "priceComponentType": "https://schema.org/ActivationFee",
                   "valueAddedTaxIncluded": True} for cost in offer.one_off_costs]
        if offer.earlier_price is not None:
            # Google's merchant listings read the earlier price of a sale as a price
            # specification of type StrikethroughPrice beside the offer's price.
            specs.append({"@type": "UnitPriceSpecification",
                          "priceType": "https://schema.org/StrikethroughPrice",
                          "price": f"{offer.earlier_price:.2f}",
                          "priceCurrency": offer.price.currency,
                          "valueAddedTaxIncluded": True})
        identifiers = {key: value for key, value in (("gtin", offer.gtin), ("mpn", offer.mpn))
                       if value}
        data = {
            "@context": "https://schema.org",
            "@type": "Product",
            "name": offer.title,
            "description": offer.summary,
            "sku": offer.id,
            "category": offer.category,
            "url": url,
            **({"image": image} if image else {}),
            "brand": {"@type": "Brand", "name": offer.brand or organisation},
            **identifiers,
            "offers": {
                "@type": "Offer",
                "price": f"{offer.price.amount:.2f}",
                "priceCurrency": offer.price.currency,
                "url": url,
                "availability": "https://schema.org/InStock",
                "seller": {"@type": "Organization", "name": organisation},
                **({"priceSpecification": specs} if specs else {}),
                **({"priceValidUntil": offer.validity.end.isoformat()}
                   if offer.validity.end else {}),
            },
        }
        return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)

    def filters(self) -> dict[str, object]:
        return {
            "qr": qr_svg,
            "price": self.price,
            "price_per": self.price_per,
            "per": self.per,
            "months": self.months,
            "number": self.number,
            "date": self.date,
            "spoken_price": self.spoken_price,
            "spoken_price_per": self.spoken_price_per,
            "spoken_months": self.spoken_months,
            "spoken_date": self.spoken_date,
        }
