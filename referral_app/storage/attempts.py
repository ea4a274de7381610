"""Wrong passphrases noted beside the database, and how long the next try has to wait.

Failed unlocks cannot be written to a database nobody could open, so they are kept in a small
file beside it (times only). This module needs nothing but the standard library, so the unlock
screen can show a wait left from earlier tries without loading the database machinery.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
from datetime import datetime, timedelta
from pathlib import Path

#: Wrong passphrases allowed in a row before each further try has to wait.
FREE_ATTEMPTS = 5
#: The wait after the fifth wrong passphrase; it doubles with each one after, up to the cap.
FIRST_DELAY = timedelta(seconds=30)
LONGEST_DELAY = timedelta(minutes=15)


def delay_after(failures: int) -> timedelta:
    """How long the next try must wait after ``failures`` wrong passphrases in a row."""
    if failures < FREE_ATTEMPTS:
        return timedelta(0)
    wait = FIRST_DELAY * 2 ** min(failures - FREE_ATTEMPTS, 10)
    return wait if wait < LONGEST_DELAY else LONGEST_DELAY


class FailedAttempts:
    """Times of wrong passphrases since the last successful unlock.

    Kept in a file, not in memory, so that quitting and starting again does not reset the
    wait that slows down guessing.
    """

    __slots__ = ("path",)

    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def beside(cls, database_path: Path) -> FailedAttempts:
        return cls(database_path.with_name(database_path.name + ".attempts"))

    def times(self) -> list[datetime]:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            return [datetime.fromisoformat(item) for item in raw]
        except (OSError, ValueError, TypeError):
            return []

    def next_try_at(self) -> datetime | None:
        """When the next try is allowed, if it has to wait at all."""
        times = self.times()
        wait = delay_after(len(times))
        return max(times) + wait if wait else None

    def add(self, when: datetime) -> int:
        times = [*self.times(), when]
        self._write([t.isoformat() for t in times])
        return len(times)

    def clear(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()

    def _write(self, items: list[str]) -> None:
        temporary = self.path.with_name(f".{self.path.name}.{os.urandom(4).hex()}.tmp")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, stat.S_IRUSR | stat.S_IWUSR)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(items, handle)
            handle.flush()
            os.fsync(handle.fileno())
        temporary.replace(self.path)
