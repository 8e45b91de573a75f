"""Check configuration (`onevoice.yml`) and waivers (`waivers.yml`), both optional."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from onevoice.common import RULE_LEVELS, SEVERITIES
from onevoice.content.loader import SourceFile
from onevoice.content.schema import Fields
from onevoice.errors import ErrorLog
from onevoice.locations import Location


@dataclass
class Waiver:
    """An accepted exception: a rule, for an offer, a channel, a condition and/or the files a
    path pattern names (all that it names must match), with a reason and an end."""

    rule: str
    offer: str | None
    channel: str | None
    reason: str
    expires: dt.date
    location: Location
    condition: str | None = None
    path: str | None = None
    """A glob over the paths of the output and the source (`*` within a folder, `**` any
    number of folders)."""

    @property
    def path_pattern(self) -> re.Pattern[str] | None:
        return glob_pattern(self.path) if self.path else None

    def describe(self) -> str:
        """'price.mismatch for glasvezel-500 on any channel', and the condition or path."""
        parts = [f"{self.rule} for {self.offer or 'any offer'} on {self.channel or 'any channel'}"]
        if self.condition:
            parts.append(f"of condition {self.condition}")
        if self.path:
            parts.append(f"in {self.path}")
        return " ".join(parts)


def glob_pattern(glob: str) -> re.Pattern[str]:
    """The regular expression of a path glob: `**/` any folders (none too), `**` anything,
    `*` anything within one folder, `?` one character but `/`."""
    pieces = re.split(r"(\*\*/|\*\*|\*|\?)", glob)
    wild = {"**/": "(?:.*/)?", "**": ".*", "*": "[^/]*", "?": "[^/]"}
    return re.compile("".join(wild.get(piece, re.escape(piece)) for piece in pieces) + r"\Z")


@dataclass
class Policy:
    """The organisation's channel strategy, as numbers and word lists the rules use."""

    sensitive: tuple[str, ...] = ("financial", "medical", "personal-data")
    """Sensitivities that may only be discussed where the customer's identity is verified."""
    min_channels: int = 2
    """Every offer and journey step is reachable on at least this many channels."""
    max_channels: int = 6
    """...and on no more than this many: too much choice is itself unfriendly."""
    ending_soon_days: int = 14
    """Warn this many days before an offer's window ends, so cards are reprinted in time."""
    sales_terms: tuple[str, ...] = ("actie", "korting", "aanbieding", "nu bestellen",
                                    "bestel nu", "profiteer", "voordeel", "op=op")
    """Sales language that an obligatory relation (tax office, benefits) never gets."""
    identity_phrases: tuple[str, ...] = ("identiteit", "wie u bent", "klantnummer",
                                         "geboortedatum")
    """Words that show a phone script checks the caller's identity."""


@dataclass
class CheckConfig:
    fail_on: str = "error"
    severities: dict[str, str] = field(default_factory=dict)
    waivers: list[Waiver] = field(default_factory=list)
    policy: Policy = field(default_factory=Policy)


def load_check_config(root: Path, rule_ids: list[str], log: ErrorLog,
                      waivers_file: Path | None = None,
                      conditions: Collection[str] | None = None) -> CheckConfig:
    """Read onevoice.yml and the waiver file; mistakes go to `log`. A waiver may name only
    the `conditions` given (when given)."""
    config = CheckConfig()
    path = root / "onevoice.yml"
    if path.is_file():
        source = SourceFile(path, root, log, front_matter=False)
        f = source.fields({})
        check = f.mapping("check")
        if check:
            config.fail_on = check.choice("fail_on", SEVERITIES,
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
                    config.severities[rule] = rules.choice(rule, RULE_LEVELS) or "error"
            _load_policy(check, config.policy)
            check.finish()
        f.finish()
    waivers = waivers_file or root / "waivers.yml"
    if waivers.is_file():
        config.waivers = _load_waivers(waivers, root, rule_ids, log, conditions)
    elif waivers_file is not None:
        log.add(Location.of(waivers, root=root), "no such waiver file")
    return config


def _load_policy(check: Fields, policy: Policy) -> None:
    """Policy settings under `check:`; each optional, defaults in `Policy`."""
    for name in ("min_channels", "max_channels", "ending_soon_days"):
        value = check.integer(name, required=False, minimum=0)
        if value is not None:
            setattr(policy, name, value)
    if policy.min_channels > policy.max_channels:
        check.error("min_channels", f"'check.min_channels' ({policy.min_channels}) is more than "
                    f"'check.max_channels' ({policy.max_channels})",
                    "no offer could satisfy both; lower min_channels or raise max_channels")
    for name in ("sensitive", "sales_terms", "identity_phrases"):
        if name in check.data:
            setattr(policy, name, tuple(t for t, _ in check.text_list(name)))


WAIVER_SCOPES = ("offer", "channel", "condition", "path")


def _load_waivers(path: Path, root: Path, rule_ids: list[str], log: ErrorLog,
                  conditions: Collection[str] | None) -> list[Waiver]:
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
        condition = entry.slug("condition", False)
        if condition and conditions is not None and condition not in conditions:
            entry.error("condition", f"unknown condition '{condition}'",
                        "use the file name of a condition in content/conditions/ without .md")
        pattern = _path_glob(entry)
        if not (offer or channel or condition or pattern) and not any(
                entry.data.get(key) for key in WAIVER_SCOPES):
            entry.error(None, "a waiver needs an 'offer', a 'channel', a 'condition' or a "
                        "'path' (or several)", "name what the exception is for: a rule "
                        "is never waived everywhere")
        reason = entry.text("reason") or ""
        expires = entry.date("expires")
        entry.finish()
        if rule and expires:
            waivers.append(Waiver(rule, offer, channel, reason, expires, entry.loc(),
                                  condition, pattern))
    f.finish()
    return waivers


def _path_glob(entry: Fields) -> str | None:
    """A waiver's `path`: a relative glob such as `store/*/print-sheet.pdf`, or
    `content/offers/**`."""
    glob = entry.text("path", False)
    if glob is None:
        return None
    parts = glob.split("/")
    if glob.startswith("/") or "\\" in glob or any(part in ("", ".", "..") for part in parts):
        entry.error("path", f"'{entry.name('path')}' is not a relative path pattern: '{glob}'",
                    "write a path inside the project or the build with / between folders, "
                    "such as store/*/print-sheet.pdf or content/offers/**")
        return None
    return glob
