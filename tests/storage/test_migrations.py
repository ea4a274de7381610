from __future__ import annotations

import hashlib
import os
import stat
import uuid
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection

from referral_app.domain.referral import Status
from referral_app.storage import migrations
from referral_app.storage.db import Database, is_search_table, make_engine
from referral_app.storage.errors import DatabaseTooNewError
from referral_app.storage.models import Base
from referral_app.storage.repository import Repository
from tests.storage.conftest import PASSPHRASE

FIRST_REVISION = "0001"


def _empty_encrypted_file(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, stat.S_IRUSR | stat.S_IWUSR))


def _modelled(name: str | None, type_: str, _parent: object) -> bool:
    # The search index is an FTS5 virtual table (and FTS5's shadow tables): no model has it.
    return not (type_ == "table" and name is not None and is_search_table(name))


def test_models_match_the_migrations(database: Database) -> None:
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_name": _modelled})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_a_database_from_the_first_schema_opens_with_every_record_intact(db_path: Path) -> None:
    _empty_encrypted_file(db_path)
    engine = make_engine(db_path, PASSPHRASE)
    migrations.upgrade(engine, FIRST_REVISION)
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO advocate (id, name, organisation, phone, email) "
            "VALUES (1, 'Old Advocate', 'Old Org', '', '')"
        )
        connection.exec_driver_sql(
            "INSERT INTO survivor (id, full_name, previous_names, date_of_birth, address, "
            "access_needs) VALUES (1, 'Olwen Oldschema', '[\"Olwen Before\"]', '1979', '', '')"
        )
        connection.exec_driver_sql(
            "INSERT INTO referral (id, reference, survivor_id, created_at, updated_at, status, "
            "crime_references, decision_date, answers, account, police_force) VALUES (1, "
            "'CSARP-2025-00001', 1, '2025-02-01T10:00:00.000000+00:00', "
            "'2025-02-01T10:00:00.000000+00:00', 'sent', '[\"OLD1/2\"]', '2012-11', "
            "'{\"decision\": \"police_nfa\"}', 'Account from the first version', 'Gwent')"
        )
        connection.exec_driver_sql(
            "INSERT INTO status_change (referral_id, status, changed_at, note, changed_by) "
            "VALUES (1, 'sent', '2025-02-02T09:00:00.000000+00:00', 'Posted', 'Old Advocate')"
        )
        _add_assessments(connection, 1, ["eligible", "not_eligible"])
        assert migrations.current(connection) == FIRST_REVISION
    engine.dispose()

    with Database.unlock(db_path, PASSPHRASE) as database:
        with database.engine.connect() as connection:
            assert migrations.current(connection) == migrations.head()
        referral = Repository(database).get(1)
    assert referral.survivor.full_name == "Olwen Oldschema"
    assert referral.survivor.previous_names == ["Olwen Before"]
    assert str(referral.survivor.date_of_birth) == "1979"
    assert str(referral.case.decision_date) == "2012-11"
    assert referral.case.crime_references == ["OLD1/2"]
    assert referral.case.police_force == "Gwent"
    assert referral.case.account == "Account from the first version"
    assert referral.answers == {"decision": "police_nfa"}
    assert referral.reference == "CSARP-2025-00001"
    assert [(c.status, c.note) for c in referral.status_history] == [("sent", "Posted")]
    assert [a.outcome for a in referral.assessments] == ["eligible", "not_eligible"]
    assert str(uuid.UUID(referral.uid)) == referral.uid  # given one by 0004
    assert referral.request_letter == ""


def _add_assessments(connection: Connection, referral_id: int, outcomes: list[str]) -> None:
    for outcome in outcomes:
        connection.exec_driver_sql(
            "INSERT INTO assessment (referral_id, ruleset, outcome, reasons, flags, answers, "
            f"assessed_at) VALUES ({referral_id}, 'csarp-2025', '{outcome}', '[]', '[]', '{{}}', "
            "'2025-02-01T11:00:00.000000+00:00')"
        )


def _check_the_caseload_finds(db_path: Path, expected: dict[str, object]) -> None:
    """What 0003 added, filled in for a referral stored before it: search, sorting, filters."""
    with Database.unlock(db_path, PASSPHRASE) as database:
        repository = Repository(database)
        for query in expected["queries"]:  # type: ignore[attr-defined]
            assert [s.id for s in repository.list_summaries(query)] == [1], query
            assert repository.count_summaries(query) == 1, query
        [summary] = repository.list_summaries(sort="name")
        outcome = expected["outcome"]
        assert repository.count_summaries(outcomes=[outcome]) == 1  # type: ignore[list-item]
        assert repository.count_summaries(statuses=[Status.SENT]) == 1
    assert summary.force_or_area == expected["force_or_area"]
    assert summary.latest_outcome == outcome


