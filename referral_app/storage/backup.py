"""Encrypted backups: at most one a day on unlock, each checked, a ladder kept, and a way back.

Copies are made with SQLite's online backup API through SQLCipher, never by copying the live
file, so a backup is always a consistent database, encrypted with the same passphrase. Each
copy is written beside its final name, checked with ``PRAGMA integrity_check``, flushed to
disk and only then renamed into place, so a crash leaves either the old file or the new one,
and a copy of a damaged database never counts as a backup (nor pushes a good one out).
Rotation keeps a ladder (see ``backup_files``) of this database's own backups only.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import shutil
import stat
from datetime import UTC, date, datetime
from pathlib import Path

import sqlcipher3
from sqlalchemy import Engine

from referral_app.storage import identity as info
from referral_app.storage.backup_files import (
    BackupFile,
    backup_folder,
    backup_name,
    is_leftover,
    ladder,
    list_backup_files,
)
from referral_app.storage.db import KDF_ITERATIONS, Database, sql_string
from referral_app.storage.errors import (
    NotADatabaseError,
    StorageError,
    WrongPassphraseError,
)
from referral_app.storage.files import shred, sync_folder

log = logging.getLogger(__name__)

__all__ = ["BackupFile", "backup_folder", "list_backup_files"]


class BackupError(StorageError):
    pass


class BackupCheckFailedError(BackupError):
    """The copy just made failed SQLite's integrity check: the database itself is damaged."""

    def __init__(self) -> None:
        super().__init__(
            "Today's backup could not be made: the copy failed its check, which means the "
            "database file is damaged. Your earlier backups are kept and none has been "
            "removed. Stop adding records, close the app, and restore the newest backup "
            "(File > Restore a backup…) or ask your IT support for help."
        )


def list_backups(database_path: Path) -> list[Path]:
    """The backups named after this database (whatever their identity), newest first."""
    return [item.path for item in list_backup_files(database_path)]


def own_backups(database_path: Path, identity: str | None) -> list[BackupFile]:
    """The backups of the database with ``identity``, newest first."""
    if identity is None:
        return []
    return [item for item in list_backup_files(database_path) if item.identity == identity]


def _keyed(path: Path, passphrase: str) -> sqlcipher3.Connection:
    connection = sqlcipher3.connect(str(path), isolation_level=None)
    connection.execute("PRAGMA cipher_log_level = NONE")
    connection.execute(f"PRAGMA key = {sql_string(passphrase)}")
    connection.execute(f"PRAGMA kdf_iter = {KDF_ITERATIONS}")
    return connection


def _temporary_beside(target: Path) -> Path:
    """An owner-only empty file in the target's folder, named without any personal data."""
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = target.parent / f".{target.name}.{secrets.token_hex(6)}.tmp"
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, stat.S_IRUSR | stat.S_IWUSR)
    os.close(fd)
    return temporary


def _copy_into_place(source: sqlcipher3.Connection, target: Path, passphrase: str) -> None:
    temporary = _temporary_beside(target)
    try:
        destination = _keyed(temporary, passphrase)
        try:
            source.backup(destination)
            # The copy keeps the live file's WAL mode; a backup is a single self-contained file.
            destination.execute("PRAGMA journal_mode = DELETE").fetchall()
            checked = destination.execute("PRAGMA integrity_check").fetchall()
        finally:
            destination.close()
        if checked != [("ok",)]:
            raise BackupCheckFailedError()
        with temporary.open("rb+") as handle:
            os.fsync(handle.fileno())
        temporary.replace(target)
        sync_folder(target.parent)
    except BaseException:
        with contextlib.suppress(OSError):
            shred(temporary)
        raise


def make_backup(database: Database, passphrase: str, now: datetime | None = None) -> Path:
    """Write a checked backup of the open database now; returns its path.

    Raises :class:`BackupCheckFailedError` if the copy fails its check (nothing is rotated
    out then), or the driver's or the operating system's error if it cannot be written.
    """
    return backup_engine(database.engine, database.path, passphrase, now)


def backup_engine(
    engine: Engine, database_path: Path, passphrase: str, now: datetime | None = None
) -> Path:
    """Back up the database behind ``engine`` (open or not yet migrated); returns the file."""
    when = (now or datetime.now(UTC)).astimezone(UTC)
    identity = info.identity(engine)
    target = backup_folder(database_path) / backup_name(database_path, when, identity)
    raw = engine.raw_connection()
    try:
        try:
            _copy_into_place(raw.driver_connection, target, passphrase)
        except sqlcipher3.DatabaseError as error:
            if str(getattr(error, "sqlite_errorname", "")).startswith("SQLITE_CORRUPT"):
                raise BackupCheckFailedError() from None
            raise
    finally:
        raw.close()
    prune(database_path, identity)
    log.info("backup written")
    return target


