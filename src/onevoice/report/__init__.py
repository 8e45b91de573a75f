"""Reporters: one module per output format, each a function from a CheckResult to text."""

from __future__ import annotations

import importlib
from collections.abc import Callable

from onevoice.check.result import CheckResult


def _reporter(fmt: str) -> Callable[[CheckResult], str]:
    """The `render` of the format's module, imported when a report is made in it: a check
    that prints text need not load the XML and JSON reporters."""

    def render(result: CheckResult) -> str:
        module = importlib.import_module(f"{__name__}.{fmt}")
        text: str = module.render(result)
        return text

    return render


REPORTERS: dict[str, Callable[[CheckResult], str]] = {
    fmt: _reporter(fmt)
    for fmt in ("text", "json", "junit", "sarif", "github", "html", "codequality")
}


def render_report(result: CheckResult, fmt: str) -> str:
    """The report of `result` in format `fmt`, one of REPORTERS."""
    if fmt not in REPORTERS:
        raise ValueError(f"unknown report format {fmt!r}; choose from {', '.join(REPORTERS)}")
    return REPORTERS[fmt](result)
