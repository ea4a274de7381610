"""Writing a file so that it is either complete or absent, and readable by its owner alone.

An export that half-exists (cut short by a full disk, a crash or Cancel) is worse than none:
someone would send it. So the archive is written to a temporary file in the target folder
(same file system, so the final rename is atomic), flushed to the disk, and only then renamed
over the target; the folder is flushed too so that the rename survives a power cut. On any
failure the temporary file is removed. The temporary name is random and says nothing about
what is inside.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

#: Owner read and write, nobody else anything.
PRIVATE = stat.S_IRUSR | stat.S_IWUSR
_TEMPORARY_SUFFIX = ".partial"


def temporary_name(target: Path) -> Path:
    return target.with_name(f".export-{secrets.token_hex(8)}{_TEMPORARY_SUFFIX}")


def _sync_folder(folder: Path) -> None:
    """Make the rename durable. Windows cannot open a folder for this, and needs not."""
    if os.name == "nt":
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


@contextlib.contextmanager
def private_atomic_file(target: Path) -> Iterator[BinaryIO]:
    """Yield a handle to write ``target`` through; it appears, whole and 0o600, only if the
    block finishes without an exception."""
    temporary = temporary_name(target)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    descriptor = os.open(temporary, flags, PRIVATE)
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(descriptor, PRIVATE)  # whatever the umask made of it
        with os.fdopen(descriptor, "wb") as handle:
            descriptor = -1
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        temporary.replace(target)
    except BaseException:
        if descriptor >= 0:
            os.close(descriptor)
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
    with contextlib.suppress(OSError):  # the file itself is complete and on the disk
        _sync_folder(target.parent)
