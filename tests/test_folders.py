"""files_below: the files Path.rglob would find, without its set of every path."""

from __future__ import annotations

from pathlib import Path

from onevoice.folders import files_below


def test_files_below_finds_what_rglob_finds(tmp_path: Path) -> None:
    root = tmp_path / "build"
    (root / "web/aanbod/glasvezel").mkdir(parents=True)
    (root / "web/aanbod/glasvezel/index.html").write_text("<p>€ 49,95</p>", encoding="utf-8")
    (root / "manifest.json").write_text("{}", encoding="utf-8")
    (root / "empty").mkdir()
    outside = tmp_path / "outside"
    (outside / "deep").mkdir(parents=True)
    (outside / "deep/secret.txt").write_text("not below the root", encoding="utf-8")
    (root / "link-to-file.html").symlink_to(root / "manifest.json")
    (root / "link-to-folder").symlink_to(outside)  # listed by rglob, not entered
    (root / "dangling.html").symlink_to(tmp_path / "gone")

    found = sorted(p.relative_to(root).as_posix() for p in files_below(root))
    assert found == ["link-to-file.html", "manifest.json", "web/aanbod/glasvezel/index.html"]
    assert found == sorted(p.relative_to(root).as_posix() for p in root.rglob("*")
                           if p.is_file())
    assert list(files_below(tmp_path / "missing")) == []
