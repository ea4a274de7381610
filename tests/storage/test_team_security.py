"""Who sees and changes what on a team's server: enforced by the server, not by the app.

Each test reaches past the app (raw SQL on the advocate's own connection) where it can, since
the guard being tested is the server's.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from referral_app.domain.audit import AuditAction
from referral_app.domain.referral import Status
from referral_app.storage import retention, sharing
from referral_app.storage.errors import (
    NotAllowedError,
    NotEncryptedError,
    RecordNotFoundError,
    SignInFailedError,
    TeamServerError,
    UntrustedServerError,
)
from referral_app.storage.repository import Repository
from referral_app.storage.team import TeamDatabase, TeamSettings
from tests.storage.conftest import full_referral
from tests.storage.pg_server import PgServer
from tests.storage.team_fixtures import PASSWORDS, team_settings

SignIn = Callable[[str], TeamDatabase]

PRIVATE_TABLES = ("referral", "survivor", "status_change", "assessment", "referral_search_doc")


def _count(database: TeamDatabase, table: str) -> int:
    with database.engine.connect() as connection:
        return int(connection.scalar(text(f"SELECT count(*) FROM {table}")) or 0)


def test_an_advocate_cannot_read_another_advocates_referrals_even_with_raw_sql(
    sign_in: SignIn,
) -> None:
    alice, bob = sign_in("alice"), sign_in("bob")
    saved = Repository(alice).save(full_referral())
    assert saved.id is not None

    for table in PRIVATE_TABLES:
        assert _count(alice, table) >= 1, table
        assert _count(bob, table) == 0, table
    with bob.engine.connect() as connection:
        names = connection.scalars(text("SELECT full_name FROM survivor")).all()
        changed = connection.execute(text("UPDATE referral SET account = 'x'"))
        assert changed.rowcount == 0
    assert names == []
    # Nor through the search functions, which read past row-level security to use indexes.
    for search in (
        "SELECT count(*) FROM csarp_search('%quarterm%', NULL, NULL)",
        "SELECT count(*) FROM csarp_name_starts('zel%', '% zel%')",
    ):
        with alice.engine.connect() as connection:
            assert connection.scalar(text(search)) == 1
        with bob.engine.connect() as connection:
            assert connection.scalar(text(search)) == 0
    with pytest.raises(RecordNotFoundError):
        Repository(bob).get(saved.id)
    assert Repository(bob).count_summaries("quarterm") == 0


def test_sharing_lets_one_advocate_in_and_a_manager_sees_all(sign_in: SignIn) -> None:
    alice, bob, mia = sign_in("alice"), sign_in("bob"), sign_in("mia")
    mine = Repository(alice).save(full_referral())
    other = Repository(alice).save(full_referral("Olwen Other"))
    assert mine.id is not None and other.id is not None
    sharing.share(alice, mine.id, "bob")

    assert Repository(bob).get(mine.id).survivor.full_name == "Zelda Quartermaine"
    assert [s.id for s in Repository(bob).list_summaries(shared_with="bob")] == [mine.id]
    assert Repository(bob).count() == 1
    with pytest.raises(NotAllowedError):  # only the owner or a manager may share it on
        sharing.share(bob, mine.id, "mia")

    assert Repository(mia).count() == 2
    assert {s.owner for s in Repository(mia).list_summaries()} == {"alice"}
    assert Repository(mia).count_summaries(owner="alice") == 2
    assert Repository(alice).count_summaries(owner="alice") == 2
    members = alice.team_members()
    assert {"alice", "bob", "mia"} <= set(members)
    assert members == sorted(members) and "csarp_test_admin" not in members
    assert mia.signed_in().is_manager
    assert not alice.signed_in().is_manager


def test_only_a_manager_reassigns_deletes_for_good_and_runs_retention(sign_in: SignIn) -> None:
    alice, mia = sign_in("alice"), sign_in("mia")
    saved = Repository(alice).save(full_referral())
    assert saved.id is not None

    with pytest.raises(NotAllowedError):
        sharing.reassign(alice, saved.id, "bob")
    with pytest.raises(NotAllowedError):
        Repository(alice).delete(saved.id)
    with pytest.raises(NotAllowedError):
        retention.delete_for_good(alice, [saved.id])
    assert Repository(alice).get(saved.id).id == saved.id

    sharing.reassign(mia, saved.id, "bob")
    assert sharing.owner_of(mia, saved.id) == "bob"
    with pytest.raises(RecordNotFoundError):  # alice no longer sees it
        Repository(alice).get(saved.id)
    assert retention.delete_for_good(mia, [saved.id]) == 1
    assert Repository(mia).count() == 0
    assert Repository(mia).verify_audit().intact


def test_a_search_sees_the_referrals_real_owner_which_no_advocate_can_forge(
    sign_in: SignIn,
) -> None:
    # The search function decides who may see a match from the owner kept beside the search
    # document; the server copies it from the referral, whatever an advocate writes there.
    alice, bob, mia = sign_in("alice"), sign_in("bob"), sign_in("mia")
    saved = Repository(alice).save(full_referral())
    assert saved.id is not None
    with alice.engine.begin() as connection:
        connection.execute(text("UPDATE referral_search_doc SET owner = 'bob'"))
    assert Repository(bob).count_summaries("quarterm") == 0
    assert Repository(bob).first_page("quarterm") == (0, [])
    assert Repository(alice).first_page("quarterm")[0] == 1

    shared = Repository(alice).save(full_referral("Sabine Sharedly"))
    assert shared.id is not None
    assert Repository(bob).first_page("sharedl") == (0, [])
    sharing.share(alice, shared.id, "bob")
    total, rows = Repository(bob).first_page("sharedl")
    assert (total, [row.id for row in rows]) == (1, [shared.id])

    sharing.reassign(mia, saved.id, "bob")
    total, rows = Repository(bob).first_page("quarterm")
    assert (total, [row.id for row in rows]) == (1, [saved.id])
    assert Repository(alice).first_page("quarterm") == (0, [])
    assert Repository(mia).first_page("quarterm")[0] == 1


def test_drafts_are_private_to_their_author(sign_in: SignIn) -> None:
    alice, bob, mia = sign_in("alice"), sign_in("bob"), sign_in("mia")
    draft = Repository(alice).save_draft({"survivor": {"full_name": "Dafydd Draft"}})
    assert Repository(alice).load_draft(draft) is not None
    for other in (bob, mia):
        assert Repository(other).drafts() == []
        assert Repository(other).load_draft(draft) is None
        assert _count(other, "draft") == 0


def test_app_roles_cannot_change_or_remove_audit_events(
    sign_in: SignIn, pg_server: PgServer, team_dbname: str
) -> None:
    alice, mia = sign_in("alice"), sign_in("mia")
    Repository(alice).save(full_referral())
    for database in (alice, mia):
        for statement in (
            "UPDATE audit_event SET detail = 'nothing happened'",
            "DELETE FROM audit_event",
            "TRUNCATE audit_event",
        ):
            with pytest.raises(DBAPIError) as refused, database.engine.begin() as connection:
                connection.execute(text(statement))
            assert getattr(refused.value.orig, "sqlstate", None) == "42501", statement
    # The append-only trigger holds even for the tables' owner, past any grant.
    with (
        psycopg.connect(pg_server.admin_dsn(team_dbname)) as admin,
        pytest.raises(psycopg.errors.InsufficientPrivilege),
    ):
        admin.execute("UPDATE audit_event SET detail = 'nothing happened'")
    # And an event can only name the signed-in role as its actor.
    with pytest.raises(DBAPIError), alice.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO audit_event (occurred_at, action, actor, detail, previous_hash, "
                "hash) VALUES ('2026-12-03T10:00:00+00:00', 'open', 'bob', '', '0', 'f')"
            )
        )
    assert Repository(alice).verify_audit().intact
    assert {event.actor for event in Repository(alice).audit_events()} == {"alice"}


def test_the_server_refuses_a_connection_without_tls(pg_server: PgServer, team_dbname: str) -> None:
    with pytest.raises(psycopg.OperationalError) as refused:
        psycopg.connect(
            host=pg_server.host,
            port=pg_server.port,
            dbname=team_dbname,
            user="alice",
            password=PASSWORDS["alice"],
            sslmode="disable",
        )
    assert "no encryption" in str(refused.value)


class _PlainServer:
    """A server that answers "no TLS here" to the client's TLS request, and notes whether the
    client then carried on in plain text."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self.listener.getsockname()[1])
        self.sent_in_plain_text = b""
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        self.listener.settimeout(10)
        try:
            connection, _ = self.listener.accept()
        except TimeoutError:
            return
        with connection:
            connection.settimeout(2)
            connection.recv(8)  # SSLRequest
            connection.sendall(b"N")
            with contextlib.suppress(TimeoutError):
                self.sent_in_plain_text = connection.recv(4096)

    def close(self) -> None:
        self.thread.join(timeout=10)
        self.listener.close()


