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
from referral_app.storage import identity as info
from referral_app.storage.attempts import (
    FIRST_DELAY,
    FREE_ATTEMPTS,
    LONGEST_DELAY,
    FailedAttempts,
    delay_after,
)
from referral_app.storage.db import Database
from referral_app.storage.errors import (
    CannotWriteError,
    DamagedDatabaseError,
    StorageError,
    TooManyAttemptsError,
    WriteFailedError,
    WrongOrDamagedError,
    WrongPassphraseError,
)
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
    backup.remove_leftovers(path)
    _try_daily_backup(database, passphrase)
    return database


def _try_daily_backup(database: Database, passphrase: str) -> None:
    """Back up once a day; a failure is noted for the advocate, never keeps them out."""
    try:
        backup.daily_backup(database, passphrase)
    except backup.BackupCheckFailedError as error:
        log.warning("daily backup failed its check")
        database.notices.append(str(error))
    except (OSError, sqlcipher3.Error, DBAPIError) as error:
        # A full or read-only disk must not keep the advocate out of their records.
        log.warning("daily backup failed: %s", type(error).__name__)
        database.notices.append(
            "Today's backup could not be written (is the disk full, or the backups folder "
            "read-only?). Your records and your earlier backups are as they were. Free some "
            "space, or use File > Back up now… to save a backup elsewhere."
        )


def _damaged_or_wrong(path: Path, passphrase: str) -> StorageError:
    """A first page that will not decrypt: a wrong passphrase, unless a backup says otherwise.

    If the newest backups open with the passphrase it was right, so the file is damaged.
    Without backups the two cannot be told apart, and the message says both.
    """
    if not passphrase or "\x00" in passphrase:
        return WrongPassphraseError()
    found = backup.list_backups(path)
    if not found:
        return WrongOrDamagedError()
    if any(backup.opens(item, passphrase) for item in found[:_BACKUPS_TRIED]):
        return DamagedDatabaseError(path, first_page=True)
    return WrongPassphraseError()


#: How many of the newest backups are tried to tell a damaged file from a wrong passphrase.
_BACKUPS_TRIED = 2


def open_database(
    path: Path,
    passphrase: str,
    *,
    make_backup: bool = True,
    now: datetime | None = None,
    attempts: FailedAttempts | None = None,
) -> Database:
    """Unlock; log the unlock (and earlier failed tries); back up if none was made today.

    After :data:`FREE_ATTEMPTS` wrong passphrases in a row, a try made before the wait is over
    raises :class:`TooManyAttemptsError` without trying the passphrase at all. A damaged
    file raises :class:`DamagedDatabaseError` and is left exactly as it was. A passphrase
    change that a crash interrupted is finished, and temporary copies a crash left removed.
    """
    attempts = attempts or FailedAttempts.beside(path)
    moment = now or utc_now()
    retry_at = attempts.next_try_at(moment)
    if retry_at is not None and moment < retry_at:
        raise TooManyAttemptsError(retry_at, moment)
    migrated: list[bool] = []

    def back_up_before_upgrade(engine: Engine) -> None:
        try:
            backup.backup_engine(engine, path, passphrase)
        except (OSError, sqlcipher3.Error, DBAPIError, backup.BackupError):
            raise StorageError(
                "The database needs updating for this version of the app, but a backup could "
                "not be made first (is the disk full?). Nothing was changed."
            ) from None
        migrated.append(True)

    try:
        database = Database.unlock(path, passphrase, before_migrating=back_up_before_upgrade)
    except WrongPassphraseError:
        error = _damaged_or_wrong(path, passphrase)
        if isinstance(error, WrongPassphraseError):
            attempts.add(moment)
        raise error from None
    try:
        repository = Repository(database)
        failed = attempts.times(moment)
        try:
            repository.record_events(
                [(AuditAction.UNLOCK_FAILED, when) for when in failed]
                + [(AuditAction.UNLOCK, utc_now())]
            )
        except WriteFailedError as error:
            raise CannotWriteError(error.reason) from None
        attempts.clear()
        backup.remove_leftovers(path)
        own = info.identity(database.engine)
        if migrated and own is not None:
            backup.adopt_unnamed(path, own, passphrase)
        _finish_passphrase_change(database, passphrase)
    except BaseException:
        database.close()
        raise
    if make_backup:
        _try_daily_backup(database, passphrase)
    return database


def _finish_passphrase_change(database: Database, passphrase: str) -> None:
    """Re-encrypt the backups a crash left under the old passphrase, then forget it."""
    old = info.read(database.engine, info.PENDING_REKEY)
    if old is None:
        return
    left = 0 if old == passphrase else backup.rekey_backups(database.path, old, passphrase)
    info.remove(database, info.PENDING_REKEY)
    log.info("an interrupted passphrase change was finished")
    if left:
        database.notices.append(_left_behind(left))


def _left_behind(count: int) -> str:
    backups = "backup" if count == 1 else "backups"
    return (
        f"{count} {backups} could not be re-encrypted with the new passphrase and still "
        "open only with an earlier one. They are kept, not deleted; they are replaced as new "
        "backups are made."
    )


def change_passphrase(database: Database, current: str, new: str) -> int:
    """Rekey the database and its backups; the change is audited.

    The old passphrase is noted inside the database first, so that a crash part-way leaves
    enough for the next unlock to finish re-encrypting the backups. No backup is deleted.
    Returns how many backups are left under another passphrase.
    """
    repository = Repository(database)
    advocate = repository.advocate()
    words = () if advocate is None else (advocate.name, advocate.organisation)

    def note_change() -> None:
        info.write(database, info.PENDING_REKEY, current)

    try:
        database.rekey(current, new, words, before=note_change)
    except StorageError:
        with contextlib.suppress(StorageError, DBAPIError, RuntimeError):
            if info.read(database.engine, info.PENDING_REKEY) is not None:
                info.remove(database, info.PENDING_REKEY)
        raise
    repository.record_event(AuditAction.PASSPHRASE_CHANGE)
    left = backup.rekey_backups(database.path, current, new)
    info.remove(database, info.PENDING_REKEY)
    with contextlib.suppress(OSError, sqlcipher3.Error, DBAPIError, backup.BackupError):
        backup.make_backup(database, new)
    return left
