"""Which overview pages name an offer, found by a scan of their text instead of a check.

A page's findings about an offer come from where the page names it: its id (a marker, a
link, a schema.org sku) or its title in one of its languages, which the attribution finds
as the title's words in the page's text. So an overview page that holds neither the id nor
every word of a title has no finding about the offer, whatever the offer says; a changed
offer's old titles count as well, since the page may still show them. The scan errs on
the side of reading a page: it looks for the words anywhere in the file, with character
references and JSON escapes decoded and case folded, and a file that is not UTF-8 names
every offer.
"""

from __future__ import annotations

import html
import re
import subprocess
from collections.abc import Iterable
from pathlib import Path

from onevoice.content.parsed import parse_yaml
from onevoice.content.yaml_source import split_front_matter
from onevoice.extract.attribution import words

# `\u00e9` in JSON-LD: a title's letters as a script writes them.
JSON_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")


def page_text(data: bytes) -> str | None:
    """The text the scan searches: character references and JSON escapes decoded, case
    folded; None when the file is not UTF-8."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    text = JSON_ESCAPE.sub(lambda m: chr(int(m[1], 16)), html.unescape(text))
    return text.casefold()


def names_any(data: bytes, ids: Iterable[str], titles: Iterable[str]) -> bool:
    """Whether the page may name one of these offers (by id, or by every word of a title)."""
    text = page_text(data)
    if text is None:
        return True
    return any(offer_id.casefold() in text for offer_id in ids) or any(
        all(word.casefold() in text for word in title_words)
        for title_words in map(words, titles) if title_words)


def start_batch(root: Path) -> subprocess.Popen[bytes] | None:
    """`git cat-file --batch` in `root`, waiting for the blobs to read: started before they
    are known, its start-up overlaps the other git calls'. None without git."""
    try:
        return subprocess.Popen(["git", "cat-file", "--batch"], cwd=root,
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
    except OSError:
        return None


def earlier_titles(root: Path, blobs: list[str],
                   batch: subprocess.Popen[bytes] | None = None) -> list[str] | None:
    """The titles (in every language) of the offer files that git keeps as `blobs` (what
    they were at the merge base), in one git call (`batch`, when started already); None
    when they cannot be told."""
    run = batch or start_batch(root)
    if run is None:
        return None
    out, _ = run.communicate("".join(f"{blob}\n" for blob in blobs).encode())
    if run.returncode != 0:
        return None
    titles: list[object] = []
    start = 0
    try:
        for blob in blobs:
            end = out.index(b"\n", start)
            header, start = out[start:end].split(), end + 1
            if header[-1] == b"missing":  # not in the repository: the titles are not known
                return None
            size = int(header[2])
            front, _, _ = split_front_matter(out[start:start + size].decode("utf-8", "replace"))
            start += size + 1
            data, errors = parse_yaml(front or "", blob)
            if errors or not isinstance(data, dict):
                return None
            translations = data.get("translations")
            titles += [data.get("title"), *(
                translated.get("title") for translated in (
                    translations.values() if isinstance(translations, dict) else ())
                if isinstance(translated, dict))]
    except (ValueError, IndexError):
        return None
    return [title for title in titles if isinstance(title, str)]
