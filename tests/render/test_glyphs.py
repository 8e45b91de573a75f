"""A card holds only characters the fonts it is set in can print.

Typst is given the card fonts alone (typeset.CARD_FONTS, neither the machine's other fonts
nor its own): a character none of them has is left out of the printed card, or drawn as an
empty box, while reading the card back cannot see that. The build refuses it at the
source line instead.
"""

from __future__ import annotations

from pathlib import Path

from onevoice.render.glyphs import unprintable
from tests.conftest import TINY, build_project, copy_project

# Plane 16's last private-use code point: a character no font on a Debian machine draws.
NO_FONT_HAS = "\U0010fffd"


def test_only_characters_without_a_font_are_unprintable() -> None:
    # Latin, the euro sign, CJK (scripts/setup's WenQuanYi font), a soft hyphen and a
    # zero-width space (not drawn at all) are printable; the private-use character is not.
    text = f"Glasvezel é € · 光纤 ネット 인터넷 \u00ad\u200b {NO_FONT_HAS} x{NO_FONT_HAS}"
    assert unprintable(text) == [NO_FONT_HAS]
    # An emoji: some font of the machine may have it, the card fonts do not.
    assert unprintable("Snel \U0001f4f6 internet") == ["\U0001f4f6"]


def test_a_title_with_a_character_no_font_has_stops_the_build_at_its_line(tmp_path: Path
                                                                         ) -> None:
    project = copy_project(TINY, tmp_path / "tiny")
    offer = project / "content/offers/basis-internet.md"
    lines = offer.read_text(encoding="utf-8").splitlines(keepends=True)
    (number,) = [n for n, line in enumerate(lines, 1) if line.startswith("title: ")]
    lines[number - 1] = lines[number - 1].rstrip("\n") + f" {NO_FONT_HAS}\n"
    offer.write_text("".join(lines), encoding="utf-8")
    out = tmp_path / "build"
    result = build_project(project, out)
    assert result.exit_code == 2, result.output
    assert f"content/offers/basis-internet.md:{number}: '{NO_FONT_HAS}' (U+10FFFD" in result.output
    assert "empty box" in result.output and "install a font" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_a_store_name_with_a_character_no_font_has_points_at_the_stores_file(
        tmp_path: Path) -> None:
    project = copy_project(TINY, tmp_path / "tiny")
    stores = project / "content/stores.yml"
    lines = stores.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(n for n, line in enumerate(lines, 1) if "name:" in line)
    lines[number - 1] = lines[number - 1].rstrip("\n") + f" {NO_FONT_HAS}\n"
    stores.write_text("".join(lines), encoding="utf-8")
    result = build_project(project, tmp_path / "build")
    assert result.exit_code == 2, result.output
    assert f"content/stores.yml:{number}: '{NO_FONT_HAS}'" in result.output
