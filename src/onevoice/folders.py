"""Walking a folder's files without holding them all."""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from onevoice.errors import InputError, SourceError, WriteError
from onevoice.locations import Location

LINK_HINT = "remove the link (onevoice writes no file through a link), or choose another path"


def file_entries(root: Path) -> Iterator[os.DirEntry[str]]:
    """Every file below `root` as the directory entry that names it, in no set order:
    links to files too, linked folders not entered (as `Path.rglob`). An entry knows from
    its folder's listing whether it is a file or a folder, so the walk itself costs no
    call per file (`entry.stat()` is one, when wanted)."""
    folders = [os.fspath(root)]
    while folders:
        try:
            with os.scandir(folders.pop()) as listing:
                for entry in listing:
                    if entry.is_dir(follow_symlinks=False):
                        folders.append(entry.path)
                    elif entry.is_file():  # a link is followed to see what it names
                        yield entry
        except OSError:
            continue  # gone or unreadable, as os.walk skips it


def files_below(root: Path) -> Iterator[Path]:
    """Every file below `root` (see file_entries). Before Python 3.13, `Path.rglob` keeps
    every path it yielded in a set: listing a 10,000-offer build's cache of 220,000
    entries held 88 MB for 4.3 s, where this walk holds 0.2 MB for 0.5 s (pruning that
    cache: 126 MB, now 2.1 MB)."""
    return (Path(entry.path) for entry in file_entries(root))


def open_without_links(path: Path) -> int:
    """A descriptor of the regular file `path`, made if missing; a link (a committed
    `.onevoice-build.lock -> ../victim`) or anything but a file is refused, not followed."""
    flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    try:
        handle = os.open(path, flags, 0o644)
    except OSError as exc:
        message = "is a link" if path.is_symlink() else f"cannot be opened ({exc.strerror})"
        raise InputError([SourceError(Location(str(path)), message, LINK_HINT)]) from None
    if not stat.S_ISREG(os.fstat(handle).st_mode):
        os.close(handle)
        raise InputError([SourceError(Location(str(path)), "is not a regular file", LINK_HINT)])
    return handle


def replace_file(path: Path, text: str) -> None:
    """Write `path` whole or not at all and never through a link: the text goes to a
    temporary file in the same folder, which then takes the name."""
    if path.is_symlink() or (path.exists() and not path.is_file()):
        what = "is a link" if path.is_symlink() else "is not a regular file"
        raise InputError([SourceError(Location(str(path)), what, LINK_HINT)])
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-")
    except OSError as exc:
        raise WriteError([SourceError(Location(str(path)), f"cannot be written: {exc.strerror}",
                                      "choose a folder you can write to")]) from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException as exc:
        os.unlink(temporary)
        if isinstance(exc, OSError):
            raise WriteError([SourceError(Location(str(path)),
                                          f"cannot be written: {exc.strerror}",
                                          "free some space, or choose another path")]) from None
        raise
