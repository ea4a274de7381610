"""Schema migrations with Alembic, run whenever a database is opened.

The scripts live in ``versions/``; ``upgrade()`` brings any older database to the newest
schema in one transaction and refuses a database made by a newer app.
"""

from __future__ import annotations

from collections.abc import Callable
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


#: The newest migration this version of the app ships. Kept here as well as in the scripts so
#: that a bundle missing its newest script is caught even when that script changes data only
#: (no table or column would show it); a test keeps the two the same.
SCHEMA_HEAD = "0009"


def head() -> str:
    return str(ScriptDirectory.from_config(_config()).get_current_head())


def current(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def pending(engine: Engine) -> bool:
    """Whether opening this database will change its schema."""
    with engine.connect() as connection:
        return current(connection) != head()


def upgrade(
    engine: Engine,
    revision: str = "head",
    before_change: Callable[[], None] | None = None,
) -> None:
    """Bring the database to ``revision`` (the newest unless told otherwise).

    ``before_change`` runs only when there is something to do (the app backs up there). On
    SQLite, foreign keys are off while the scripts run: SQLite rebuilds a table to alter it,
    and dropping the old copy would otherwise cascade deletes into every table that refers
    to it.
    """
    scripts = ScriptDirectory.from_config(_config())
    known = {script.revision for script in scripts.walk_revisions()}
    with engine.connect() as connection:
        existing = current(connection)
        connection.rollback()
    if existing is not None and existing not in known:
        raise DatabaseTooNewError(existing)
    if existing == scripts.get_current_head() and revision == "head":
        return
    if before_change is not None:
        before_change()
    if engine.dialect.name != "sqlite":
        # A server checks foreign keys as each statement runs, and alters tables in place.
        with engine.begin() as connection:
            command.upgrade(_config(connection), revision)
        return
    with engine.connect() as connection:
        driver = connection.connection.driver_connection
        if driver is None:
            raise RuntimeError("no driver connection")
        driver.execute("PRAGMA foreign_keys = OFF")  # only takes effect outside a transaction
        try:
            with connection.begin():
                command.upgrade(_config(connection), revision)
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"migration left {len(broken)} broken references")
        finally:
            driver.execute("PRAGMA foreign_keys = ON")