def test_the_app_never_talks_to_a_server_without_tls(pg_server: PgServer) -> None:
    plain = _PlainServer()
    settings = TeamSettings("127.0.0.1", plain.port, "team", Path(pg_server.ca_file), "alice")
    try:
        with pytest.raises(NotEncryptedError) as refused:
            TeamDatabase.sign_in(settings, PASSWORDS["alice"])
    finally:
        plain.close()
    assert plain.sent_in_plain_text == b""
    assert str(refused.value).count(".") == 1  # one plain sentence


def test_a_wrong_password_gets_one_plain_message(
    pg_server: PgServer, team_dbname: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    wrong = "not alices password at all 42"
    messages = set()
    for role in ("alice", "nobody_here"):
        with pytest.raises(SignInFailedError) as refused:
            TeamDatabase.sign_in(team_settings(pg_server, team_dbname, role), wrong)
        assert refused.value.__cause__ is None and refused.value.__suppress_context__
        messages.add(str(refused.value))
    # The same words whether or not the user exists, and no password anywhere.
    assert messages == {SignInFailedError().args[0]}
    assert wrong not in caplog.text
    assert PASSWORDS["alice"] not in caplog.text


def test_a_server_certificate_from_another_ca_is_refused(
    pg_server: PgServer, team_dbname: str, tmp_path: Path
) -> None:
    from tests.storage.pg_server import write_certificates

    other_ca, _cert, _key = write_certificates(tmp_path, "127.0.0.1")
    settings = TeamSettings(pg_server.host, pg_server.port, team_dbname, other_ca, "alice")
    with pytest.raises(UntrustedServerError):
        TeamDatabase.sign_in(settings, PASSWORDS["alice"])


def test_every_event_names_the_signed_in_role(sign_in: SignIn) -> None:
    alice, mia = sign_in("alice"), sign_in("mia")
    saved = Repository(alice).save(full_referral())
    assert saved.id is not None
    Repository(mia).change_status(saved.id, Status.WITHDRAWN)
    Repository(mia).record_event(AuditAction.PRINT, saved.id)
    actors = [(event.action, event.actor) for event in Repository(mia).audit_events()]
    assert actors == [("create", "alice"), ("status_change", "mia"), ("print", "mia")]


def test_a_missing_ca_file_is_named(pg_server: PgServer, team_dbname: str, tmp_path: Path) -> None:
    missing = tmp_path / "team-ca.crt"
    settings = TeamSettings(pg_server.host, pg_server.port, team_dbname, missing, "alice")
    with pytest.raises(TeamServerError, match="There is no CA certificate file at"):
        TeamDatabase.sign_in(settings, PASSWORDS["alice"])
