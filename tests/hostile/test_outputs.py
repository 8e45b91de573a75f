"""Hostile outputs: each gives a finding (or a clear input error), and the check goes on.

Each row puts one broken or hostile file into a copy of a good build in which
one price is also wrong; the check must not crash, must say what it could not
read, and must still find the wrong price ("nothing lost").
"""

from __future__ import annotations

import io
import json
import shutil
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfWriter

from onevoice.errors import InputError
from onevoice.extract.formats import extract_documents
from tests.builders import checked
from tests.conftest import AS_OF, TINY, build_project, copy_project

WRONG = "basis-internet"
PRICE = "€ 49,95 per maand"  # the source says € 44,95


def _eml(body: str, headers: str = "") -> bytes:
    return (f"From: a@testwerk.example\r\nSubject: test\r\nMIME-Version: 1.0\r\n{headers}"
            f"\r\n{body}").encode()


def many_parts(count: int) -> bytes:
    parts = "".join(f"--b\r\nContent-Type: text/plain\r\n\r\npart {i}\r\n" for i in range(count))
    return _eml(parts + "--b--\r\n", 'Content-Type: multipart/mixed; boundary="b"\r\n')


def nested_parts(depth: int) -> bytes:
    body = "Content-Type: text/plain\r\n\r\nBasis Internet\r\n"
    for level in range(depth):
        body = (f'Content-Type: multipart/mixed; boundary="b{level}"\r\n\r\n--b{level}\r\n'
                f"{body}\r\n--b{level}--\r\n")
    return (f"From: a@testwerk.example\r\nSubject: test\r\nMIME-Version: 1.0\r\n{body}"
            ).encode()


def page(inner: str, head: str = "") -> bytes:
    return (f"<!DOCTYPE html><html><head>{head}</head><body data-offer='{WRONG}'>{inner}"
            "</body></html>").encode()


def deep_html(depth: int) -> bytes:
    return page("<div>" * depth + f"<p>Basis Internet: {PRICE}</p>" + "</div>" * depth)


def pdf_pages(count: int) -> bytes:
    writer = PdfWriter()
    for _ in range(count):
        writer.add_blank_page(100, 100)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


CARD_TEXT = (b"BT /F1 12 Tf 40 800 Td (Basis Internet) Tj "
             b"0 -20 Td (\x80 49,95 per maand) Tj ET")
"""A card's text in a standard font (WinAnsi \\x80 is the euro sign), with the wrong price."""


HELVETICA = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
# A composite font with neither a Unicode map nor a font program: its codes are no text.
WITHOUT_UNICODE = (b"<< /Type /Font /Subtype /Type0 /BaseFont /Geheim /Encoding /Identity-H "
                   b"/DescendantFonts [<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Geheim "
                   b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
                   b">>] >>")


def handmade_pdf(contents: list[int], streams: list[tuple[bytes, str | None]],
                 cards: dict[str, int], font: bytes = HELVETICA) -> bytes:
    """A PDF written byte by byte: page i draws stream contents[i] (a stream may be drawn
    by several pages) in `font`, each stream with its /Filter or none, and a named
    destination `offer-<id>` at the top of the page of each card."""
    streams_at, pages_at = 5, 5 + len(streams)
    kids = " ".join(f"{pages_at + i} 0 R" for i in range(len(contents)))
    names = " ".join(f"(offer-{offer}) [{pages_at + page} 0 R /XYZ 0 842 0]"
                     for offer, page in sorted(cards.items()))
    objects = [b"<< /Type /Catalog /Pages 3 0 R /Names << /Dests 2 0 R >> >>",
               f"<< /Names [{names}] >>".encode(),
               f"<< /Type /Pages /Kids [{kids}] /Count {len(contents)} >>".encode(), font]
    for data, name in streams:
        applied = f" /Filter /{name}" if name else ""
        objects.append(f"<< /Length {len(data)}{applied} >>\nstream\n".encode() + data
                       + b"\nendstream")
    objects.extend(f"<< /Type /Page /Parent 3 0 R /MediaBox [0 0 595 842] /Resources "
                   f"<< /Font << /F1 4 0 R >> >> /Contents {streams_at + s} 0 R >>".encode()
                   for s in contents)
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n"
            "%%EOF\n").encode()
    return bytes(out)


def unknown_charset_email(build: Path) -> bytes:
    data = (build / "email/router-plus.eml").read_bytes()
    return data.replace(b'charset="utf-8"', b'charset="x-unknown-8"')


@dataclass
class Case:
    id: str
    path: str
    data: Callable[[Path], bytes]
    unreadable: str | None
    """What the output.unreadable finding says, or None when the file is read after all."""
    price_found_in_it: bool = False


