"""The full check after unlocking finds what the quick check at unlock cannot: an index out of
step with its table (every page still decrypts and passes its HMAC)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from referral_app.storage.db import Database
from referral_app.storage.repository import Repository
from tests.storage.conftest import PASSPHRASE, full_referral


def index_out_of_step(path: Path) -> None:
    """A database whose index on the force no longer matches what the schema says it holds."""
    database = Database.create(path, PASSPHRASE)
    repository = Repository(database)
    for _ in range(3):
        repository.save(full_referral())
    with database.engine.begin() as connection:
        connection.exec_driver_sql("PRAGMA writable_schema=ON")
        connection.exec_driver_sql(
            "UPDATE sqlite_master SET sql='CREATE INDEX ix_referral_force_or_area ON referral "
            "(status)' WHERE name='ix_referral_force_or_area'"
        )
    database.close()


def test_the_full_check_finds_damage_the_unlock_check_lets_through(db_path: Path) -> None:
    index_out_of_step(db_path)
    interrupts: list[Callable[[], None]] = []
    with Database.unlock(db_path, PASSPHRASE) as database:  # the quick check passes
        assert database.full_check(interrupts.append) is False
    assert len(interrupts) == 2  # given while running, then taken back


def test_an_intact_database_passes_and_a_closed_one_proves_nothing(db_path: Path) -> None:
    database = Database.create(db_path, PASSPHRASE)
    Repository(database).save(full_referral())
    assert database.full_check(lambda interrupt: None) is True
    database.close()
    assert database.full_check(lambda interrupt: None) is None
