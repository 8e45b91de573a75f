"""Every rule, in one table: its dotted id, default severity, what it checks and why.

Severity and on/off come from configuration (onevoice.yml), not from code; the
functions that raise the findings live in one module per family.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    summary: str
    rationale: str
    hint: str

    @property
    def family(self) -> str:
        return self.id.partition(".")[0]


RULES: dict[str, Rule] = {rule.id: rule for rule in (
    Rule("price.mismatch", "error",
         "A price near an offer matches none of the offer's prices in the source.",
         "A customer who sees two prices for one offer calls, complains or walks away; in "
         "the Netherlands the advertised price including VAT is the price that must be paid.",
         "Fix the output or rebuild it from the source; if the source is wrong, fix the "
         "offer's price there."),
    Rule("price.structured-data", "error",
         "The schema.org JSON-LD or microdata price disagrees with the source.",
         "Search engines and shopping services show the structured price; Google Merchant "
         "Center disapproves a product whose page price and structured data disagree.",
         "Rebuild the page; structured data is generated from the offer's price."),
    Rule("price.currency", "error",
         "A price is written in another currency than the offer's.",
         "A price in the wrong currency is a wrong price.",
         "Write the price in the offer's currency."),
    Rule("price.unit", "warning",
         "A price is shown with another unit (per month, one-off) than the source says.",
         "€ 49,95 per month and € 49,95 one-off are different offers to a customer.",
         "Show the unit that the offer's price has in the source."),
    Rule("price.ambiguous", "warning",
         "A price can be read in two ways (for example € 1,299 on a Dutch page).",
         "A customer may read it as the other amount; write it by the locale's rules.",
         "Write the amount with the locale's decimal and grouping separators."),
    Rule("condition.missing", "error",
         "A condition that applies to the offer does not appear where the offer does.",
         "Conditions must be given with the offer, in every channel, before the customer "
         "decides (Dutch Civil Code 6:230m for distance contracts).",
         "Include the condition in its approved wording for this channel."),
    Rule("condition.drift", "error",
         "A condition appears in a wording that differs from every approved wording.",
         "Legal wording that drifts (a changed number, a dropped 'niet') changes what was "
         "promised; only the approved wordings are checked by legal.",
         "Use the approved wording exactly; the diff shows what differs."),
    Rule("term.forbidden", "error",
         "A forbidden term is used.",
         "The organisation speaks one language in every channel; forbidden terms are "
         "misleading, outdated or off-brand.",
         "Use the preferred term."),
    Rule("term.not-preferred", "warning",
         "A term is used where the terminology prefers another.",
         "Customers recognise one name for one thing across channels.",
         "Use the preferred term."),
    Rule("output.stale", "error",
         "An output that the current source would not produce: an offer that no longer "
         "exists or is not valid on the check date, or a file left from an old build.",
         "An expired offer that is still published is still an offer the customer can "
         "hold the organisation to.",
         "Rebuild, and remove files that the build does not produce."),
    Rule("output.foreign", "warning",
         "A file that no build produced (it is not in the build manifest).",
         "Hand-written pages are allowed, but nobody regenerates them when the source "
         "changes; their prices and conditions are checked like any other.",
         "Move the page into docs/ so the build produces it, or keep it and watch its "
         "findings."),
    Rule("output.modified", "warning",
         "A generated file was changed after the build (its hash differs from the manifest).",
         "Hand edits are lost at the next build and are not reviewed as source changes.",
         "Make the change in content/ or the channel's templates and rebuild."),
    Rule("output.outdated", "warning",
         "The build is older than the source: a source file changed after the build.",
         "The outputs may still show what the source no longer says.",
         "Rebuild before publishing."),
    Rule("waiver.expired", "error",
         "A waiver has passed its expiry date.",
         "Accepted exceptions are temporary by design; an expired one must be looked at "
         "again.",
         "Fix the finding or renew the waiver with a new reason and date."),
    Rule("waiver.unused", "warning",
         "A waiver matches no finding.",
         "Waivers that match nothing hide nothing but clutter the list, and may hide a "
         "future problem.",
         "Remove the waiver."),
)}
