"""Wrong passphrases noted beside the database, and how long the next try has to wait.

Failed unlocks cannot be written to a database nobody could open, so they are kept in a small
file beside it (times only). This module needs nothing but the standard library, so the unlock
screen can show a wait left from earlier tries without loading the database machinery.

The file is read with suspicion: whoever can write beside the database could replace it with
something that is not a file (a FIFO would hang a plain read), with nonsense, or with times in
the future that would lock the advocate out. None of that may stop the app starting or
unlocking: what cannot be read counts as no wrong passphrases, a time in the future or without
a time zone counts as now. If the file cannot be written, the wait is kept in memory for as
long as the app runs, and :attr:`FailedAttempts.unsaved` says so.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

#: Wrong passphrases allowed in a row before each further try has to wait.
FREE_ATTEMPTS = 5
#: The wait after the fifth wrong passphrase; it doubles with each one after, up to the cap.
FIRST_DELAY = timedelta(seconds=30)
LONGEST_DELAY = timedelta(minutes=15)
#: A file of wrong passphrases is a few hundred bytes; anything far larger is not one.
_MOST_BYTES = 64 * 1024
_MOST_TIMES = 1000

UNSAVED_NOTE = (
    "The wrong passphrases could not be noted in the file beside the database (it cannot be "
    "written), so the wait is kept only while the app stays open."
)


def delay_after(failures: int) -> timedelta:
    """How long the next try must wait after ``failures`` wrong passphrases in a row."""
    if failures < FREE_ATTEMPTS:
        return timedelta(0)
    wait = FIRST_DELAY * 2 ** min(failures - FREE_ATTEMPTS, 10)
    return wait if wait < LONGEST_DELAY else LONGEST_DELAY


def _read_regular(path: Path) -> bytes:
    """The file's bytes, or b"" if it is missing, not a regular file, or unreadable."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError:
        return b""
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            return b""
        return os.read(descriptor, _MOST_BYTES + 1)
    except OSError:
        return b""
    finally:
        os.close(descriptor)


def _moment(item: object, now: datetime) -> datetime:
    """A stored time, trusted only as far as it can be: never later than now, always aware."""
    if not isinstance(item, str):
        return now
    try:
        when = datetime.fromisoformat(item)
    except ValueError:
        return now
    if when.tzinfo is None or when > now:
        return now
    return when


class FailedAttempts:
    """Times of wrong passphrases since the last successful unlock.

    Kept in a file, not in memory, so that quitting and starting again does not reset the
    wait that slows down guessing. Keep one instance for the life of a screen: it holds the
    times in memory when the file cannot be written.
    """

    __slots__ = ("_memory", "path")

    def __init__(self, path: Path) -> None:
        self.path = path
        self._memory: list[datetime] | None = None

    @classmethod
    def beside(cls, database_path: Path) -> FailedAttempts:
        return cls(database_path.with_name(database_path.name + ".attempts"))

    @property
    def unsaved(self) -> bool:
        """Whether the file could not be written, so the times live in memory only."""
        return self._memory is not None

    def times(self, now: datetime | None = None) -> list[datetime]:
        moment = now or datetime.now(UTC)
        if self._memory is not None:
            return [min(when, moment) for when in self._memory]
        raw = _read_regular(self.path)
        if not raw or len(raw) > _MOST_BYTES:
            return []
        try:
            items = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            return []
        if not isinstance(items, list):
            return []
        items = items[:_MOST_TIMES]
        times = [_moment(item, moment) for item in items]
        if any(
            not isinstance(item, str) or when.isoformat() != item
            for item, when in zip(items, times, strict=True)
        ):
            # Pinned at the moment first read, so a time in the future cannot keep moving the
            # wait along with the clock.
            self._keep(times)
        return times

    def next_try_at(self, now: datetime | None = None) -> datetime | None:
        """When the next try is allowed, if it has to wait at all."""
        times = self.times(now)
        wait = delay_after(len(times))
        return max(times) + wait if wait else None

    def add(self, when: datetime) -> int:
        times = [*self.times(when), when][-_MOST_TIMES:]
        self._keep(times)
        return len(times)

    def _keep(self, times: list[datetime]) -> None:
        """Write the times to the file, or hold them in memory if it cannot be written."""
        if self._memory is None:
            try:
                self._write([t.isoformat() for t in times])
                return
            except OSError:
                pass
        self._memory = times

    def clear(self) -> None:
        self._memory = None
        with contextlib.suppress(OSError):
            if self.path.is_dir():
                return
            self.path.unlink()

    def _write(self, items: list[str]) -> None:
        temporary = self.path.with_name(f".{self.path.name}.{os.urandom(4).hex()}.tmp")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, stat.S_IRUSR | stat.S_IWUSR)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(items, handle)
                handle.flush()
                os.fsync(handle.fileno())
            temporary.replace(self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                temporary.unlink()
            raise
