"""New referrals' rows, one at a time or many in a few statements.

A new referral gets its uid, its first status (being prepared, by the advocate) unless it brings a
history, and the app's reference, made from its row id so that it says nothing about the
survivor. ``create_many`` (test data, a large import) writes batches as many-row Core
statements, numbering the rows under the transaction's write lock where the database allows,
with their search index rows and audit events in the same statements' transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Table, func, insert, select, text, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from referral_app.domain.audit import AuditAction
from referral_app.domain.referral import Referral, Status, StatusChange, check_history, utc_now
from referral_app.storage import audit
from referral_app.storage.db import SEARCH_INDEX_INSERT
from referral_app.storage.mapping import (
    assessment_values,
    referral_to_row,
    referral_values,
    review_values,
    status_values,
    survivor_to_row,
    survivor_values,
)
from referral_app.storage.models import (
    AssessmentRow,
    ReferralRow,
    ReviewRequestRow,
    StatusChangeRow,
    SurvivorRow,
)
from referral_app.storage.pg import write_search_documents
from referral_app.storage.search import dialect_of, search_document


def make_reference(referral_id: int, created: datetime) -> str:
    """The app's own reference: the year and a number, nothing about the survivor."""
    return f"CSARP-{created.year}-{referral_id:05d}"


def new_uid() -> str:
    """A referral's identity across databases: random, so it says nothing about anyone."""
    return str(uuid.uuid4())


def _placeholder_reference() -> str:
    """Unique until the database has given the referral the id its reference is made from."""
    return f"pending-{uuid.uuid4().hex[:24]}"


def starting_history(referral: Referral, now: datetime, actor: str) -> list[StatusChange]:
    history = referral.status_history or [
        StatusChange(Status.DRAFT, now, "Referral started", actor)
    ]
    check_history(history)
    return history


def new_row(referral: Referral, now: datetime, actor: str) -> ReferralRow:
    """A new referral's rows, with a placeholder reference until the database gives an id."""
    survivor_row = SurvivorRow()
    survivor_to_row(referral.survivor, survivor_row)
    row = ReferralRow(
        reference=_placeholder_reference(),
        uid=referral.uid or new_uid(),
        created_at=now,
        updated_at=now,
        survivor=survivor_row,
    )
    referral_to_row(referral, row)
    history = starting_history(referral, now, actor)
    row.status_changes = [StatusChangeRow(**status_values(change)) for change in history]
    row.status = history[-1].status
    row.assessments = [AssessmentRow(**assessment_values(a)) for a in referral.assessments]
    row.latest_outcome = referral.assessments[-1].outcome if referral.assessments else None
    return row


def insert_batch(session: Session, referrals: list[Referral], actor: str) -> list[int]:
    """Insert a batch of new referrals as many-row statements (see ``create_many``).

    Plain Core inserts rather than the ORM's bulk insert: the rows are complete dictionaries
    already, and the ORM's per-row bookkeeping would cost about as much as writing them.
    """
    now = utc_now()
    histories = [starting_history(referral, now, actor) for referral in referrals]
    survivors = [survivor_values(referral.survivor) for referral in referrals]
    survivor_ids = _insert_numbered(
        session, SurvivorRow, SurvivorRow.full_name, survivors, lambda _id, row: row["full_name"]
    )
    values = []
    for referral, history, survivor_id in zip(referrals, histories, survivor_ids, strict=True):
        latest = referral.assessments[-1].outcome if referral.assessments else None
        values.append(
            referral_values(referral)
            | {
                "survivor_id": survivor_id,
                "uid": referral.uid or new_uid(),
                "created_at": now,
                "updated_at": now,
                "status": str(history[-1].status),
                "latest_outcome": latest,
            }
        )
    ids = _insert_numbered(
        session,
        ReferralRow,
        ReferralRow.reference,
        values,
        lambda id_, _row: make_reference(id_, now),
    )
    references = [make_reference(id_, now) for id_ in ids]
    insert_owned_rows(
        session,
        referrals=referrals,
        histories=histories,
        ids=ids,
        references=references,
        values=values,
    )
    audit.record_many(session, [(AuditAction.CREATE, id_, "") for id_ in ids], now, actor)
    return list(ids)


