"""Schema migrations with Alembic, run whenever a database is opened.

The scripts live in ``versions/``; ``upgrade()`` brings any older database to the newest
schema in one transaction and refuses a database made by a newer app.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

from referral_app.storage.errors import DatabaseTooNewError

_HERE = Path(__file__).resolve().parent


def _config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(_HERE))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head() -> str:
    return str(ScriptDirectory.from_config(_config()).get_current_head())


def current(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database to ``revision`` (the newest unless told otherwise)."""
    scripts = ScriptDirectory.from_config(_config())
    with engine.begin() as connection:
        existing = current(connection)
        if existing is not None and existing not in {s.revision for s in scripts.walk_revisions()}:
            raise DatabaseTooNewError(existing)
        if existing == scripts.get_current_head() and revision == "head":
            return
        command.upgrade(_config(connection), revision)
