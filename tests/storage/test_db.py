from __future__ import annotations

import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import event, text

from referral_app.storage.db import Database, sql_string
from referral_app.storage.errors import DatabaseExistsError, DatabaseMissingError
from tests.permissions import assert_owner_only
from tests.storage.conftest import PASSPHRASE

ROOT = Path(__file__).resolve().parents[2]


def _open_descriptors_to(path: Path) -> list[str]:
    fd_dir = Path("/proc/self/fd")
    found = []
    for entry in fd_dir.iterdir():
        try:
            target = str(entry.readlink())
        except OSError:
            continue
        if target.startswith(str(path)):
            found.append(target)
    return found


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc")
def test_closing_leaves_no_connection_open(db_path: Path, database: Database) -> None:
    with database.session() as session:
        session.connection().exec_driver_sql("SELECT count(*) FROM referral").scalar()
    assert _open_descriptors_to(db_path)
    database.close()
    assert _open_descriptors_to(db_path) == []
    assert not database.is_open
    with pytest.raises(RuntimeError, match="closed"), database.session():
        pass


def test_the_file_is_sqlcipher_4_with_durable_writes(db_path: Path, database: Database) -> None:
    with database.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert connection.exec_driver_sql("PRAGMA kdf_iter").scalar() == "256000"
        assert connection.exec_driver_sql("PRAGMA cipher_hmac_algorithm").scalar() == "HMAC_SHA512"
        assert (
            connection.exec_driver_sql("PRAGMA cipher_kdf_algorithm").scalar()
            == "PBKDF2_HMAC_SHA512"
        )
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    assert_owner_only(db_path)
    assert_owner_only(db_path.parent, 0o700)


def test_an_existing_database_is_never_overwritten(db_path: Path, database: Database) -> None:
    database.close()
    before = db_path.read_bytes()
    with pytest.raises(DatabaseExistsError):
        Database.create(db_path, PASSPHRASE)
    assert db_path.read_bytes() == before


def test_unlocking_a_missing_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(DatabaseMissingError, match="There is no database"):
        Database.unlock(tmp_path / "nothing.db", PASSPHRASE)
    assert not (tmp_path / "nothing.db").exists()


def test_passphrases_with_quotes_are_keys_not_sql(db_path: Path, database: Database) -> None:
    # The fixture's passphrase holds quotes, a semicolon and "--"; it round-trips as a key.
    database.close()
    with Database.unlock(db_path, PASSPHRASE) as reopened:
        assert reopened.integrity_ok()
    assert sql_string("it's") == "'it''s'"
    with pytest.raises(ValueError, match="NUL"):
        sql_string("a\x00b")


def test_the_lock_is_freed_when_the_app_is_killed(db_path: Path, database: Database) -> None:
    database.close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; sys.path.insert(0, sys.argv[1]);"
            "from pathlib import Path; from referral_app.storage.db import Database;"
            "lock = Database.acquire_lock(Path(sys.argv[2])); print('held', flush=True);"
            "sys.stdin.read()",
            str(ROOT),
            str(db_path),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "held"
        from referral_app.storage.errors import DatabaseInUseError

        with pytest.raises(DatabaseInUseError):
            Database.unlock(db_path, PASSPHRASE)
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=30)
    finally:
        if holder.poll() is None:
            holder.kill()
        if holder.stdin:
            holder.stdin.close()
        if holder.stdout:
            holder.stdout.close()
    with Database.unlock(db_path, PASSPHRASE) as reopened:
        assert reopened.integrity_ok()


def test_a_wrong_passphrase_after_a_crash_leaves_the_file_and_its_log_alone(
    db_path: Path, database: Database
) -> None:
    from referral_app.storage.access import open_database
    from referral_app.storage.errors import WrongPassphraseError
    from tests.storage.test_backup import _crash_leaving_a_log

    database.close()
    _crash_leaving_a_log(db_path, ["Logged Person"])
    wal = Path(f"{db_path}-wal")
    before = (db_path.read_bytes(), wal.read_bytes())

    for _ in range(2):
        with pytest.raises(WrongPassphraseError):
            open_database(db_path, "not the right passphrase at all")

    assert (db_path.read_bytes(), wal.read_bytes()) == before
    with Database.unlock(db_path, PASSPHRASE) as reopened:
        from referral_app.storage.repository import Repository

        names = [r.survivor.full_name for r in Repository(reopened).all()]
    assert names == ["Logged Person"]


def test_work_on_other_threads_shares_one_connection(database: Database) -> None:
    """An export reads on a new worker thread each time. However many there have been, the
    workers share a connection instead of each keeping one open (each holds decrypted pages,
    and a pool of one per thread closes an arbitrary one, perhaps the window's, past five),
    and the window's thread carries on as before."""
    opened: list[object] = []
    event.listen(database.engine, "connect", lambda connection, _record: opened.append(connection))

    def read() -> None:
        with database.session() as session:
            session.execute(text("SELECT count(*) FROM referral")).scalar_one()

    read()
    for _ in range(8):
        worker = threading.Thread(target=read)
        worker.start()
        worker.join()
    read()
    assert len(opened) <= 1  # at most one more than the window's own, whatever came first
