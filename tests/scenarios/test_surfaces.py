"""Every surface a customer perceives, in every channel that has it.

Each row puts a price into one surface of one output of the example build: the wrong
price must be caught with the right rule, offer and surface; the right price in the same
place must stay quiet (only the hand edit itself is reported, as `output.modified`).
Hidden things that no customer perceives stay out, whatever price they hold.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.builders import apply_edit, checked
from tests.conftest import AS_OF, REPO

OFFER = "glasvezel-500"
SOURCE = "content/offers/glasvezel-500.md:6"
RIGHT, WRONG = ("€ 49,95", "49.95"), ("€ 39,95", "39.95")
PAGE = "web/aanbod/internet/glasvezel-500/index.html"
EMAIL = "email/glasvezel-500.eml"
CARD = "store/groningen/glasvezel-500"
SCRIPT = "phone/glasvezel-500.html"
HEAD = "<meta charset=\"utf-8\">"
BODY = '<div class="ov-offer" data-offer="glasvezel-500">'
TEXT = "Glasvezel 500 voor {price} per maand"


def text_edit(file: str, anchor: str, insert: str) -> dict[str, Any]:
    """Insert after `anchor`: `{price}` is the shown price, `{amount}` the machine-read one."""
    return {"file": file, "kind": "text", "replace": anchor, "with": anchor + insert}


# (id, channel, edit, rule, surface named in the output location)
SURFACES: list[tuple[str, str, dict[str, Any], str, str]] = [
    ("web-title", "web", {"file": PAGE, "kind": "text", "replace": "<title>Glasvezel 500 -",
                          "with": "<title>" + TEXT + " -"}, "price.mismatch", "title"),
    *[(f"web-meta-{name.replace(':', '-')}", "web",
       text_edit(PAGE, HEAD, f'<meta {attribute}="{name}" content="{TEXT}">'),
       "price.mismatch", name)
      for attribute, name in [("name", "description"), ("property", "og:description"),
                              ("property", "og:title"), ("name", "twitter:description")]],
    ("web-jsonld-description", "web",
     text_edit(PAGE, HEAD, '<script type="application/ld+json">{"@context": "https://schema.org",'
               f' "@type": "Product", "name": "Glasvezel 500", "description": "{TEXT}"}}'
               "</script>"), "price.mismatch", "JSON-LD description"),
    ("web-microdata", "web",
     text_edit(PAGE, BODY, '<div itemscope itemtype="https://schema.org/Product">'
               '<meta itemprop="name" content="Glasvezel 500"><div itemprop="offers" itemscope'
               ' itemtype="https://schema.org/Offer"><meta itemprop="price" content="{amount}">'
               '<meta itemprop="priceCurrency" content="EUR"></div></div>'),
     "price.structured-data", ""),
    ("web-rdfa", "web",
     text_edit(PAGE, BODY, '<div vocab="https://schema.org/" typeof="Product">'
               '<meta property="name" content="Glasvezel 500"><div property="offers"'
               ' typeof="Offer"><meta property="price" content="{amount}">'
               '<meta property="priceCurrency" content="EUR"></div></div>'),
     "price.structured-data", ""),
    ("web-open-graph-price", "web",
     text_edit(PAGE, HEAD, '<meta property="product:price:amount" content="{amount}">'
               '<meta property="product:price:currency" content="EUR">'),
     "price.structured-data", ""),
    ("web-alt", "web", text_edit(PAGE, BODY, f'<img src="router.png" alt="{TEXT}">'),
     "price.mismatch", "alt"),
    ("web-aria-label", "web",
     text_edit(PAGE, BODY, f'<a href="#bestel" aria-label="Bestel {TEXT}">Bestel</a>'),
     "price.mismatch", "aria-label"),
    ("web-aria-description", "web",
     text_edit(PAGE, BODY, f'<button aria-description="{TEXT}">Bestel</button>'),
     "price.mismatch", "aria-description"),
    ("web-title-attribute", "web",
     text_edit(PAGE, BODY, f'<abbr title="{TEXT}">GV500</abbr>'), "price.mismatch", "title"),
    ("web-visually-hidden", "web",
     text_edit(PAGE, BODY, f'<span class="sr-only">{TEXT}</span>'),
     "price.mismatch", "visually hidden"),
    ("email-subject", "email",
     {"file": EMAIL, "kind": "header", "header": "Subject", "replace": "Glasvezel 500 bij",
      "with": TEXT + " bij"}, "price.mismatch", "Subject"),
    ("email-preheader", "email",
     {"file": EMAIL, "kind": "email", "part": "html", "replace": "Snel en stabiel",
      "with": "Nu {price} per maand. Snel en stabiel"}, "price.mismatch",
     "text/html part, preheader"),
    ("email-html-title", "email",
     {"file": EMAIL, "kind": "email", "part": "html", "replace": "<title>Glasvezel 500 bij",
      "with": "<title>" + TEXT + " bij"}, "price.mismatch", "text/html part, title"),
    ("email-alt", "email",
     {"file": EMAIL, "kind": "email", "part": "html", "replace": "</h1>",
      "with": f'</h1><img src="cid:logo" alt="{TEXT}">'}, "price.mismatch",
     "text/html part, alt"),
    ("store-pdf-metadata-title", "store",
     {"file": f"{CARD}.pdf", "kind": "pdf", "replace": "<title>Glasvezel 500 ·",
      "with": "<title>" + TEXT + " ·"}, "price.mismatch", "metadata title"),
    ("phone-aria-label", "phone",
     {"file": SCRIPT, "kind": "text", "replace": "<h1",
      "with": f'<p aria-label="{TEXT}">Lees voor</p><h1'}, "price.mismatch", "aria-label"),
    ("email-aria-label", "email",
     {"file": EMAIL, "kind": "email", "part": "html", "replace": "</h1>",
      "with": f'</h1><p aria-label="{TEXT}">Nu</p>'}, "price.mismatch",
     "text/html part, aria-label"),
    ("phone-title", "phone",
     {"file": SCRIPT, "kind": "text", "replace": "<title>Belscript: Glasvezel 500",
      "with": "<title>Belscript: " + TEXT}, "price.mismatch", "title"),
]

# Hidden from every customer: whatever price they hold is not an output.
HIDDEN = [
    ("template", f"<template><p>{TEXT}</p></template>"),
    ("hidden-attribute", f"<p hidden>{TEXT}</p>"),
    ("aria-hidden", f'<p aria-hidden="true">{TEXT}</p>'),
    ("aria-hidden-alt", f'<span aria-hidden="true"><img src="x.png" alt="{TEXT}"></span>'),
    ("script", f"<script>var teaser = '{TEXT}';</script>"),
    ("style", f"<style>.x::after {{ content: '{TEXT}'; }}</style>"),
    ("display-none", f'<p style="display:none">{TEXT}</p>'),
]


def _fill(edit: dict[str, Any], price: tuple[str, str]) -> dict[str, Any]:
    return {key: value.replace("{price}", price[0]).replace("{amount}", price[1])
            if isinstance(value, str) else value for key, value in edit.items()}


def _check(example_build: Path, tmp_path: Path, edits: list[dict[str, Any]]) -> list[Any]:
    build = tmp_path / "build"
    shutil.copytree(example_build, build)
    for edit in edits:
        apply_edit(build, edit, example_build)
    return checked(REPO, str(build), AS_OF).findings


@pytest.mark.parametrize("wrong", [True, False], ids=["wrong-caught", "right-quiet"])
@pytest.mark.parametrize(("name", "channel", "edit", "rule", "where"), SURFACES,
                         ids=[row[0] for row in SURFACES])
def test_a_price_in_the_surface_is_checked(example_build: Path, tmp_path: Path, name: str,
                                           channel: str, edit: dict[str, Any], rule: str,
                                           where: str, wrong: bool) -> None:
    findings = _check(example_build, tmp_path, [_fill(edit, WRONG if wrong else RIGHT)])
    # A Product added by hand lacks image and brand, which the merchant listing rules
    # report (tests/check/test_merchant.py); this test is about its prices.
    prices = [(f.rule, f.offer, f.channel, f.output.path, f.output.part, str(f.source))
              for f in findings if f.rule != "output.modified" and f.output
              and not f.rule.startswith("schemaorg.")]
    expected = [(rule, OFFER, channel, edit["file"], where, SOURCE)] if wrong else []
    if wrong and rule == "price.structured-data" and channel == "web":
        # The feed item links to this page, whose structured price now disagrees with it.
        expected.insert(0, ("feed.landing-page", OFFER, "feed", "feed/nl-NL.xml", "", SOURCE))
    assert prices == expected
    assert ("output.modified", edit["file"]) in [
        (f.rule, f.output.path if f.output else None) for f in findings]


@pytest.mark.parametrize(("name", "insert"), HIDDEN, ids=[row[0] for row in HIDDEN])
def test_a_price_no_customer_perceives_stays_out(example_build: Path, tmp_path: Path, name: str,
                                                 insert: str) -> None:
    findings = _check(example_build, tmp_path, [_fill(text_edit(PAGE, BODY, insert), WRONG)])
    assert [(f.rule, f.output.path if f.output else None) for f in findings] == [
        ("output.modified", PAGE)]


def test_the_same_wrong_text_in_subject_and_title_is_reported_once(example_build: Path,
                                                                   tmp_path: Path) -> None:
    subject = next(row[2] for row in SURFACES if row[0] == "email-subject")
    title = next(row[2] for row in SURFACES if row[0] == "email-html-title")
    findings = _check(example_build, tmp_path, [_fill(subject, WRONG), _fill(title, WRONG)])
    prices = [(f.rule, f.output.part) for f in findings if f.rule.startswith("price.")]
    assert prices == [("price.mismatch", "Subject")]
