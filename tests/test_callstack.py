"""callstack.roomy: deep calls at a stack chunk's edge without mapping memory each time."""

from __future__ import annotations

import resource

import pytest

from onevoice.callstack import roomy

CALLS = 2000


def _descend(depth: int) -> int:
    return 0 if depth == 0 else _descend(depth - 1) + 1


def _loop_at(depth: int) -> int:
    """Minor page faults of CALLS calls that go `depth` frames deeper than here."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for _ in range(CALLS):
        _descend(depth)
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before


def _worst(start: int) -> int:
    """The most faults of the loop over the depths below `start` frames of padding: one of
    them puts a chunk's edge inside the loop."""
    def padded(pad: int) -> int:
        return _loop_at(40) if pad == 0 else padded(pad - 1)
    return max(padded(pad) for pad in range(start, start + 200))


def test_roomy_passes_arguments_and_result_and_errors() -> None:
    assert roomy(divmod, 17, 5) == (3, 2)
    assert roomy(sorted, [3, 1, 2], reverse=True) == [3, 2, 1]
    with pytest.raises(ZeroDivisionError):
        roomy(divmod, 1, 0)


def test_a_loop_at_a_chunks_edge_maps_no_memory_when_run_roomy() -> None:
    plain = _worst(0)
    if plain < CALLS:
        pytest.skip("this Python keeps a spare stack chunk (gh-142183 fixed): nothing to avoid")
    assert roomy(_worst, 0) < CALLS // 10, "the loop still maps a chunk on every call"
