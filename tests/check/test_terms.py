"""The term matcher: one per terms list, never another project's."""

from __future__ import annotations

from onevoice.check.terms import _matcher
from onevoice.content.model import Term
from onevoice.locations import Location


def test_a_freed_terms_list_at_the_same_address_is_not_reused() -> None:
    """Projects checked one after another in one process: a project's terms list may get
    the address (the id) of an earlier one's, freed; its matcher is made from its own."""
    made = [Term("glasvezel", [f"fiber{n}"], [], None, Location("content/terms.yml", 2))
            for n in range(50)]
    for number, term in enumerate(made):
        terms = [term]  # the list before it is freed now, and its address comes free
        pattern, words = _matcher(terms, None)
        assert list(words) == [f"fiber{number}"]
        assert pattern is not None and pattern.search(f"ook wel fiber{number} genoemd")
