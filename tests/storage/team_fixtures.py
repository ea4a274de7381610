"""Fixtures for the team-mode tests: one throwaway server per run, a fresh database per test.

The schema is migrated once into a template database; each test gets a copy of it (a copy is
a file copy on the server, milliseconds) and the session's advocates: ``alice`` and ``bob``
(advocates) and ``mia`` (a manager).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from referral_app.storage.team import TeamDatabase, TeamSettings
from tests.storage.pg_server import PgServer, find_binaries, make_team_database, running_server

TEMPLATE = "csarp_template"
PASSWORDS = {
    "alice": "alice river lantern quartz 1",
    "bob": "bob meadow copper violin 2",
    "mia": "mia harbour saffron kestrel 3",
}
_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    binaries = find_binaries()
    if binaries is None:
        pytest.skip(
            "PostgreSQL's server programs (initdb, pg_ctl) are not installed: on Debian, "
            "apt-get install postgresql (.ci/run does)"
        )
    with running_server(binaries) as server:
        make_team_database(server, TEMPLATE, PASSWORDS, managers={"mia"})
        yield server


@pytest.fixture
def team_dbname(pg_server: PgServer) -> Iterator[str]:
    name = f"csarp_test_{next(_numbers)}"
    admin = psycopg.connect(pg_server.admin_dsn(), autocommit=True)
    admin.execute(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
    yield name
    admin.execute(f"DROP DATABASE {name} WITH (FORCE)")
    admin.close()


def team_settings(server: PgServer, dbname: str, role: str) -> TeamSettings:
    return TeamSettings(server.host, server.port, dbname, Path(server.ca_file), role)


@pytest.fixture
def sign_in(pg_server: PgServer, team_dbname: str) -> Iterator[object]:
    """``sign_in(role)``: that advocate's TeamDatabase on this test's database."""
    opened: list[TeamDatabase] = []

    def _sign_in(role: str) -> TeamDatabase:
        database = TeamDatabase.sign_in(
            team_settings(pg_server, team_dbname, role), PASSWORDS[role]
        )
        opened.append(database)
        return database

    yield _sign_in
    for database in opened:
        database.close()
