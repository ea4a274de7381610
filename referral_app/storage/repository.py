"""The only way in and out of the database: domain objects in, domain objects out.

Every change is written together with its audit event in one transaction, so the log can never
say something happened that did not, nor miss something that did.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import (
    Table,
    delete,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.orm import InstrumentedAttribute, Session, selectinload

from referral_app.domain.audit import AuditAction, AuditEvent, ChainCheck
from referral_app.domain.eligibility import DATE_KEYS
from referral_app.domain.referral import (
    Advocate,
    AssessmentRecord,
    Referral,
    Status,
    StatusChange,
    StatusChangeError,
    check_history,
    utc_now,
)
from referral_app.storage import audit
from referral_app.storage.caseload import (
    _SUMMARY_COLUMNS,
    SORT_KEYS,
    ReferralSummary,
    _clean_query,
    _dialect,
    _from_referrals,
    _index,
    _matching_ids,
    _order,
    _reindex_survivor,
    _search_document,
    _summary,
    name_key,
    search_conditions,
)
from referral_app.storage.db import (
    SEARCH_INDEX_DELETE,
    SEARCH_INDEX_INSERT,
    SEARCH_MIN_LENGTH,
    Database,
    bulk_write_cache,
)
from referral_app.storage.errors import RecordNotFoundError
from referral_app.storage.mapping import (
    _assessment_values,
    _from_row,
    _referral_to_row,
    _referral_values,
    _review_values,
    _status_values,
    _survivor_to_row,
    _survivor_values,
)
from referral_app.storage.models import (
    AdvocateRow,
    AssessmentRow,
    DraftRow,
    ReferralRow,
    ReviewRequestRow,
    StatusChangeRow,
    SurvivorRow,
)

_E = TypeVar("_E", bound=StrEnum)


@dataclass(frozen=True)
class DraftSummary:
    """What the resume prompt may show of a draft: when, never what."""

    id: int
    created_at: datetime
    updated_at: datetime


class Repository:
    def __init__(self, database: Database) -> None:
        self._db = database

    @property
    def database(self) -> Database:
        """The database behind the repository, for parts that read it in their own way."""
        return self._db

    # The advocate

    def advocate(self) -> Advocate | None:
        with self._db.session() as session:
            row = session.scalar(select(AdvocateRow).order_by(AdvocateRow.id).limit(1))
            if row is None:
                return None
            return Advocate(row.name, row.organisation, row.phone, row.email)

    def save_advocate(self, advocate: Advocate) -> None:
        with self._db.session() as session:
            row = session.scalar(select(AdvocateRow).order_by(AdvocateRow.id).limit(1))
            if row is None:
                row = AdvocateRow()
                session.add(row)
            row.name = advocate.name
            row.organisation = advocate.organisation
            row.phone = advocate.phone
            row.email = advocate.email
            session.flush()
            audit.record(session, AuditAction.ADVOCATE_UPDATE)

    # Referrals

    def save(self, referral: Referral) -> Referral:
        """Create the referral, or update it if it has an id. Returns it as stored."""
        if referral.id is None:
            return self._create(referral)
        return self._update(referral)

    def _create(self, referral: Referral, discard_draft: int | None = None) -> Referral:
        now = utc_now()
        with self._db.session() as session:
            if discard_draft is not None:
                session.execute(delete(DraftRow).where(DraftRow.id == discard_draft))
            row = _new_row(referral, now, self._actor(session))
            session.add(row)
            session.flush()
            row.reference = make_reference(row.id, now)
            _index(session, [row])
            audit.record(session, AuditAction.CREATE, row.id, at=now)
            session.flush()
            return _from_row(row)

    def create_many(self, referrals: Iterable[Referral], batch_size: int = 500) -> list[int]:
        """Store many new referrals (an import, or test data); returns their ids in order.

        One transaction makes it one sync to disk instead of one per referral, and each batch
        goes in as a few many-row statements instead of ORM objects one by one: together that
        turns minutes into seconds at 100,000 referrals. Each referral still gets its audit
        event and its place in the search index, in the same transaction.
        """
        ids: list[int] = []
        with self._db.session() as session, bulk_write_cache(session):
            actor = self._actor(session)
            batch: list[Referral] = []
            for referral in referrals:
                if referral.id is not None:
                    raise ValueError("only new referrals can be created")
                batch.append(referral)
                if len(batch) >= batch_size:
                    ids += _insert_batch(session, batch, actor)
                    batch = []
            if batch:
                ids += _insert_batch(session, batch, actor)
        return ids

    def _update(self, referral: Referral) -> Referral:
        if referral.id is None:
            raise ValueError("only a saved referral can be updated")
        now = utc_now()
        with self._db.session() as session:
            row = self._load(session, referral.id)
            before = _from_row(row)
            changed = _changed_sections(before, referral)
            new_changes = _new_status_changes(before, referral)
            _survivor_to_row(referral.survivor, row.survivor)
            _referral_to_row(referral, row)
            added = referral.assessments[len(before.assessments) :]
            for record in added:
                row.assessments.append(AssessmentRow(**_assessment_values(record)))
                row.latest_outcome = record.outcome
            row.updated_at = now
            session.flush()
            _reindex_survivor(session, row)
            if changed:
                audit.record(session, AuditAction.UPDATE, row.id, ", ".join(changed), at=now)
            for record in added:
                audit.record(
                    session, AuditAction.ASSESS, row.id, f"{record.ruleset}: {record.outcome}"
                )
            previous = before.status
            for change in new_changes:
                row.status_changes.append(StatusChangeRow(**_status_values(change)))
                row.status = change.status
                session.flush()
                audit.record(
                    session, AuditAction.STATUS_CHANGE, row.id, f"{previous} -> {change.status}"
                )
                previous = change.status
            return _from_row(row)

    def get(self, referral_id: int) -> Referral:
        with self._db.session() as session:
            return _from_row(self._load(session, referral_id))

    def open_record(self, referral_id: int) -> Referral:
        """Read a referral for the advocate to look at; opening is an audited event."""
        with self._db.session() as session:
            referral = _from_row(self._load(session, referral_id))
            audit.record(session, AuditAction.OPEN, referral_id)
            return referral

    def list_ids(self) -> list[int]:
        with self._db.session() as session:
            return list(session.scalars(select(ReferralRow.id).order_by(ReferralRow.id)))

    def count(self) -> int:
        with self._db.session() as session:
            return int(session.scalar(select(func.count()).select_from(ReferralRow)) or 0)

    def all(self) -> list[Referral]:
        with self._db.session() as session:
            rows = session.scalars(
                select(ReferralRow).options(*_WHOLE_REFERRAL).order_by(ReferralRow.id)
            )
            return [_from_row(row) for row in rows]

    def change_status(
        self, referral_id: int, wanted: Status, note: str = "", at: datetime | None = None
    ) -> Referral:
        """Move a referral on; the domain's rules decide which changes are allowed."""
        with self._db.session() as session:
            row = self._load(session, referral_id)
            referral = _from_row(row)
            previous = referral.status
            change = referral.change_status(wanted, by=self._actor(session), note=note, at=at)
            row.status_changes.append(StatusChangeRow(**_status_values(change)))
            row.status = change.status
            row.updated_at = utc_now()
            session.flush()
            audit.record(
                session, AuditAction.STATUS_CHANGE, referral_id, f"{previous} -> {change.status}"
            )
            return _from_row(row)

    def add_assessment(self, referral_id: int, record: AssessmentRecord) -> Referral:
        """Keep a new eligibility assessment in the referral's history."""
        with self._db.session() as session:
            row = self._load(session, referral_id)
            row.assessments.append(AssessmentRow(**_assessment_values(record)))
            row.latest_outcome = record.outcome
            if record.answers:
                # The referral keeps its non-date answers; dates live in their own fields.
                row.answers = {k: v for k, v in record.answers.items() if k not in DATE_KEYS}
            row.updated_at = utc_now()
            session.flush()
            audit.record(
                session, AuditAction.ASSESS, referral_id, f"{record.ruleset}: {record.outcome}"
            )
            return _from_row(row)

    def delete(self, referral_id: int) -> None:
        """Delete a referral for good. ``secure_delete`` overwrites the freed pages."""
        with self._db.session() as session:
            row = self._load(session, referral_id)
            survivor_id = row.survivor_id
            session.delete(row)
            session.flush()
            others = session.scalar(
                select(func.count(ReferralRow.id)).where(ReferralRow.survivor_id == survivor_id)
            )
            if not others:
                session.execute(delete(SurvivorRow).where(SurvivorRow.id == survivor_id))
            if _dialect(session) == "sqlite":
                session.execute(text(SEARCH_INDEX_DELETE), {"id": referral_id})
            audit.record(session, AuditAction.DELETE, referral_id)

    # The caseload list

    def list_summaries(
        self,
        query: str = "",
        *,
        statuses: Collection[Status] = (),
        outcomes: Collection[str] = (),
        overdue_on: date | None = None,
        sort: str = "reference",
        descending: bool = False,
        offset: int = 0,
        limit: int = 200,
    ) -> list[ReferralSummary]:
        """One page of the caseload, searched, filtered and sorted (see ``search_conditions``)."""
        wanted = _Wanted(query, tuple(statuses), tuple(outcomes), overdue_on)
        with self._db.session() as session:
            return _page(session, wanted, _order(sort, descending), offset, limit)

    def count_summaries(
        self,
        query: str = "",
        *,
        statuses: Collection[Status] = (),
        outcomes: Collection[str] = (),
        overdue_on: date | None = None,
    ) -> int:
        """How many referrals :meth:`list_summaries` would list across all its pages."""
        wanted = _Wanted(query, tuple(statuses), tuple(outcomes), overdue_on)
        with self._db.session() as session:
            return _count(session, wanted)

    def first_page(
        self,
        query: str = "",
        *,
        statuses: Collection[Status] = (),
        outcomes: Collection[str] = (),
        overdue_on: date | None = None,
        sort: str = "reference",
        descending: bool = False,
        limit: int = 200,
    ) -> tuple[int, list[ReferralSummary]]:
        """How many referrals match, and the first page of them: what the list asks after
        each pause in typing, in one transaction, so that the two always agree."""
        wanted = _Wanted(query, tuple(statuses), tuple(outcomes), overdue_on)
        with self._db.session() as session:
            total = _count(session, wanted)
            rows = _page(session, wanted, _order(sort, descending), 0, limit) if total else []
            return total, rows

    # Drafts of the guided form

    def save_draft(self, document: dict[str, Any], draft_id: int | None = None) -> int:
        """Keep the form as it stands; returns the draft's id (new when ``draft_id`` is None)."""
        now = utc_now()
        with self._db.session() as session:
            row = None if draft_id is None else session.get(DraftRow, draft_id)
            if row is None:
                row = DraftRow(created_at=now, updated_at=now, document=document)
                session.add(row)
            else:
                row.document = document
                row.updated_at = now
            session.flush()
            return row.id

    def drafts(self) -> list[DraftSummary]:
        """Unfinished forms, the most recently touched first."""
        with self._db.session() as session:
            rows = session.execute(
                select(DraftRow.id, DraftRow.created_at, DraftRow.updated_at).order_by(
                    DraftRow.updated_at.desc(), DraftRow.id.desc()
                )
            )
            return [DraftSummary(row.id, row.created_at, row.updated_at) for row in rows]

    def load_draft(self, draft_id: int) -> dict[str, Any] | None:
        with self._db.session() as session:
            row = session.get(DraftRow, draft_id)
            return None if row is None else dict(row.document)

    def discard_draft(self, draft_id: int) -> None:
        with self._db.session() as session:
            session.execute(delete(DraftRow).where(DraftRow.id == draft_id))

    def save_from_draft(self, referral: Referral, draft_id: int | None) -> Referral:
        """Save a new referral and drop its draft in the same transaction."""
        if referral.id is not None:
            raise ValueError("a draft becomes a new referral")
        return self._create(referral, discard_draft=draft_id)

    # The audit trail

    def record_event(
        self,
        action: AuditAction,
        referral_id: int | None = None,
        detail: str = "",
        at: datetime | None = None,
    ) -> None:
        """Log something done outside storage (export, print, unlock) in the trail."""
        with self._db.session() as session:
            audit.record(session, action, referral_id, detail, at=at)

    def record_events(self, events: Sequence[tuple[AuditAction, datetime]]) -> None:
        with self._db.session() as session:
            for action, at in events:
                audit.record(session, action, at=at)

    def audit_events(self) -> list[AuditEvent]:
        with self._db.session() as session:
            return audit.events(session)

    def verify_audit(self) -> ChainCheck:
        with self._db.session() as session:
            return audit.verify(session)

    # Helpers

    @staticmethod
    def _load(session: Session, referral_id: int) -> ReferralRow:
        row = session.scalar(
            select(ReferralRow).options(*_WHOLE_REFERRAL).where(ReferralRow.id == referral_id)
        )
        if row is None:
            raise RecordNotFoundError(referral_id)
        return row

    @staticmethod
    def _actor(session: Session) -> str:
        return audit.actor_name(session)


