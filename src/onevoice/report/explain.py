"""`onevoice explain`: a rule's reference page, in the terminal."""

from __future__ import annotations

import difflib

from rich.console import Group
from rich.table import Table
from rich.text import Text

from onevoice.check.registry import RULES
from onevoice.errors import InputError, SourceError
from onevoice.locations import Location

SEVERITY_STYLES = {"error": "bold red", "warning": "yellow", "info": "cyan", "off": "dim"}


def explain_rule(rule_id: str) -> Group:
    """What the rule checks, why, an example that fails it, and the fix."""
    rule = RULES.get(rule_id)
    if rule is None:
        close = difflib.get_close_matches(rule_id, RULES, n=1)
        hint = f"did you mean '{close[0]}'?" if close else "run 'onevoice explain' for the list"
        raise InputError([SourceError(Location(rule_id), "no such rule", hint)])
    sections = [
        Text.assemble((rule.id, "bold magenta"), "  default severity: ",
                      (rule.severity, SEVERITY_STYLES.get(rule.severity, ""))),
        Text(""),
        Text("What it checks", style="bold"), Text(f"  {rule.summary}"),
        Text(""),
        Text("Why", style="bold"), Text(f"  {rule.rationale}"),
    ]
    if rule.example:
        sections += [Text(""), Text("An example that fails", style="bold"),
                     Text(f"  {rule.example}")]
    sections += [
        Text(""),
        Text("The fix", style="bold"), Text(f"  {rule.hint}"),
        Text(""),
        Text(f"Set its severity in onevoice.yml: check: rules: {rule.id}: "
             "error | warning | info | off", style="dim"),
    ]
    return Group(*sections)


def list_rules() -> Table:
    """Every rule with its default severity and what it checks."""
    table = Table(box=None, show_header=True, header_style="bold")
    table.add_column("Rule", style="magenta", no_wrap=True)
    table.add_column("Default")
    table.add_column("What it checks")
    for rule in RULES.values():
        table.add_row(rule.id, Text(rule.severity, SEVERITY_STYLES.get(rule.severity, "")),
                      rule.summary)
    return table
