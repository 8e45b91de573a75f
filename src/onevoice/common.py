"""What every part of onevoice names the same way: severities, an address on the web, a day.

One home for the choices the configuration, the rules, the reporters and the command line
share, so that none of them spells them out again.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")
"""A finding's severities, the most severe first."""
RULE_LEVELS = (*SEVERITIES, "off")
"""What onevoice.yml may set a rule to: a severity, or `off`."""
SEVERITY_RANK = {"error": 3, "warning": 2, "info": 1, "off": 0}

DATE_HINT = "write it as YYYY-MM-DD"


def is_url(text: str) -> bool:
    """An http(s) address (a site to fetch), not a path on this machine."""
    return text.startswith(("http://", "https://"))


def iso_date(value: object) -> dt.date:
    """A day written YYYY-MM-DD (a date already, as YAML reads one, is taken as it is);
    ValueError saying how to write it otherwise."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"'{value}' is not a date; {DATE_HINT}") from None
