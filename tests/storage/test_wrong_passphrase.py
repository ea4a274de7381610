"""A wrong passphrase, or a file that is not this app's database, changes nothing and says so
plainly: no traceback, no passphrase, no driver text, nothing on stderr (SQLCipher logs from C,
so stderr is checked at the file-descriptor level and in a fresh process).

Also: failed unlocks are counted and moved into the audit log at the next successful one, and
a second opener of a database in use is refused.
"""

from __future__ import annotations

import hashlib
import os
import random
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from referral_app.domain.audit import AuditAction
from referral_app.storage.access import (
    FIRST_DELAY,
    FREE_ATTEMPTS,
    LONGEST_DELAY,
    FailedAttempts,
    create_database,
    delay_after,
    open_database,
)
from referral_app.storage.db import Database
from referral_app.storage.errors import (
    DatabaseInUseError,
    NotADatabaseError,
    StorageError,
    TooManyAttemptsError,
    WrongPassphraseError,
)
from referral_app.storage.repository import Repository
from tests.storage.conftest import ADVOCATE, PASSPHRASE

ROOT = Path(__file__).resolve().parents[2]
WRONG = "orbit 'tiger\" lamp; violet -- drip"  # one letter off, quotes and SQL kept
WRONG_PASSPHRASES = [
    WRONG,
    PASSPHRASE.upper(),
    PASSPHRASE + " ",
    PASSPHRASE[:-1],
    "x'; PRAGMA key = 'y",
    "",
]
PAGE = 4096  # SQLCipher 4's default page size
DRIVER_WORDS = ("Traceback", "sqlcipher", "sqlalchemy", "sqlite3", "sqlalche.me", "Error")

Opener = Callable[[Path, str], Database]


def _unlock(path: Path, passphrase: str) -> Database:
    return Database.unlock(path, passphrase)


def _open(path: Path, passphrase: str) -> Database:
    return open_database(path, passphrase, make_backup=False)


OPENERS = [pytest.param(_unlock, id="Database.unlock"), pytest.param(_open, id="open_database")]

#: Run in a fresh interpreter: try each way of opening with the passphrase from the
#: environment, print what happened. stdout carries the results; stderr must stay empty.
CHILD = """
import os, sys
sys.path.insert(0, os.environ["CHECK_ROOT"])
from pathlib import Path
from referral_app.storage.access import open_database
from referral_app.storage.db import Database
from referral_app.storage.errors import StorageError
path, passphrase = Path(os.environ["CHECK_DB"]), os.environ["CHECK_PASSPHRASE"]
for opener in (Database.unlock, lambda p, s: open_database(p, s, make_backup=False)):
    try:
        opener(path, passphrase).close()
    except StorageError as error:
        print(type(error).__name__, error)
    else:
        print("opened")
"""


def _run_child(db_path: Path, passphrase: str) -> subprocess.CompletedProcess[bytes]:
    environment = {
        **os.environ,
        "CHECK_ROOT": str(ROOT),
        "CHECK_DB": str(db_path),
        "CHECK_PASSPHRASE": passphrase,  # never on the command line
    }
    return subprocess.run(
        [sys.executable, "-c", CHILD],
        env=environment,
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=120,
        check=False,
    )


