"""A team's shared caseload on a PostgreSQL server: signing in, and the problems it can have.

Each advocate signs in as their own PostgreSQL role, with SCRAM-SHA-256 over TLS and the
server's certificate verified against the team's CA (``sslmode=verify-full``,
``channel_binding=require``): the app never sends anything, the password included, over a
connection that is not encrypted to the right server. Who sees and changes what is decided by
the server (row-level security, grants, triggers: migration 0009), not by the app.

:class:`TeamDatabase` stands where the local :class:`~referral_app.storage.db.Database` does,
so the repository, the audit trail, the caseload, exports and retention work on it unchanged.
What is the local file's alone (backups beside it, passphrase changes, SQLite's checks) is not
offered: the server's backups and disk encryption are its operator's job.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from psycopg import OperationalError as ServerConnectionError
from sqlalchemy import URL, Engine, create_engine, func, select, text
from sqlalchemy.exc import DBAPIError

from referral_app.storage import migrations
from referral_app.storage.db import Database
from referral_app.storage.errors import (
    NotAllowedError,
    NotEncryptedError,
    ServerSchemaError,
    ServerUnreachableError,
    SignInFailedError,
    StorageError,
    TeamServerError,
    UntrustedServerError,
)

log = logging.getLogger(__name__)

#: The group roles every advocate's role and every manager's role belong to (migration 0009).
ADVOCATES = "csarp_advocate"
MANAGERS = "csarp_manager"
DEFAULT_PORT = 5432


@dataclass(frozen=True)
class TeamSettings:
    """Where the team's server is and who signs in: what the app keeps in its settings.

    The password is never part of it, and is never stored.
    """

    host: str
    port: int
    dbname: str
    #: The CA certificate that signed the server's certificate (a PEM file).
    ca_file: Path
    #: The advocate's own PostgreSQL role (their user name on the server).
    role: str


@dataclass(frozen=True)
class SignedIn:
    """Who is signed in to the team's server, as the server sees it."""

    role: str
    is_manager: bool


def team_url(settings: TeamSettings, role: str, password: str) -> URL:
    """The connection URL: TLS to the named server only, its certificate checked against the
    CA file, and SCRAM with channel binding (which no plain-text method can satisfy)."""
    return URL.create(
        "postgresql+psycopg",
        username=role,
        password=password,
        host=settings.host,
        port=settings.port,
        database=settings.dbname,
        query={
            "sslmode": "verify-full",
            "sslrootcert": str(settings.ca_file),
            "channel_binding": "require",
            "gssencmode": "disable",
            "connect_timeout": "10",
            "application_name": "csarp-referrals",
        },
    )


def make_team_engine(settings: TeamSettings, role: str, password: str, **options: Any) -> Engine:
    """An engine on the team's server that connects lazily. ``hide_parameters``: values never
    reach a log; the URL's password is masked whenever the URL is printed."""
    if not settings.ca_file.is_file():
        raise TeamServerError(
            f"There is no CA certificate file at {settings.ca_file}. Ask whoever runs the "
            "server for the team's CA certificate, and choose that file."
        )
    return create_engine(
        team_url(settings, role, password),
        hide_parameters=True,
        pool_pre_ping=True,
        # Whatever the server's default: audit appends rely on each statement seeing what
        # was committed before it (see ``pg.lock_audit_chain``).
        isolation_level="READ COMMITTED",
        **options,
    )


#: libpq's words for why a connection failed, and the plain message each deserves; the first
#: that matches wins. libpq's messages are in English whatever the server's language.
_CONNECT_PROBLEMS: tuple[tuple[tuple[str, ...], type[TeamServerError]], ...] = (
    (("does not support ssl", "ssl was required", "no encryption"), NotEncryptedError),
    (
        (
            "certificate verify failed",
            "does not match host name",
            "root certificate",
            "certificate",
            "ssl error",
        ),
        UntrustedServerError,
    ),
    (
        ("password authentication failed", "channel binding", "no pg_hba.conf entry"),
        SignInFailedError,
    ),
    (("does not exist",), SignInFailedError),
)


