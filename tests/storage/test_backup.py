from __future__ import annotations

import hashlib
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import sqlcipher3

from referral_app.storage import backup
from referral_app.storage.access import change_passphrase, create_database, open_database
from referral_app.storage.backup_files import BackupFile, ladder
from referral_app.storage.db import Database, sql_string
from referral_app.storage.errors import DatabaseInUseError, StorageError, WrongPassphraseError
from referral_app.storage.repository import Repository
from tests.permissions import assert_owner_only
from tests.storage.conftest import ADVOCATE, PASSPHRASE, full_referral

NEW_PASSPHRASE = "quiet harbour lantern bicycle 93"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_creating_a_database_makes_its_first_backup(db_path: Path, database: Database) -> None:
    backups = backup.list_backups(db_path)
    assert len(backups) == 1
    assert_owner_only(backups[0])
    assert not backups[0].read_bytes().startswith(b"SQLite format 3")


def test_at_most_one_backup_a_day_on_unlock(db_path: Path, database: Database) -> None:
    database.close()
    for _ in range(3):
        open_database(db_path, PASSPHRASE).close()
    assert len(backup.list_backups(db_path)) == 1


def test_rotation_keeps_a_ladder_of_days_weeks_and_months(tmp_path: Path) -> None:
    start = datetime(2030, 1, 1, 9, tzinfo=UTC)
    files = [
        BackupFile(tmp_path / f"{n}.backup", start + timedelta(days=n), "a" * 32)
        for n in range(120)
    ]
    kept = sorted(
        (item.made_at.date() for item in files if item.path in ladder(files)), reverse=True
    )
    last = (start + timedelta(days=119)).date()
    # The last seven days, then one a week for four weeks, then one a month for three months.
    assert kept[:7] == [last - timedelta(days=n) for n in range(7)]
    assert len({day.isocalendar()[:2] for day in kept}) >= 4
    assert len({(day.year, day.month) for day in kept}) == 3
    assert min(kept) < last - timedelta(days=50)
    assert len(kept) <= 14


def test_daily_backups_rotate_on_the_ladder(db_path: Path, database: Database) -> None:
    start = date(2030, 1, 1)
    for offset in range(9):
        assert backup.daily_backup(database, PASSPHRASE, start + timedelta(days=offset))
    kept = [item.made_at.date() for item in backup.list_backup_files(db_path)]
    assert kept[:7] == [date(2030, 1, 9) - timedelta(days=n) for n in range(7)]
    # The 1st and 2nd fall off; the first backup, made today, stays as its week's and month's.
    assert kept[7:] == [datetime.now(UTC).date()]


def test_a_backup_is_a_whole_encrypted_database(db_path: Path, database: Database) -> None:
    saved = Repository(database).save(full_referral())
    made = backup.make_backup(database, PASSPHRASE, datetime(2026, 2, 1, tzinfo=UTC))
    backup.check_backup(made, PASSPHRASE)
    with pytest.raises(WrongPassphraseError):
        backup.check_backup(made, "not the passphrase at all")
    # Opened as a database of its own, it holds the referral.
    copy = db_path.with_name("copy.db")
    copy.write_bytes(made.read_bytes())
    with Database.unlock(copy, PASSPHRASE) as opened:
        assert Repository(opened).get(saved.id).survivor.full_name == "Zelda Quartermaine"  # type: ignore[arg-type]


def test_restore_puts_the_backup_back_and_keeps_what_it_replaced(
    db_path: Path, database: Database
) -> None:
    repository = Repository(database)
    kept = repository.save(full_referral("Kept Person"))
    made = backup.make_backup(database, PASSPHRASE, datetime(2026, 2, 1, tzinfo=UTC))
    later = repository.save(full_referral("Later Person"))
    database.close()

    replaced = backup.restore(made, db_path, PASSPHRASE)

    assert replaced is not None and replaced.exists()
    with Database.unlock(db_path, PASSPHRASE) as restored:
        ids = Repository(restored).list_ids()
        assert restored.integrity_ok()
    assert kept.id in ids and later.id not in ids
    with Database.unlock(replaced, PASSPHRASE) as previous:
        assert later.id in Repository(previous).list_ids()


def test_restore_is_refused_while_the_database_is_open(db_path: Path, database: Database) -> None:
    made = backup.list_backups(db_path)[0]
    with pytest.raises(DatabaseInUseError):
        backup.restore(made, db_path, PASSPHRASE)


def test_restore_with_a_wrong_passphrase_changes_nothing(db_path: Path, database: Database) -> None:
    made = backup.list_backups(db_path)[0]
    database.close()
    before = _digest(db_path)
    with pytest.raises(WrongPassphraseError):
        backup.restore(made, db_path, "definitely not it")
    assert _digest(db_path) == before


def test_changing_the_passphrase_re_encrypts_database_and_backups(
    db_path: Path, database: Database
) -> None:
    saved = Repository(database).save(full_referral())
    change_passphrase(database, PASSPHRASE, NEW_PASSPHRASE)
    # The open database keeps working under the new key.
    assert Repository(database).get(saved.id).survivor.full_name == "Zelda Quartermaine"  # type: ignore[arg-type]
    assert Repository(database).audit_events()[-1].action == "passphrase_change"
    database.close()

    with pytest.raises(WrongPassphraseError):
        Database.unlock(db_path, PASSPHRASE)
    with Database.unlock(db_path, NEW_PASSPHRASE) as reopened:
        assert reopened.integrity_ok()
    for made in backup.list_backups(db_path):
        backup.check_backup(made, NEW_PASSPHRASE)
        with pytest.raises(WrongPassphraseError):
            backup.check_backup(made, PASSPHRASE)


