"""Language rules: an output speaks one language, the one its `lang` says and its channel
speaks.

Which language a sentence is in is told by py3langid (langid.py's maintained fork: a naive
Bayes classifier over byte n-grams whose model ships in the package; offline and
deterministic), among the project's languages and the four most spoken in the EU's west.
It is kept quiet where it cannot know: names (the organisation's, its stores', the offers'
titles and brands in every language) are taken out first, with addresses, numbers and
amounts, and a sentence with fewer than MIN_WORDS words left is not judged; a sentence is
another language only when the classifier finds the output's language no likelier than
MAX_EXPECTED. How quiet
and how sharp that is, on real catalogs, `benchmarks/language.py` measures.

A sentence found in another language is told with the words found and, where the source
has that sentence, the file and line it came from (else the finding names the template).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from onevoice.config.channels import Channel
from onevoice.content.model import TRANSLATIONS, language_of
from onevoice.extract.attribution import OfferIndex
from onevoice.extract.documents import Block, Document
from onevoice.locations import Location
from onevoice.outputs.published import INTERNAL_PAGES

from .context import CheckContext, resolve_offer, titles
from .findings import Finding, finding
from .subjects import Shown

# Fewer words than this (of two letters or more, names taken out) are not judged: short
# strings (a button, a heading, a label) are too short to tell, and often shared words.
MIN_WORDS = 5
# How unlikely the classifier must find it that a sentence is in the output's language.
MAX_EXPECTED = 0.01
# Of a longer sentence only this much is judged: its language shows long before, and no
# output can make the check slow with sentences without end.
MAX_CHARS = 1000
# Besides the project's languages, the languages a stray sentence is most often in.
NEIGHBOURS = ("de", "en", "fr", "nl")

# The names a website's theme prints in its own words (Material's "Made with …").
THEME_NAMES = ("Material for MkDocs", "MkDocs")

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_ENDED = re.compile(r"[.!?:;…)\]]$")
_NOISE = re.compile(r"https?://\S+|www\.\S+|\S+@\S+|[\d.,:/\-–+%€$£]+|\[[^\]]*\]")
_WORD = re.compile(r"[^\W\d_]{2,}")


@functools.cache
def _identifier(languages: tuple[str, ...]) -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages([code for code in languages if code in identifier.labels])
    return identifier


def _language_name(code: str) -> str:
    from babel import Locale, UnknownLocaleError

    try:
        return str(Locale.parse(code).get_display_name("en"))
    except (ValueError, UnknownLocaleError):
        return code


@dataclass(frozen=True)
class Languages:
    """What the language rules know of a project, worked out once per check."""

    candidates: tuple[str, ...]
    names: OfferIndex
    """The names to take out of a sentence, found by their words in time linear in it."""
    sources: dict[str, Location]
    """The source's sentences, by their words (lowercase, joined by spaces)."""


