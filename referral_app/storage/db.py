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
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import sqlcipher3
from filelock import FileLock, Timeout
from sqlalchemy import URL, Engine, create_engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from referral_app.storage import location, migrations, paths
from referral_app.storage.errors import (
    DamagedDatabaseError,
    DatabaseExistsError,
    DatabaseInUseError,
    DatabaseMissingError,
    NotADatabaseError,
    StorageError,
    UnreadableDatabaseError,
    UnsafeLocationError,
    WeakPassphraseError,
    WriteFailedError,
    WrongPassphraseError,
)
from referral_app.storage.passphrase import estimate

log = logging.getLogger(__name__)

KDF_ITERATIONS = 256_000
#: SQLCipher 4's page size: a whole database file is always a multiple of it.
PAGE_SIZE = 4096
_SQLITE_PLAIN_HEADER = b"SQLite format 3\x00"


def default_database_path() -> Path:
    """Where the database lives unless ``--db`` says otherwise (see ``storage.paths``)."""
    return paths.default_database_path()


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
    # pysqlite would otherwise begin transactions late and commit DDL on its own. IMMEDIATE
    # takes the write lock up front, so a second writer waits (busy_timeout) instead of
    # failing when a read turns into a write.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(path: Path, passphrase: str) -> Engine:
    """An engine on the SQLCipher file at ``path``; it connects lazily."""
    sql_string(passphrase)  # refuses what SQLCipher could not take as a key
    url = URL.create(
        "sqlite+pysqlcipher",
        password=passphrase,
        database=str(path),
        query={"kdf_iter": str(KDF_ITERATIONS)},
    )
    # hide_parameters: even with SQL logging switched on, values never reach a log.
    # A queue of connections, not the dialect's one-per-thread pool: an export reads on a
    # worker thread of its own each time, and that pool would keep a connection for every
    # such thread, then close an arbitrary one (perhaps the window's, mid-query) once there
    # were more than five. Last in, first out, so the window keeps reusing its warm
    # connection; the driver's same-thread check is off for database files.
    engine = create_engine(url, hide_parameters=True, poolclass=QueuePool, pool_use_lifo=True)
    event.listen(engine, "connect", _silence_sqlcipher, insert=True)
    event.listen(engine, "connect", _prepare_connection)
    event.listen(engine, "begin", _begin_immediate)
    return engine


def _require_strong(passphrase: str, personal_words: tuple[str, ...]) -> None:
    if any(ord(character) < 32 for character in passphrase):
        raise WeakPassphraseError(
            "A passphrase cannot contain control characters.",
            "Use letters, numbers, spaces and punctuation.",
            guessable=False,
        )
    strength = estimate(passphrase, personal_words)
    if not strength.acceptable:
        raise WeakPassphraseError(strength.summary, strength.advice)


_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6
_SQLITE_NOTADB = 26


def _classify(error: BaseException, path: Path) -> StorageError:
    """Turn a driver error met while opening into the one plain message it deserves."""
    code = getattr(error, "sqlite_errorcode", None)
    if code == _SQLITE_NOTADB:
        return WrongPassphraseError()
    if code in (_SQLITE_BUSY, _SQLITE_LOCKED):
        return DatabaseInUseError(path)
    name = getattr(error, "sqlite_errorname", None) or type(error).__name__
    return UnreadableDatabaseError(path, str(name))


def _probe_read_only(path: Path, passphrase: str) -> None:
    """Prove the key on a connection that cannot write.

    After a crash the file has a write-ahead log beside it; a normal connection opened with
    a wrong key would still fold that log into the file when it closes.
    """
    connection = sqlcipher3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        connection.execute("PRAGMA cipher_log_level = NONE")
        connection.execute(f"PRAGMA key = {sql_string(passphrase)}")
        connection.execute(f"PRAGMA kdf_iter = {KDF_ITERATIONS}")
        connection.execute("SELECT count(*) FROM sqlite_master").fetchall()
    except sqlcipher3.Error as exc:
        raise _classify(exc, path) from None
    finally:
        connection.close()


