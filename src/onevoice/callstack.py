"""Deep Python calls without mapping and unmapping memory on every call (CPython gh-142183).

CPython 3.11 and later keep the frames of Python calls on a stack made of chunks, 16 KiB
at first. A call that does not fit in the current chunk maps a new one, and the return
from that call unmaps it. Code that keeps calling at a depth right at a chunk's edge maps
and unmaps a chunk on nearly every call. WeasyPrint, which laid out the store cards
before Typst, did this when it laid out nested boxes: at 300 offers, 10 of the build's
56 CPU seconds were spent in the kernel, 200,000 mmap and munmap calls for every 40
offers, and the layout itself was a few per cent slower from page faults on memory that
had just been mapped. Where the edge falls depends only
on how deep the caller is, so any change of code could move it into or out of a hot loop.

`roomy(call, ...)` runs `call` at the start of a chunk with room for hundreds of frames.
Its own frame holds more local variables than a fresh 16 KiB chunk has room for, so
CPython maps a chunk of 128 KiB for it: the smallest power of two that holds the frame
and CPython's margin. The frames of `call` and its callees fit in the other half of that
chunk. Per call, this costs one mapping and setting 8,200 local variables to empty, a
few microseconds. Every piece of build and check work runs through it (workers.py).
The fix in CPython (one chunk kept in reserve) is in 3.13 and 3.14 point releases, not
in 3.11 or 3.12.
"""

from __future__ import annotations

import types
from collections.abc import Callable
from typing import Any, TypeVar

Result = TypeVar("Result")

# Local variables of the entry frame, at 8 bytes each about 64 KiB: more than a 16 KiB
# chunk holds, and less than half of the 128 KiB chunk CPython maps for it, whatever its
# margin (1,000 slots in 3.11).
SLOTS = 8200


def _call(call: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    return call(*args, **kwargs)


# `_call` with SLOTS more local variables, none ever assigned (a millisecond to make).
_code = _call.__code__
_roomy = types.FunctionType(_code.replace(
    co_varnames=_code.co_varnames + tuple(f"_{index}" for index in range(SLOTS)),
    co_nlocals=_code.co_nlocals + SLOTS), {}, "roomy")


def roomy(call: Callable[..., Result], *args: Any, **kwargs: Any) -> Result:
    """`call(*args, **kwargs)`, its frames at the start of a roomy stack chunk."""
    result: Result = _roomy(call, *args, **kwargs)
    return result
