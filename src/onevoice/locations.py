"""Where a value came from: a file and a line, kept from the first byte read."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Location:
    """A `path:line` in a source or output file; line 0 means the whole file."""

    path: str
    line: int = 0
    part: str = ""
    """Where inside the file, when a line alone does not say: 'page 2', 'text/html part'."""

    def __str__(self) -> str:
        text = f"{self.path}:{self.line}" if self.line else self.path
        return f"{text} ({self.part})" if self.part else text

    def as_dict(self) -> dict[str, str | int]:
        data: dict[str, str | int] = {"path": self.path, "line": self.line}
        if self.part:
            data["part"] = self.part
        return data

    @classmethod
    def of(cls, path: Path | str, line: int = 0, root: Path | None = None) -> Location:
        """A location whose path is shown relative to `root` when it lies inside it."""
        p = Path(path)
        if root is not None:
            with contextlib.suppress(ValueError):
                p = p.resolve().relative_to(root.resolve())
        return cls(p.as_posix(), line)
