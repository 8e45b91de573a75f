"""Reporters: one module per output format, each a function from a CheckResult to text."""

from __future__ import annotations

from collections.abc import Callable

from onevoice.check.result import CheckResult

from . import codequality, github, html, json, junit, sarif, text

REPORTERS: dict[str, Callable[[CheckResult], str]] = {
    "text": text.render,
    "json": json.render,
    "junit": junit.render,
    "sarif": sarif.render,
    "github": github.render,
    "html": html.render,
    "codequality": codequality.render,
}


def render_report(result: CheckResult, fmt: str) -> str:
    """The report of `result` in format `fmt`, one of REPORTERS."""
    if fmt not in REPORTERS:
        raise ValueError(f"unknown report format {fmt!r}; choose from {', '.join(REPORTERS)}")
    return REPORTERS[fmt](result)
