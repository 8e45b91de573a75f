"""The scan that tells whether an overview page may name an offer."""

from __future__ import annotations

from pathlib import Path

from onevoice.check.context import CheckContext, may_name
from onevoice.check.naming import names_any, page_text
from onevoice.extract.documents import Block, Document
from onevoice.locations import Location
from onevoice.project import load_project
from tests.conftest import AS_OF


def test_a_title_is_found_by_its_words_however_the_page_writes_them() -> None:
    titles = ["Glasvezel 500", "Fibre 500"]
    assert names_any(b"<p>GLASVEZEL <b>500</b></p>", [], titles)
    assert names_any(b"<p>Glasvezel&#160;500</p>", [], titles)
    assert names_any(b'{"name": "Fibre\\u00a0500"}', [], titles)
    assert not names_any(b"<p>Glasvezel 1000</p>", [], titles)


def test_an_id_names_the_offer_and_a_file_not_in_utf8_names_every_offer() -> None:
    assert names_any(b'<a href="/aanbod/glasvezel-500/">meer</a>', ["glasvezel-500"], [])
    assert not names_any(b"<p>Mobiel</p>", ["glasvezel-500"], ["Glasvezel 500"])
    assert names_any("<p>Café</p>".encode("latin-1"), ["glasvezel-500"], [])
    assert page_text("<p>Caf&eacute; \\u00c9T\u00c9</p>".encode()) == "<p>café été</p>"


def test_a_document_read_in_part_is_kept_where_it_may_name_the_offers(tiny_project: Path
                                                                      ) -> None:
    """Another offer's feed item that names a changed offer can have a finding on it."""
    ctx = CheckContext(load_project(tiny_project), AS_OF)

    def item(offer: str, text: str) -> Document:
        document = Document("feed/nl-NL.xml", Location("feed/nl-NL.xml", 1), offer=offer)
        document.blocks.append(Block(text, Location("feed/nl-NL.xml", 2)))
        return document

    assert may_name(ctx, item("basis-internet", "Snel internet"), {"basis-internet"})
    assert may_name(ctx, item("router-plus", "Samen met Basis Internet"), {"basis-internet"})
    assert not may_name(ctx, item("router-plus", "Router Plus"), {"basis-internet"})
