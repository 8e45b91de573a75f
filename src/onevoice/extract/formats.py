"""One extractor per output type, chosen by the file's suffix, as the customer reads it."""

from __future__ import annotations

import email
import html
import json
import re
from collections.abc import Callable, Collection, Iterator
from dataclasses import replace
from email import policy
from email.message import EmailMessage, Message
from typing import Any

from onevoice.locations import Location

from .documents import MAX_FILE_BYTES, MAX_NESTING, MAX_PARTS, Block, Document, UnreadableOutput
from .feed import extract_feed
from .html import extract_html
from .pdf import extract_pdf


def extract_text(path: str, data: bytes, part: str = "") -> Document:
    """Plain text and Markdown: each non-empty line is a block."""
    document = Document(path, Location(path, 1, part))
    text = data.decode("utf-8", errors="replace")
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            document.blocks.append(Block(line.strip(), Location(path, number, part)))
    return document


def _iter_parts(message: Message, depth: int = 0) -> Iterator[Message]:
    """The leaf parts of a message, depth first, refusing bombs of parts and nesting."""
    if depth > MAX_NESTING:
        raise UnreadableOutput(f"MIME parts nested more than {MAX_NESTING} deep")
    if not message.is_multipart():
        yield message
        return
    for child in message.get_payload():
        if isinstance(child, Message):
            yield from _iter_parts(child, depth + 1)


def _text_of(part: EmailMessage) -> str:
    """A text part's content; an unknown or lying charset is read as UTF-8 with
    replacement characters rather than stopping the check."""
    try:  # what get_content() gives a text part, without parsing its Content-Type again
        payload = part.get_payload(decode=True)
        return bytes(payload).decode(str(part.get_param("charset", "ASCII")), errors="replace")
    except (LookupError, UnicodeError, AssertionError):
        payload = part.get_payload(decode=True)
        return payload.decode("utf-8", errors="replace") if isinstance(payload, bytes) else ""


class _FileLines:
    """The lines of the file that each line of a MIME part's decoded text stands on: the
    part's body is found in the file after the previous part's, and a quoted-printable
    line broken softly (`=` at its end) over several lines of the file is located at its
    first. A base64 body has no such lines: all of it is at the body's first line."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.offset = 0

    def of(self, part: Message) -> Callable[[int], int]:
        body = part.get_payload(decode=False)
        # The parser gives an 8-bit body back as text: its bytes as they were, where it can.
        try:
            raw = body.encode("utf-8", "surrogateescape") if isinstance(body, str) else b""
        except UnicodeEncodeError:  # a surrogate no byte stood for: lines as decoded
            raw = b""
        found = self.data.find(raw, self.offset) if raw else -1
        if found < 0:
            return lambda line: line
        self.offset = found + len(raw)
        first = self.data.count(b"\n", 0, found) + 1
        encoding = str(part.get("Content-Transfer-Encoding", "")).strip().lower()
        if encoding == "base64":
            return lambda line: first
        if encoding != "quoted-printable":
            return lambda line: first + line - 1
        starts = []  # the file line each decoded line begins on
        soft = False
        for number, line in enumerate(raw.split(b"\n"), start=first):
            if not soft:
                starts.append(number)
            soft = line.rstrip(b"\r").endswith(b"=")
        return lambda line: starts[line - 1] if line <= len(starts) else first


def _relocated(document: Document, file_line: Callable[[int], int]) -> Document:
    """The document with every location's line a line of the file."""
    def moved(where: Location) -> Location:
        return replace(where, line=file_line(where.line)) if where.line > 0 else where

    document.location = moved(document.location)
    for block in document.blocks:
        block.location = moved(block.location)
    for price in document.structured:
        price.location = moved(price.location)
    return document


