"""Encrypted backups: at most one a day on unlock, the last seven kept, and a way back.

Copies are made with SQLite's online backup API through SQLCipher, never by copying the live
file, so a backup is always a consistent database, encrypted with the same passphrase. Every
file is written beside its final name, flushed to disk and renamed into place, so a crash
leaves either the old file or the new one, never half of one.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import stat
from datetime import UTC, date, datetime
from pathlib import Path

import sqlcipher3
from sqlalchemy import Engine

from referral_app.storage.db import KDF_ITERATIONS, Database, sql_string
from referral_app.storage.errors import (
    NotADatabaseError,
    StorageError,
    WrongPassphraseError,
)
from referral_app.storage.files import sync_folder

log = logging.getLogger(__name__)

KEEP = 7
_SUFFIX = ".backup"


class BackupError(StorageError):
    pass


def backup_folder(database_path: Path) -> Path:
    return database_path.parent / "backups"


def _prefix(database_path: Path) -> str:
    # Named after the database, so two databases in one folder keep their backups apart.
    return f"{database_path.stem}-"


def list_backups(database_path: Path) -> list[Path]:
    """The backups of this database, newest first."""
    folder = backup_folder(database_path)
    if not folder.is_dir():
        return []
    pattern = f"{_prefix(database_path)}[0-9][0-9][0-9][0-9]-*{_SUFFIX}"
    return sorted(folder.glob(pattern), reverse=True)


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
        finally:
            destination.close()
        with temporary.open("rb+") as handle:
            os.fsync(handle.fileno())
        temporary.replace(target)
        sync_folder(target.parent)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise


def make_backup(database: Database, passphrase: str, now: datetime | None = None) -> Path:
    """Write a backup of the open database now; returns its path."""
    return backup_engine(database.engine, database.path, passphrase, now)


def backup_engine(
    engine: Engine, database_path: Path, passphrase: str, now: datetime | None = None
) -> Path:
    """Back up the database behind ``engine`` (open or not yet migrated); returns the file."""
    when = (now or datetime.now(UTC)).astimezone(UTC)
    # Microseconds keep two backups in one second apart; names still sort by time.
    name = f"{_prefix(database_path)}{when:%Y-%m-%d-%H%M%S-%f}{_SUFFIX}"
    target = backup_folder(database_path) / name
    raw = engine.raw_connection()
    try:
        _copy_into_place(raw.driver_connection, target, passphrase)
    finally:
        raw.close()
    prune(database_path)
    log.info("backup written")
    return target


def daily_backup(database: Database, passphrase: str, today: date | None = None) -> Path | None:
    """Back up unless there is already a backup from ``today``; returns the new file, if any."""
    day = today or datetime.now(UTC).date()
    stamp = f"{_prefix(database.path)}{day:%Y-%m-%d}"
    if any(path.name.startswith(stamp) for path in list_backups(database.path)):
        return None
    return make_backup(database, passphrase, datetime.combine(day, datetime.now(UTC).time(), UTC))


def prune(database_path: Path, keep: int = KEEP) -> None:
    for old in list_backups(database_path)[keep:]:
        with contextlib.suppress(OSError):
            old.unlink()


def rekey_backups(database_path: Path, current: str, new: str) -> None:
    """Re-encrypt every backup with a new passphrase, so an old one opens nothing.

    A backup that cannot be re-encrypted is deleted rather than left under the old passphrase,
    which may have been changed because someone else learnt it.
    """
    for path in list_backups(database_path):
        connection = _keyed(path, current)
        try:
            connection.execute("SELECT count(*) FROM sqlite_master").fetchall()
            connection.execute(f"PRAGMA rekey = {sql_string(new)}")
            rekeyed = True
        except sqlcipher3.Error:
            rekeyed = False
        finally:
            connection.close()
        if not rekeyed:
            log.warning("a backup could not be re-encrypted and was deleted")
            with contextlib.suppress(OSError):
                path.unlink()


def check_backup(path: Path, passphrase: str) -> None:
    """Raise unless ``path`` is a whole database that ``passphrase`` opens."""
    connection = _keyed(path, passphrase)
    try:
        try:
            connection.execute("SELECT count(*) FROM sqlite_master").fetchall()
        except sqlcipher3.DatabaseError:
            raise WrongPassphraseError() from None
        rows = connection.execute("PRAGMA integrity_check").fetchall()
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


def _move_aside(database_path: Path) -> Path | None:
    """Rename the database and its log files together, keeping their names paired."""
    parts = [Path(f"{database_path}{suffix}") for suffix in ("", "-wal", "-shm")]
    if not any(part.exists() for part in parts):
        return None
    kept = database_path.with_name(
        f"{database_path.name}.before-restore-{datetime.now(UTC):%Y%m%d-%H%M%S}"
    )
    for suffix, part in zip(("", "-wal", "-shm"), parts, strict=True):
        if part.exists():
            part.replace(Path(f"{kept}{suffix}"))
            sync_folder(database_path.parent)
    return kept


def restore(backup: Path, database_path: Path, passphrase: str) -> Path | None:
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
        # Log files left without their database must not attach themselves to the restored one.
        kept = _move_aside(database_path)
        restored.replace(database_path)
        sync_folder(database_path.parent)
        return kept
    finally:
        lock.release()