def _check_readable(engine: Engine, path: Path, passphrase: str) -> None:
    """Prove the key and the file's shape before anything may write to it."""
    wal = Path(f"{path}-wal")
    wal_empty = not wal.exists() or wal.stat().st_size == 0
    if not wal_empty:
        _probe_read_only(path, passphrase)
    try:
        with engine.connect() as connection:
            pages = connection.exec_driver_sql("PRAGMA page_count").scalar() or 0
            # Every page read and its HMAC checked, with the b-trees' shape: damage found here,
            # before anything writes, instead of spreading into every backup.
            checked = connection.exec_driver_sql("PRAGMA quick_check").fetchall()
    except DBAPIError as exc:
        orig = exc.orig or exc
        if str(getattr(orig, "sqlite_errorname", "")).startswith("SQLITE_CORRUPT"):
            raise DamagedDatabaseError(path) from None
        raise _classify(orig, path) from None
    if wal_empty and int(pages) * PAGE_SIZE != path.stat().st_size:
        raise NotADatabaseError(path)  # cut short at a page boundary
    if [tuple(row) for row in checked] != [("ok",)]:
        raise DamagedDatabaseError(path)


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


#: The page cache (KiB) a bulk write may use, against SQLite's few megabytes.
BULK_WRITE_CACHE_KIB = 64 * 1024


@contextlib.contextmanager
def bulk_write_cache(session: Session) -> Iterator[None]:
    """A larger page cache for the rest of a bulk write's transaction, then the usual size.

    With the usual cache a write of thousands of referrals keeps evicting index pages it will
    change again (names, uids and trigrams land all over their indexes): each eviction writes
    the page to the write-ahead log, encrypted and authenticated, and reads it back later.
    At 100,000 referrals that was most of the time spent in SQLite. The size is restored
    before the commit; the cache then frees what is over it as the commit releases pages.
    Other databases manage their own memory, so there this does nothing.
    """
    if session.get_bind().dialect.name != "sqlite":
        yield
        return
    connection = session.connection()
    usual = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size = {-BULK_WRITE_CACHE_KIB}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size = {int(usual or 0)}")


# The search index: SQLite's FTS5 with the trigram tokenizer. Trigrams match any run of three
# or more characters anywhere in a field, which is what searching as you type needs ("artermai"
# finds "Quartermaine", "123/4" finds "AB123/45"), with case and accents ignored. The repository
# keeps one row per referral (rowid = referral id) in step with every write, in the same
# transaction. Other databases have no such table and search with portable LIKE instead.

SEARCH_TABLE = "referral_search"
#: The shortest text trigrams can match; shorter queries are answered another way.
SEARCH_MIN_LENGTH = 3

#: Version 1 of the index, as migration 0003 creates it. Frozen: a different index needs new
#: statements and a new migration. ``secure-delete`` makes FTS5 remove a deleted referral's
#: trigrams from the index at once; without it they stay in the index's pages until FTS5 next
#: merges them, and a survivor's name could be pieced together from them after "delete for good".
SEARCH_INDEX_V1: tuple[str, ...] = (
    "CREATE VIRTUAL TABLE referral_search USING fts5("
    "survivor_name, previous_names, crime_references, force_and_area, reference, "
    "tokenize = 'trigram remove_diacritics 1')",
    "INSERT INTO referral_search (referral_search, rank) VALUES ('secure-delete', 1)",
)
SEARCH_INDEX_INSERT = (
    "INSERT INTO referral_search "
    "(rowid, survivor_name, previous_names, crime_references, force_and_area, reference) "
    "VALUES (:id, :survivor_name, :previous_names, :crime_references, :force_and_area, "
    ":reference)"
)
SEARCH_INDEX_DELETE = "DELETE FROM referral_search WHERE rowid = :id"
SEARCH_MATCHING_IDS = "SELECT rowid FROM referral_search WHERE referral_search MATCH :match"


def is_search_table(name: str) -> bool:
    """The index and the shadow tables FTS5 keeps it in, which no ORM model describes."""
    return name == SEARCH_TABLE or name.startswith(f"{SEARCH_TABLE}_")


def fts_phrase(text: str) -> str:
    """``text`` as one quoted FTS5 phrase, so that whatever it holds ("/", quotes, ``AND``, ``*``,
    ``:``) is matched literally and can never be read as query syntax."""
    return '"' + text.replace('"', '""') + '"'


def search_match(text: str, *crime_references: str) -> str:
    """The MATCH expression for what the advocate typed.

    ``text`` is looked for in the names, the force and CPS Area and the app's reference;
    each of ``crime_references`` (the same text as crime references are indexed: upper case
    without spaces, and letters and digits only) in the crime references, so "ab 123/45"
    finds "AB123/45" and "47zq2015" finds "47/ZQ/2015/99123".
    """
    expression = "{survivor_name previous_names force_and_area reference} : " + fts_phrase(text)
    for crime_reference in dict.fromkeys(crime_references):
        if len(crime_reference) >= SEARCH_MIN_LENGTH:
            expression += " OR crime_references : " + fts_phrase(crime_reference)
    return expression