def _key(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def _languages(ctx: CheckContext) -> Languages:
    found: Languages | None = ctx.memo.get(("languages", None))
    if found is None:
        found = ctx.memo[("languages", None)] = _gather(ctx)
    return found


def _gather(ctx: CheckContext) -> Languages:
    catalog = ctx.project.catalog
    settings = catalog.settings
    spoken = {settings.locale, *(c.locale for c in ctx.project.channels.values() if c.locale)}
    candidates = tuple(sorted({language_of(locale) for locale in spoken} | set(NEIGHBOURS)))
    names = {settings.name, *(title for offer in catalog.offers.values()
                              for title in titles(offer)),
             *(offer.brand for offer in catalog.offers.values() if offer.brand)}
    for store in catalog.stores.values():
        for shown in (store, *(store.in_locale(locale) for locale in store.translations)):
            names.update((shown.name, shown.address, shown.city))
    names.update(THEME_NAMES)
    names.discard("")
    return Languages(candidates, OfferIndex(("", name) for name in names),
                     _source_sentences(ctx))


def _source_sentences(ctx: CheckContext) -> dict[str, Location]:
    """Every sentence of the source's texts, in every language, with its file and line."""
    catalog = ctx.project.catalog
    found: dict[str, Location] = {}
    files: dict[str, list[str]] = {}

    def add(text: str, where: Location) -> None:
        for sentence in _SENTENCE_END.split(text):
            key = _key(sentence)
            if key and key not in found:
                if where.path not in files:
                    path = ctx.project.root / where.path
                    files[where.path] = path.read_text("utf-8").splitlines() \
                        if path.is_file() else []
                found[key] = Location(where.path, _line_of(files[where.path], sentence,
                                                           where.line))

    for offer in catalog.offers.values():
        for shown in (offer, *(offer.in_locale(locale) for locale in offer.translations)):
            add(shown.summary, shown.where("summary"))
            add(shown.body, Location(offer.path, shown.body_line))
    for condition in catalog.conditions.values():
        for worded in (condition, *(condition.in_locale(loc)
                                    for loc in condition.translations)):
            for variant in ("canonical", "short", "spoken"):
                add(worded.wording(variant), worded.where(variant))
    for journey in catalog.journeys.values():
        for step in journey.steps:
            add(step.message, journey.where(f"steps[{step.index}].message"))
        for locale, words in journey.translations.items():
            for step_id, step_words in words.get("steps", {}).items():
                at = f"{TRANSLATIONS}.{locale}.steps.{step_id}.message"
                add(step_words.get("message", ""), journey.where(at))
    return found


def _line_of(lines: list[str], sentence: str, start: int) -> int:
    """The line, from `start` on, where `sentence` begins in a file's `lines` (a wording
    over several lines is read as one text): the first that holds its first words, or
    starts them where the next line goes on."""
    head = " ".join(sentence.split()[:3])
    shown = [" ".join(line.split()) for line in lines]
    for number in range(max(start, 1), len(lines) + 1):
        here, after = shown[number - 1], shown[number] if number < len(lines) else ""
        if head and (head in here or head in f"{here} {after}" and head not in after):
            return number
    return start


def source_sentence(ctx: CheckContext, text: str) -> Location | None:
    """Where the source says `text` (a sentence, or a block holding one), if it does."""
    sources = _languages(ctx).sources
    found = sources.get(_key(text))
    if found is None:
        found = next((sources[key] for sentence in _SENTENCE_END.split(text)
                      if (key := _key(sentence)) in sources), None)
    return found


def sentences(document: Document) -> Iterator[tuple[str, Block]]:
    """The sentences a document shows, each with the block it starts in. A line that runs on
    in the next block (a PDF's wrapped lines) is joined to it."""
    run: list[Block] = []
    for block in [*document.blocks, None]:
        if run and (block is None or _ENDED.search(run[-1].text.rstrip())
                    or not block.text[:1].islower()
                    or block.location.part != run[-1].location.part):
            text = " ".join(b.text.strip() for b in run)
            for sentence in _SENTENCE_END.split(text):
                yield sentence, run[0]
            run = []
        if block is not None:
            run.append(block)


def _judged(ctx: CheckContext, known: Languages, sentence: str, expected: str
            ) -> tuple[str, float] | None:
    """The language `sentence` is most likely in and the chance that it is in `expected`,
    or None when it is too short to tell once names, addresses and numbers are out. Each
    sentence is judged once a check (conditions and templates repeat on every page)."""
    key = ("language", sentence)
    if key not in ctx.memo:
        ctx.memo[key] = _classified(known, sentence[:MAX_CHARS])
    verdict: tuple[str, dict[str, float]] | None = ctx.memo[key]
    return None if verdict is None else (verdict[0], verdict[1].get(expected, 0.0))


def _classified(known: Languages, sentence: str) -> tuple[str, dict[str, float]] | None:
    kept, end = [], 0
    for start, stop, _ in known.names.find(sentence):
        kept.append(sentence[end:start])
        end = stop
    cleaned = _NOISE.sub(" ", " ".join([*kept, sentence[end:]]))
    if len(_WORD.findall(cleaned)) < MIN_WORDS:
        return None
    ranked = _identifier(known.candidates).rank(" ".join(cleaned.split()))
    return str(ranked[0][0]), {str(code): float(p) for code, p in ranked}


def _for_staff(ctx: CheckContext, relpath: str, channel: Channel | None) -> bool:
    """The build's internal pages (the channel map, the rule reference, in the words of
    the rules' English texts): for staff, in whatever language they read."""
    if channel is None or not channel.spec.website:
        return False
    inside = relpath.removeprefix(f"{channel.name}/") if ctx.channel is None else relpath
    return (relpath.startswith(f"{channel.internal}/") or channel.internal == "site"
            and inside.split("/")[0].removesuffix(".html") in INTERNAL_PAGES)


def check_language(ctx: CheckContext, shown: Shown) -> Iterator[Finding]:
    """language.declared: the output's `lang` is not its channel's language;
    language.mixed: a sentence in another language than the output's."""
    document, channel = shown
    speaks = language_of(ctx.locale_of(channel.name if channel else ctx.channel))
    declared = language_of(document.lang) if document.lang else ""
    name = channel.name if channel else None
    if declared and declared != speaks and (channel is None or channel.locale
                                            or not channel.spec.feed):
        yield finding("language.declared",
                      f"the output says it is in {_language_name(declared)} (lang "
                      f"'{document.lang}'), but channel '{name}' speaks "
                      f"{_language_name(speaks)}", channel=name, expected=speaks,
                      found=document.lang, output=document.location)
    expected = declared or speaks
    known = _languages(ctx)
    if expected not in known.candidates or _for_staff(ctx, document.path, channel):
        return
    for sentence, block in sentences(document):
        verdict = _judged(ctx, known, sentence, expected)
        if verdict is None or verdict[0] == expected or verdict[1] > MAX_EXPECTED:
            continue
        source = known.sources.get(_key(sentence))
        offer = resolve_offer(ctx, document, block, 0, None)
        came = f" (from {source})" if source else ""
        yield finding("language.mixed",
                      f"{_language_name(verdict[0])} text in an output in "
                      f"{_language_name(expected)}{came}: '{sentence.strip()}'",
                      offer=offer, channel=name, expected=_language_name(expected),
                      found=sentence.strip(), source=source, output=block.location)
