"""Hostile source and templates: each is refused with its `path:line`, exit 2, nothing lost.

Each row spoils a fresh copy of the tiny project in one way, builds it over a
previous good build, and expects the exit code, a message, and the previous
build byte for byte (no half-written output, no temporary folders left).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from onevoice.cache import CACHE_DIR
from tests.conftest import build_project, run_cli
from tests.hostile.conftest import snapshot

OFFER = "content/offers/basis-internet.md"
SETTINGS = "content/settings.yml"
TEMPLATE = "channels/email/message.txt.j2"


def replace(rel: str, old: str, new: str) -> Callable[[Path], None]:
    def change(project: Path) -> None:
        path = project / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {rel}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return change


def append(rel: str, text: str) -> Callable[[Path], None]:
    def change(project: Path) -> None:
        path = project / rel
        path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")
    return change


def template_line(text: str) -> Callable[[Path], None]:
    """Put `text` on line 1 of the email text template."""
    def change(project: Path) -> None:
        path = project / TEMPLATE
        path.write_text(text + "\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    return change


def link(rel: str, target: str | Callable[[Path], str]) -> Callable[[Path], None]:
    def change(project: Path) -> None:
        path = project / rel
        if path.exists() or path.is_symlink():
            path.unlink()
        path.symlink_to(target(project) if callable(target) else target)
    return change


def write(rel: str, data: str | bytes) -> Callable[[Path], None]:
    def change(project: Path) -> None:
        path = project / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
    return change


def folder(rel: str) -> Callable[[Path], None]:
    return lambda project: (project / rel).mkdir(parents=True)


def outside_file(project: Path) -> str:
    secret = project.parent / "secret.txt"
    secret.write_text("geheim wachtwoord\n", encoding="utf-8")
    return str(secret)


ALIAS_BOMB = "".join(
    ["x0: &x0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"]
    + [f"x{i}: &x{i} [{', '.join([f'*x{i - 1}'] * 9)}]\n" for i in range(1, 10)]
)
NESTED = "deep: " + "[" * 5000 + "]" * 5000 + "\n"


@dataclass
class Case:
    id: str
    change: Callable[[Path], None]
    message: str
    exit_code: int = 2


CASES = [
    # -- templates get data, not objects --------------------------------------------------
    Case("template-writes-a-file", template_line(
        "{{ channel.folder.joinpath('pwned.pth').write_text('import os') }}"),
        f"{TEMPLATE}:1: template error: 'onevoice.config.channels.Channel object' has no "
        "attribute 'folder'"),
    Case("template-dunder-class", template_line("{{ offer.price.amount.__class__ }}"),
        f"{TEMPLATE}:1: template error: access to attribute '__class__'"),
    Case("template-globals-of-lipsum", template_line("{{ lipsum.__globals__ }}"),
        f"{TEMPLATE}:1: template error: access to attribute '__globals__'"),
    Case("template-clears-settings", template_line("{{ settings.categories.clear() }}"),
        f"{TEMPLATE}:1: template error:"),
    Case("template-appends-to-offer", template_line("{{ offer.channels.append('x') }}"),
        f"{TEMPLATE}:1: template error:"),
    Case("template-sets-offer-field", template_line("{{ offer.__setattr__('title', 'x') }}"),
        f"{TEMPLATE}:1: template error: access to attribute '__setattr__'"),
    Case("template-reads-the-project", template_line("{{ project }}"),
        f"{TEMPLATE}:1: template error: 'project' is undefined"),
    Case("template-includes-parent-folder",
        template_line("{% include '../../content/settings.yml' %}"),
        f"{TEMPLATE}:1: template error:"),
    Case("template-includes-absolute-path", template_line("{% include '/etc/passwd' %}"),
        f"{TEMPLATE}:1: template error:"),
    Case("template-is-a-link-outside", link(TEMPLATE, outside_file),
        f"{TEMPLATE}: template error: template 'message.txt.j2' is a link to a file outside "
        "the project"),
    Case("template-includes-a-link-outside",
        lambda p: (link("channels/email/leak.txt.j2", outside_file)(p),
                   template_line("{% include 'leak.txt.j2' %}")(p)),
        f"{TEMPLATE}:1: template error: template 'leak.txt.j2' is a link to a file outside"),
    # -- runaway templates are stopped at their line ----------------------------------------
    Case("template-macro-recurses", template_line(
        "{% macro down(n) %}{{ down(n + 1) }}{% endmacro %}{{ down(1) }}"),
        f"{TEMPLATE}:1: template stopped: it recurses too deeply"),
    Case("template-endless-loops", template_line(
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"),
        f"{TEMPLATE}:1: template stopped: more than 1000000 loop steps"),
    Case("template-huge-string", template_line("{{ 'x' * 100000000 }}"),
        f"{TEMPLATE}:1: template stopped: a text or list of more than"),
    Case("template-huge-center", template_line("{{ 'x' | center(100000000) }}"),
        f"{TEMPLATE}:1: template stopped: a text or list of more than"),
    Case("template-huge-power", template_line("{{ 10 ** 100000000 }}"),
        f"{TEMPLATE}:1: template stopped: exponent 100000000 is too large"),
    Case("template-huge-format", template_line("{{ '%100000000s' | format('x') }}"),
        f"{TEMPLATE}:1: template stopped: a text or list of more than"),
    # -- amounts as the editor wrote them ---------------------------------------------------
    Case("amount-sexagesimal", replace(OFFER, "amount: 44.95", "amount: 44:55"),
        f"{OFFER}:6: 'price.amount' is written as '44:55', which YAML 1.1 reads as another "
        "number"),
    Case("amount-octal", replace(OFFER, "amount: 44.95", "amount: 0100"),
        f"{OFFER}:6: 'price.amount' is written as '0100'"),
    Case("amount-hex", replace(OFFER, "amount: 44.95", "amount: 0x2C"),
        f"{OFFER}:6: 'price.amount' is written as '0x2C'"),
    Case("amount-exponent", replace(OFFER, "amount: 44.95", "amount: 1.0e+27"),
        f"{OFFER}:6: 'price.amount' is written as '1.0e+27'"),
    Case("amount-exponent-without-dot", replace(OFFER, "amount: 44.95", "amount: 1e27"),
        f"{OFFER}:6: 'price.amount' must be a number, got text '1e27'"),
    Case("amount-infinite", replace(OFFER, "amount: 44.95", "amount: .inf"),
        f"{OFFER}:6: 'price.amount' is written as '.inf'"),
    Case("amount-too-large", replace(OFFER, "amount: 44.95", "amount: 1234567890123456.00"),
        f"{OFFER}:6: 'price.amount' is too large"),
    Case("contract-octal", replace(OFFER, "contract_months: 12", "contract_months: 012"),
        f"{OFFER}:11: 'contract_months' must be a whole number, got '012'"),
    # -- YAML that is not plain data ---------------------------------------------------------
    Case("yaml-binary-tag", replace(OFFER, "title: Basis Internet", "title: !!binary aGVsbG8="),
        f"{OFFER}:2: refused YAML: the tag tag:yaml.org,2002:binary is not plain data"),
    Case("yaml-set-tag", replace(OFFER, "title: Basis Internet", "title: !!set {a, b}"),
        f"{OFFER}:2: refused YAML: the tag tag:yaml.org,2002:set is not plain data"),
    Case("yaml-python-tag", replace(OFFER, "title: Basis Internet",
                                    "title: !!python/object/apply:os.system [id]"),
        f"{OFFER}:2: malformed YAML: could not determine a constructor"),
    Case("yaml-alias-bomb", write("content/stores.yml", ALIAS_BOMB),
        "content/stores.yml:4: refused YAML: more than 20 aliases"),
    Case("yaml-deep-nesting", write("content/stores.yml", NESTED),
        "content/stores.yml:1: refused YAML: nested more than 64 levels deep"),
    Case("yaml-merge-key", write("content/stores.yml", "a: &a {x: 1}\nb:\n  <<: *a\n"),
        "content/stores.yml:3: refused YAML: merge keys (<<) are not supported"),
    Case("yaml-control-character", replace(OFFER, "title: Basis Internet", "title: Basis\x1f"),
        f"{OFFER}:2: a control character (U+001F) that YAML does not allow"),
    Case("yaml-mapping-as-key", replace(OFFER, "title: Basis Internet", "? [a, b]\n: x"),
        f"{OFFER}:2: refused YAML: a key must be a plain value"),
    # -- names that would become paths or headers ---------------------------------------------
    Case("file-name-trailing-newline", write("content/offers/nieuw\n.md",
                                             "---\ntitle: X\n---\n"),
        "is not a safe id"),
    Case("category-climbs-out", replace(OFFER, "category: internet", "category: ../../etc"),
        f"{OFFER}:3: 'category' is not a safe id: '../../etc'"),
    Case("store-id-climbs-out", replace("content/stores.yml", "id: centrum", "id: ../x"),
        "content/stores.yml:2: 'stores[0].id' is not a safe id: '../x'"),
    Case("locale-with-a-modifier", replace(SETTINGS, "locale: nl-NL",
                                           "locale: nl-NL@../../../../ESCAPED"),
        f"{SETTINGS}:2: unknown locale 'nl-NL@../../../../ESCAPED'"),
    Case("title-with-newline", replace(OFFER, "title: Basis Internet",
                                       'title: "Basis\\r\\nBcc: x@evil.example"'),
        f"{OFFER}:2: 'title' contains a line break — write this value on one line"),
    Case("title-with-nul", replace(OFFER, "title: Basis Internet", 'title: "Basis\\0"'),
        f"{OFFER}:2: 'title' contains the control character U+0000"),
    Case("title-with-a-lone-surrogate", replace(OFFER, "title: Basis Internet",
                                                'title: "Basis \\ud800"'),
        f"{OFFER}:2: 'title' contains U+D800, half of a UTF-16 pair and no character"),
    Case("sender-name-with-newline", replace(SETTINGS, "name: Testwerk",
                                             'name: "Testwerk\\nBcc: x@evil.example"'),
        f"{SETTINGS}:1: 'name' contains a line break"),
    Case("sender-address-list", replace(SETTINGS, "email: service@testwerk.example",
                                        'email: "a@testwerk.example, b@evil.example"'),
        f"{SETTINGS}:7: 'contact.email' is not an email address"),
    Case("sender-address-with-name", replace(SETTINGS, "email: service@testwerk.example",
                                             'email: "Boss <boss@evil.example>"'),
        f"{SETTINGS}:7: 'contact.email' is not an email address"),
    # -- the shape of content/ ---------------------------------------------------------------
    Case("folder-named-like-an-offer", folder("content/offers/map.md"),
        "content/offers/map.md: a folder where a file was expected"),
    Case("dangling-link", link("content/offers/weg.md", "nergens.md"),
        "content/offers/weg.md: a link that points nowhere (or at itself)"),
    Case("link-loop", link("content/offers/lus.md", "lus.md"),
        "content/offers/lus.md: a link that points nowhere (or at itself)"),
    Case("offer-links-outside", link("content/offers/geheim.md", outside_file),
        "content/offers/geheim.md: a link to a file outside the project"),
    Case("settings-link-outside", link(SETTINGS, outside_file),
        f"{SETTINGS}: a link to a file outside the project"),
    Case("folder-link-outside", link("content/offers/extern", "/etc"),
        "content/offers/extern: a link to a file outside the project"),
    Case("not-utf8", write("content/offers/latin.md", b"---\ntitle: caf\xe9\n---\n"),
        "content/offers/latin.md:1: not UTF-8 text"),
    Case("huge-source-file", write("content/offers/groot.md", "---\n" + "#" * 6_000_000),
        "content/offers/groot.md: larger than 5 MB"),
    # -- the terminal shows what the user wrote -------------------------------------------------
    Case("markup-in-a-field-name", replace(OFFER, "title: Basis Internet",
                                           "title: Basis Internet\n'[/x]': 1"),
        f"{OFFER}:3: unknown field '[/x]'"),
    Case("brackets-in-a-hint", replace(OFFER, "stores: [centrum]", ""),
        "add 'stores: [...]' with the stores that sell it"),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_source_is_refused_and_nothing_is_lost(
        case: Case, spoiled: tuple[Path, Path]) -> None:
    project, out = spoiled
    before = snapshot(out)
    case.change(project)
    result = build_project(project, out)
    assert result.exit_code == case.exit_code, result.output
    assert case.message in result.output
    assert "Traceback" not in result.output
    assert snapshot(out) == before
    # Beside the build only the build, its lock file, and the cache (never half-written).
    assert [n for n in os.listdir(out.parent)
            if not n.endswith(".lock") and n != CACHE_DIR] == ["build"]
    assert not (project / "channels/email/pwned.pth").exists()


def test_min_channels_above_max_channels_is_refused(tiny_project: Path) -> None:
    (tiny_project / "onevoice.yml").write_text(
        "check:\n  min_channels: 5\n  max_channels: 2\n", encoding="utf-8")
    result = run_cli("check", "--project", str(tiny_project), str(tiny_project / "build"))
    assert result.exit_code == 2
    assert ("onevoice.yml:2: 'check.min_channels' (5) is more than 'check.max_channels' (2)"
            in result.output)