def _hashes(folder: Path) -> dict[str, str]:
    """sha256 of every file under ``folder``, by relative path."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _assert_plain(error: BaseException, passphrase: str = PASSPHRASE) -> None:
    """The message is one plain sentence or two: what the UI shows as it is."""
    message = str(error)
    assert message.strip(), "an empty message"
    assert "\n" not in message
    for word in DRIVER_WORDS:
        assert word not in message, f"{word!r} in {message!r}"
    if passphrase:
        assert passphrase not in message
    # Raised "from None" (or with nothing behind it): a printed error shows no driver chain.
    assert error.__cause__ is None
    assert error.__context__ is None or error.__suppress_context__


@pytest.fixture
def closed_db(db_path: Path) -> Path:
    create_database(db_path, PASSPHRASE, ADVOCATE).close()
    return db_path


# A wrong passphrase


@pytest.mark.parametrize("wrong", WRONG_PASSPHRASES)
def test_wrong_passphrase_is_refused_plainly_and_changes_nothing(
    closed_db: Path, wrong: str, capfd: pytest.CaptureFixture[str]
) -> None:
    folder = closed_db.parent
    before = _hashes(folder)
    assert closed_db.name in before
    capfd.readouterr()

    with pytest.raises(WrongPassphraseError) as caught:
        Database.unlock(closed_db, wrong)
    _assert_plain(caught.value, wrong)
    assert str(caught.value) == str(WrongPassphraseError())
    assert _hashes(folder) == before, "Database.unlock changed a file"

    with pytest.raises(WrongPassphraseError) as caught:
        open_database(closed_db, wrong)
    _assert_plain(caught.value, wrong)
    attempts = FailedAttempts.beside(closed_db)
    after = _hashes(folder)
    assert after.pop(attempts.path.name, None) is not None, "the failed attempt was not noted"
    assert after == before, "open_database changed something besides the attempts file"

    output = capfd.readouterr()
    assert output.err == "", "something wrote to stderr"
    assert output.out == ""
    # Still opens with the right passphrase afterwards.
    Database.unlock(closed_db, PASSPHRASE).close()


def test_wrong_passphrase_writes_nothing_to_stderr_in_a_fresh_process(closed_db: Path) -> None:
    before = _sha256(closed_db)
    result = _run_child(closed_db, WRONG)
    assert result.stderr == b""
    assert result.returncode == 0
    message = str(WrongPassphraseError())
    assert result.stdout.decode("utf-8").splitlines() == [f"WrongPassphraseError {message}"] * 2
    assert _sha256(closed_db) == before
    assert len(FailedAttempts.beside(closed_db).times()) == 1  # the open_database attempt


def test_a_passphrase_with_a_nul_is_just_wrong(closed_db: Path) -> None:
    for opener in (_unlock, _open):
        try:
            opener(closed_db, "orbit\x00tiger").close()
        except StorageError as error:
            assert isinstance(error, WrongPassphraseError)
            _assert_plain(error)
        except ValueError as error:
            pytest.fail(f"{opener.__name__}: ValueError {error}")
        else:
            pytest.fail(f"{opener.__name__} opened the database")
    Database.unlock(closed_db, PASSPHRASE).close()


# Failed attempts and the audit log


def test_failed_attempts_are_counted_then_audited_and_cleared(closed_db: Path) -> None:
    attempts = FailedAttempts.beside(closed_db)
    assert attempts.times() == []
    for expected in (1, 2, 3):
        with pytest.raises(WrongPassphraseError):
            open_database(closed_db, WRONG, make_backup=False)
        assert len(attempts.times()) == expected
    recorded = attempts.times()
    assert recorded == sorted(recorded)

    database = open_database(closed_db, PASSPHRASE, make_backup=False)
    try:
        repository = Repository(database)
        events = repository.audit_events()
        assert repository.verify_audit().intact
    finally:
        database.close()
    failed = [event for event in events if event.action == AuditAction.UNLOCK_FAILED]
    assert [event.occurred_at for event in failed] == recorded
    assert all(event.referral_id is None for event in failed)
    assert events[-1].action == AuditAction.UNLOCK
    assert events[-4:-1] == failed
    assert not attempts.path.exists()
    assert attempts.times() == []

    # Moved once, not again at the next unlock.
    database = open_database(closed_db, PASSPHRASE, make_backup=False)
    try:
        again = Repository(database).audit_events()
    finally:
        database.close()
    assert [e for e in again if e.action == AuditAction.UNLOCK_FAILED] == failed


def test_after_five_wrong_passphrases_each_try_waits_longer(closed_db: Path) -> None:
    """The wait is kept in the attempts file, so starting the app again does not reset it;
    a try made too soon is refused without trying the passphrase, right or wrong."""
    attempts = FailedAttempts.beside(closed_db)
    start = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
    for minute in range(FREE_ATTEMPTS):
        assert attempts.next_try_at() is None
        with pytest.raises(WrongPassphraseError):
            open_database(
                closed_db, WRONG, make_backup=False, now=start + timedelta(minutes=minute)
            )
    last = start + timedelta(minutes=FREE_ATTEMPTS - 1)
    assert attempts.next_try_at() == last + FIRST_DELAY
    before = _sha256(closed_db)

    too_soon = last + FIRST_DELAY - timedelta(seconds=1)
    with pytest.raises(TooManyAttemptsError) as caught:
        open_database(closed_db, PASSPHRASE, make_backup=False, now=too_soon)
    assert "You can try again in 1 second." in str(caught.value)
    _assert_plain(caught.value, PASSPHRASE)
    assert len(attempts.times()) == FREE_ATTEMPTS  # a refused try is not another failure
    assert _sha256(closed_db) == before

    sixth = last + FIRST_DELAY
    with pytest.raises(WrongPassphraseError):
        open_database(closed_db, WRONG, make_backup=False, now=sixth)
    assert attempts.next_try_at() == sixth + 2 * FIRST_DELAY  # it doubles
    with pytest.raises(TooManyAttemptsError) as caught:
        open_database(closed_db, PASSPHRASE, make_backup=False, now=sixth + FIRST_DELAY)
    assert "You can try again in 30 seconds." in str(caught.value)

    database = open_database(closed_db, PASSPHRASE, make_backup=False, now=sixth + 2 * FIRST_DELAY)
    database.close()
    assert attempts.next_try_at() is None  # the right passphrase ends the wait


def test_the_wait_grows_then_stops_growing() -> None:
    waits = [delay_after(n) for n in range(12)]
    assert waits[:FREE_ATTEMPTS] == [timedelta(0)] * FREE_ATTEMPTS
    assert waits[FREE_ATTEMPTS : FREE_ATTEMPTS + 3] == [
        timedelta(seconds=30),
        timedelta(minutes=1),
        timedelta(minutes=2),
    ]
    assert waits == sorted(waits)
    assert delay_after(1000) == LONGEST_DELAY == timedelta(minutes=15)


# Files that are not a database of this app


def _random_bytes(path: Path, _source: bytes) -> None:
    path.write_bytes(random.Random(20_261_121).randbytes(8 * PAGE))


def _plain_sqlite(path: Path, _source: bytes) -> None:
    connection = sqlite3.connect(path)
    try:
        connection.execute("CREATE TABLE referral (id INTEGER PRIMARY KEY, name TEXT)")
        connection.execute("INSERT INTO referral (name) VALUES ('someone')")
        connection.commit()
    finally:
        connection.close()


def _empty(path: Path, _source: bytes) -> None:
    path.write_bytes(b"")


def _truncated(length: Callable[[int], int]) -> Callable[[Path, bytes], None]:
    def make(path: Path, source: bytes) -> None:
        cut = length(len(source))
        assert 0 < cut < len(source)
        path.write_bytes(source[:cut])

    return make


NOT_DATABASES = [
    pytest.param(_random_bytes, id="random-bytes"),
    pytest.param(_plain_sqlite, id="plain-sqlite"),
    pytest.param(_empty, id="empty"),
    pytest.param(_truncated(lambda n: 100), id="truncated-in-the-header"),
    pytest.param(_truncated(lambda n: PAGE), id="truncated-to-one-page"),
    pytest.param(_truncated(lambda n: n // PAGE // 2 * PAGE), id="truncated-to-half"),
    pytest.param(_truncated(lambda n: n - PAGE), id="truncated-last-page-missing"),
    pytest.param(_truncated(lambda n: n - 1), id="truncated-mid-page"),
]


@pytest.fixture(scope="module")
def real_database(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The bytes of a real, closed database with some content, to cut short."""
    from tests.storage.conftest import full_referral

    path = tmp_path_factory.mktemp("source") / "referrals.db"
    database = create_database(path, PASSPHRASE, ADVOCATE)
    try:
        repository = Repository(database)
        for number in range(5):
            repository.save(full_referral(f"Source Survivor {number}"))
    finally:
        database.close()
    return path.read_bytes()


