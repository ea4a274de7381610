"""The encrypted database: create, unlock, rekey, migrate at open, close.

Everything SQLite- and SQLCipher-specific lives here and in ``backup.py``; the rest of storage
speaks portable SQLAlchemy. The file is SQLCipher 4 (AES-256, per-page HMAC, PBKDF2-HMAC-SHA512
with 256,000 iterations). One copy of the app at a time may hold it, by an OS file lock that
the OS releases if the app dies. Writes are durable when the call returns
(``synchronous=FULL``), and deleted data is overwritten (``secure_delete``).
"""

from __future__ import annotations

import contextlib
import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout
from sqlalchemy import URL, Engine, create_engine, event, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from referral_app.storage import migrations
from referral_app.storage.errors import (
    DatabaseExistsError,
    DatabaseInUseError,
    DatabaseMissingError,
    NotADatabaseError,
    WeakPassphraseError,
    WrongPassphraseError,
)
from referral_app.storage.passphrase import estimate

log = logging.getLogger(__name__)

KDF_ITERATIONS = 256_000
_SQLITE_PLAIN_HEADER = b"SQLite format 3\x00"


def default_database_path() -> Path:
    """Where the database lives unless ``--db`` says otherwise: the user's data folder."""
    import platformdirs

    return platformdirs.user_data_path("csarp-referrals", appauthor=False) / "referrals.db"


def sql_string(value: str) -> str:
    """A SQL string literal. PRAGMA and ATTACH cannot take bound parameters for keys."""
    if "\x00" in value:
        raise ValueError("a passphrase cannot contain a NUL character")
    return "'" + value.replace("'", "''") + "'"


def _silence_sqlcipher(dbapi_connection: Any, _record: Any) -> None:
    # Must run before the key: SQLCipher otherwise logs decryption failures to stderr.
    dbapi_connection.execute("PRAGMA cipher_log_level = NONE")


def _prepare_connection(dbapi_connection: Any, _record: Any) -> None:
    # Reading first proves the key before anything can write to the file.
    dbapi_connection.execute("SELECT count(*) FROM sqlite_master").fetchall()
    dbapi_connection.isolation_level = None  # SQLAlchemy's "begin" event takes over
    dbapi_connection.execute("PRAGMA journal_mode = WAL").fetchall()
    dbapi_connection.execute("PRAGMA synchronous = FULL")
    dbapi_connection.execute("PRAGMA secure_delete = ON")
    dbapi_connection.execute("PRAGMA foreign_keys = ON")
    dbapi_connection.execute("PRAGMA busy_timeout = 5000")


def _begin_immediate(connection: Any) -> None:
    # pysqlite would otherwise begin transactions late and commit DDL on its own.
    connection.exec_driver_sql("BEGIN")


def make_engine(path: Path, passphrase: str) -> Engine:
    """An engine on the SQLCipher file at ``path``; it connects lazily."""
    sql_string(passphrase)  # refuses what SQLCipher could not take as a key
    url = URL.create(
        "sqlite+pysqlcipher",
        password=passphrase,
        database=str(path),
        query={"kdf_iter": str(KDF_ITERATIONS)},
    )
    engine = create_engine(url)
    event.listen(engine, "connect", _silence_sqlcipher, insert=True)
    event.listen(engine, "connect", _prepare_connection)
    event.listen(engine, "begin", _begin_immediate)
    return engine