CASES = [
    Case("email-unknown-charset", "email/fremd.eml", unknown_charset_email, None),
    Case("email-thousands-of-parts", "email/parts.eml", lambda b: many_parts(1000),
         "more than 100 MIME parts"),
    Case("email-nested-parts", "email/nested.eml", lambda b: nested_parts(150),
         "MIME parts nested more than 100 deep"),
    Case("email-not-an-email", "email/binary.eml", lambda b: bytes(range(256)) * 40, None),
    Case("html-unknown-charset", "web/fremd/index.html",
         lambda b: page(f"<p>Basis Internet: {PRICE}</p>", '<meta charset="x-foo-9">'), None,
         price_found_in_it=True),
    Case("html-deeper-than-255", "web/diep/index.html", lambda b: deep_html(300), None,
         price_found_in_it=True),
    Case("html-very-deep", "web/dieper/index.html", lambda b: deep_html(5000),
         "nested too deeply to read"),
    Case("html-binary", "web/binair/index.html", lambda b: bytes(range(256)) * 40, None),
    Case("html-invalid-utf8", "web/kapot/index.html",
         lambda b: page("<p>caf\xe9 \udcff</p>".encode("utf-8", "surrogateescape").decode(
             "latin-1")).replace(b"\xc3\xa9", b"\xe9"), None),
    Case("jsonld-deep", "web/ld/index.html", lambda b: page(
        "", '<script type="application/ld+json">' + "[" * 50_000 + "]" * 50_000 + "</script>"),
        "nested too deeply to read"),
    Case("json-deep", "chat/diep.json", lambda b: b"[" * 150 + b"]" * 150,
         "JSON nested more than 100 deep"),
    Case("json-very-deep", "chat/dieper.json", lambda b: b"[" * 100_000 + b"]" * 100_000,
         "JSON nested more than 100 deep"),
    Case("json-invalid-utf8", "chat/kapot.json", lambda b: b'{"answer": "\xff\xfe"}', None),
    Case("text-invalid-utf8", "phone/kapot.spoken.txt", lambda b: b"Basis \xff\xfe\xc3", None),
    Case("pdf-garbage", "store/centrum/kapot.pdf", lambda b: b"%PDF-1.7\n" + bytes(range(256)),
         "PDF cannot be read"),
    Case("pdf-truncated", "store/centrum/half.pdf",
         lambda b: (b / "store/centrum/basis-internet.pdf").read_bytes()[:300],
         "PDF cannot be read"),
    # A content stream behind a filter no reader knows: the card shows no text, which is
    # said, not taken for a card without prices.
    Case("pdf-unsupported-filter", "store/centrum/filter.pdf",
         lambda b: handmade_pdf([0], [(zlib.compress(CARD_TEXT), "FooDecode")],
                                {WRONG: 0}),
         "page 1: a card without readable text"),
    Case("pdf-unsupported-filter-no-card", "store/centrum/filter-los.pdf",
         lambda b: handmade_pdf([0], [(zlib.compress(CARD_TEXT), "JBIG2Decode")], {}),
         "no text on any page"),
    # Text whose codes no map turns into characters ("ABC" here): noise, not a card.
    Case("pdf-font-without-unicode-map", "store/centrum/geheim.pdf",
         lambda b: handmade_pdf([0], [(b"BT /F1 12 Tf 40 800 Td <004100420043> Tj ET", None)],
                                {WRONG: 0}, WITHOUT_UNICODE),
         "page 1: text in a font without a Unicode map"),
    # Two pages drawing one content stream (an object used twice): both are read, each
    # line on its page's card, and the wrong price on them is found.
    Case("pdf-shared-stream", "store/centrum/gedeeld.pdf",
         lambda b: handmade_pdf([0, 0], [(zlib.compress(CARD_TEXT), "FlateDecode")],
                                {WRONG: 0, "router-plus": 1}),
         None, price_found_in_it=True),
]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_project(TINY, tmp_path_factory.mktemp("outputs") / "tiny")


@pytest.fixture
def wrong_build(tiny_build: Path, tmp_path: Path) -> Path:
    """A copy of a good build in which the chat answer shows a wrong price."""
    out = tmp_path / "build"
    shutil.copytree(tiny_build, out)
    answer = out / f"chat/{WRONG}.json"
    answer.write_text(answer.read_text(encoding="utf-8").replace("44,95", "49,95"),
                      encoding="utf-8")
    return out


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_a_hostile_output_is_a_finding_and_the_check_goes_on(
        case: Case, project: Path, wrong_build: Path) -> None:
    target = wrong_build / case.path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(case.data(wrong_build))
    result = checked(project, str(wrong_build), AS_OF, jobs=1)
    unreadable = [f for f in result.findings if f.rule == "output.unreadable"]
    if case.unreadable is None:
        assert unreadable == []
    else:
        (only,) = unreadable
        assert only.output is not None and only.output.path == case.path
        assert case.unreadable in only.message
    mismatches = {f.output.path for f in result.findings
                  if f.rule == "price.mismatch" and f.output is not None}
    assert f"chat/{WRONG}.json" in mismatches
    assert (case.path in mismatches) is case.price_found_in_it


