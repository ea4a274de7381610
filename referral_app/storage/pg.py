"""What only PostgreSQL (a team's server) has: the trigram search document and the chain lock.

The tables, policies and triggers these rely on are made by migration 0009; this module holds
the statements the app runs on them, as the SQLite-only ones live in ``db.py``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import Integer, Select, column, func, select, text
from sqlalchemy.orm import Session

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


def like_escape(value: str) -> str:
    """``value`` with LIKE's ``%``, ``_`` and ``\\`` made literal."""
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search_ids(names: str, crime_reference: str, crime_key: str) -> Select[tuple[int]]:
    """The ids of the referrals the signed-in role may see whose folded search document holds
    ``names`` (in the names, force, area and reference) or either form of crime reference
    (each ignored when shorter than three characters), via ``csarp_search`` (migration
    0009), which can use the trigram indexes where a query under row-level security cannot.
    """

    def anywhere(value: str) -> str | None:
        return f"%{like_escape(value)}%" if len(value) >= 3 else None

    found = func.csarp_search(
        f"%{like_escape(names)}%", anywhere(crime_reference), anywhere(crime_key)
    ).table_valued(column("referral_id", Integer))
    return select(found.c.referral_id)


def name_start_ids(folded: str) -> Select[tuple[int]]:
    """The ids of the visible referrals with a word of the folded survivor's name starting
    with ``folded`` (one or two letters), through ``csarp_name_starts``."""
    found = func.csarp_name_starts(
        f"{like_escape(folded)}%", f"% {like_escape(folded)}%"
    ).table_valued(column("referral_id", Integer))
    return select(found.c.referral_id)
