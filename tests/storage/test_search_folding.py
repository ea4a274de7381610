"""Search ignores how a crime reference is punctuated, and accents in every script."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from referral_app.storage import migrations
from referral_app.storage.db import Database, make_engine
from referral_app.storage.repository import Repository
from tests.storage.conftest import PASSPHRASE, full_referral


@pytest.mark.parametrize(
    "query", ["47zq2015", "47-ZQ-2015", "47 zq 2015", "ZQ/2015/99", "2015-99123"]
)
def test_crime_references_are_found_however_punctuated(repository: Repository, query: str) -> None:
    wanted = repository.save(full_referral("Ann Example", "47/ZQ/2015/99123"))
    repository.save(full_referral("Other Person", "12/AB/2020/1"))
    found = [summary.id for summary in repository.list_summaries(query=query)]
    assert found == [wanted.id]


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("Ωμέγα Παπαδοπούλου", "ωμεγα"),
        ("Siân Évans", "sian ev"),
        ("Ωμέγα", "ΩΜΈΓΑ"),
        ("Zoë", "zoë"),
    ],
)
def test_accents_are_ignored_in_every_script(repository: Repository, name: str, query: str) -> None:
    wanted = repository.save(full_referral(name, "47/ZQ/2015/99123"))
    repository.save(full_referral("Other Person", "12/AB/2020/1"))
    found = [summary.id for summary in repository.list_summaries(query=query)]
    assert found == [wanted.id]


def test_referrals_stored_before_are_found_the_new_ways(db_path: Path) -> None:
    """Migration 0008 folds the index rows an older version wrote."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(db_path, os.O_CREAT | os.O_WRONLY, stat.S_IRUSR | stat.S_IWUSR))
    engine = make_engine(db_path, PASSPHRASE)
    migrations.upgrade(engine, "0004")
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO survivor (id, full_name, previous_names, address, access_needs) "
            "VALUES (1, 'Ωμέγα Παπαδοπούλου', '[]', '', '')"
        )
        connection.exec_driver_sql(
            "INSERT INTO referral (id, uid, reference, survivor_id, created_at, updated_at, "
            "status, crime_references, answers, account, police_force) VALUES (1, "
            "'6f1c7a52-4d7e-4c59-9d0f-0c8a1e3b2a11', 'CSARP-2025-00001', 1, "
            "'2025-03-01T10:00:00.000000+00:00', '2025-03-01T10:00:00.000000+00:00', 'sent', "
            "'[\"47/ZQ/2015/99123\"]', '{}', '', 'Gwent')"
        )
        connection.exec_driver_sql(
            "INSERT INTO referral_search (rowid, survivor_name, previous_names, "
            "crime_references, force_and_area, reference) VALUES (1, 'Ωμέγα Παπαδοπούλου', '', "
            "'47/ZQ/2015/99123', 'Gwent', 'CSARP-2025-00001')"
        )
    engine.dispose()
    with Database.unlock(db_path, PASSPHRASE) as database:
        repository = Repository(database)
        for query in ("ωμεγα", "47zq2015", "47-ZQ-2015", "gwent", "csarp-2025"):
            assert [s.id for s in repository.list_summaries(query)] == [1], query
