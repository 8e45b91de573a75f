"""A channel kind is one record (config.channels.KINDS) and one writer (render.build.WRITERS):
each kind has both, and what the record says is what the build does."""

from __future__ import annotations

from pathlib import Path

from onevoice.config.channels import KINDS, UNKNOWN_KIND
from onevoice.outputs.manifest import read_manifest
from onevoice.render.build import WRITERS


def test_every_kind_has_a_writer_and_every_writer_a_kind() -> None:
    assert KINDS and set(WRITERS) == set(KINDS)


def test_each_difference_between_kinds_belongs_to_one_kind() -> None:
    assert [k.name for k in KINDS.values() if k.website] == ["web"]
    assert [k.name for k in KINDS.values() if k.prints] == ["store"]
    assert [k.name for k in KINDS.values() if k.feed] == ["feed"]
    assert [k.name for k in KINDS.values() if k.spoken] == ["phone"]
    assert not UNKNOWN_KIND.templates and UNKNOWN_KIND.journey_template == ""


def test_only_a_kind_that_splits_finishes() -> None:
    split = {name for name, writer in WRITERS.items() if writer.parts}
    assert split == {"store"}
    assert {name for name, writer in WRITERS.items() if writer.finishes} <= split


def test_the_journey_outputs_are_written_by_their_kinds_journey_template(
        example_build: Path) -> None:
    manifest = read_manifest(example_build)
    assert manifest is not None
    journeys = [e for e in manifest.outputs.values() if e.journey]
    assert journeys
    for entry in journeys:
        spec = manifest.channels[entry.channel].spec
        assert set(entry.templates.values()) <= set(spec.journey_templates), entry.path
