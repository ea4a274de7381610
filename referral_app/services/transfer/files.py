"""Writing the export so that it is either complete or absent, and readable by its owner
alone: the storage layer's private atomic file, under a name that says "export"."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from referral_app.storage import files

PRIVATE = files.PRIVATE


@contextlib.contextmanager
def private_atomic_file(target: Path) -> Iterator[BinaryIO]:
    """Yield a handle to write ``target`` through; it appears, whole and 0o600, only if the
    block finishes without an exception. Partial exports that a crash or power cut left in
    the same folder are shredded first, so none stays there for good."""
    files.remove_leftovers(target.parent, "export")
    with files.private_atomic_file(target, "export") as handle:
        yield handle
