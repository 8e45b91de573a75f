"""Mistakes in the user's files, kept apart from bugs in onevoice.

A `SourceError` is one mistake with its location and a hint; an `InputError`
carries all of them at once and maps to exit code 2. Anything else that escapes
is a bug and may show a traceback.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from onevoice.locations import Location

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_INPUT = 2

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def one_line(text: str) -> str:
    """Text for a line of a log or terminal: control characters (line breaks, escapes)
    written as `\\n`, `\\x1b`, so that a value or a file name echoed in a message cannot
    start a line of its own (a CI runner reads `::add-mask::…` at a line's start as a
    command) nor steer the terminal."""
    return _CONTROL.sub(lambda m: m[0].encode("unicode_escape").decode("ascii"), text)


@dataclass(frozen=True, order=True)
class SourceError:
    """One mistake in an input file: where, what is wrong, and how to fix it."""

    location: Location
    message: str
    hint: str = ""

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}"
        return one_line(f"{text} — {self.hint}" if self.hint else text)


class InputError(Exception):
    """All mistakes found in the user's input; the command exits with code 2."""

    exit_code = EXIT_INPUT

    def __init__(self, errors: Iterable[SourceError]):
        self.errors = sorted(set(errors))
        super().__init__("\n".join(str(e) for e in self.errors))

    def __reduce__(self) -> tuple[type[InputError], tuple[list[SourceError]]]:
        # Raised in a worker process, it travels back whole, not as its message.
        return InputError, (self.errors,)


class WriteError(InputError):
    """The machine will not take the outputs (a full disk, a file size limit, a quota):
    no mistake in the input, but the same kind of message and exit code 2."""


class ErrorLog:
    """Collects mistakes so that every one of them is reported in one run."""

    def __init__(self) -> None:
        self.errors: list[SourceError] = []

    def add(self, location: Location, message: str, hint: str = "") -> None:
        self.errors.append(SourceError(location, message, hint))

    def extend(self, errors: Iterable[SourceError]) -> None:
        self.errors.extend(errors)

    def __bool__(self) -> bool:
        return bool(self.errors)

    def raise_if_any(self) -> None:
        if self.errors:
            raise InputError(self.errors)
