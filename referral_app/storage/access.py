"""Opening the database as the app does it: unlock, audit, daily backup, in that order.

Failed unlocks cannot be written to a database nobody could open, so they are noted in a small
file beside it (times only) and moved into the audit log at the next successful unlock. The
same file lets the unlock screen slow down guessing.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import secrets
import stat
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import sqlcipher3
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from referral_app.domain.audit import AuditAction
from referral_app.domain.referral import Advocate, utc_now
from referral_app.storage import backup
from referral_app.storage.db import Database
from referral_app.storage.errors import StorageError, TooManyAttemptsError, WrongPassphraseError
from referral_app.storage.repository import Repository

log = logging.getLogger(__name__)

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


@dataclass(frozen=True)
class FailedAttempts:
    """Times of wrong passphrases since the last successful unlock.

    Kept in a file, not in memory, so that quitting and starting again does not reset the
    wait that slows down guessing.
    """

    path: Path

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
        temporary = self.path.with_name(f".{self.path.name}.{secrets.token_hex(4)}.tmp")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, stat.S_IRUSR | stat.S_IWUSR)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(items, handle)
            handle.flush()
            os.fsync(handle.fileno())
        temporary.replace(self.path)


def create_database(path: Path, passphrase: str, advocate: Advocate) -> Database:
    """A new database with the advocate's profile in it, and its first backup."""
    words = tuple(part for part in (advocate.name, advocate.organisation) if part)
    database = Database.create(path, passphrase, words)
    try:
        Repository(database).save_advocate(advocate)
    except BaseException:
        database.close()
        raise
    _try_daily_backup(database, passphrase)
    return database


def _try_daily_backup(database: Database, passphrase: str) -> None:
    try:
        backup.daily_backup(database, passphrase)
    except (OSError, sqlcipher3.Error, DBAPIError):
        # A full or read-only disk must not keep the advocate out of their records.
        log.warning("daily backup failed")


def open_database(
    path: Path, passphrase: str, *, make_backup: bool = True, now: datetime | None = None
) -> Database:
    """Unlock; log the unlock (and earlier failed tries); back up if none was made today.

    After :data:`FREE_ATTEMPTS` wrong passphrases in a row, a try made before the wait is over
    raises :class:`TooManyAttemptsError` without trying the passphrase at all.
    """
    attempts = FailedAttempts.beside(path)
    moment = now or utc_now()
    retry_at = attempts.next_try_at()
    if retry_at is not None and moment < retry_at:
        raise TooManyAttemptsError(retry_at, moment)

    def back_up_before_upgrade(engine: Engine) -> None:
        try:
            backup.backup_engine(engine, path, passphrase)
        except (OSError, sqlcipher3.Error, DBAPIError):
            raise StorageError(
                "The database needs updating for this version of the app, but a backup could "
                "not be made first (is the disk full?). Nothing was changed."
            ) from None

    try:
        database = Database.unlock(path, passphrase, before_migrating=back_up_before_upgrade)
    except WrongPassphraseError:
        attempts.add(moment)
        raise
    try:
        repository = Repository(database)
        failed = attempts.times()
        repository.record_events(
            [(AuditAction.UNLOCK_FAILED, when) for when in failed]
            + [(AuditAction.UNLOCK, utc_now())]
        )
        attempts.clear()
    except BaseException:
        database.close()
        raise
    if make_backup:
        _try_daily_backup(database, passphrase)
    return database


def change_passphrase(database: Database, current: str, new: str) -> None:
    """Rekey the database and its backups; the change is audited."""
    repository = Repository(database)
    advocate = repository.advocate()
    words = () if advocate is None else (advocate.name, advocate.organisation)
    database.rekey(current, new, words)
    repository.record_event(AuditAction.PASSPHRASE_CHANGE)
    backup.rekey_backups(database.path, current, new)
    with contextlib.suppress(OSError, sqlcipher3.Error, DBAPIError):
        backup.make_backup(database, new)