@dataclass(frozen=True)
class _Wanted:
    """What the list is searched and filtered by."""

    query: str
    statuses: tuple[Status, ...]
    outcomes: tuple[str, ...]
    overdue_on: date | None


def _page(
    session: Session, wanted: _Wanted, order: Sequence[Any], offset: int, limit: int
) -> list[ReferralSummary]:
    """One page of the referrals ``wanted``, in ``order``.

    The page's ids are chosen first, from indexes alone where the order allows, and only that
    page's rows are then read: sorting never drags every referral's full row through the
    sort, which on an encrypted file means decrypting the whole table. Both happen in one
    statement (the ids as a subquery, their rows put back in the page's order): one round
    trip, and no page of ids sent back as parameters, which took a tenth to a third of a
    page's time at 100,000 referrals. The statements are run on the session's connection,
    as Core: the ORM's handling of results, for plain columns, was a tenth of a keystroke.
    """
    connection = session.connection()
    conditions, needs_survivor = search_conditions(
        wanted.query,
        statuses=wanted.statuses,
        outcomes=wanted.outcomes,
        overdue_on=wanted.overdue_on,
        dialect=_dialect(session),
    )
    page = (
        _from_referrals(select(ReferralRow.id), needs_survivor)
        .where(*conditions)
        .order_by(*order)
        .offset(offset)
        .limit(limit)
        .correlate(None)
    )
    rows = connection.execute(
        _from_referrals(select(*_SUMMARY_COLUMNS), True)
        .where(ReferralRow.id.in_(page))
        .order_by(*order)
    ).all()  # in one fetch, not row by row
    return [_summary(row) for row in rows]