def test_the_first_schemas_referrals_are_in_the_search_index(db_path: Path) -> None:
    test_a_database_from_the_first_schema_opens_with_every_record_intact(db_path)
    _check_the_caseload_finds(
        db_path,
        {
            "queries": ["oldschema", "OLWEN", "olwen before", "old 1/2", "gwent", "ol", "o"],
            "outcome": "not_eligible",
            "force_or_area": "Gwent",
        },
    )


def test_the_second_schemas_referrals_are_in_the_search_index(db_path: Path) -> None:
    _empty_encrypted_file(db_path)
    engine = make_engine(db_path, PASSPHRASE)
    migrations.upgrade(engine, "0002")
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO survivor (id, full_name, previous_names, address, access_needs) "
            "VALUES (1, 'Rhiannon Ŵyn-Pryce', '[\"Rhiannon Jones\", \"R. J.\"]', '', '')"
        )
        connection.exec_driver_sql(
            "INSERT INTO referral (id, reference, survivor_id, created_at, updated_at, status, "
            "crime_references, decision_date, answers, account, police_force, cps_area, "
            "decided_by) VALUES (1, 'CSARP-2025-00001', 1, '2025-03-01T10:00:00.000000+00:00', "
            "'2025-03-01T10:00:00.000000+00:00', 'sent', '[\"NW/123/09\", \"CR 9/9\"]', "
            "'2009', '{}', '', 'North Wales', 'Cymru-Wales', 'cps')"
        )
        _add_assessments(connection, 1, ["more_information_needed"])
        connection.exec_driver_sql(
            "INSERT INTO draft (created_at, updated_at, document) VALUES "
            "('2025-03-01T10:00:00.000000+00:00', '2025-03-01T10:00:00.000000+00:00', '{}')"
        )
    engine.dispose()
    _check_the_caseload_finds(
        db_path,
        {
            "queries": [
                "wyn-pryce",
                "rhiannon jones",
                "nw/123 /09",
                "cr9/9",
                "north wales",
                "cymru",
                "csarp-2025",
                "wy",
                "rh",
            ],
            "outcome": "more_information_needed",
            "force_or_area": "Cymru-Wales",
        },
    )


def test_a_database_from_a_newer_app_is_refused_and_left_alone(db_path: Path) -> None:
    database = Database.create(db_path, PASSPHRASE)
    with database.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    database.close()
    before = hashlib.sha256(db_path.read_bytes()).hexdigest()

    with pytest.raises(DatabaseTooNewError, match="newer version"):
        Database.unlock(db_path, PASSPHRASE)

    assert hashlib.sha256(db_path.read_bytes()).hexdigest() == before
    # The refusal released the lock: the file can be opened again by a newer app.
    Database.acquire_lock(db_path).release()


def test_0005_moves_each_group_based_answer_into_the_eligibility_answers(db_path: Path) -> None:
    _empty_encrypted_file(db_path)
    engine = make_engine(db_path, PASSPHRASE)
    migrations.upgrade(engine, "0004")
    with engine.begin() as connection:
        for number, name in ((1, "Gwenllian Grwp"), (2, "Idris Unsure"), (3, "Nia Nothing")):
            connection.exec_driver_sql(
                "INSERT INTO survivor (id, full_name, previous_names, address, access_needs) "
                f"VALUES ({number}, '{name}', '[]', '', '')"
            )
        rows = ((1, "'yes'", '{"decision": "police_nfa"}'), (2, "'unsure'", "{}"))
        for number, group, answers in (*rows, (3, "NULL", '{"decision": "cps_nfa"}')):
            connection.exec_driver_sql(
                "INSERT INTO referral (id, reference, uid, survivor_id, created_at, updated_at, "
                "status, crime_references, decision_date, answers, account, police_force, "
                f"group_based) VALUES ({number}, 'CSARP-2025-0000{number}', "
                f"'00000000-0000-0000-0000-00000000000{number}', {number}, "
                "'2025-03-01T10:00:00.000000+00:00', '2025-03-01T10:00:00.000000+00:00', "
                f"'sent', '[]', '2016', '{answers}', '', 'Gwent', {group})"
            )
        _add_assessments(connection, 1, ["eligible"])
    engine.dispose()

    with Database.unlock(db_path, PASSPHRASE) as database:
        repository = Repository(database)
        grouped, unsure, nothing = (repository.get(number) for number in (1, 2, 3))
    assert grouped.answers == {"decision": "police_nfa", "group_based": "yes"}
    assert unsure.answers == {"group_based": "unsure"}
    assert nothing.answers == {"decision": "cps_nfa"}
    assert [a.outcome for a in grouped.assessments] == ["eligible"]  # stored checks kept


def test_the_app_knows_its_newest_migration() -> None:
    # The self-check compares with it: a missing data-only script shows in no table.
    assert migrations.head() == migrations.SCHEMA_HEAD
