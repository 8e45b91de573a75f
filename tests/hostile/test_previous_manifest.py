"""A previous build's manifest.json is data the next build and the check read: an entry
without its `sources`, or with a list where a store id goes, is ignored (with a warning),
never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import AS_OF, build_project, run_cli


def test_a_damaged_manifest_entry_is_ignored_by_the_next_build_and_the_check(
        tiny_project: Path, tmp_path: Path) -> None:
    out = tmp_path / "build"
    assert build_project(tiny_project, out).exit_code == 0
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    outputs = manifest["outputs"]
    first = next(iter(outputs))
    del outputs[first]["sources"]
    card = next(key for key, entry in outputs.items() if entry.get("store"))
    outputs[card]["store"] = ["centrum", "../elders"]
    (out / "manifest.json").write_text(json.dumps(manifest), "utf-8")
    checked = run_cli("check", str(out), "--project", str(tiny_project), "--as-of",
                      AS_OF.isoformat())
    assert "Traceback" not in checked.output and checked.exit_code in (0, 1)
    rebuilt = build_project(tiny_project, out)
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "Traceback" not in rebuilt.output
    assert not (out.parent / "elders").exists()
