"""The safety net under the encryption: backups that are checked, belong to their database,
survive a damaged or lost database and an interrupted passphrase change, and leave nothing
behind after a crash."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from referral_app.storage import backup
from referral_app.storage.access import change_passphrase, create_database, open_database
from referral_app.storage.db import Database, make_engine
from referral_app.storage.errors import DamagedDatabaseError, WrongPassphraseError
from referral_app.storage.repository import Repository
from tests.storage.conftest import ADVOCATE, PASSPHRASE, full_referral

NEW_PASSPHRASE = "quiet harbour lantern bicycle 93"
THIRD_PASSPHRASE = "copper meadow thunder pickle 41"
ROOT = Path(__file__).resolve().parents[2]
PAGE = 4096


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _fill(database: Database, count: int = 30) -> None:
    repository = Repository(database)
    for number in range(count):
        repository.save(full_referral(f"Person Number {number}", f"CR {number}/1"))


def _corrupt_page(path: Path, page: int) -> None:
    """Flip bytes inside one page: its HMAC no longer matches, as after a bad sector."""
    with path.open("r+b") as handle:
        handle.seek((page - 1) * PAGE + 200)
        data = bytearray(handle.read(16))
        handle.seek((page - 1) * PAGE + 200)
        handle.write(bytes(byte ^ 0xFF for byte in data))


def _daily_backups(database: Database, start: date, days: int) -> None:
    for offset in range(days):
        assert backup.daily_backup(database, PASSPHRASE, start + timedelta(days=offset))


def test_a_corrupt_page_is_found_at_unlock_and_nothing_changes(
    db_path: Path, database: Database
) -> None:
    _fill(database)
    database.close()
    pages = db_path.stat().st_size // PAGE
    _corrupt_page(db_path, pages // 2)
    before = _digest(db_path)
    backups_before = backup.list_backups(db_path)

    with pytest.raises(DamagedDatabaseError) as raised:
        open_database(db_path, PASSPHRASE)

    assert "Nothing has been changed" in str(raised.value)
    assert _digest(db_path) == before
    assert backup.list_backups(db_path) == backups_before
    assert backup.newest_good(db_path, PASSPHRASE) == backups_before[0]


def test_backups_of_a_damaged_database_never_push_out_the_good_ones(
    db_path: Path, database: Database
) -> None:
    _fill(database)
    _daily_backups(database, date(2030, 1, 1), 6)
    good = backup.list_backups(db_path)
    database.close()
    _corrupt_page(db_path, db_path.stat().st_size // PAGE // 2)
    # Opened the way a session that was already open would see it, without the unlock check.
    damaged = Database(db_path, make_engine(db_path, PASSPHRASE), Database.acquire_lock(db_path))
    try:
        for offset in range(3):
            with pytest.raises(backup.BackupCheckFailedError):
                backup.daily_backup(damaged, PASSPHRASE, date(2030, 2, 1) + timedelta(days=offset))
    finally:
        damaged.close()
    assert backup.list_backups(db_path) == good
    for path in good:
        backup.check_backup(path, PASSPHRASE)
    assert not [p for p in backup.backup_folder(db_path).iterdir() if p.name.endswith(".tmp")]


def test_a_failed_check_is_noted_for_the_advocate(
    db_path: Path, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    database.close()

    def failed(*_args: object, **_kwargs: object) -> None:
        raise backup.BackupCheckFailedError()

    monkeypatch.setattr(backup, "daily_backup", failed)
    reopened = open_database(db_path, PASSPHRASE)
    try:
        assert any("damaged" in notice for notice in reopened.notices)
    finally:
        reopened.close()


def test_a_new_database_beside_a_lost_ones_backups_never_rotates_them_out(
    db_path: Path, database: Database
) -> None:
    _daily_backups(database, date(2030, 1, 1), 7)
    database.close()
    theirs = backup.list_backups(db_path)
    assert len(theirs) == 8
    db_path.unlink()  # lost: deleted, or a disk that came back empty

    replacement = create_database(db_path, NEW_PASSPHRASE, ADVOCATE)
    try:
        for offset in range(10):
            day = date(2030, 2, 1) + timedelta(days=offset)
            assert backup.daily_backup(replacement, NEW_PASSPHRASE, day)
    finally:
        replacement.close()

    remaining = set(backup.list_backups(db_path))
    assert set(theirs) <= remaining
    for path in theirs:
        backup.check_backup(path, PASSPHRASE)


def test_an_interrupted_passphrase_change_is_finished_and_no_backup_is_ever_deleted(
    db_path: Path, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    _daily_backups(database, date(2030, 1, 1), 3)
    made = backup.list_backups(db_path)
    assert len(made) == 4

    def power_cut(*_args: object) -> int:
        raise RuntimeError("power cut")

    with monkeypatch.context() as patch:
        patch.setattr(backup, "rekey_backups", power_cut)
        with pytest.raises(RuntimeError):
            change_passphrase(database, PASSPHRASE, NEW_PASSPHRASE)
    database.close()
    assert all(backup.opens(path, PASSPHRASE) for path in made)  # left under the old one

    reopened = open_database(db_path, NEW_PASSPHRASE, make_backup=False)
    try:
        assert all(backup.opens(path, NEW_PASSPHRASE) for path in made)
        change_passphrase(reopened, NEW_PASSPHRASE, THIRD_PASSPHRASE)
    finally:
        reopened.close()

    # The three dated 2030 stay; of the two from today, the ladder keeps the newer.
    assert set(made[:3]) <= set(backup.list_backups(db_path))
    assert len(backup.list_backups(db_path)) == len(made)
    for path in backup.list_backups(db_path):
        backup.check_backup(path, THIRD_PASSPHRASE)
        with pytest.raises(WrongPassphraseError):
            backup.check_backup(path, PASSPHRASE)


def test_a_backup_that_cannot_be_re_encrypted_is_kept(db_path: Path, database: Database) -> None:
    stranger = backup.list_backups(db_path)[0].with_name(
        "referrals-2029-01-01-000000-000000.backup"
    )
    other = create_database(db_path.with_name("other.db"), THIRD_PASSPHRASE, ADVOCATE)
    other.close()
    stranger.write_bytes(backup.list_backups(db_path.with_name("other.db"))[0].read_bytes())

    left = change_passphrase(database, PASSPHRASE, NEW_PASSPHRASE)

    assert left == 1
    assert stranger.exists()
    backup.check_backup(stranger, THIRD_PASSPHRASE)


def _run_child(code: str, db_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-c", code, str(ROOT), str(db_path)],
        input=PASSPHRASE + "\n",
        text=True,
        check=False,
        cwd=ROOT,
        timeout=120,
    )


def test_a_crash_at_a_backups_rename_leaves_nothing_behind_after_the_next_start(
    db_path: Path, database: Database
) -> None:
    database.close()
    before = backup.list_backups(db_path)
    _run_child(
        "import os, sys, pathlib; sys.path.insert(0, sys.argv[1]);"
        "from referral_app.storage import backup;"
        "from referral_app.storage.db import Database;"
        "db = Database.unlock(pathlib.Path(sys.argv[2]), sys.stdin.readline().rstrip('\\n'));"
        "pathlib.Path.replace = lambda self, target: os._exit(9);"
        "backup.make_backup(db, 'unused')",
        db_path,
    )
    folder = backup.backup_folder(db_path)
    assert [p for p in folder.iterdir() if p.name.endswith(".tmp")]  # the crash left one

    open_database(db_path, PASSPHRASE, make_backup=False).close()

    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in before)


def test_a_referral_deleted_for_good_leaves_the_write_ahead_log_at_once(db_path: Path) -> None:
    database = create_database(db_path, PASSPHRASE, ADVOCATE)
    database.close()
    _run_child(
        "import os, sys, pathlib; sys.path.insert(0, sys.argv[1]);"
        "from referral_app.storage.db import Database;"
        "from referral_app.storage.repository import Repository;"
        "from tests.storage.conftest import full_referral;"
        "db = Database.unlock(pathlib.Path(sys.argv[2]), sys.stdin.readline().rstrip('\\n'));"
        "repo = Repository(db); saved = repo.save(full_referral('Wal Witness'));"
        "repo.delete(saved.id); os._exit(9)",
        db_path,
    )
    wal = Path(f"{db_path}-wal")
    assert not wal.exists() or wal.stat().st_size == 0
