"""The one way kg writes an output file (``kg extract -o``, ``kg export rdf -o``, ``kg viz -o``).

A regular file (or a path that does not exist yet) is written to ``<name>.part`` beside it
and renamed over it when the writing succeeded, so a failed run leaves the old file or none,
never half a file (``os.replace`` is atomic on POSIX: rename(2)). Anything else that exists,
a device (``/dev/null``, ``/dev/stdout``), a FIFO or a symlink, is opened and written in
place: renaming over it would replace the device or link with a regular file (#14 D1).

:func:`check_output` is called before the work starts, so ``-o some_dir`` or ``-o
missing/dir/x`` fails at once with one line, not after an hour of extraction.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from kg.errors import KgError


def _in_place(path: Path) -> bool:
    """True for what must be written in place: an existing symlink, device, FIFO or socket."""
    try:
        st = path.lstat()
    except (FileNotFoundError, NotADirectoryError):
        return False
    return not stat.S_ISREG(st.st_mode)


def check_output(path: Path | str) -> Path:
    """Fail early for an output path that cannot be written; returns it as a Path.

    Raises :class:`KgError` (one line, naming the path) when it is a directory, when its
    directory does not exist or is not a directory, or when that directory is not writable
    (for a file that must be created there).
    """
    path = Path(path)
    if path.is_dir():
        raise KgError(f"output {path}: is a directory; give a file name")
    if _in_place(path):
        return path
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.exists():
        raise KgError(f"output {path}: directory {parent} does not exist")
    if not parent.is_dir():
        raise KgError(f"output {path}: {parent} is not a directory")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise KgError(f"output {path}: directory {parent} is not writable")
    return path


@contextmanager
def output_file(path: Path | str, mode: str = "w") -> Iterator[IO]:
    """Open ``path`` for writing (``mode`` "w" text in UTF-8, or "wb"), see the module
    docstring for when it is atomic. The rename happens only when the block exits without an
    exception; on one the ``.part`` file is removed and the target is untouched.

    Raises :class:`KgError` from :func:`check_output`; I/O errors pass as ``OSError``.
    """
    if mode not in ("w", "wb"):
        raise ValueError(f"output_file mode must be 'w' or 'wb', not {mode!r}")
    path = check_output(path)
    kw = {"encoding": "utf-8"} if mode == "w" else {}
    if _in_place(path):
        with path.open(mode, **kw) as f:
            yield f
        return
    tmp = path.with_name(path.name + ".part")
    try:
        with tmp.open(mode, **kw) as f:
            yield f
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