def test_an_output_over_the_size_cap_is_not_read(project: Path, wrong_build: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    cap = max(p.stat().st_size for p in wrong_build.rglob("*") if p.is_file())
    monkeypatch.setattr("onevoice.extract.formats.MAX_FILE_BYTES", cap)
    monkeypatch.setattr("onevoice.extract.crawl.MAX_FILE_BYTES", cap)
    (wrong_build / "web/groot.html").write_bytes(page("<p>x</p>" * (cap // 8 + 1)))
    result = checked(project, str(wrong_build), AS_OF, jobs=1)
    (only,) = [f for f in result.findings if f.rule == "output.unreadable"]
    assert only.message == f"web/groot.html: larger than {cap:,} bytes; not read"


def test_a_pdf_over_the_page_cap_is_not_read(project: Path, wrong_build: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("onevoice.extract.pdf.MAX_PDF_PAGES", 2)
    (wrong_build / "store/centrum/dik.pdf").write_bytes(pdf_pages(3))
    result = checked(project, str(wrong_build), AS_OF, jobs=1)
    (only,) = [f for f in result.findings if f.rule == "output.unreadable"]
    assert only.message == "store/centrum/dik.pdf: more than 2 pages"


MANIFESTS = [
    ("not-json", b'{"outputs": {', "manifest.json:1: the build manifest is not valid JSON"),
    ("deep-json", b"[" * 100_000 + b"]" * 100_000, "the build manifest is not valid JSON"),
    ("a-list", b"[]", "the build manifest does not list its outputs as onevoice writes them"),
    ("sources-outside", b'{"outputs": {}, "sources": {"/etc/shadow": "x"}}',
     "the build manifest does not list its outputs"),
    ("sources-climb", b'{"outputs": {}, "sources": {"../../x": "x"}}',
     "the build manifest does not list its outputs"),
    ("entry-not-a-mapping", b'{"outputs": {"a.html": 1}}',
     "the build manifest does not list its outputs"),
]


@pytest.mark.parametrize("name,data,message", MANIFESTS, ids=[m[0] for m in MANIFESTS])
def test_a_broken_manifest_is_an_input_error(project: Path, wrong_build: Path, name: str,
                                             data: bytes, message: str) -> None:
    (wrong_build / "manifest.json").write_bytes(data)
    with pytest.raises(InputError) as caught:
        checked(project, str(wrong_build), AS_OF, jobs=1)
    assert message in str(caught.value)


def test_a_manifest_names_no_file_outside_the_source_for_the_check_to_read(
        tmp_path: Path, wrong_build: Path) -> None:
    """The manifest's list of source files is not trusted: a name too long for the file
    system, a folder, the project's git folder or a link out of the project is no source
    file, so neither read nor a traceback; a file the build did list is still compared."""
    project = copy_project(TINY, tmp_path / "tiny")
    (tmp_path / "secret.txt").write_text("secret", "utf-8")
    (project / "docs/secret.txt").symlink_to(tmp_path / "secret.txt")
    (project / ".git").mkdir()
    (project / ".git/config").write_text("[core]\n", "utf-8")
    manifest = json.loads((wrong_build / "manifest.json").read_text("utf-8"))
    manifest["sources"].update({"content/" + "x" * 300: "0" * 64, "content": "0" * 64,
                                ".git/config": "0" * 64, "docs/secret.txt": "0" * 64})
    (wrong_build / "manifest.json").write_text(json.dumps(manifest), "utf-8")
    result = checked(project, str(wrong_build), AS_OF, jobs=1)
    outdated = {f.source.path: f.message for f in result.findings
                if f.rule == "output.outdated" and f.source}
    assert outdated == {"content/" + "x" * 300: f"content/{'x' * 300} was removed after the "
                        "build; the outputs may be out of date"}


CJK_TITLE = "光纤 ネット 인터넷"  # Chinese, Japanese and Korean in one title


def test_a_card_with_a_cjk_title_reads_whole_and_its_wrong_price_is_found(tmp_path: Path
                                                                          ) -> None:
    """The cards' fonts fall back to the CJK font scripts/setup installs: the card is text the
    checker reads (title and price, on the page itself), and a wrong price on it is found."""
    project = copy_project(TINY, tmp_path / "tiny")
    offer = project / "content/offers/basis-internet.md"
    source = offer.read_text(encoding="utf-8")
    offer.write_text(source.replace("title: Basis Internet", f"title: {CJK_TITLE}"),
                     encoding="utf-8")
    out = tmp_path / "build"
    assert build_project(project, out).exit_code == 0
    card = "store/centrum/basis-internet.pdf"
    (document,) = extract_documents(card, (out / card).read_bytes())
    on_page = [b.text for b in document.blocks if b.location.part.startswith("page ")]
    assert CJK_TITLE in on_page, on_page
    assert any("44,95" in line for line in on_page), on_page
    # The source's price changes after the build: the card now shows a wrong price.
    offer.write_text(offer.read_text(encoding="utf-8").replace("amount: 44.95", "amount: 41.95"),
                     encoding="utf-8")
    result = checked(project, str(out), AS_OF, jobs=1)
    assert not [f for f in result.findings if f.rule == "output.unreadable"]
    wrong = [f for f in result.findings if f.rule == "price.mismatch" and f.output
             and f.output.path == card]
    assert wrong and all("44,95" in (f.found or "") and f.offer == "basis-internet" for f in wrong)