def _count(session: Session, wanted: _Wanted) -> int:
    """How many referrals :func:`_page` would list across all its pages."""
    connection = session.connection()
    text = _clean_query(wanted.query)
    searching = len(text) >= SEARCH_MIN_LENGTH and _dialect(session) == "sqlite"
    if searching and not (wanted.statuses or wanted.outcomes or wanted.overdue_on):
        # The index has one row per referral, kept in the same transactions: counting its
        # matches saves reading every matching referral's row to count it.
        matches = _matching_ids(text).subquery()
        return int(connection.scalar(select(func.count()).select_from(matches)) or 0)
    conditions, needs_survivor = search_conditions(
        wanted.query,
        statuses=wanted.statuses,
        outcomes=wanted.outcomes,
        overdue_on=wanted.overdue_on,
        dialect=_dialect(session),
        counting=True,
    )
    # COUNT(*), not COUNT(id): the id is never null, and SQLite counts the rows of the
    # smallest index without reading a value from each (milliseconds at 100,000).
    statement = _from_referrals(select(func.count()), needs_survivor)
    return int(connection.scalar(statement.where(*conditions)) or 0)


def make_reference(referral_id: int, created: datetime) -> str:
    """The app's own reference: the year and a number, nothing about the survivor."""
    return f"CSARP-{created.year}-{referral_id:05d}"