def _private_file(path: Path) -> None:
    """Create an empty file only the owner can read, in a folder only the owner can enter."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, stat.S_IRUSR | stat.S_IWUSR)
    os.close(fd)


def _is_plain_sqlite(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(16) == _SQLITE_PLAIN_HEADER
    except OSError:
        return False


class Database:
    """An unlocked database. Use :meth:`create` or :meth:`unlock`; call :meth:`close` when done."""

    def __init__(self, path: Path, engine: Engine, lock: FileLock) -> None:
        self.path = path
        self._engine: Engine | None = engine
        self._lock = lock
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    # Opening

    @classmethod
    def create(cls, path: Path, passphrase: str, personal_words: tuple[str, ...] = ()) -> Database:
        """Make a new, empty database; refuses a weak passphrase or an existing file."""
        strength = estimate(passphrase, personal_words)
        if not strength.acceptable:
            raise WeakPassphraseError(strength.summary, strength.advice)
        path = Path(path)
        if path.exists() and path.stat().st_size > 0:
            raise DatabaseExistsError(path)
        lock = cls.acquire_lock(path)
        try:
            if not path.exists():
                _private_file(path)
            engine = make_engine(path, passphrase)
            migrations.upgrade(engine)
        except BaseException:
            lock.release()
            with contextlib.suppress(OSError):
                path.unlink()
            raise
        log.info("database created")
        return cls(path, engine, lock)

    @classmethod
    def unlock(cls, path: Path, passphrase: str) -> Database:
        """Open an existing database. A wrong passphrase changes nothing on disk."""
        path = Path(path)
        if not path.is_file() or path.stat().st_size == 0:
            raise DatabaseMissingError(path)
        if _is_plain_sqlite(path):
            raise NotADatabaseError(path)
        lock = cls.acquire_lock(path)
        engine = make_engine(path, passphrase)
        try:
            with engine.connect():
                pass
        except DBAPIError as exc:
            engine.dispose()
            lock.release()
            if "not a database" in str(exc.orig) or "encrypted" in str(exc.orig):
                raise WrongPassphraseError() from None
            raise NotADatabaseError(path) from None
        except BaseException:
            engine.dispose()
            lock.release()
            raise
        try:
            migrations.upgrade(engine)
        except BaseException:
            engine.dispose()
            lock.release()
            raise
        return cls(path, engine, lock)

    @staticmethod
    def acquire_lock(path: Path) -> FileLock:
        """Hold the single-writer lock of the database at ``path``, or refuse at once."""
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        lock = FileLock(str(path) + ".lock", mode=0o600, is_singleton=False)
        try:
            lock.acquire(timeout=0)
        except Timeout:
            raise DatabaseInUseError(path) from None
        return lock

    # Use

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            raise RuntimeError("the database is closed")
        return self._engine

    @property
    def is_open(self) -> bool:
        return self._engine is not None

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed when the block ends, rolled back if it raises."""
        if self._engine is None:
            raise RuntimeError("the database is closed")
        with self._sessions.begin() as session:
            yield session

    def rekey(self, current: str, new: str, personal_words: tuple[str, ...] = ()) -> None:
        """Change the passphrase; the old one must be given again."""
        strength = estimate(new, personal_words)
        if not strength.acceptable:
            raise WeakPassphraseError(strength.summary, strength.advice)
        check = make_engine(self.path, current)
        try:
            with check.connect():
                pass
        except DBAPIError:
            raise WrongPassphraseError() from None
        finally:
            check.dispose()
        with self.engine.connect() as connection:
            connection.exec_driver_sql(f"PRAGMA rekey = {sql_string(new)}")
        # Every later connection must use the new key.
        self.engine.dispose()
        self._engine = make_engine(self.path, new)
        self._sessions = sessionmaker(self._engine, expire_on_commit=False)

    def integrity_ok(self) -> bool:
        with self.engine.connect() as connection:
            rows = connection.exec_driver_sql("PRAGMA integrity_check").fetchall()
        return [tuple(row) for row in rows] == [("ok",)]

    def raw_connection_for_backup(self) -> Any:
        """The driver connection, for SQLite's backup API (used by ``backup.py`` only)."""
        return self.engine.raw_connection()

    # Closing

    def close(self) -> None:
        """Checkpoint, drop every decrypted connection, and let another copy open the file."""
        if self._engine is None:
            return
        try:
            with self._engine.connect() as connection:
                connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        except DBAPIError:
            log.warning("checkpoint at close failed", exc_info=True)
        self._engine.dispose()
        self._engine = None
        self._lock.release()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def append_only_ddl(dialect_name: str) -> list[str]:
    """Triggers that refuse any change to or removal of an audit event, where supported.

    The hash chain detects tampering done outside the app; these stop it being done by mistake
    through the app's own connection.
    """
    if dialect_name != "sqlite":
        return []
    return [
        "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event "
        "BEGIN SELECT RAISE(ABORT, 'audit events cannot be changed'); END",
        "CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event "
        "BEGIN SELECT RAISE(ABORT, 'audit events cannot be removed'); END",
    ]