def daily_backup(database: Database, passphrase: str, today: date | None = None) -> Path | None:
    """Back up unless this database has a backup from ``today``; returns the new file, if any."""
    day = today or datetime.now(UTC).date()
    mine = own_backups(database.path, info.identity(database.engine))
    if any(item.made_at.date() == day for item in mine):
        return None
    return make_backup(database, passphrase, datetime.combine(day, datetime.now(UTC).time(), UTC))


def prune(database_path: Path, identity: str | None) -> None:
    """Remove this database's backups that fall off the ladder; never another database's."""
    mine = own_backups(database_path, identity)
    keep = ladder(mine)
    for item in mine:
        if item.path not in keep:
            with contextlib.suppress(OSError):
                item.path.unlink()


def remove_leftovers(database_path: Path) -> int:
    """Shred the temporary copies a crash left mid-backup or mid-restore; returns how many.

    Call only while holding the database's lock: then no copy of this database is being
    written by anyone.
    """
    removed = 0
    for folder in (backup_folder(database_path), database_path.parent):
        with contextlib.suppress(OSError):
            for entry in list(folder.iterdir()):
                if is_leftover(database_path, entry):
                    with contextlib.suppress(OSError):
                        shred(entry)
                        removed += 1
    if removed:
        log.info("temporary copies left by a crash were removed")
    return removed


def opens(path: Path, passphrase: str) -> bool:
    """Whether ``passphrase`` opens the backup at ``path``."""
    if not path.is_file():
        return False  # SQLite would make an empty database there
    try:
        connection = _keyed(path, passphrase)
    except (sqlcipher3.Error, ValueError):
        return False
    try:
        connection.execute("SELECT count(*) FROM sqlite_master").fetchall()
    except sqlcipher3.Error:
        return False
    finally:
        connection.close()
    return True


def rekey_backups(database_path: Path, current: str, new: str) -> int:
    """Re-encrypt every backup that ``current`` opens with ``new``, so an old one opens nothing.

    A backup is never deleted for this: one that cannot be re-encrypted (or that opens with
    neither passphrase, say from before an earlier change) is kept as it is. Returns how many
    were left under another passphrase.
    """
    left = 0
    for path in list_backups(database_path):
        if opens(path, new):
            continue  # done already (a change finished after a crash)
        connection = _keyed(path, current)
        try:
            connection.execute("SELECT count(*) FROM sqlite_master").fetchall()
            connection.execute(f"PRAGMA rekey = {sql_string(new)}")
        except sqlcipher3.Error:
            left += 1
            log.warning("a backup could not be re-encrypted and was kept as it is")
        finally:
            connection.close()
    return left


def adopt_unnamed(database_path: Path, identity: str, passphrase: str) -> int:
    """Give this database's identity to backups made before identities existed.

    Called once, when the database is first given an identity: the backups beside it then
    were its own (they open with its passphrase). Returns how many were adopted.
    """
    adopted = 0
    for item in list_backup_files(database_path):
        if item.identity is not None or not opens(item.path, passphrase):
            continue
        renamed = item.path.with_name(backup_name(database_path, item.made_at, identity))
        with contextlib.suppress(OSError):
            item.path.replace(renamed)
            adopted += 1
    if adopted:
        sync_folder(backup_folder(database_path))
    return adopted


def newest_good(database_path: Path, passphrase: str) -> Path | None:
    """The newest backup that ``passphrase`` opens and that passes the integrity check."""
    for path in list_backups(database_path):
        try:
            check_backup(path, passphrase)
        except (StorageError, sqlcipher3.Error):
            continue
        return path
    return None


def check_backup(path: Path, passphrase: str) -> None:
    """Raise unless ``path`` is a whole database that ``passphrase`` opens."""
    if not path.is_file():
        raise BackupError(f"There is no backup at {path}.")
    connection = _keyed(path, passphrase)
    try:
        try:
            connection.execute("SELECT count(*) FROM sqlite_master").fetchall()
        except sqlcipher3.DatabaseError:
            raise WrongPassphraseError() from None
        try:
            rows = connection.execute("PRAGMA integrity_check").fetchall()
        except sqlcipher3.DatabaseError:
            raise NotADatabaseError(path) from None
        if rows != [("ok",)]:
            raise NotADatabaseError(path)
    finally:
        connection.close()