def connect_problem(error: BaseException) -> TeamServerError:
    """The one plain message for a failed connection (never the driver's, which may name the
    server's internals; never a password, which no driver message holds anyway)."""
    words = str(error).lower()
    for needles, problem in _CONNECT_PROBLEMS:
        if any(needle in words for needle in needles):
            return problem()
    return ServerUnreachableError()


def _driver_error(error: DBAPIError) -> Any:
    return error.orig if error.orig is not None else error


class TeamDatabase(Database):
    """The team's server, signed in as one advocate. Use :meth:`sign_in`; :meth:`close` when
    locking, which drops every connection (signing in again needs the password)."""

    def __init__(self, settings: TeamSettings, engine: Engine) -> None:
        # No file, so no path and no single-writer lock: the server lets many advocates in.
        # ``path`` points nowhere on purpose: anything that would write beside a local file
        # (backups, lock files) fails at once instead of writing somewhere unexpected.
        super().__init__(Path(os.devnull), engine, None)
        self.settings = settings

    @classmethod
    def sign_in(cls, settings: TeamSettings, password: str) -> TeamDatabase:
        """Connect as ``settings.role``; raises a :class:`TeamServerError` with one plain
        sentence (wrong password, no TLS, untrusted certificate, unreachable, not set up)."""
        if not password or "\x00" in password:
            raise SignInFailedError()
        engine = make_team_engine(settings, settings.role, password)
        try:
            with engine.connect() as connection:
                encrypted = connection.scalar(
                    text("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
                )
                revision = migrations.current(connection)
        except DBAPIError as error:
            engine.dispose()
            problem = connect_problem(_driver_error(error))
            log.info("team server sign-in failed: %s", type(problem).__name__)
            raise problem from None
        except BaseException:
            engine.dispose()
            raise
        if not encrypted:  # verify-full cannot connect without TLS; this is belt and braces
            engine.dispose()
            raise NotEncryptedError()
        if revision != migrations.head():
            engine.dispose()
            raise ServerSchemaError()
        log.info("signed in to the team server")
        return cls(settings, engine)

    @property
    def is_team(self) -> bool:
        return True

    def signed_in(self) -> SignedIn:
        """The signed-in role and whether it is a manager (as the server's policies see it)."""
        with self.engine.connect() as connection:
            role = str(connection.scalar(select(func.current_user())))
            manager = bool(
                connection.scalar(
                    text("SELECT pg_has_role(current_user, :managers, 'MEMBER')"),
                    {"managers": MANAGERS},
                )
            )
        return SignedIn(role, manager)

    def team_members(self) -> list[str]:
        """The advocates' roles (managers included) that can sign in, by name: for a
        manager's "By advocate" and for sharing."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                text(
                    "SELECT rolname FROM pg_roles WHERE rolcanlogin AND NOT rolsuper "
                    "AND pg_has_role(oid, :advocates, 'MEMBER') ORDER BY rolname"
                ),
                {"advocates": ADVOCATES},
            )
            return [str(name) for (name,) in rows]

    def problem(self, error: DBAPIError) -> StorageError | None:
        """Refusals by the server's policies, and a lost connection, in plain words."""
        driver_error = _driver_error(error)
        code = getattr(driver_error, "sqlstate", None)
        if code == "42501":  # insufficient privilege: grants, row-level security, triggers
            return NotAllowedError()
        if code == "23505":  # unique: the same referral (uid) is there, but not for this role
            return TeamServerError(
                "Some of these referrals are already on the team's server, held by another "
                "advocate, so nothing was changed. Ask a manager to share them with you."
            )
        if (code or "").startswith("08") or (
            code is None and isinstance(driver_error, ServerConnectionError)
        ):
            return ServerUnreachableError()
        return None

    def rekey(self, *_args: object, **_kwargs: object) -> None:
        raise TeamServerError(
            "On the team's server the password is changed by whoever runs the server."
        )

    def integrity_ok(self) -> bool:
        return True  # the server checks its own pages (data checksums, its own backups)

    def full_check(self, interrupt_with: Any) -> bool | None:
        return None  # nothing to check on this side

    def raw_connection_for_backup(self) -> Any:
        raise TeamServerError("The team's server is backed up by whoever runs the server.")

    def close(self) -> None:
        """Drop every connection; the password goes with the engine."""
        if self._engine is None:
            return
        engine, self._engine = self._engine, None
        engine.dispose()
