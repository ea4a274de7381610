from __future__ import annotations

import itertools

import pytest
from sqlalchemy.exc import DatabaseError

from referral_app.domain.referral import Status
from referral_app.storage.audit import event_hash
from referral_app.storage.db import Database
from referral_app.storage.repository import Repository
from tests.storage.conftest import full_referral


def _history(repository: Repository) -> None:
    saved = repository.save(full_referral())
    repository.open_record(saved.id)  # type: ignore[arg-type]
    repository.change_status(saved.id, Status.READY_TO_SEND)  # type: ignore[arg-type]
    repository.save(full_referral("Second Person"))


def _tamper(database: Database, *statements: str) -> None:
    """What someone holding the key could do outside the app: the triggers are no obstacle."""
    with database.engine.begin() as connection:
        connection.exec_driver_sql("DROP TRIGGER audit_event_no_update")
        connection.exec_driver_sql("DROP TRIGGER audit_event_no_delete")
        for statement in statements:
            connection.exec_driver_sql(statement)


def test_an_untouched_chain_verifies(repository: Repository) -> None:
    _history(repository)
    check = repository.verify_audit()
    assert check.intact
    assert check.events_checked == len(repository.audit_events()) >= 5
    assert "intact" in check.describe()


def test_each_event_links_to_the_one_before(repository: Repository) -> None:
    _history(repository)
    events = repository.audit_events()
    assert events[0].previous_hash == "0" * 64
    for before, after in itertools.pairwise(events):
        assert after.previous_hash == before.hash


def test_the_app_cannot_change_or_remove_an_event(
    repository: Repository, database: Database
) -> None:
    _history(repository)
    with pytest.raises(DatabaseError, match="cannot be changed"), database.engine.begin() as c:
        c.exec_driver_sql("UPDATE audit_event SET action = 'open' WHERE id = 2")
    with pytest.raises(DatabaseError, match="cannot be removed"), database.engine.begin() as c:
        c.exec_driver_sql("DELETE FROM audit_event WHERE id = 2")
    assert repository.verify_audit().intact


def test_an_altered_event_is_found(repository: Repository, database: Database) -> None:
    _history(repository)
    _tamper(database, "UPDATE audit_event SET referral_id = 99 WHERE id = 3")
    check = repository.verify_audit()
    assert not check.intact
    assert check.first_broken_id == 3
    assert "changed" in check.describe()


def test_an_altered_event_with_a_recomputed_hash_breaks_the_next_link(
    repository: Repository, database: Database
) -> None:
    _history(repository)
    third = repository.audit_events()[2]
    forged = event_hash(
        third.previous_hash, third.occurred_at, third.action, third.actor, 99, third.detail
    )
    _tamper(
        database,
        f"UPDATE audit_event SET referral_id = 99, hash = '{forged}' WHERE id = 3",
    )
    check = repository.verify_audit()
    assert not check.intact
    assert check.first_broken_id == 4
    assert "does not follow" in check.problem


def test_a_removed_event_is_found(repository: Repository, database: Database) -> None:
    _history(repository)
    _tamper(database, "DELETE FROM audit_event WHERE id = 3")
    check = repository.verify_audit()
    assert not check.intact
    assert check.first_broken_id == 4
    assert "removed" in check.problem


def test_removing_the_first_event_is_found(repository: Repository, database: Database) -> None:
    _history(repository)
    _tamper(database, "DELETE FROM audit_event WHERE id = 1")
    check = repository.verify_audit()
    assert not check.intact
    assert check.first_broken_id == 2


def test_the_trail_of_a_deleted_referral_stays(repository: Repository) -> None:
    saved = repository.save(full_referral())
    repository.delete(saved.id)  # type: ignore[arg-type]
    actions = [e.action for e in repository.audit_events() if e.referral_id == saved.id]
    assert actions == ["create", "delete"]
    assert repository.verify_audit().intact