def test_rekey_needs_the_current_passphrase_and_a_strong_new_one(database: Database) -> None:
    from referral_app.storage.errors import WeakPassphraseError

    with pytest.raises(WrongPassphraseError):
        change_passphrase(database, "wrong current passphrase", NEW_PASSPHRASE)
    with pytest.raises(WeakPassphraseError):
        change_passphrase(database, PASSPHRASE, "password1")
    assert database.integrity_ok()


def _crash_leaving_a_log(db_path: Path, names: list[str]) -> None:
    """Save referrals in another process that dies without closing: a -wal file stays."""
    root = Path(__file__).resolve().parents[2]
    code = (
        "import os, sys; sys.path.insert(0, sys.argv[1]);"
        "from pathlib import Path;"
        "from referral_app.storage.db import Database;"
        "from referral_app.storage.repository import Repository;"
        "from tests.storage.conftest import full_referral;"
        "db = Database.unlock(Path(sys.argv[2]), sys.stdin.readline().rstrip('\\n'));"
        "repo = Repository(db);"
        "[repo.save(full_referral(name)) for name in sys.argv[3:]];"
        "os._exit(0)"
    )
    subprocess.run(
        [sys.executable, "-c", code, str(root), str(db_path), *names],
        input=PASSPHRASE + "\n",
        text=True,
        check=True,
        cwd=root,
        timeout=60,
    )
    assert Path(f"{db_path}-wal").stat().st_size > 0


def test_restore_keeps_what_only_the_log_held(db_path: Path, database: Database) -> None:
    made = backup.list_backups(db_path)[0]
    database.close()
    _crash_leaving_a_log(db_path, ["Only In Log One", "Only In Log Two"])

    kept = backup.restore(made, db_path, PASSPHRASE)

    assert kept is not None
    assert not Path(f"{kept}-wal").exists() or Path(f"{kept}-wal").stat().st_size == 0
    alone = db_path.with_name("kept-alone.db")
    alone.write_bytes(kept.read_bytes())  # the kept file by itself, without any log
    with Database.unlock(alone, PASSPHRASE) as previous:
        names = {r.survivor.full_name for r in Repository(previous).all()}
    assert names == {"Only In Log One", "Only In Log Two"}
    with Database.unlock(db_path, PASSPHRASE) as restored:
        assert Repository(restored).count() == 0
        assert restored.integrity_ok()


def test_a_log_left_without_its_database_never_joins_the_restored_one(
    db_path: Path, database: Database
) -> None:
    made = backup.list_backups(db_path)[0]
    database.close()
    _crash_leaving_a_log(db_path, ["Orphaned Person"])
    db_path.rename(db_path.with_name("elsewhere.db"))  # the log stays, its database is gone

    kept = backup.restore(made, db_path, PASSPHRASE)

    assert kept is not None and Path(f"{kept}-wal").exists()
    assert not Path(f"{db_path}-wal").exists() or Path(f"{db_path}-wal").stat().st_size == 0
    with Database.unlock(db_path, PASSPHRASE) as restored:
        assert Repository(restored).count() == 0
        assert restored.integrity_ok()


def test_two_databases_in_one_folder_keep_their_backups_apart(tmp_path: Path) -> None:
    first = create_database(tmp_path / "team-a.db", PASSPHRASE, ADVOCATE)
    second = create_database(tmp_path / "team-b.db", NEW_PASSPHRASE, ADVOCATE)
    first.close()
    second.close()
    (mine,) = backup.list_backups(tmp_path / "team-a.db")
    (theirs,) = backup.list_backups(tmp_path / "team-b.db")
    backup.check_backup(mine, PASSPHRASE)
    backup.check_backup(theirs, NEW_PASSPHRASE)


def test_a_failing_daily_backup_does_not_keep_the_advocate_out(
    db_path: Path, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    database.close()

    def disk_full(*_args: object, **_kwargs: object) -> None:
        raise sqlcipher3.OperationalError("database or disk is full")

    monkeypatch.setattr(backup, "daily_backup", disk_full)
    reopened = open_database(db_path, PASSPHRASE)
    try:
        assert reopened.is_open
    finally:
        reopened.close()


def test_a_failed_passphrase_change_never_shows_the_new_passphrase(
    db_path: Path, database: Database
) -> None:
    blocker = sqlcipher3.connect(str(db_path), isolation_level=None)
    blocker.execute(f"PRAGMA key = {sql_string(PASSPHRASE)}")
    blocker.execute("BEGIN EXCLUSIVE")  # another writer holds the file
    try:
        with pytest.raises(StorageError) as raised:
            database.rekey(PASSPHRASE, NEW_PASSPHRASE)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert NEW_PASSPHRASE not in str(raised.value)
    assert raised.value.__cause__ is None and raised.value.__suppress_context__
    assert database.integrity_ok()  # still open, under the old key
    database.close()
    Database.unlock(db_path, PASSPHRASE).close()
