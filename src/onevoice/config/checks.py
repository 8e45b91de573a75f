"""Check configuration (`onevoice.yml`) and waivers (`waivers.yml`), both optional."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from onevoice.content.loader import SourceFile
from onevoice.errors import ErrorLog
from onevoice.locations import Location

SEVERITY_CHOICES = ("error", "warning", "info", "off")


@dataclass
class Waiver:
    """An accepted exception: a rule, for an offer and/or channel, with a reason and an end."""

    rule: str
    offer: str | None
    channel: str | None
    reason: str
    expires: dt.date
    location: Location


@dataclass
class CheckConfig:
    fail_on: str = "error"
    severities: dict[str, str] = field(default_factory=dict)
    waivers: list[Waiver] = field(default_factory=list)


def load_check_config(root: Path, rule_ids: list[str], log: ErrorLog,
                      waivers_file: Path | None = None) -> CheckConfig:
    """Read onevoice.yml and the waiver file; mistakes go to `log`."""
    config = CheckConfig()
    path = root / "onevoice.yml"
    if path.is_file():
        source = SourceFile(path, root, log, front_matter=False)
        f = source.fields({})
        check = f.mapping("check")
        if check:
            config.fail_on = check.choice("fail_on", ("error", "warning", "info"),
                                          default="error") or "error"
            rules = check.mapping("rules")
            if rules:
                for rule in list(rules.data):
                    if rule not in rule_ids:
                        rules.error(rule, f"unknown rule '{rule}'", "see the rule reference")
                        rules.seen.add(rule)
                        continue
                    if rules.data[rule] is False:  # YAML 1.1 reads a bare `off` as false
                        rules.raw(rule)
                        config.severities[rule] = "off"
                        continue
                    config.severities[rule] = rules.choice(rule, SEVERITY_CHOICES) or "error"
            check.finish()
        f.finish()
    waivers = waivers_file or root / "waivers.yml"
    if waivers.is_file():
        config.waivers = _load_waivers(waivers, root, rule_ids, log)
    elif waivers_file is not None:
        log.add(Location.of(waivers, root=root), "no such waiver file")
    return config


def _load_waivers(path: Path, root: Path, rule_ids: list[str], log: ErrorLog) -> list[Waiver]:
    source = SourceFile(path, root, log, front_matter=False)
    if source.failed:
        return []
    f = source.fields({})
    waivers = []
    for entry in f.items("waivers", required=True):
        rule = entry.text("rule") or ""
        if rule and rule not in rule_ids:
            entry.error("rule", f"unknown rule '{rule}'", "use a rule id such as price.mismatch")
        offer, channel = entry.slug("offer", False), entry.slug("channel", False)
        if not offer and not channel:
            entry.error(None, "a waiver needs an 'offer' or a 'channel' (or both)",
                        "name what the exception is for")
        reason = entry.text("reason") or ""
        expires = entry.date("expires")
        entry.finish()
        if rule and expires:
            waivers.append(Waiver(rule, offer, channel, reason, expires, entry.loc()))
    f.finish()
    return waivers
