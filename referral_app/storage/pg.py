"""What only PostgreSQL (a team's server) has: the trigram search document and the chain lock.

The tables, policies and triggers these rely on are made by migration 0009; this module holds
the statements the app runs on them, as the SQLite-only ones live in ``db.py``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import Integer, Text, column, table, text
from sqlalchemy.orm import Session

#: The folded search document of each referral (see migration 0009), for portable queries.
SEARCH_DOCUMENTS = table(
    "referral_search_doc",
    column("referral_id", Integer),
    column("names", Text),
    column("crime_references", Text),
)

_UPSERT = text(
    "INSERT INTO referral_search_doc (referral_id, names, crime_references) "
    "VALUES (:id, :names, :crime_references) ON CONFLICT (referral_id) DO UPDATE SET "
    "names = excluded.names, crime_references = excluded.crime_references"
)

#: Any fixed number: the key of the advisory lock that makes audit appends take turns.
AUDIT_CHAIN_LOCK = 0x43534152  # "CSAR"


def write_search_documents(session: Session, documents: Sequence[Mapping[str, object]]) -> None:
    """Insert or replace the search documents (as ``search.search_document`` makes them)."""
    if not documents:
        return
    rows = [
        {
            "id": document["id"],
            # Everything found by the text as typed, folded, one field a line, so that a
            # phrase can never match across two fields.
            "names": "\n".join(
                str(document[key])
                for key in ("survivor_name", "previous_names", "force_and_area")
                if document[key]
            )
            + "\n"
            + str(document["reference"]).casefold(),
            "crime_references": document["crime_references"],
        }
        for document in documents
    ]
    session.execute(_UPSERT, rows)


def lock_audit_chain(session: Session) -> None:
    """Hold the chain until this transaction ends: concurrent appends then take turns, and
    each reads the head the one before it committed (READ COMMITTED reads afresh per
    statement), so the chain never forks."""
    session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": AUDIT_CHAIN_LOCK})


def like_pattern(value: str) -> str:
    """``value`` anywhere, as a LIKE pattern: its own ``%``, ``_`` and ``\\`` match literally."""
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