def extract_email(path: str, data: bytes) -> list[Document]:
    """Each text part of a message separately (the HTML part with its preheader, and the
    plain-text part); the Subject as a block of the first."""
    message = email.message_from_bytes(data, policy=policy.default)
    offer = message.get("X-Onevoice-Offer")
    offer = None if offer is None else str(offer)  # plain text: the header's own class
    # would not come back from the check's cache
    documents: list[Document] = []
    subject = str(message.get("Subject", ""))
    lines = _FileLines(data)
    for count, part in enumerate(_iter_parts(message), start=1):
        if count > MAX_PARTS:
            raise UnreadableOutput(f"more than {MAX_PARTS} MIME parts")
        # Parsed once: the header registry parses a header anew at every look.
        content_type = part.get_content_type()
        if not content_type.startswith("text/"):
            continue
        assert isinstance(part, EmailMessage)
        content = _text_of(part)
        label = f"{content_type} part"
        if content_type == "text/html":
            document = extract_html(path, content.encode("utf-8"), label)
        else:
            document = extract_text(path, content.encode("utf-8"), label)
        document = _relocated(document, lines.of(part))
        if subject and not documents:  # the Subject once, with the first part
            document.blocks.insert(0, Block(subject, Location(path, 0, "Subject")))
        document.offer = document.offer or offer
        documents.append(document)
    return documents


def _iter_strings(node: Any, pointer: str = "", depth: int = 0) -> Iterator[tuple[str, str]]:
    if depth > MAX_NESTING:
        raise UnreadableOutput(f"JSON nested more than {MAX_NESTING} deep", pointer)
    if isinstance(node, str):
        yield pointer, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _iter_strings(value, f"{pointer}/{key}", depth + 1)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _iter_strings(value, f"{pointer}/{index}", depth + 1)


# What Markdown keeps literal with a backslash (render/environment.py escapes it so).
_MARKDOWN_ESCAPE = re.compile(r"\\([\\`*_{}\[\]#!|])")


def markdown_text(value: str) -> str:
    """Markdown as its reader sees the text: entities decoded (`&#39;` is an apostrophe),
    backslash escapes dropped (`\\*` is a star)."""
    return _MARKDOWN_ESCAPE.sub(r"\1", html.unescape(value))


def extract_json(path: str, data: bytes) -> list[Document]:
    """JSON answers: every string value, one block per line, located by its JSON pointer.
    A chat answer (`/answer`) is Markdown, read as the chat shows it."""
    try:
        content = json.loads(data)
    except ValueError:
        return [extract_text(path, data)]
    except RecursionError:
        raise UnreadableOutput(f"JSON nested more than {MAX_NESTING} deep") from None
    document = Document(path, Location(path, 1))
    if isinstance(content, dict) and isinstance(content.get("offer"), str):
        document.offer = content["offer"]
    for pointer, value in _iter_strings(content):
        if pointer in ("/offer", "/channel", "/url"):
            continue
        if pointer.endswith("/answer"):
            value = markdown_text(value)
        for line in value.splitlines():
            if line.strip():
                document.blocks.append(Block(line.strip(), Location(path, 0, pointer)))
    return [document]


EXTRACTORS: dict[str, Callable[[str, bytes], list[Document]]] = {
    ".html": lambda path, data: [extract_html(path, data)],
    ".htm": lambda path, data: [extract_html(path, data)],
    ".eml": extract_email,
    ".pdf": extract_pdf,
    ".txt": lambda path, data: [extract_text(path, data)],
    ".md": lambda path, data: [extract_text(path, data)],
    ".json": extract_json,
    ".xml": extract_feed,
}


def extract_documents(path: str, data: bytes,
                      cards: Collection[str] | None = None) -> list[Document]:
    """The customer-visible documents in one output file (none for assets); of a print
    sheet with `cards`, only those offers' cards."""
    suffix = path[path.rfind("."):].lower() if "." in path.rsplit("/", 1)[-1] else ".html"
    if cards is not None and suffix == ".pdf":
        return extract_pdf(path, data, cards)
    extractor = EXTRACTORS.get(suffix)
    return extractor(path, data) if extractor else []


def extract_untrusted(path: str, data: bytes,
                      cards: Collection[str] | None = None) -> list[Document]:
    """`extract_documents` for an output nobody vouches for: whatever goes wrong in reading
    it (size, nesting, encoding, corruption) is an UnreadableOutput for this file alone."""
    if len(data) > MAX_FILE_BYTES:
        raise UnreadableOutput(f"larger than {MAX_FILE_BYTES:,} bytes; not read")
    try:
        return extract_documents(path, data, cards)
    except UnreadableOutput:
        raise
    except RecursionError:
        raise UnreadableOutput("nested too deeply to read") from None
    except MemoryError:
        raise UnreadableOutput("too large to read in memory") from None
    except Exception as exc:  # noqa: BLE001 - a hostile file must not stop the whole check
        raise UnreadableOutput(f"cannot be read ({type(exc).__name__}: {exc})") from None

