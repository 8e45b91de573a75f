"""Builds and checks on several processes and on a Dask cluster equal the single-process run."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.builders import check_json, tree
from tests.conftest import AS_OF, build_project


def test_build_on_two_processes_equals_one(example_project: Path) -> None:
    one, two = example_project / "one", example_project / "two"
    assert build_project(example_project, one, AS_OF, "--jobs", "1").exit_code == 0
    assert build_project(example_project, two, AS_OF, "--jobs", "2").exit_code == 0
    assert tree(one) == tree(two)
    assert any(path.endswith(".pdf") for path in tree(one))


def test_template_error_in_a_worker_is_an_input_error(example_project: Path) -> None:
    card = example_project / "channels" / "store" / "card.typ"
    lines = card.read_text(encoding="utf-8").count("\n")
    card.write_text(card.read_text(encoding="utf-8") + "#data.no_such_field\n",
                    encoding="utf-8")
    result = build_project(example_project, example_project / "build", AS_OF, "--jobs", "2")
    assert result.exit_code == 2
    assert f"channels/store/card.typ:{lines + 1}:" in result.output
    assert "no_such_field" in result.output and "Traceback" not in result.output
    assert not (example_project / "build").exists()


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # Dask's own, not ours
def test_dask_local_cluster_equals_single_process(example_project: Path) -> None:
    """A real LocalCluster with two workers: the same bytes out, the same findings."""
    single, cluster = example_project / "single", example_project / "cluster"
    assert build_project(example_project, single, AS_OF, "--jobs", "1").exit_code == 0
    done = build_project(example_project, cluster, AS_OF, "--jobs", "2", "--scheduler", "local")
    assert done.exit_code == 0, done.output
    assert tree(single) == tree(cluster)
    # A hand-edited phone script, so that there is something to find.
    page = single / "phone" / "glasvezel-500.html"
    page.write_text(page.read_text(encoding="utf-8").replace("49,95", "47,95"), encoding="utf-8")
    (cluster / "phone" / "glasvezel-500.html").write_bytes(page.read_bytes())
    alone = check_json(example_project, single, "--jobs", "1")
    spread = check_json(example_project, cluster, "--jobs", "2", "--scheduler", "local")
    assert '"price.mismatch"' in alone
    assert alone.replace(str(single), "") == spread.replace(str(cluster), "")