#: Driver error codes (and their extended forms) in words the advocate can act on.
_REASONS = {
    "SQLITE_FULL": "the disk is full",
    "SQLITE_READONLY": "the database file is read-only",
    "SQLITE_BUSY": "the database was busy",
    "SQLITE_IOERR": "the disk could not be written",
    "SQLITE_CORRUPT": "the file is damaged",
}


def reason(code: str) -> str:
    """What a driver error code means, in plain words."""
    for prefix, words in _REASONS.items():
        if code.startswith(prefix):
            return words
    return code


class Database:
    """An unlocked database. Use :meth:`create` or :meth:`unlock`; call :meth:`close` when done."""

    def __init__(self, path: Path, engine: Engine, lock: FileLock | None) -> None:
        self.path = path
        self._engine: Engine | None = engine
        self._lock = lock
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        #: Things the advocate should be told after opening (a backup that failed, say).
        self.notices: list[str] = []

    # Opening

    @classmethod
    def create(cls, path: Path, passphrase: str, personal_words: tuple[str, ...] = ()) -> Database:
        """Make a new, empty database; refuses a weak passphrase or an existing file."""
        _require_strong(passphrase, personal_words)
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
    def unlock(
        cls,
        path: Path,
        passphrase: str,
        before_migrating: Callable[[Engine], None] | None = None,
    ) -> Database:
        """Open an existing database. A wrong passphrase changes nothing on disk.

        ``before_migrating`` runs only when the schema is about to change (to back up first).
        """
        path = Path(path)
        if not path.is_file() or path.stat().st_size == 0:
            raise DatabaseMissingError(path)
        if _is_plain_sqlite(path) or path.stat().st_size % PAGE_SIZE:
            raise NotADatabaseError(path)
        if not passphrase or "\x00" in passphrase:
            raise WrongPassphraseError()  # no database can have been made with it
        lock = cls.acquire_lock(path)
        engine: Engine | None = None
        try:
            engine = make_engine(path, passphrase)
            _check_readable(engine, path, passphrase)
            opened = engine
            hook = None if before_migrating is None else lambda: before_migrating(opened)
            migrations.upgrade(engine, before_change=hook)
        except BaseException:
            if engine is not None:
                engine.dispose()
            lock.release()
            raise
        return cls(path, engine, lock)

    @staticmethod
    def acquire_lock(path: Path) -> FileLock:
        """Hold the single-writer lock of the database at ``path``, or refuse at once (also when
        the folder is a network share or a cloud-synced one, before anything is made there)."""
        unsafe = location.problem(path)
        if unsafe is not None:
            raise UnsafeLocationError(unsafe)
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

    @property
    def is_team(self) -> bool:
        """Whether this is a team's server (``storage.team``) rather than the local file."""
        return False

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed when the block ends, rolled back if it raises."""
        if self._engine is None:
            raise RuntimeError("the database is closed")
        try:
            with self._sessions.begin() as session:
                yield session
        except DBAPIError as exc:
            problem = self.problem(exc)
            if problem is None:
                raise
            raise problem from None

    def problem(self, error: DBAPIError) -> StorageError | None:
        """The plain message for a driver error the advocate can act on, if it is one."""
        code = str(getattr(error.orig, "sqlite_errorname", ""))
        if code.startswith("SQLITE_CORRUPT"):
            return DamagedDatabaseError(self.path)
        if code.startswith(("SQLITE_FULL", "SQLITE_READONLY", "SQLITE_IOERR")):
            return WriteFailedError(reason(code))
        return None

    def rekey(
        self,
        current: str,
        new: str,
        personal_words: tuple[str, ...] = (),
        before: Callable[[], None] | None = None,
    ) -> None:
        """Change the passphrase; the old one must be given again.

        ``before`` runs once both passphrases are accepted, just before the file is
        re-encrypted (the app notes there that a change is under way). If re-encrypting fails,
        the database stays open under the old passphrase.
        """
        _require_strong(new, personal_words)
        if "\x00" in current:
            raise WrongPassphraseError()
        check = make_engine(self.path, current)
        try:
            with check.connect():
                pass
        except DBAPIError:
            raise WrongPassphraseError() from None
        finally:
            check.dispose()
        if before is not None:
            before()
        raw = self.engine.raw_connection()
        try:
            # On the driver cursor, so that a failure can never carry the statement (and with
            # it the new passphrase) into an exception message or a log.
            cursor = raw.driver_connection.cursor()  # type: ignore[union-attr]
            cursor.execute(f"PRAGMA rekey = {sql_string(new)}")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
            cursor.close()
        except sqlcipher3.Error as exc:
            code = getattr(exc, "sqlite_errorname", "error")
            raw.invalidate()  # its key may be either one now: never reuse it
            self._reopen(current)
            raise StorageError(
                f"The passphrase could not be changed ({reason(code)}). The old one still "
                "works, and the records are open as before."
            ) from None
        finally:
            raw.close()
        # Every later connection must use the new key.
        self._reopen(new)

    def _reopen(self, passphrase: str) -> None:
        self.engine.dispose()
        self._engine = make_engine(self.path, passphrase)
        self._sessions = sessionmaker(self._engine, expire_on_commit=False)

    def integrity_ok(self) -> bool:
        try:
            with self.engine.connect() as connection:
                rows = connection.exec_driver_sql("PRAGMA integrity_check").fetchall()
        except DBAPIError:
            return False
        return [tuple(row) for row in rows] == [("ok",)]

    def full_check(self, interrupt_with: Callable[[Callable[[], None]], None]) -> bool | None:
        """SQLite's ``integrity_check`` (indexes against tables too), for a background check.

        ``interrupt_with`` is given a function that stops the check at once from another
        thread (locking does, before the database closes). True when intact, False when
        damaged, None when the check did not finish (interrupted, or the file was closed).
        """
        try:
            raw = self.engine.raw_connection()
        except (DBAPIError, RuntimeError):  # unreadable, or closed by locking
            return None
        try:
            driver: Any = raw.driver_connection
            interrupt_with(driver.interrupt)
            rows = driver.execute("PRAGMA integrity_check").fetchall()
        except Exception:
            return None
        finally:
            interrupt_with(lambda: None)
            raw.close()
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
            # Outside any transaction (a checkpoint cannot run inside one), on the driver.
            raw = self._engine.raw_connection()
            try:
                raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()  # type: ignore[union-attr]
            finally:
                raw.close()
        except (DBAPIError, sqlcipher3.Error):
            log.warning("checkpoint at close failed")
        finally:
            engine, self._engine = self._engine, None
            # The engine's URL holds the passphrase: let nothing keep it alive.
            self._sessions = sessionmaker()
            try:
                engine.dispose()
            finally:
                if self._lock is not None:
                    self._lock.release()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# Deleting for good. Checkpoints and VACUUM are SQLite's own, so they live here; other
# databases reclaim space in their own ways and have no such step.


class CompactError(StorageError):
    """The rows are gone, but the file could not be rebuilt without the space they left."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(
            f"The database file could not be tidied up after deleting ({reason}). Close the "
            "app and open it again, then try once more; check that the disk has free space."
        )


