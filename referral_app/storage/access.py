"""Opening the database as the app does it: unlock, audit, daily backup, in that order.

Failed unlocks cannot be written to a database nobody could open, so they are noted in a small
file beside it (times only) and moved into the audit log at the next successful unlock. The
same file lets the unlock screen slow down guessing.
"""

from __future__ import annotations

import contextlib
import logging
from datetime import datetime
from pathlib import Path

import sqlcipher3
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from referral_app.domain.audit import AuditAction
from referral_app.domain.referral import Advocate, utc_now
from referral_app.storage import backup
from referral_app.storage.attempts import (
    FIRST_DELAY,
    FREE_ATTEMPTS,
    LONGEST_DELAY,
    FailedAttempts,
    delay_after,
)
from referral_app.storage.db import Database
from referral_app.storage.errors import StorageError, TooManyAttemptsError, WrongPassphraseError
from referral_app.storage.repository import Repository

log = logging.getLogger(__name__)

__all__ = [
    "FIRST_DELAY",
    "FREE_ATTEMPTS",
    "LONGEST_DELAY",
    "FailedAttempts",
    "change_passphrase",
    "create_database",
    "delay_after",
    "open_database",
]


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
