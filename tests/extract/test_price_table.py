"""A table of real-world price strings and how they must be read.

Written independently of the implementation: every expectation comes from how
people write prices (shelf cards, emails, subscription pages, call-center
scripts, forum posts) and from the documented conventions of
``find_price_mentions``. Each expected mention is a tuple
``(amount, currency, role, unit)``; the helpers below only save typing.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from babel.numbers import format_currency
from num2words import num2words

from onevoice.extract.prices import PriceMention, find_price_mentions

Reading = tuple[Decimal | None, str, str, str | None]


def eur(amount: str, role: str = "price", unit: str | None = None) -> Reading:
    return (Decimal(amount), "EUR", role, unit)


def usd(amount: str, role: str = "price", unit: str | None = None) -> Reading:
    return (Decimal(amount), "USD", role, unit)


def gbp(amount: str, role: str = "price", unit: str | None = None) -> Reading:
    return (Decimal(amount), "GBP", role, unit)


def chf(amount: str, role: str = "price", unit: str | None = None) -> Reading:
    return (Decimal(amount), "CHF", role, unit)


P = pytest.param

CASES = [
    # --- Dutch (nl_NL): plain prices, sign before the amount, comma decimal ------------------
    P("Nu in de winkel: € 49,95", "nl_NL", [eur("49.95", "price")], id="nl-sign-space-comma"),
    P("Prijs: €49,95", "nl_NL", [eur("49.95")], id="nl-sign-no-space"),
    P("Prijs:\u00a0€\u00a049,95", "nl_NL", [eur("49.95")], id="nl-sign-nbsp"),
    P("Prijs: €\u202f49,95", "nl_NL", [eur("49.95")], id="nl-sign-narrow-nbsp"),
    P("Een kop koffie kost € 3 bij ons.", "nl_NL", [eur("3")], id="nl-whole-no-decimals"),
    P("Slechts € 0,99 per download", "nl_NL", [eur("0.99")], id="nl-below-one"),
    P("Verzendkosten € 4,50", "nl_NL", [eur("4.50")], id="nl-shipping"),
    P("€1299 incl. btw", "nl_NL", [eur("1299")], id="nl-no-grouping"),
    P("Totaal te betalen: 12,50 EUR", "nl_NL", [eur("12.50")], id="nl-code-after"),
    P("Bedrag: EUR 12,50", "nl_NL", [eur("12.50")], id="nl-code-before"),
    P("Bedrag: EUR\u00a01.299,00", "nl_NL", [eur("1299.00")], id="nl-code-nbsp-grouped"),
    P("Het kost 25 euro.", "nl_NL", [eur("25")], id="nl-word-euro"),
    P("Dat kost je 25 Euro", "nl_NL", [eur("25")], id="nl-word-euro-capital"),
    P("Dat wordt 49,95 euro", "nl_NL", [eur("49.95")], id="nl-word-euro-decimals"),
    P("Het bedrag van 19,95 EURO is afgeschreven", "nl_NL", [eur("19.95")],
      id="nl-word-euro-upper"),
    # --- Dutch: grouping, whole-euro dash, dot decimal ---------------------------------------
    P("Nu € 1.299,-", "nl_NL", [eur("1299")], id="nl-whole-comma-hyphen"),
    P("Nu € 1.299,–", "nl_NL", [eur("1299")], id="nl-whole-comma-endash"),
    P("Laptop € 799,-", "nl_NL", [eur("799")], id="nl-whole-no-grouping"),
    P("€\u00a01.299,-", "nl_NL", [eur("1299")], id="nl-whole-nbsp"),
    P("Televisie € 1.299", "nl_NL", [eur("1299")], id="nl-grouping-dot"),
    P("Televisie € 1.299,00", "nl_NL", [eur("1299.00")], id="nl-grouping-and-decimal"),
    P("Vraagprijs € 1.250.000,00 k.k.", "nl_NL", [eur("1250000.00")], id="nl-two-groups"),
    P("Vraagprijs € 2.499.000", "nl_NL", [eur("2499000")], id="nl-two-groups-no-decimal"),
    P("Prijs € 49.95", "nl_NL", [eur("49.95")], id="nl-dot-two-digits"),
    P("Kassabon: € 1,50", "nl_NL", [eur("1.50")], id="nl-comma-two-digits"),
    # --- Dutch: footnote marks after the price -------------------------------------------------
    P("Nu € 49,95*", "nl_NL", [eur("49.95")], id="nl-footnote-star"),
    P("Nu € 49,95¹", "nl_NL", [eur("49.95")], id="nl-footnote-superscript"),
    P("Nu € 49,95 (1)", "nl_NL", [eur("49.95")], id="nl-footnote-paren"),
    P("Slechts € 49,95* per maand", "nl_NL", [eur("49.95", unit="month")],
      id="nl-footnote-then-unit"),
    P("* Prijs € 7,95¹ geldt de eerste 6 maanden.", "nl_NL", [eur("7.95")],
      id="nl-footnote-in-sentence"),
    # --- Dutch: units ---------------------------------------------------------------------------
    P("Sim only € 7,95 per maand", "nl_NL", [eur("7.95", unit="month")], id="nl-per-maand"),
    P("Sim only € 7,95 p/m", "nl_NL", [eur("7.95", unit="month")], id="nl-p-slash-m"),
    P("Sim only € 7,95 p.m.", "nl_NL", [eur("7.95", unit="month")], id="nl-p-dot-m"),
    P("Sim only € 7,95/mnd", "nl_NL", [eur("7.95", unit="month")], id="nl-slash-mnd"),
    P("Sim only € 7,95 /maand", "nl_NL", [eur("7.95", unit="month")], id="nl-slash-maand"),
    P("Lidmaatschap € 89,- per jaar", "nl_NL", [eur("89", unit="year")], id="nl-per-jaar"),
    P("Lidmaatschap € 89/jaar", "nl_NL", [eur("89", unit="year")], id="nl-slash-jaar"),
    P("Eenmalig € 25 aansluitkosten", "nl_NL", [eur("25", unit="one-off")],
      id="nl-eenmalig-before"),
    P("Aansluitkosten: € 29,95 eenmalig", "nl_NL", [eur("29.95", unit="one-off")],
      id="nl-eenmalig-after"),
    P("Entree € 15,- p.p.", "nl_NL", [eur("15")], id="nl-per-person-no-unit"),
    P("Kaas € 3,50 per kg", "nl_NL", [eur("3.50")], id="nl-per-kg-no-unit"),
    P("Bellen kost € 0,10 per minuut", "nl_NL", [eur("0.10")], id="nl-per-minuut-no-unit"),
    P("Bellen kost € 0,10 p/min", "nl_NL", [eur("0.10")], id="nl-p-slash-min-no-unit"),
    P("De eerste 3 maanden gratis, daarna € 44,95 per maand.", "nl_NL",
      [eur("44.95", unit="month")], id="nl-gratis-then-monthly"),
    # --- Dutch: roles -------------------------------------------------------------------------
    P("Van € 59,95 voor € 49,95", "nl_NL", [eur("59.95", "was"), eur("49.95", "price")],
      id="nl-van-voor"),
    P("van €59,95 voor €49,95 per maand", "nl_NL",
      [eur("59.95", "was"), eur("49.95", "price", "month")], id="nl-van-voor-monthly"),
    P("Was € 59,95, nu € 49,95", "nl_NL", [eur("59.95", "was"), eur("49.95", "price")],
      id="nl-was-nu"),
    P("Normaal € 59,95, nu € 44,95", "nl_NL", [eur("59.95", "was"), eur("44.95", "price")],
      id="nl-normaal-nu"),
    P("Voorheen € 79,-, nu € 59,-", "nl_NL", [eur("79", "was"), eur("59", "price")],
      id="nl-voorheen-nu"),
    P("Oude prijs € 59,95. Nieuwe prijs € 49,95.", "nl_NL",
      [eur("59.95", "was"), eur("49.95", "price")], id="nl-oude-nieuwe-prijs"),
    P("Normaal € 59,95", "nl_NL", [eur("59.95", "was")], id="nl-normaal-alone"),
    P("Vanaf € 19,95 per maand", "nl_NL", [eur("19.95", "from", "month")], id="nl-vanaf"),
    P("vanaf €7,50", "nl_NL", [eur("7.50", "from")], id="nl-vanaf-lowercase"),
    P("Glasvezel v.a. € 19,95 p/m", "nl_NL", [eur("19.95", "from", "month")], id="nl-va"),
    P("€ 20 - € 30", "nl_NL", [eur("20", "range"), eur("30", "range")], id="nl-range-hyphen"),
    P("€20–€30", "nl_NL", [eur("20", "range"), eur("30", "range")], id="nl-range-endash"),
    P("Budget: € 250 tot € 400", "nl_NL", [eur("250", "range"), eur("400", "range")],
      id="nl-range-tot"),
    P("Reken op een bedrag tussen € 20 en € 30", "nl_NL", [eur("20", "range"), eur("30", "range")],
      id="nl-range-tussen-en"),
    P("2 voor € 5,-", "nl_NL", [eur("5", "quantity")], id="nl-quantity"),
    P("Per stuk € 2,49, 2 voor € 4,-", "nl_NL", [eur("2.49"), eur("4", "quantity")],
      id="nl-unit-price-and-quantity"),
    P("Het toestel van Samsung voor € 899", "nl_NL", [eur("899")],
      id="nl-van-not-before-price"),
    # --- Dutch: shelf cards (line breaks between parts) ------------------------------------
    P("OP=OP\n€ 2,99\nper stuk", "nl_NL", [eur("2.99")], id="nl-shelf-op-is-op"),
    P("1+1 GRATIS\n3 voor € 10,-", "nl_NL", [eur("10", "quantity")], id="nl-shelf-3-voor"),
    P("VAN 4,99\nVOOR 3,49", "nl_NL", [], id="nl-shelf-no-currency"),
    P("Deze week\nVAN € 4,99\nVOOR € 3,49", "nl_NL", [eur("4.99", "was"), eur("3.49")],
      id="nl-shelf-van-voor-upper"),
    # --- Dutch: emails and forum posts with several prices --------------------------------
    P("Uw factuur van maart bedraagt € 54,45. Het bedrag wordt op 28-03-2026 afgeschreven.",
      "nl_NL", [eur("54.45")], id="nl-email-invoice"),
    P("Uw nieuwe maandbedrag is € 42,50 (was € 39,95).", "nl_NL",
      [eur("42.50"), eur("39.95", "was")], id="nl-email-new-rate"),
    P("Internet + tv: € 45,50 per maand. Aansluitkosten: € 29,95 eenmalig.", "nl_NL",
      [eur("45.50", unit="month"), eur("29.95", unit="one-off")], id="nl-subscription-page"),
    P("Ik betaal nu 45 euro p/m, vorig jaar nog 39,50 euro p/m.", "nl_NL",
      [eur("45", unit="month"), eur("39.50", unit="month")], id="nl-forum-two-monthly"),
    P("Heb hem voor €1099 gekocht, nu al €899 bij de concurrent", "nl_NL",
      [eur("1099"), eur("899")], id="nl-forum-two-prices"),
    P("Kosten: 12 maanden x € 7,95 = € 95,40", "nl_NL", [eur("7.95"), eur("95.40")],
      id="nl-calculation"),
    P("Van € 59,95 voor € 49,95, eenmalig € 25 aansluitkosten", "nl_NL",
      [eur("59.95", "was"), eur("49.95"), eur("25", unit="one-off")], id="nl-three-prices"),
    P("Prijs € 49,95 (ca. $54.00)", "nl_NL", [eur("49.95"), usd("54.00")],
      id="nl-two-currencies"),
    # --- Dutch: spoken prices (call-center scripts) -----------------------------------------
    P("Dat wordt dan negenenveertig euro vijfennegentig.", "nl_NL", [eur("49.95")],
      id="nl-spoken-euro-cents"),
    P("Het toestel kost duizend negenennegentig euro.", "nl_NL", [eur("1099")],
      id="nl-spoken-duizend-two-words"),
    P("Het toestel kost duizendnegenennegentig euro.", "nl_NL", [eur("1099")],
      id="nl-spoken-duizend-one-word"),
    P("U betaalt zeven euro vijfennegentig per maand.", "nl_NL", [eur("7.95", unit="month")],
      id="nl-spoken-monthly"),
    P("De aansluitkosten zijn vijfentwintig euro.", "nl_NL", [eur("25")], id="nl-spoken-whole"),
    P("Dat is maar één euro extra.", "nl_NL", [eur("1")], id="nl-spoken-een"),
    P("Dat is twaalf euro vijftig.", "nl_NL", [eur("12.50")], id="nl-spoken-vijftig-cents"),
    P("Je krijgt honderd euro korting.", "nl_NL", [eur("100")], id="nl-spoken-honderd"),
    P("Dat kost u negenentwintig euro vijfennegentig eenmalig.", "nl_NL",
      [eur("29.95", unit="one-off")], id="nl-spoken-one-off"),
    P("Vanaf negentien euro vijfennegentig per maand.", "nl_NL",
      [eur("19.95", "from", "month")], id="nl-spoken-vanaf"),
    P("Normaal negenenveertig euro vijfennegentig, nu negenendertig euro vijfennegentig.",
      "nl_NL", [eur("49.95", "was"), eur("39.95")], id="nl-spoken-normaal-nu"),
    P("Het abonnement kost 25 euro per maand.", "nl_NL", [eur("25", unit="month")],
      id="nl-digits-with-euro-word-monthly"),
    # --- Dutch: no price at all ---------------------------------------------------------------
    P("Bel ons op 088 123 45 67, ma-vr 9-17 uur.", "nl_NL", [], id="nl-neg-phone"),
    P("Contract van 12 maanden, 500 Mbit/s download.", "nl_NL", [], id="nl-neg-contract"),
    P("Geldig tot en met 31-12-2026.", "nl_NL", [], id="nl-neg-date"),
    P("Bestel voor 1 juni en krijg 20% korting", "nl_NL", [], id="nl-neg-percent"),
    P("Versie 2.4.1 van de app, 1,5 GB data", "nl_NL", [], id="nl-neg-version-and-data"),
    P("Postcode 1234 AB, huisnummer 12", "nl_NL", [], id="nl-neg-address"),
    P("EAN 8712345678906, bestelnummer 2026-0042", "nl_NL", [], id="nl-neg-codes"),
    P("Ruim 1.000 winkels in heel Nederland", "nl_NL", [], id="nl-neg-grouped-count"),
    P("De euro werd in 2002 ingevoerd.", "nl_NL", [], id="nl-neg-euro-not-next-to-year"),
    P("Alle prijzen in €, incl. btw. Betalen kan in euro's.", "nl_NL", [],
      id="nl-neg-currency-without-amount"),
    P("Twaalf maanden lang gratis bellen, zeven dagen per week.", "nl_NL", [],
      id="nl-neg-spoken-numbers-no-euro"),
    P("", "nl_NL", [], id="nl-neg-empty"),
    # --- Belgian Dutch (nl_BE) ----------------------------------------------------------------
    P("Prijs: € 49,95 btw inbegrepen", "nl_BE", [eur("49.95")], id="be-sign-before"),
    P("Prijs: 49,95 €", "nl_BE", [eur("49.95")], id="be-sign-after"),
    P("Nu € 1.299,00", "nl_BE", [eur("1299.00")], id="be-grouped"),
    P("Vanaf € 9,99 per maand", "nl_BE", [eur("9.99", "from", "month")], id="be-vanaf"),
    P("Abonnement: 15 euro per maand", "nl_BE", [eur("15", unit="month")], id="be-euro-word"),
    P("Dat kost vijfentwintig euro.", "nl_BE", [eur("25")], id="be-spoken"),
    P("Bel gratis naar 0800 12 345", "nl_BE", [], id="be-neg-phone"),
    # --- German (de_DE): sign after the amount, comma decimal -----------------------------------
    P("Preis: 49,95 €", "de_DE", [eur("49.95")], id="de-sign-after"),
    P("Preis: 49,95\u00a0€", "de_DE", [eur("49.95")], id="de-sign-after-nbsp"),
    P("Jetzt nur 1.299,00 €", "de_DE", [eur("1299.00")], id="de-grouped"),
    P("Jetzt nur 1.299,– €", "de_DE", [eur("1299")], id="de-whole-endash"),
    P("Preis: EUR 1.499,00", "de_DE", [eur("1499.00")], id="de-code-before"),
    P("Sie sparen 20 € gegenüber dem Normalpreis", "de_DE", [eur("20")], id="de-whole"),
    P("Jetzt nur 29,99 €*", "de_DE", [eur("29.99")], id="de-footnote-star"),
    P("Preis 49.95 €", "de_DE", [eur("49.95")], id="de-dot-two-digits"),
    P("Kauf für 25 Euro", "de_DE", [eur("25")], id="de-euro-word"),
    P("Nur 19,99 € statt 29,99 €", "de_DE", [eur("19.99"), eur("29.99", "was")],
      id="de-nur-statt"),
    P("Statt 59,95 € jetzt 49,95 €", "de_DE", [eur("59.95", "was"), eur("49.95")],
      id="de-statt-jetzt"),
    P("DSL ab 19,95 € pro Monat", "de_DE", [eur("19.95", "from", "month")], id="de-ab-monat"),
    P("Flatrate 9,99 €/Monat", "de_DE", [eur("9.99", unit="month")], id="de-slash-monat"),
    P("Grundgebühr mtl. 39,99 €", "de_DE", [eur("39.99", unit="month")], id="de-mtl-before"),
    P("Jahresabo 119,88 € pro Jahr", "de_DE", [eur("119.88", unit="year")], id="de-pro-jahr"),
    P("Anschlusspreis einmalig 49,95 €", "de_DE", [eur("49.95", unit="one-off")],
      id="de-einmalig"),
    P("2 für 5 €", "de_DE", [eur("5", "quantity")], id="de-quantity"),
    P("Kostenlose Hotline 0800 330 1000, Kundennummer 12.345", "de_DE", [], id="de-neg"),
    # --- French (fr_FR): narrow/no-break space grouping, comma decimal --------------------------
    P("Prix : 49,95 €", "fr_FR", [eur("49.95")], id="fr-sign-after"),
    P("Prix\u00a0: 49,95\u00a0€", "fr_FR", [eur("49.95")], id="fr-nbsp"),
    P("Prix : 1\u202f299,00\u00a0€", "fr_FR", [eur("1299.00")], id="fr-narrow-nbsp-grouping"),
    P("Prix : 1\u00a0299 €", "fr_FR", [eur("1299")], id="fr-nbsp-grouping-whole"),
    P("Prix : 1.299 €", "fr_FR", [eur("1299")], id="fr-dot-grouping"),
    P("Il coûte 25 euros", "fr_FR", [eur("25")], id="fr-euros-word"),
    P("Montant : EUR 12,50", "fr_FR", [eur("12.50")], id="fr-code-before"),
    P("Offre à 9,99 €/mois (1)", "fr_FR", [eur("9.99", unit="month")],
      id="fr-slash-mois-footnote"),
    P("À partir de 19,99 € par mois", "fr_FR", [eur("19.99", "from", "month")],
      id="fr-a-partir-de"),
    P("49,95 € au lieu de 59,95 €", "fr_FR", [eur("49.95"), eur("59.95", "was")],
      id="fr-au-lieu-de"),
    P("Abonnement 119,88 € par an", "fr_FR", [eur("119.88", unit="year")], id="fr-par-an"),
    P("Frais de mise en service : 49 € unique", "fr_FR", [eur("49", unit="one-off")],
      id="fr-unique"),
    P("2 pour 5 €", "fr_FR", [eur("5", "quantity")], id="fr-quantity"),
    P("Appelez le 09 69 39 39 00, du lundi au samedi", "fr_FR", [], id="fr-neg-phone"),
    # --- English (en_GB): dot decimal, comma grouping -----------------------------------------
    P("Only £19.99", "en_GB", [gbp("19.99")], id="gb-pound"),
    P("Now £1,299", "en_GB", [gbp("1299")], id="gb-grouping-comma"),
    P("Now £1,299.00", "en_GB", [gbp("1299.00")], id="gb-grouped-decimal"),
    P("Price: GBP 49.99", "en_GB", [gbp("49.99")], id="gb-code"),
    P("Ticket €49.95", "en_GB", [eur("49.95")], id="gb-euro-sign"),
    P("Price in shop: €49,95", "en_GB", [eur("49.95")], id="gb-comma-two-digits"),
    P("Only £49.99*", "en_GB", [gbp("49.99")], id="gb-footnote"),
    P("Save £10 today", "en_GB", [gbp("10", "saving")], id="gb-saving-whole"),
    P("Only £10 today", "en_GB", [gbp("10")], id="gb-whole"),
    # An amount off is a saving, to be checked against the earlier price.
    P("U bespaart € 10,00 per maand", "nl_NL", [eur("10.00", "saving", "month")],
      id="nl-saving"),
    P("Nu met een korting van € 5,- op de aansluitkosten", "nl_NL", [eur("5", "saving")],
      id="nl-korting-van"),
    P("Broadband from £19.99 a month", "en_GB", [gbp("19.99", "from", "month")],
      id="gb-from-a-month"),
    P("SIM only £9.99/month", "en_GB", [gbp("9.99", unit="month")], id="gb-slash-month"),
    P("Insurance £120 a year", "en_GB", [gbp("120", unit="year")], id="gb-a-year"),
    P("£25 one-off set-up fee", "en_GB", [gbp("25", unit="one-off")], id="gb-one-off"),
    P("Was £59.99, now £49.99", "en_GB", [gbp("59.99", "was"), gbp("49.99")], id="gb-was-now"),
    P("3 for £10", "en_GB", [gbp("10", "quantity")], id="gb-quantity"),
    P("Budget £5 - £10 per person", "en_GB", [gbp("5", "range"), gbp("10", "range")],
      id="gb-range"),
    P("Call 0345 600 0000 (Mon–Fri 8am–8pm), 24 months, 500 Mbit/s", "en_GB", [],
      id="gb-neg"),
    # --- English (en_US) ---------------------------------------------------------------------
    P("Only $49.99", "en_US", [usd("49.99")], id="us-dollar"),
    P("MSRP $1,299.99", "en_US", [usd("1299.99")], id="us-grouped-decimal"),
    P("Price: USD 1,299", "en_US", [usd("1299")], id="us-code-grouped"),
    P("App $0.99", "en_US", [usd("0.99")], id="us-below-one"),
    P("Only $19.99 per month for 12 months", "en_US", [usd("19.99", unit="month")],
      id="us-per-month"),
    P("Starting from $19.99 a month", "en_US", [usd("19.99", "from", "month")],
      id="us-from"),
    P("was $59.99, now $49.99", "en_US", [usd("59.99", "was"), usd("49.99")], id="us-was-now"),
    P("Pay $0 today, then $29.99 a month", "en_US", [usd("0"), usd("29.99", unit="month")],
      id="us-zero-then-monthly"),
    P("Expect $20–$30 per visit", "en_US", [usd("20", "range"), usd("30", "range")],
      id="us-range"),
    P("$99 one-time activation fee", "en_US", [usd("99", unit="one-off")], id="us-one-time"),
    P("Cloud plan $49.99/yr", "en_US", [usd("49.99", unit="year")], id="us-slash-yr"),
    # --- Both separators present: the last one is the decimal one, whatever the locale ----
    P("Nu €1,299.00 op de webshop", "nl_NL", [eur("1299.00")], id="nl-english-style-both"),
    P("Total EUR 1.299,00", "en_GB", [eur("1299.00")], id="gb-continental-both"),
    P("Im Shop: €1,299.00 inkl. MwSt.", "de_DE", [eur("1299.00")], id="de-english-style-both"),
    P("Prix : $1,299.99", "fr_FR", [usd("1299.99")], id="fr-english-style-both"),
    # --- Swiss German (de_CH): apostrophe grouping, dot decimal, ".-" whole francs --------------
    P("Preis: CHF 49.90", "de_CH", [chf("49.90")], id="ch-code-before"),
    P("Preis: 49.90 CHF", "de_CH", [chf("49.90")], id="ch-code-after"),
    P("Nur CHF 1’299.00", "de_CH", [chf("1299.00")], id="ch-right-quote-grouping"),
    P("Nur CHF 1'299.00", "de_CH", [chf("1299.00")], id="ch-apostrophe-grouping"),
    P("Nur CHF 1'299", "de_CH", [chf("1299")], id="ch-grouping-whole"),
    P("Nur CHF 1'299.-", "de_CH", [chf("1299")], id="ch-whole-dot-hyphen"),
    P("Znüni CHF 12.-", "de_CH", [chf("12")], id="ch-whole-small"),
    P("Abo ab CHF 29.90 pro Monat", "de_CH", [chf("29.90", "from", "month")], id="ch-ab"),
    P("statt CHF 59.90 nur CHF 49.90", "de_CH", [chf("59.90", "was"), chf("49.90")],
      id="ch-statt"),
    P("CHF 49.90 / EUR 45,90", "de_CH", [chf("49.90"), eur("45.90")], id="ch-two-currencies"),
    P("Hotline 0848 800 800, Postfach 8021 Zürich", "de_CH", [], id="ch-neg"),
]

AMBIGUOUS = [
    P("Televisie € 1,299", "nl_NL", "EUR", ("1.299", "1299"), id="nl-comma-three-digits"),
    P("Nu € 2,500 per maand", "nl_NL", "EUR", ("2.500", "2500"), id="nl-comma-three-monthly"),
    P("Prijs: € 1,299", "nl_BE", "EUR", ("1.299", "1299"), id="be-comma-three-digits"),
    P("Preis: 1,299 €", "de_DE", "EUR", ("1.299", "1299"), id="de-comma-three-digits"),
    P("Prix : 1,299 €", "fr_FR", "EUR", ("1.299", "1299"), id="fr-comma-three-digits"),
    P("Now €1.299", "en_GB", "EUR", ("1.299", "1299"), id="gb-dot-three-digits"),
    P("Only $1.299", "en_US", "USD", ("1.299", "1299"), id="us-dot-three-digits"),
    P("Nur CHF 1.299", "de_CH", "CHF", ("1.299", "1299"), id="ch-dot-three-digits"),
]

QUANTITY = [
    P("2 voor € 5,-", "nl_NL", 2, "5", id="nl-2-voor"),
    P("1+1 GRATIS\n3 voor € 10,-", "nl_NL", 3, "10", id="nl-3-voor"),
    P("Per stuk € 2,49, 2 voor € 4,-", "nl_NL", 2, "4", id="nl-after-unit-price"),
    P("3 for £10", "en_GB", 3, "10", id="gb-3-for"),
    P("2 für 5 €", "de_DE", 2, "5", id="de-2-fuer"),
    P("2 pour 5 €", "fr_FR", 2, "5", id="fr-2-pour"),
]


def reading(mention: PriceMention) -> Reading:
    return (mention.amount, mention.currency, mention.role, mention.unit)


@pytest.mark.parametrize(("text", "locale", "expected"), CASES)
def test_price_table(text: str, locale: str, expected: list[Reading]) -> None:
    found = find_price_mentions(text, locale=locale)
    assert [reading(m) for m in found] == expected
    assert not any(m.ambiguous for m in found)


@pytest.mark.parametrize(("text", "locale", "currency", "readings"), AMBIGUOUS)
def test_ambiguous_three_digits_after_decimal_separator(
    text: str, locale: str, currency: str, readings: tuple[str, str]
) -> None:
    found = find_price_mentions(text, locale=locale)
    assert len(found) == 1
    mention = found[0]
    assert mention.ambiguous is True
    assert mention.amount is None
    assert mention.currency == currency
    assert mention.readings == tuple(Decimal(r) for r in readings)


@pytest.mark.parametrize(("text", "locale", "quantity", "amount"), QUANTITY)
def test_quantity_offers(text: str, locale: str, quantity: int, amount: str) -> None:
    offers = [m for m in find_price_mentions(text, locale=locale) if m.role == "quantity"]
    assert len(offers) == 1
    assert offers[0].quantity == quantity
    assert offers[0].amount == Decimal(amount)


def _all_texts() -> list[tuple[str, str]]:
    texts = []
    for table in (CASES, AMBIGUOUS, QUANTITY):
        texts.extend((case.values[0], case.values[1]) for case in table)
    return texts


@pytest.mark.parametrize(("text", "locale"), _all_texts())
def test_raw_is_the_matched_slice(text: str, locale: str) -> None:
    found = find_price_mentions(text, locale=locale)
    previous_end = 0
    for mention in found:
        assert mention.raw == text[mention.start : mention.end]
        assert mention.start < mention.end
        # in order of appearance, never overlapping
        assert mention.start >= previous_end
        previous_end = mention.end


ROUND_TRIP_AMOUNTS = ["0.5", "1", "7.95", "12.5", "25", "49.95", "99.99", "100", "1099",
                      "1299.5", "2499"]
FORMAT_LOCALES = ["nl_NL", "nl_BE", "de_DE", "fr_FR", "en_GB"]


@pytest.mark.parametrize("locale", FORMAT_LOCALES)
@pytest.mark.parametrize("amount", ROUND_TRIP_AMOUNTS)
def test_babel_formatted_prices_round_trip(amount: str, locale: str) -> None:
    text = format_currency(Decimal(amount), "EUR", locale=locale)
    found = find_price_mentions(text, locale=locale)
    assert [(m.amount, m.currency) for m in found] == [(Decimal(amount), "EUR")], text
    assert not found[0].ambiguous


def spoken(amount: Decimal) -> str:
    euros = int(amount)
    cents = int((amount - euros) * 100)
    words = f"{num2words(euros, lang='nl')} euro"
    if cents:
        words += f" {num2words(cents, lang='nl')}"
    return words


@pytest.mark.parametrize("amount", ROUND_TRIP_AMOUNTS)
def test_spoken_prices_round_trip(amount: str) -> None:
    text = spoken(Decimal(amount))
    found = find_price_mentions(text, locale="nl_NL")
    assert [(m.amount, m.currency) for m in found] == [(Decimal(amount), "EUR")], text


# Prices as shops, estate agents, energy and telecom tariff pages write them (the examples
# of the issue that asked for them), read with the page's own locale; the channel's currency
# is given, so that an amount without one counts where only a price can be meant.
WRITTEN = [
    P("4 120,00 €", "fr_FR", [eur("4120.00")], id="fr-plain-space-thousands"),
    P("1 875 €", "fr_BE", [eur("1875")], id="be-plain-space-thousands"),
    P("2 600 000 €", "fr_FR", [eur("2600000")], id="fr-plain-space-millions"),
    P("tussen 0,04 en 0,12 euro", "nl_BE", [eur("0.04", "range"), eur("0.12", "range")],
      id="be-range-between"),
    P("150-250 euro", "nl_NL", [eur("150", "range"), eur("250", "range")], id="nl-range-dash"),
    P("3, 6 of 12 euro per maand", "nl_NL",
      [eur("3"), eur("6"), eur("12", unit="month")], id="nl-list-last-has-currency"),
    P("7 miljoen euro", "nl_NL", [eur("7000000")], id="nl-scale-miljoen"),
    P("18 und 22,5 Milliarden Euro", "de_DE", [eur("18000000000"), eur("22500000000")],
      id="de-scale-list"),
    P("1,2 mld. €", "nl_NL", [eur("1200000000")], id="nl-scale-mld"),
    P("€ 0,314 per kWh", "nl_NL", [eur("0.314")], id="nl-unit-price-three-decimals"),
    P("0,065 euro per minuut", "nl_NL", [eur("0.065")], id="nl-per-minute-three-decimals"),
    P("Basis 30 €12,50", "nl_NL", [eur("12.50")], id="nl-product-number-before-price"),
    P("Plus 60 €19.95", "nl_NL", [eur("19.95")], id="nl-product-number-dot-decimal"),
    P("ca. 87,- per maand", "nl_NL", [eur("87", unit="month")], id="nl-no-currency-dash"),
    P("betaalt u 0,28 per sms", "nl_NL", [eur("0.28")], id="nl-no-currency-per-sms"),
    P("35 cent", "nl_NL", [eur("0.35")], id="nl-cent"),
    P("Euro 5", "nl_NL", [], id="nl-emission-class"),
    P("EURO 2028", "nl_NL", [], id="nl-tournament"),
    P("de invoering van de euro", "nl_NL", [], id="nl-the-euro"),
    P("een euro 4-diesel", "nl_NL", [], id="nl-euro-4-diesel"),
    P("in 2024 en 5 euro", "nl_NL", [eur("5")], id="nl-year-is-no-list-member"),
    P("€  12,50", "nl_NL", [eur("12.50")], id="nl-double-space-after-sign"),
    P(".50 €", "fr_FR", [eur("0.50")], id="fr-leading-decimal-point"),
    P("12,50 eur", "nl_NL", [eur("12.50")], id="nl-lower-case-eur"),
    P("12€ 49", "fr_FR", [eur("12.49")], id="fr-cents-apart"),
    P("quarante-neuf euros quatre-vingt-quinze", "fr_FR", [eur("49.95")], id="fr-words"),
    P("septante-cinq euros nonante", "fr_BE", [eur("75.90")], id="be-fr-words"),
    P("neunundvierzig Euro fünfundneunzig", "de_DE", [eur("49.95")], id="de-words"),
    P("1 299,95 €", "fr_BE", [eur("1299.95")], id="be-fr-plain-space"),
    P("1.299,95 €", "nl_BE", [eur("1299.95")], id="be-nl-dot-group"),
]


@pytest.mark.parametrize(("text", "locale", "expected"), WRITTEN)
def test_prices_as_people_write_them(text: str, locale: str, expected: list[Reading]) -> None:
    found = find_price_mentions(text, locale=locale, currency="EUR")
    assert [reading(m) for m in found] == expected


def test_an_amount_without_currency_needs_the_channels_currency() -> None:
    assert find_price_mentions("betaalt u 0,28 per sms", "nl_NL") == []