def _fold_log_into_file(path: Path, passphrase: str) -> bool:
    """Write any write-ahead log into the database file itself; False if the key is wrong."""
    connection = _keyed(path, passphrase)
    try:
        connection.execute("SELECT count(*) FROM sqlite_master").fetchall()
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    except sqlcipher3.Error:
        return False
    finally:
        connection.close()
    return True


def _aside_name(database_path: Path, label: str) -> Path:
    stamp = f"{database_path.name}.{label}-{datetime.now(UTC):%Y%m%d-%H%M%S}"
    kept = database_path.with_name(stamp)
    number = 1
    while any(Path(f"{kept}{suffix}").exists() for suffix in ("", "-wal", "-shm")):
        number += 1
        kept = database_path.with_name(f"{stamp}-{number}")
    return kept


def _keep_aside(database_path: Path, label: str) -> Path | None:
    """Give the database a second name and move its log files to match, keeping them paired.

    The database keeps its own name too until the restored file is renamed over it, so a
    crash in between leaves it where it was, never a missing database.
    """
    parts = [Path(f"{database_path}{suffix}") for suffix in ("", "-wal", "-shm")]
    if not any(part.exists() for part in parts):
        return None
    kept = _aside_name(database_path, label)
    if database_path.exists():
        try:
            os.link(database_path, kept)
        except OSError:  # a file system without hard links
            shutil.copy2(database_path, kept)
    for suffix, part in zip(("-wal", "-shm"), parts[1:], strict=True):
        if part.exists():
            # Log files left without their database must not attach to the restored one.
            part.replace(Path(f"{kept}{suffix}"))
    sync_folder(database_path.parent)
    return kept


def restore(
    backup: Path, database_path: Path, passphrase: str, *, label: str = "before-restore"
) -> Path | None:
    """Put ``backup`` in place of the database at ``database_path``.

    The database being replaced is kept beside it (renamed, still encrypted) and its path
    returned, so a restore can itself be undone. When the passphrase opens it, its log is
    folded in first so the kept copy is one self-contained file; otherwise its log files move
    with it. Refused while the app has the database open.
    """
    backup = Path(backup)
    database_path = Path(database_path)
    if not backup.is_file():
        raise BackupError(f"There is no backup at {backup}.")
    check_backup(backup, passphrase)
    lock = Database.acquire_lock(database_path)
    try:
        restored = database_path.with_name(f".{database_path.name}.restoring")
        source = _keyed(backup, passphrase)
        try:
            _copy_into_place(source, restored, passphrase)
        finally:
            source.close()
        if database_path.exists():
            _fold_log_into_file(database_path, passphrase)
        kept = _keep_aside(database_path, label)
        restored.replace(database_path)
        sync_folder(database_path.parent)
        return kept
    finally:
        lock.release()


def back_up_to(
    database: Database, passphrase: str, folder: Path, now: datetime | None = None
) -> Path:
    """A checked backup of the open database in ``folder`` (another drive, say); the file.

    Named after the database and the time only; encrypted with the database passphrase, which
    must be given (the app keeps no passphrase in memory) and is proved before anything is
    written. The usual rotation never touches it.
    """
    check_passphrase(database, passphrase)
    when = (now or datetime.now(UTC)).astimezone(UTC)
    target = Path(folder) / backup_name(database.path, when, info.identity(database.engine))
    raw = database.engine.raw_connection()
    try:
        _copy_into_place(raw.driver_connection, target, passphrase)
    finally:
        raw.close()
    return target


def check_passphrase(database: Database, passphrase: str) -> None:
    """Raise :class:`WrongPassphraseError` unless ``passphrase`` opens the database file."""
    if not passphrase or "\x00" in passphrase or not opens(database.path, passphrase):
        raise WrongPassphraseError()


def count_referrals(path: Path, passphrase: str) -> int:
    """How many referrals the backup at ``path`` holds; raises if the passphrase is wrong."""
    if not path.is_file():
        raise BackupError(f"There is no backup at {path}.")
    connection = _keyed(path, passphrase)
    try:
        try:
            connection.execute("SELECT count(*) FROM sqlite_master").fetchall()
        except sqlcipher3.DatabaseError:
            raise WrongPassphraseError() from None
        try:
            (count,) = connection.execute("SELECT count(*) FROM referral").fetchone()
        except sqlcipher3.Error:
            raise NotADatabaseError(path) from None
    finally:
        connection.close()
    return int(count)