def insert_owned_rows(
    session: Session,
    *,
    referrals: Sequence[Referral],
    histories: Sequence[Sequence[StatusChange]],
    ids: Sequence[int],
    references: Sequence[str],
    values: Sequence[dict[str, Any]],
) -> None:
    """What new referrals own, for referrals whose rows (``values``) were inserted with
    ``ids`` and ``references``: their status changes, assessments and earlier reviews, each
    table in one many-row statement, and their search index rows."""
    children: list[tuple[type[Any], list[dict[str, Any]]]] = [
        (StatusChangeRow, []),
        (AssessmentRow, []),
        (ReviewRequestRow, []),
    ]
    for referral, history, id_ in zip(referrals, histories, ids, strict=True):
        owner = {"referral_id": id_}
        children[0][1].extend(status_values(change) | owner for change in history)
        children[1][1].extend(assessment_values(a) | owner for a in referral.assessments)
        children[2][1].extend(review_values(r) | owner for r in referral.case.earlier_reviews)
    for table, rows in children:
        if rows:
            session.execute(insert(_table(table)), rows, execution_options=_ALL_COLUMNS)
    documents = [
        search_document(id_, reference, referral.survivor, value)
        for id_, reference, referral, value in zip(ids, references, referrals, values, strict=True)
    ]
    if dialect_of(session) == "sqlite":
        session.execute(text(SEARCH_INDEX_INSERT), documents)
    elif dialect_of(session) == "postgresql":
        write_search_documents(session, documents)


def _table(model: type[Any]) -> Table:
    """A model's table, for Core statements that skip the ORM's per-row work."""
    table: Table = model.__table__
    return table


def _insert_numbered(
    session: Session,
    model: type[SurvivorRow | ReferralRow],
    tag: InstrumentedAttribute[str],
    rows: list[dict[str, Any]],
    final: Callable[[int, dict[str, Any]], str],
) -> list[int]:
    """Insert ``rows`` with ``tag`` set to ``final(id, row)``; their new ids, in order.

    On SQLite the transaction has held the write lock since it began (``BEGIN IMMEDIATE``), so
    nobody else can insert meanwhile: the rows take the ids after the largest one, which are
    the ids SQLite itself would give them, and go in complete in one plain many-row insert.
    Other databases hand out ids themselves (from sequences shared with other sessions): there
    a placeholder in ``tag`` pairs each row with the id RETURNING gives it, and an UPDATE then
    writes the final value.
    """
    if dialect_of(session) == "sqlite":
        first = (session.scalar(select(func.max(model.id))) or 0) + 1
        ids = list(range(first, first + len(rows)))
        numbered = [
            row | {"id": id_, tag.key: final(id_, row)} for id_, row in zip(ids, rows, strict=True)
        ]
        session.execute(insert(_table(model)), numbered)
        return ids
    ids = insert_returning_ids(session, model, tag, rows)
    session.execute(
        update(model),
        [{"id": id_, tag.key: final(id_, row)} for id_, row in zip(ids, rows, strict=True)],
    )
    return ids


#: Send None as NULL: otherwise the ORM leaves those columns out, and rows with blanks in
#: different places each need a statement of their own instead of sharing one.
_ALL_COLUMNS = {"render_nulls": True}


def insert_returning_ids(
    session: Session,
    table: type[SurvivorRow | ReferralRow],
    tag: InstrumentedAttribute[str],
    rows: list[dict[str, Any]],
) -> list[int]:
    """Insert ``rows`` in many-row statements; their new ids, in the order of ``rows``.

    SQLite promises no order for the rows RETURNING gives back (so SQLAlchemy would fall back
    to one statement per row). Each row instead carries a unique placeholder in ``tag``, a
    column the caller then overwrites in the same transaction, that pairs it with its id.
    """
    tags = [_placeholder_reference() for _ in rows]
    returned = session.execute(
        insert(table).returning(table.id, tag),
        [row | {tag.key: t} for row, t in zip(rows, tags, strict=True)],
        execution_options=_ALL_COLUMNS,
    )
    by_tag = {t: id_ for id_, t in returned}
    return [by_tag[t] for t in tags]
