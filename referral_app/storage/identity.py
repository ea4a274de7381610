"""The database's own facts (table ``database_info``): its identity, an unfinished change.

The identity is random and says nothing about anyone. Backups carry it in their names, so a
database rotates out only its own backups, never those of a database that was lost or
replaced beside it.

While the passphrase is being changed, the old passphrase is kept here, inside the database
(encrypted under the old key and then the new one), so that a crash part-way through can be
finished at the next unlock: backups still under the old passphrase are re-encrypted then.
It is deleted (and overwritten, ``secure_delete``) as soon as every backup is done.
"""

from __future__ import annotations

from sqlalchemy import Engine, delete, select
from sqlalchemy.exc import DBAPIError

from referral_app.storage.db import Database
from referral_app.storage.models import DatabaseInfoRow

IDENTITY = "identity"
PENDING_REKEY = "pending_rekey"


def read(engine: Engine, key: str) -> str | None:
    """The value under ``key``; None if absent or if the database predates the table."""
    try:
        with engine.connect() as connection:
            value = connection.execute(
                select(DatabaseInfoRow.value).where(DatabaseInfoRow.key == key)
            ).scalar()
    except DBAPIError:
        return None  # no such table yet: a database not yet migrated
    return None if value is None else str(value)


def identity(engine: Engine) -> str | None:
    return read(engine, IDENTITY)


def write(database: Database, key: str, value: str) -> None:
    with database.session() as session:
        session.merge(DatabaseInfoRow(key=key, value=value))


def remove(database: Database, key: str) -> None:
    with database.session() as session:
        session.execute(delete(DatabaseInfoRow).where(DatabaseInfoRow.key == key))