#: Load a referral with everything it owns in a fixed number of queries, however many rows.
_WHOLE_REFERRAL = (
    selectinload(ReferralRow.survivor),
    selectinload(ReferralRow.status_changes),
    selectinload(ReferralRow.assessments),
    selectinload(ReferralRow.reviews),
)


def new_uid() -> str:
    """A referral's identity across databases: random, so it says nothing about anyone."""
    return str(uuid.uuid4())


def _placeholder_reference() -> str:
    """Unique until the database has given the referral the id its reference is made from."""
    return f"pending-{uuid.uuid4().hex[:24]}"


def _history(referral: Referral, now: datetime, actor: str) -> list[StatusChange]:
    history = referral.status_history or [
        StatusChange(Status.DRAFT, now, "Referral started", actor)
    ]
    check_history(history)
    return history


def _new_row(referral: Referral, now: datetime, actor: str) -> ReferralRow:
    """A new referral's rows, with a placeholder reference until the database gives an id."""
    survivor_row = SurvivorRow()
    _survivor_to_row(referral.survivor, survivor_row)
    row = ReferralRow(
        reference=_placeholder_reference(),
        uid=referral.uid or new_uid(),
        created_at=now,
        updated_at=now,
        survivor=survivor_row,
    )
    _referral_to_row(referral, row)
    history = _history(referral, now, actor)
    row.status_changes = [StatusChangeRow(**_status_values(change)) for change in history]
    row.status = history[-1].status
    row.assessments = [AssessmentRow(**_assessment_values(a)) for a in referral.assessments]
    row.latest_outcome = referral.assessments[-1].outcome if referral.assessments else None
    return row