@pytest.mark.parametrize("opener", OPENERS)
@pytest.mark.parametrize("make", NOT_DATABASES)
def test_a_file_that_is_not_a_database_is_refused_and_left_alone(
    tmp_path: Path,
    real_database: bytes,
    make: Callable[[Path, bytes], None],
    opener: Opener,
    capfd: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "data" / "referrals.db"
    path.parent.mkdir()
    make(path, real_database)
    before = _sha256(path)
    capfd.readouterr()

    try:
        opened = opener(path, PASSPHRASE)
    except StorageError as error:
        _assert_plain(error)
        if make is _plain_sqlite:
            assert isinstance(error, NotADatabaseError)
    else:
        opened.close()
        pytest.fail(f"{path.name} ({path.stat().st_size} bytes) was opened as a database")
    finally:
        assert _sha256(path) == before, "the file was changed"
    beside = {p.name for p in path.parent.iterdir()}
    allowed = {path.name, f"{path.name}.lock", FailedAttempts.beside(path).path.name}
    assert beside <= allowed, f"left behind: {sorted(beside - allowed)}"
    assert capfd.readouterr().err == ""


# A database already in use


def test_a_second_opener_is_refused_while_the_database_is_open(closed_db: Path) -> None:
    first = Database.unlock(closed_db, PASSPHRASE)
    try:
        for opener in (_unlock, _open):
            with pytest.raises(DatabaseInUseError) as caught:
                opener(closed_db, PASSPHRASE)
            _assert_plain(caught.value)
        with pytest.raises(DatabaseInUseError):
            open_database(closed_db, WRONG, make_backup=False)
        assert FailedAttempts.beside(closed_db).times() == []

        result = _run_child(closed_db, PASSPHRASE)  # another process: the OS lock holds
        assert result.stderr == b""
        assert result.returncode == 0
        refusal = f"DatabaseInUseError {DatabaseInUseError(closed_db)}"
        assert result.stdout.decode("utf-8").splitlines() == [refusal] * 2

        assert Repository(first).advocate() == ADVOCATE  # the first holder is unharmed
    finally:
        first.close()
    Database.unlock(closed_db, PASSPHRASE).close()  # free again once closed
