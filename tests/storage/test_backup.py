from __future__ import annotations

import hashlib
import stat
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from referral_app.storage import backup
from referral_app.storage.access import change_passphrase, open_database
from referral_app.storage.db import Database
from referral_app.storage.errors import DatabaseInUseError, WrongPassphraseError
from referral_app.storage.repository import Repository
from tests.storage.conftest import PASSPHRASE, full_referral

NEW_PASSPHRASE = "quiet harbour lantern bicycle 93"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_creating_a_database_makes_its_first_backup(db_path: Path, database: Database) -> None:
    backups = backup.list_backups(db_path)
    assert len(backups) == 1
    assert stat.S_IMODE(backups[0].stat().st_mode) == 0o600
    assert not backups[0].read_bytes().startswith(b"SQLite format 3")


def test_at_most_one_backup_a_day_on_unlock(db_path: Path, database: Database) -> None:
    database.close()
    for _ in range(3):
        open_database(db_path, PASSPHRASE).close()
    assert len(backup.list_backups(db_path)) == 1


def test_the_last_seven_are_kept(db_path: Path, database: Database) -> None:
    made = list(backup.list_backups(db_path))
    start = date(2030, 1, 1)
    for offset in range(10):
        new = backup.daily_backup(database, PASSPHRASE, start + timedelta(days=offset))
        assert new is not None
        made.append(new)
    kept = backup.list_backups(db_path)
    assert kept == sorted(made, reverse=True)[: backup.KEEP]
    assert kept[0].name.startswith("referrals-2030-01-10")


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
