"""Setting up a team's PostgreSQL server, and giving each advocate their own role.

Run by whoever looks after the server, as a role that may create roles (``server init``,
``server add-advocate`` on the command line). The schema, policies and triggers come from the
same Alembic migrations as the local file's; this adds what belongs to one database on the
server (who may connect) and the advocates' roles. Passwords go to the server only as SCRAM
verifiers, made here: the server (and its statement log) never sees a password itself.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets

from psycopg import sql
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from referral_app.storage import migrations
from referral_app.storage.errors import StorageError, TeamServerError, WeakPassphraseError
from referral_app.storage.passphrase import estimate
from referral_app.storage.team import (
    ADVOCATES,
    MANAGERS,
    TeamSettings,
    connect_problem,
    make_team_engine,
)

SCRAM_ITERATIONS = 4096  # PostgreSQL's own default for the verifiers it makes

_ROLE_NAME = re.compile(r"[a-z][a-z0-9_]{1,62}")

#: What the server's operator must still do: the app cannot, and should not, do these.
OPERATOR_STEPS = (
    "TLS: give the server a certificate for the name advocates connect to, signed by a CA "
    "whose certificate file you give each advocate (postgresql.conf: ssl = on, "
    "ssl_cert_file, ssl_key_file).",
    "pg_hba.conf: let advocates in over TLS with SCRAM only, for example "
    "'hostssl {dbname} +csarp_advocate 0.0.0.0/0 scram-sha-256', with no 'host' line that "
    "matches this database, then reload the server.",
    "Encrypt the server's disk: the database files, the write-ahead log and any dumps hold "
    "survivors' details, and the server does not encrypt them itself.",
    "Back up the server (for example pg_basebackup with WAL archiving, or pg_dump), encrypt "
    "the backups, keep a copy away from the server, and test a restore.",
    "Add each advocate: referral-app server add-advocate NAME (add --manager for a manager).",
)


def scram_verifier(password: str, salt: bytes | None = None) -> str:
    """The SCRAM-SHA-256 verifier PostgreSQL stores for ``password`` (RFC 5802 and 7677)."""
    salt = salt or secrets.token_bytes(16)
    salted = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, SCRAM_ITERATIONS)
    client_key = hmac.new(salted, b"Client Key", "sha256").digest()
    stored_key = hashlib.sha256(client_key).digest()
    server_key = hmac.new(salted, b"Server Key", "sha256").digest()

    def b64(data: bytes) -> str:
        return base64.b64encode(data).decode("ascii")

    return f"SCRAM-SHA-256${SCRAM_ITERATIONS}:{b64(salt)}${b64(stored_key)}:{b64(server_key)}"


def check_role_name(name: str) -> str:
    """An advocate's user name: lower-case letters, digits and ``_``, starting with a letter
    (no quoting surprises on any client), and not one of the server's or the app's own."""
    if not _ROLE_NAME.fullmatch(name) or name.startswith(("pg_", "csarp_")):
        raise StorageError(
            f"{name!r} cannot be a user name: use 2 to 63 lower-case letters, digits and _, "
            "starting with a letter (not pg_ or csarp_)."
        )
    return name


def admin_engine(settings: TeamSettings, password: str) -> Engine:
    """An engine signed in as the server's administrator role (``settings.role``), over the
    same verified TLS as the advocates; a failure is one plain sentence."""
    engine = make_team_engine(settings, settings.role, password, poolclass=NullPool)
    try:
        with engine.connect():
            pass
    except DBAPIError as error:
        engine.dispose()
        raise connect_problem(error.orig or error) from None
    return engine


def _run(connection: Connection, statement: sql.Composable) -> None:
    driver = connection.connection.driver_connection
    if driver is None:
        raise RuntimeError("no driver connection")
    connection.exec_driver_sql(statement.as_string(driver))


def init_server(engine: Engine) -> list[str]:
    """Bring the database to this version's schema with its policies, and let only the
    app's roles connect to it. Safe to run again (after an upgrade of the app, say).
    Returns what the operator must still do, with warnings about what was found."""
    try:
        migrations.upgrade(engine)
        with engine.begin() as connection:
            dbname = str(connection.scalar(text("SELECT current_database()")))
            database = sql.Identifier(dbname)
            _run(connection, sql.SQL("REVOKE ALL ON DATABASE {} FROM PUBLIC").format(database))
            _run(
                connection,
                sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(
                    database, sql.Identifier(ADVOCATES)
                ),
            )
            _run(connection, sql.SQL("REVOKE CREATE ON SCHEMA public FROM PUBLIC"))
            encryption = connection.scalar(text("SHOW password_encryption"))
    except DBAPIError as error:
        raise _admin_problem(error) from None
    steps = [step.format(dbname=dbname) for step in OPERATOR_STEPS]
    if encryption != "scram-sha-256":
        steps.insert(0, "Set password_encryption = 'scram-sha-256' in postgresql.conf.")
    return steps


def add_advocate(engine: Engine, name: str, password: str, *, manager: bool = False) -> None:
    """Make ``name`` a role that can sign in with ``password`` and use the caseload (and, as
    a manager, see every referral, reassign them and delete for good)."""
    check_role_name(name)
    strength = estimate(password, (name,))
    if not strength.acceptable:
        raise WeakPassphraseError(strength.summary, strength.advice)
    groups = [sql.Identifier(ADVOCATES)]
    if manager:
        groups.append(sql.Identifier(MANAGERS))
    try:
        with engine.begin() as connection:
            exists = connection.scalar(
                text("SELECT 1 FROM pg_roles WHERE rolname = :name"), {"name": name}
            )
            if exists:
                raise StorageError(f"There is already a user called {name} on this server.")
            _run(
                connection,
                sql.SQL("CREATE ROLE {} LOGIN INHERIT PASSWORD {} IN ROLE {}").format(
                    sql.Identifier(name),
                    sql.Literal(scram_verifier(password)),
                    sql.SQL(", ").join(groups),
                ),
            )
    except DBAPIError as error:
        raise _admin_problem(error) from None


def _admin_problem(error: DBAPIError) -> TeamServerError:
    code = getattr(error.orig, "sqlstate", None)
    if code == "42501":
        return TeamServerError(
            "The server did not allow this: sign in as a role that may create roles and owns "
            "the database (its administrator)."
        )
    if code == "42704":
        return TeamServerError("Run 'referral-app server init' on this database first.")
    return TeamServerError(
        "The server could not be set up (error code " + (code or "unknown") + "). Nothing "
        "was left half done; see the server's log."
    )