def _checkpoint(driver: Any) -> None:
    busy, _log, _done = driver.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    if busy:
        raise CompactError("the database was busy")


def flush_log(engine: Engine) -> bool:
    """Write the write-ahead log into the file and empty it; False if a reader held it back
    (it is then emptied at the next checkpoint, at the latest when the database closes)."""
    raw = engine.raw_connection()
    try:
        driver: Any = raw.driver_connection
        busy, _log, _done = driver.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    except sqlcipher3.Error:
        log.warning("checkpoint after delete failed")
        return False
    finally:
        raw.close()
    return not busy


def compact(engine: Engine) -> None:
    """Leave no copy of deleted rows in the database file or its write-ahead log.

    ``secure_delete`` zeroes what a delete frees, but in new versions of the pages, which wait
    in the write-ahead log; the first checkpoint writes them over the old versions in the file.
    VACUUM then rebuilds the file from the live rows alone, so no free page or slack space in a
    half-empty page keeps anything, and the last checkpoint (TRUNCATE) empties the log VACUUM
    wrote through. Neither may run inside a transaction, and SQLAlchemy's "begin" event would
    start one, so both run on the driver connection, which is in autocommit mode. VACUUM's
    scratch copy is in memory (SQLCipher is built with ``SQLITE_TEMP_STORE=2``), never a plain
    temporary file.
    """
    raw = engine.raw_connection()
    try:
        driver: Any = raw.driver_connection
        _checkpoint(driver)
        driver.execute("VACUUM")
        _checkpoint(driver)
    except sqlcipher3.Error as exc:
        raise CompactError(getattr(exc, "sqlite_errorname", None) or "error") from None
    finally:
        raw.close()
