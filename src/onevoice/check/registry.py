"""Every rule, in one table: its dotted id, default severity, what it checks and why.

Severity and on/off come from configuration (onevoice.yml), not from code; the
functions that raise the findings live in one module per family.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from onevoice.common import is_url

if TYPE_CHECKING:
    from onevoice.project import Project

# The rule reference: one page per rule, on the website or among the build's internal
# pages (see render/web.py).
RULES_PATH = "regels"


def rule_pages(project: Project, target: str) -> str:
    """Where each rule's page is, with `{rule}` for its id; empty when there is none.

    On the site (`internal: site` in the web channel) under the base URL; else among the
    internal pages of the checked build, as a file URI.
    """
    for channel in sorted(project.channels.values(), key=lambda c: c.name):
        if not channel.spec.website or not (channel.folder / "rule.md.j2").is_file():
            continue
        if channel.internal == "site":
            return f"{project.catalog.settings.base_url.rstrip('/')}/{RULES_PATH}/{{rule}}/"
        if not is_url(target):
            folder = Path(target).resolve() / channel.internal / RULES_PATH
            return folder.as_uri() + "/{rule}.html"
    return ""


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    summary: str
    rationale: str
    hint: str
    example: str = ""
    """A situation that fails the rule, for the rule reference."""

    @property
    def family(self) -> str:
        return self.id.partition(".")[0]


RULES: dict[str, Rule] = {rule.id: rule for rule in (
    Rule("price.mismatch", "error",
         "A price near an offer matches none of the offer's prices in the source.",
         "A customer who sees two prices for one offer calls, complains or walks away; in "
         "the Netherlands the advertised price including VAT is the price that must be paid.",
         "Fix the output or rebuild it from the source; if the source is wrong, fix the "
         "offer's price there.",
         "The chat answer says \"Glasvezel 500 voor € 45,95 per maand\" while the offer costs "
         "€ 49,95."),
    Rule("price.structured-data", "error",
         "The schema.org JSON-LD or microdata price disagrees with the source.",
         "Search engines and shopping services show the structured price; Google Merchant "
         "Center disapproves a product whose page price and structured data disagree.",
         "Rebuild the page; structured data is generated from the offer's price.",
         "The page shows € 49,95 and its JSON-LD says \"price\": \"54.95\"."),
    Rule("price.currency", "error",
         "A price is written in another currency than the offer's.",
         "A price in the wrong currency is a wrong price.",
         "Write the price in the offer's currency.",
         "A store card in euros says \"USD 49.95\"."),
    Rule("price.unit", "warning",
         "A price is shown with another unit (per month, one-off) than the source says.",
         "€ 49,95 per month and € 49,95 one-off are different offers to a customer.",
         "Show the unit that the offer's price has in the source.",
         "The phone script says \"€ 15\" for a price of € 15 per month."),
    Rule("price.format", "warning",
         "An amount written the way another of the project's languages writes amounts, "
         "not the way the output's language does (CLDR): `€ 1.299,95` in French text, "
         "where fr-BE writes `1 299,95 €`.",
         "A template or page copied from the other language formats amounts by hand; the "
         "customer reads the other language's habits, and a group sign of one language is "
         "the decimal sign of another.",
         "Format the amount with the channel's filters (`| price`), which follow the "
         "channel's locale.",
         "channels/web-fr/offer.md.j2 writes \"€ {{ offer.price.amount }}\"."),
    Rule("price.ambiguous", "warning",
         "A price can be read in two ways (for example € 1,299 on a Dutch page).",
         "A customer may read it as the other amount; write it by the locale's rules.",
         "Write the amount with the locale's decimal and grouping separators.",
         "A Dutch page says \"€ 1,299\" for a router of € 1.299,00."),
    Rule("feed.price", "error",
         "A product feed item's g:price, g:sale_price or g:subscription_cost (amount, period, "
         "term) is not what the source gives.",
         "Shopping sites show the feed's price next to the offer; a customer who clicks "
         "through and sees another price leaves, and Merchant Center disapproves the item.",
         "Rebuild the feed; if the source is wrong, fix the offer's price there. A "
         "subscription's g:price is its one-off costs, its monthly price is in "
         "g:subscription_cost; segment prices do not go into a public feed.",
         "The feed says `<g:amount>49.95 EUR</g:amount>` for Glasvezel 1000, which costs "
         "€ 54,95 per month."),
    Rule("feed.sale-date", "error",
         "A feed item's g:sale_price_effective_date is not the reduction's period in the "
         "source (from its start to the offer's last day).",
         "A sale price shown outside its period is a reduction the shop does not give, or "
         "one it announces after it ended.",
         "Rebuild the feed from the source; the interval is made from the reduction's start "
         "and the offer's validity.",
         "`g:sale_price_effective_date` still ends on 31 October for a reduction that runs "
         "until the end of the year."),
    Rule("feed.title", "error",
         "A feed item's title is not the offer's title in the feed's language.",
         "Shopping sites match items to landing pages by title; a customer looks for the "
         "name the feed showed.",
         "Rebuild the feed; titles in other languages come from the offer's translations.",
         "The French feed's item says \"Glasvezel 500\" where the translation is \"Fibre "
         "500\"."),
    Rule("feed.landing-page", "error",
         "The page a feed item links to shows another title, price or sale price than the "
         "item.",
         "Merchant Center compares every item with its landing page and disapproves an "
         "offer whose page shows another price than the feed (price mismatch).",
         "Rebuild the site and the feed together from the source; fix a hand edit on the "
         "page.",
         "The feed gives `54.95 EUR` per month; the page, edited by hand, says € 59,95."),
    Rule("feed.landing-missing", "error",
         "A feed item links to a page the website does not have (or that cannot be read).",
         "An item whose link leads nowhere is disapproved, and a customer who clicks it "
         "lands on an error page.",
         "Put the offer on the website (its 'channels'), or take it out of the feed.",
         "The feed links to /aanbod/internet/glasvezel-8000/, a page the site does not "
         "build yet."),
    Rule("feed.unknown-item", "error",
         "A feed item whose g:id is no offer in the source.",
         "An item nobody can trace to the source is an offer nobody checks.",
         "Rebuild the feed; remove items added by hand.",
         "An item `<g:id>zomeractie</g:id>` left after the summer promotion was deleted."),
    Rule("feed.missing-item", "error",
         "An offer the source lists on the feed, with a page on a website in the feed's "
         "language, has no item in that feed.",
         "An offer missing from the feed is missing from every shopping site: customers "
         "comparing prices do not find it, and nobody notices that it went.",
         "Rebuild the feed from the source; if the offer should not be on shopping sites, "
         "take 'feed' out of its 'channels'.",
         "The feed, edited by hand, lost the item of Glasvezel 500, which lists 'feed'."),
    Rule("feed.duplicate-item", "error",
         "A feed has more than one item with the same g:id.",
         "Merchant Center keeps one item per id and drops the others, so which price it "
         "shows is a matter of chance.",
         "Rebuild the feed; remove items copied by hand.",
         "Two items `<g:id>glasvezel-500</g:id>`, one with last month's price."),
    Rule("merchant.required", "error",
         "A feed item lacks an attribute Google's product data specification requires of it "
         "(image_link, availability, price, brand for a new product, gtin or mpn or "
         "identifier_exists no).",
         "Merchant Center disapproves an item without a required attribute: the offer is on "
         "no shopping site, and nothing in the feed's own checks says so.",
         "Add the field the finding names to the offer (image, brand, gtin, mpn, "
         "identifier_exists) and rebuild.",
         "The item of a thermostat has no g:image_link and no g:brand."),
    Rule("merchant.recommended", "warning",
         "A feed item lacks an attribute the specification recommends (a sale's "
         "sale_price_effective_date).",
         "Without it Merchant Center guesses, and a sale price may show after the sale ended.",
         "Give the offer what the finding names and rebuild.",
         "A g:sale_price without g:sale_price_effective_date."),
    Rule("merchant.invalid", "error",
         "A feed attribute has a value Merchant Center does not take: an availability outside "
         "its list, an image that is no absolute URL of a supported format, a GTIN with a "
         "wrong check digit, a sale price not below the price, g:subscription_cost outside "
         "the countries and mobile products it is allowed for.",
         "Merchant Center disapproves the item or drops the attribute, and the shopping site "
         "shows something else than the shop meant.",
         "Fix the offer's field, or rebuild a feed edited by hand.",
         "`<g:subscription_cost>` on a fibre contract in a feed for the Netherlands."),
    Rule("schemaorg.required", "error",
         "An offer page's schema.org Product lacks a property Google's merchant listings "
         "require (name, image, offers.price, offers.priceCurrency).",
         "Without it the page is not shown as a merchant listing in search results.",
         "Give the offer an image (or what the finding names) and rebuild the page.",
         "The JSON-LD of a device's page has no image."),
    Rule("schemaorg.recommended", "warning",
         "An offer page's schema.org Product lacks a property Google recommends and the "
         "source knows: brand, gtin, availability, priceValidUntil for an offer with an "
         "end, a StrikethroughPrice for a reduction's earlier price.",
         "Search results show the earlier price and the offer's end only when the page says "
         "them.",
         "Rebuild the page; give the offer its gtin.",
         "A reduced offer whose JSON-LD gives no StrikethroughPrice."),
    Rule("schemaorg.invalid", "error",
         "An offer page's schema.org Product has an image that is no absolute URL of a "
         "format search engines show.",
         "A listing whose picture cannot be read is not shown with one.",
         "Fix the offer's image.",
         "\"image\": \"thermostaat.svg\"."),
    Rule("condition.missing", "error",
         "A condition that applies to the offer does not appear where the offer does.",
         "Conditions must be given with the offer, in every channel, before the customer "
         "decides (Dutch Civil Code 6:230m for distance contracts).",
         "Include the condition in its approved wording for this channel.",
         "The email of Glasvezel 500 leaves out the minimum term of twelve months."),
    Rule("condition.drift", "error",
         "A condition appears in a wording that differs from every approved wording.",
         "Legal wording that drifts (a changed number, a dropped 'niet') changes what was "
         "promised; only the approved wordings are checked by legal.",
         "Use the approved wording exactly; the diff shows what differs.",
         "\"Het toestel valt onder de garantie\" where the approved wording says \"valt "
         "niet onder de garantie\"."),
    Rule("language.mixed", "error",
         "A sentence in another language than the output's (its `lang`, else its "
         "channel's locale): a text left untranslated, a template copied from another "
         "language, a hand-written page in the wrong language.",
         "The customer is owed their own language on the shelf, on the phone and in the "
         "contract terms (in Belgium the language laws; in Canada, Quebec's Charter); a "
         "condition they cannot read was not given to them.",
         "Translate the text where the finding says it came from: the source's "
         "`translations:` for the channel's locale, or the channel's template. Short "
         "strings and names are not judged.",
         "The French page of Fibre 500 shows \"Ideaal voor streaming en thuiswerk.\": the "
         "offer's French words lack a 'body'."),
    Rule("language.declared", "error",
         "An output declares another language (`<html lang>`, a PDF's /Lang, a feed's "
         "`<language>`) than its channel speaks.",
         "Screen readers, search engines and shopping sites read the text in the "
         "declared language: a French page declared Dutch is read out in Dutch.",
         "Set the language in the channel's template (or the channel's `locale`).",
         "channels/phone-fr/script.html.j2 starts with `<html lang=\"nl\">`."),
    Rule("term.forbidden", "error",
         "A forbidden term is used.",
         "The organisation speaks one language in every channel; forbidden terms are "
         "misleading, outdated or off-brand.",
         "Use the preferred term.",
         "A page says \"fiber\" where the terminology forbids it for \"glasvezel\"."),
    Rule("term.not-preferred", "warning",
         "A term is used where the terminology prefers another.",
         "Customers recognise one name for one thing across channels.",
         "Use the preferred term.",
         "The chat says \"helpdesk\" where the terminology prefers \"klantenservice\"."),
    Rule("output.stale", "error",
         "An output that the current source would not produce: an offer that no longer "
         "exists or is not valid on the check date, or a file left from an old build.",
         "An expired offer that is still published is still an offer the customer can "
         "hold the organisation to.",
         "Rebuild, and remove files that the build does not produce.",
         "build/chat/zomeractie.json is still published after the summer promotion's offer "
         "was deleted."),
    Rule("output.foreign", "warning",
         "A file that no build produced (it is not in the build manifest).",
         "Hand-written pages are allowed, but nobody regenerates them when the source "
         "changes; their prices and conditions are checked like any other.",
         "Move the page into docs/ so the build produces it, or keep it and watch its "
         "findings.",
         "A flyer.html copied into the site folder by hand."),
    Rule("output.modified", "warning",
         "A generated file was changed after the build (its hash differs from the manifest).",
         "Hand edits are lost at the next build and are not reviewed as source changes.",
         "Make the change in content/ or the channel's templates and rebuild.",
         "Someone fixed a typo in build/email/glasvezel-500.eml instead of in the offer."),
    Rule("output.unreadable", "error",
         "An output that could not be read or fetched whole: too large, corrupt, nested "
         "too deeply, in an unknown encoding, a PDF without readable text (an unsupported "
         "filter, only images), or a server that failed to answer.",
         "What the checker cannot read it cannot compare: a wrong price there would pass.",
         "Fix or remove the file (or the server); the finding says what went wrong.",
         "A print sheet PDF was cut off during upload: build/store/centrum/print-sheet.pdf "
         "ends after 300 bytes."),
    Rule("output.outdated", "warning",
         "The build is older than the source: a file of `content/`, `channels/`, `docs/` "
         "or `mkdocs.yml` changed, was added or was removed after the build.",
         "The outputs may still show what the source no longer says, or lack what it added.",
         "Rebuild before publishing.",
         "The offer's price was changed in content/ this morning, and a new offer added; the "
         "build is from yesterday."),
    Rule("price.segment-unnamed", "error",
         "A segment price (for example the long-term customers' price) is shown without "
         "naming the customers it is for.",
         "A customer reads a price without qualification as the price for everyone; a lower "
         "loyalty price shown bare is misleading to new customers.",
         "Name the customer relation next to the segment price (\"klant sinds drie jaar of "
         "langer\").",
         "A shelf card says \"Glasvezel 500 € 44,95 per maand\" where € 44,95 is the "
         "long-term customers' price."),
    Rule("price.reduction", "error",
         "An announced reduction does not show, as the earlier price, the lowest price of the "
         "30 days before the reduction.",
         "EU Omnibus directive (2019/2161) and the Dutch Besluit prijsaanduiding producten, "
         "art. 5a: the earlier price of a reduction is the lowest price applied in the 30 days "
         "before it.",
         "Show as earlier price the lowest price of the 30 days before the reduction; onevoice "
         "computes it from the offer's price history.",
         "\"Van € 69,95 voor € 54,95\" while the price was € 64,95 for the last three weeks."),
    Rule("price.reduction-percentage", "error",
         "A stated percentage or saving is not computed from the earlier price.",
         "Art. 5a Besluit prijsaanduiding producten: a percentage or amount off must be "
         "calculated from the earlier price as defined by the 30-day rule.",
         "Compute the percentage or saving from the earlier price of the reduction.",
         "\"21% korting\" computed from € 69,95 while the earlier price is € 64,95 (15%)."),
    Rule("price.reduction-source", "error",
         "A reduction in the source that cannot be announced lawfully: no price history for "
         "the 30 days before it, or a 'reduced' price that is not lower.",
         "Without the prices of the 30 days before a reduction its earlier price cannot be "
         "shown; a reduction must reduce.",
         "Add the price history, declare an exception (perishable, new-product, progressive), "
         "or remove the reduction.",
         "A reduction since 2026-09-01 with a price history that starts on 2026-08-25."),
    Rule("price.one-off-missing", "error",
         "A monthly price is shown without the one-off costs of the subscription.",
         "The Dutch regulator (ACM) requires subscription prices to show one-off costs "
         "together with the monthly price, so customers can compare the real cost.",
         "Show the one-off costs (for example connection costs) next to the monthly price.",
         "A category page lists \"Glasvezel 500 € 49,95 per maand\" without the € 25,00 "
         "connection costs."),
    Rule("price.total-missing", "off",
         "A subscription is shown without its total cost over the contract term.",
         "Some organisations (and some regulators for some sectors) require the total cost "
         "over the minimum term; turn this rule on in onevoice.yml where that applies.",
         "Show the total over the term: monthly price × months + one-off costs.",
         "Glasvezel 500 shown without \"totaal over 12 maanden: € 624,40\"."),
    Rule("term.gratis", "error",
         "The word 'gratis' (free) near an offer that has a price or one-off costs.",
         "Calling something free that the customer pays for, directly or through connection "
         "costs, is a misleading practice (Unfair Commercial Practices Directive, annex I "
         "no. 20).",
         "Remove 'gratis' or make the thing really free in the source.",
         "\"Gratis installatie\" next to an offer with € 25,00 connection costs."),
    Rule("relation.sales-language", "error",
         "Sales language in content for an obligatory relation (a tax office's or benefits "
         "agency's clients).",
         "People who must deal with an organisation are clients, not customers: sales "
         "language to them is inappropriate and erodes trust.",
         "Use neutral, informative wording; the word list is in onevoice.yml "
         "(check.sales_terms).",
         "A journey for benefit recipients whose step says \"Profiteer nu van de actie\"."),
    Rule("relation.cross-sell", "error",
         "Content for an obligatory relation names another offer (cross-sell).",
         "Obligatory relations get what they need, not what else is for sale.",
         "Remove the other offer from this content.",
         "The page of a compulsory service that also advertises Glasvezel 500."),
    Rule("channel.unverified-sensitive", "error",
         "A sensitive topic (financial, medical, personal data) on a channel where the "
         "customer's identity is not verified.",
         "Money and health information may only be given where the organisation knows who "
         "it is talking to; open chat and social media are not such places.",
         "Remove the channel from the offer or step, or verify identity on that channel.",
         "The travel insurance offered in the open chat."),
    Rule("channel.identity-order", "error",
         "A phone script of a sensitive offer gives details before checking the caller's "
         "identity.",
         "The identity check comes before anything sensitive is said, not after.",
         "Move the identity check to the start of the script, right after the greeting.",
         "A script that reads the insurance premium before asking for the customer number."),
    Rule("channel.too-few", "error",
         "An offer or journey step is reachable on fewer channels than the minimum (2).",
         "Offer more than one channel for every question: customers differ in how they want "
         "to be helped.",
         "Add a channel to the offer or a supporting channel to the step.",
         "An offer only on the website."),
    Rule("channel.too-many", "warning",
         "An offer or journey step is on more channels than the maximum (6).",
         "Too much choice is itself unfriendly, and every channel must be kept consistent.",
         "Choose the channels that serve this question best.",
         "A step with nine supporting channels."),
    Rule("channel.no-mix", "warning",
         "An offer or journey step is only online or only offline.",
         "Mix online and offline channels, so that every customer can reach you the way they "
         "prefer.",
         "Add an online or an offline channel.",
         "An offer on website, email and chat only."),
    Rule("journey.preferred-content", "error",
         "A journey step has no content in the output of its preferred channel.",
         "Every step needs the right information in its preferred channel, without gaps.",
         "Add the journey template to the preferred channel, or change the preferred channel.",
         "The step 'Bevestiging' prefers email, but no email carries its message."),
    Rule("journey.no-support", "warning",
         "A journey step has no supporting channel.",
         "Every step has a preferred channel and supporting channels, so a customer who "
         "cannot use the first still gets help.",
         "Add a supporting channel to the step.",
         "A step with a preferred channel and nothing else."),
    Rule("journey.single-channel-moment", "error",
         "A moment of truth is left to a single channel.",
         "The moments that decide the relation must not depend on one channel being "
         "available and good.",
         "Add supporting channels to the moment of truth.",
         "The installation step, a moment of truth, only by phone."),
    Rule("journey.asked-twice", "warning",
         "A journey step asks the customer for information an earlier step already asked.",
         "Never ask the customer the same thing twice.",
         "Pass the information on from the step that asked it; remove it from this step.",
         "Ordering asks for the postcode, and installation asks for it again."),
    Rule("journey.message-missing", "error",
         "A journey step that sends a message has no such message in the channel it names.",
         "A promised confirmation that never arrives is a repeat contact.",
         "Add the journey template to that channel, or correct 'sends'.",
         "The order step sends an email, but no email carries it."),
    Rule("validity.expired", "error",
         "An offer whose validity window has ended still appears in an output.",
         "An expired offer that is still published is an offer the customer can hold the "
         "organisation to.",
         "Rebuild, and remove the page, card or mention.",
         "Last season's promotion still on a page in the site."),
    Rule("validity.not-yet-valid", "error",
         "An offer whose window has not started appears in an output (a leak).",
         "A campaign published before its start date cannot be taken back.",
         "Rebuild for the right date, and remove the leaked output.",
         "Next month's price already on the shelf card."),
    Rule("validity.ending-soon", "warning",
         "An offer's validity window ends within 14 days of the check date.",
         "Store staff need time to reprint and replace cards; emails need time to change.",
         "Plan the replacement: extend the window or prepare the next offer.",
         "A promotion that ends next week with cards still on the shelves."),
    Rule("waiver.expired", "error",
         "A waiver has passed its expiry date.",
         "Accepted exceptions are temporary by design; an expired one must be looked at "
         "again.",
         "Fix the finding or renew the waiver with a new reason and date.",
         "A waiver for the old store cards that expired last Monday."),
    Rule("waiver.unused", "warning",
         "A waiver matches no finding.",
         "Waivers that match nothing hide nothing but clutter the list, and may hide a "
         "future problem.",
         "Remove the waiver.",
         "A waiver of price.mismatch for cards that have since been reprinted."),
)}
