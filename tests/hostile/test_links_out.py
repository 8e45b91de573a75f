"""The checker reads the folder it is given: a link in it to a file elsewhere on the machine
is not read (its text could pass for an output's), and is an error naming the link."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.conftest import AS_OF, REPO, run_cli


def test_a_link_out_of_the_checked_folder_is_not_read(example_build: Path,
                                                      tmp_path: Path) -> None:
    build = tmp_path / "build"
    shutil.copytree(example_build, build)
    outside = tmp_path / "elsewhere.html"
    outside.write_text("<p>Glasvezel 500 voor € 12,95 per maand</p><p>SECRET-TOKEN</p>",
                       "utf-8")
    page = build / "web/aanbod/internet/glasvezel-500/index.html"
    page.unlink()
    page.symlink_to(outside)
    result = run_cli("check", str(build), "--project", str(REPO), "--as-of",
                     AS_OF.isoformat(), "--format", "json")
    assert result.exit_code == 1
    findings = json.loads(result.stdout)["findings"]
    linked = [f for f in findings if f["output"] and f["output"]["path"] ==
              "web/aanbod/internet/glasvezel-500/index.html"]
    assert [f["rule"] for f in linked if f["severity"] == "error"] == ["output.unreadable"]
    unread = next(f for f in linked if f["rule"] == "output.unreadable")
    assert f"a link to {outside.resolve()}, outside the checked folder" in unread["message"]
    assert not any("12,95" in (f["found"] or "") for f in findings)  # its text was not read
    assert "SECRET-TOKEN" not in result.stdout
