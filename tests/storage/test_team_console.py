"""``referral-app server init`` and ``server add-advocate``, as the README gives them, against
a fresh database on the throwaway server; then the new advocate signs in."""

from __future__ import annotations

import io
import itertools
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from referral_app import console
from referral_app.storage.errors import SignInFailedError
from referral_app.storage.repository import Repository
from referral_app.storage.team import TeamDatabase, TeamSettings
from tests.storage.conftest import full_referral
from tests.storage.pg_server import ADMIN, ADMIN_PASSWORD, PgServer

ROOT = Path(__file__).resolve().parent.parent.parent
NEW_PASSWORD = "carys lighthouse bramble tundra 7"
_numbers = itertools.count(1)


@pytest.fixture
def empty_dbname(pg_server: PgServer) -> Iterator[str]:
    name = f"csarp_team_{next(_numbers)}"
    with psycopg.connect(pg_server.admin_dsn(), autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    yield name
    with psycopg.connect(pg_server.admin_dsn(), autocommit=True) as admin:
        admin.execute(f"DROP DATABASE {name} WITH (FORCE)")
        admin.execute("DROP ROLE IF EXISTS carys")  # roles are the whole server's


def _where(server: PgServer, dbname: str) -> list[str]:
    return [
        "--host",
        server.host,
        "--port",
        str(server.port),
        "--dbname",
        dbname,
        "--ca",
        str(server.ca_file),
        "--admin",
        ADMIN,
    ]


def _answers(*replies: str):  # type: ignore[no-untyped-def]
    queue = list(replies)
    return lambda _prompt: queue.pop(0)


def test_init_then_add_an_advocate_who_can_sign_in(pg_server: PgServer, empty_dbname: str) -> None:
    where = _where(pg_server, empty_dbname)
    out, err = io.StringIO(), io.StringIO()
    assert console.server(["init", *where], out, err, ask=_answers(ADMIN_PASSWORD)) == 0, err
    told = out.getvalue()
    for step in ("TLS", "hostssl", "Encrypt the server's disk", "Back up the server"):
        assert step in told

    out, err = io.StringIO(), io.StringIO()
    ask = _answers(NEW_PASSWORD, NEW_PASSWORD, ADMIN_PASSWORD)
    code = console.server(["add-advocate", "carys", *where], out, err, ask=ask)
    assert code == 0, err.getvalue()
    assert "carys can now sign in as an advocate" in out.getvalue()

    settings = TeamSettings(
        pg_server.host, pg_server.port, empty_dbname, pg_server.ca_file, "carys"
    )
    with TeamDatabase.sign_in(settings, NEW_PASSWORD) as database:
        saved = Repository(database).save(full_referral())
        assert saved.id is not None
        assert database.signed_in().role == "carys"
        assert not database.signed_in().is_manager
    with pytest.raises(SignInFailedError):
        TeamDatabase.sign_in(settings, ADMIN_PASSWORD)
    # Running init again (after upgrading the app, say) is safe.
    again = console.server(
        ["init", *where], io.StringIO(), io.StringIO(), ask=_answers(ADMIN_PASSWORD)
    )
    assert again == 0


@pytest.mark.parametrize(
    ("name", "replies", "expected"),
    [
        ("Carys Jones", [], "cannot be a user name"),
        ("dai", ["dai", "dai"], "too easy to guess"),
        ("dai", [NEW_PASSWORD, NEW_PASSWORD + "x"], "were not the same"),
        ("dai", [NEW_PASSWORD, NEW_PASSWORD, "wrong admin password"], "did not accept"),
    ],
)
def test_add_advocate_refuses_with_one_plain_line(
    pg_server: PgServer, empty_dbname: str, name: str, replies: list[str], expected: str
) -> None:
    out, err = io.StringIO(), io.StringIO()
    where = _where(pg_server, empty_dbname)
    ask = _answers(*replies, ADMIN_PASSWORD)
    assert console.server(["add-advocate", name, *where], out, err, ask=ask) == 1
    assert expected in err.getvalue()
    assert len(err.getvalue().strip().splitlines()) == 1
    assert "Traceback" not in err.getvalue()


def test_the_command_line_entry_runs_server_commands(
    pg_server: PgServer, empty_dbname: str
) -> None:
    """``referral-app server ...`` reaches the console commands; passwords come from the
    terminal (here stdin, as there is none)."""
    done = subprocess.run(
        [sys.executable, "-m", "referral_app", "server", "init", *_where(pg_server, empty_dbname)],
        input=ADMIN_PASSWORD + "\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
        start_new_session=True,  # no terminal: getpass reads stdin
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert f"The database {empty_dbname} on {pg_server.host} is ready" in done.stdout
    assert ADMIN_PASSWORD not in done.stdout + done.stderr
