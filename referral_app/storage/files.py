"""Writing a file so that it is either complete or absent, and readable by its owner alone.

A file that half-exists (cut short by a full disk, a crash or Cancel) is worse than none:
someone would send it, or open it and trust it. So each file the app writes for the advocate
(an export, a PDF, the audit log's CSV) is written to a temporary file in the target folder
(same file system, so the final rename is atomic), flushed to the disk, and only then renamed
over the target; the folder is flushed too, so that the rename survives a power cut. On any
failure, Cancel included, the temporary file is removed. Its name is random and says nothing
about what is inside; it is never in a shared temporary folder.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import secrets
import stat
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, TextIO

if sys.platform != "win32":  # a file being written is locked, so a clean-up can tell it
    import fcntl  # from one left behind; Windows refuses to delete an open file anyway

#: Owner read and write, nobody else anything.
PRIVATE = stat.S_IRUSR | stat.S_IWUSR


def temporary_name(target: Path, kind: str) -> Path:
    """A hidden, random name beside ``target``; ``kind`` (a word such as "export") only says
    which part of the app left it, should a power cut leave one behind."""
    return target.with_name(f".{kind}-{secrets.token_hex(8)}.partial")


def sync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable. Windows cannot open a folder for this, and needs
    not."""
    if os.name == "nt":
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


@contextlib.contextmanager
def private_atomic_file(target: Path, kind: str) -> Iterator[BinaryIO]:
    """Yield a binary handle to write ``target`` through; it appears, whole and 0o600, only if
    the block finishes without an exception."""
    temporary = temporary_name(target, kind)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    descriptor = os.open(temporary, flags, PRIVATE)
    try:
        if sys.platform != "win32":
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
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
        sync_folder(target.parent)


@contextlib.contextmanager
def private_atomic_text(target: Path, kind: str, *, encoding: str = "utf-8") -> Iterator[TextIO]:
    """:func:`private_atomic_file` for text, with ``newline=""`` (the csv module's wish)."""
    with private_atomic_file(target, kind) as raw:
        text = io.TextIOWrapper(raw, encoding=encoding, newline="")
        try:
            yield text
            text.flush()
        finally:
            text.detach()  # the raw handle is closed, synced and renamed by the outer block


_CHUNK = 1 << 20


def shred(path: Path) -> None:
    """Overwrite a regular file with zeros, flush it, then remove it; errors are left to the
    caller. What a copy held (encrypted or not) is then gone from the disk as far as the file
    system allows (a copy-on-write or flash disk may still keep old blocks)."""
    descriptor = os.open(path, os.O_WRONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            return
        left = os.fstat(descriptor).st_size
        zeros = bytes(min(left, _CHUNK))
        while left > 0:
            left -= os.write(descriptor, zeros[: min(left, _CHUNK)])
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    path.unlink()


def _in_use(path: Path) -> bool:
    """Whether another handle (this app's or another copy's) is still writing ``path``."""
    if sys.platform == "win32":
        return False
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return True
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(descriptor)  # closing drops the lock
    return False


def remove_leftovers(folder: Path, kind: str) -> int:
    """Shred the temporary files of ``kind`` that a crash or power cut left in ``folder``;
    returns how many. Files still being written are locked and left alone."""
    pattern = re.compile(rf"\.{re.escape(kind)}-[0-9a-f]{{16}}\.partial")
    removed = 0
    with contextlib.suppress(OSError):
        for entry in folder.iterdir():
            if not pattern.fullmatch(entry.name) or _in_use(entry):
                continue
            with contextlib.suppress(OSError):
                shred(entry)
                removed += 1
    return removed