def _insert_batch(session: Session, referrals: list[Referral], actor: str) -> list[int]:
    """Insert a batch of new referrals as many-row statements (see ``create_many``).

    Plain Core inserts rather than the ORM's bulk insert: the rows are complete dictionaries
    already, and the ORM's per-row bookkeeping would cost about as much as writing them.
    """
    now = utc_now()
    histories = [_history(referral, now, actor) for referral in referrals]
    survivors = [_survivor_values(referral.survivor) for referral in referrals]
    survivor_ids = _insert_numbered(
        session, SurvivorRow, SurvivorRow.full_name, survivors, lambda _id, row: row["full_name"]
    )
    values = []
    for referral, history, survivor_id in zip(referrals, histories, survivor_ids, strict=True):
        latest = referral.assessments[-1].outcome if referral.assessments else None
        values.append(
            _referral_values(referral)
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
    children: list[tuple[type[Any], list[dict[str, Any]]]] = [
        (StatusChangeRow, []),
        (AssessmentRow, []),
        (ReviewRequestRow, []),
    ]
    for referral, history, id_ in zip(referrals, histories, ids, strict=True):
        owner = {"referral_id": id_}
        children[0][1].extend(_status_values(change) | owner for change in history)
        children[1][1].extend(_assessment_values(a) | owner for a in referral.assessments)
        children[2][1].extend(_review_values(r) | owner for r in referral.case.earlier_reviews)
    for table, rows in children:
        if rows:
            session.execute(insert(_table(table)), rows)
    if _dialect(session) == "sqlite":
        session.execute(
            text(SEARCH_INDEX_INSERT),
            [
                _search_document(id_, reference, referral.survivor, value)
                for id_, reference, referral, value in zip(
                    ids, references, referrals, values, strict=True
                )
            ],
        )
    audit.record_many(session, [(AuditAction.CREATE, id_, "") for id_ in ids], now, actor)
    return list(ids)


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
    if _dialect(session) == "sqlite":
        first = (session.scalar(select(func.max(model.id))) or 0) + 1
        ids = list(range(first, first + len(rows)))
        numbered = [
            row | {"id": id_, tag.key: final(id_, row)} for id_, row in zip(ids, rows, strict=True)
        ]
        session.execute(insert(_table(model)), numbered)
        return ids
    ids = _insert_returning_ids(session, model, tag, rows)
    session.execute(
        update(model),
        [{"id": id_, tag.key: final(id_, row)} for id_, row in zip(ids, rows, strict=True)],
    )
    return ids


#: Send None as NULL: otherwise the ORM leaves those columns out, and rows with blanks in
#: different places each need a statement of their own instead of sharing one.
_ALL_COLUMNS = {"render_nulls": True}


def _insert_returning_ids(
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


def _changed_sections(before: Referral, after: Referral) -> list[str]:
    """Names of the parts that changed: what the audit log may say without personal data."""
    sections = ["survivor", "case", "answers", "consent", "follow_up", "request_letter"]
    return [name for name in sections if getattr(before, name) != getattr(after, name)]


def _new_status_changes(before: Referral, after: Referral) -> list[StatusChange]:
    """The changes ``after`` adds to the stored history; the stored part may not be rewritten."""
    stored = len(before.status_history)
    if after.status_history[:stored] != before.status_history:
        raise StatusChangeError(before.status, after.status)
    check_history(after.status_history)
    return after.status_history[stored:]


__all__ = [
    "SORT_KEYS",
    "DraftSummary",
    "ReferralSummary",
    "Repository",
    "make_reference",
    "name_key",
    "new_uid",
    "search_conditions",
]
