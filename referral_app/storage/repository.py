"""The only way in and out of the database: domain objects in, domain objects out.

Every change is written together with its audit event in one transaction, so the log can never
say something happened that did not, nor miss something that did.
"""

from __future__ import annotations

import unicodedata
import uuid
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    String,
    TextualSelect,
    UnaryExpression,
    case,
    cast,
    column,
    delete,
    func,
    insert,
    literal,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased, selectinload

from referral_app.domain.audit import AuditAction, AuditEvent, ChainCheck
from referral_app.domain.dates import PartialDate
from referral_app.domain.eligibility import DATE_KEYS
from referral_app.domain.referral import (
    FINISHED,
    Advocate,
    Answer,
    AssessmentRecord,
    Case,
    Consent,
    ConsentMethod,
    ContactPreferences,
    DecisionMaker,
    FollowUp,
    Referral,
    ReviewKind,
    ReviewRequest,
    Status,
    StatusChange,
    StatusChangeError,
    Survivor,
    check_history,
    normalise_crime_reference,
    utc_now,
)
from referral_app.storage import audit
from referral_app.storage.db import (
    SEARCH_INDEX_DELETE,
    SEARCH_INDEX_INSERT,
    SEARCH_MATCHING_IDS,
    SEARCH_MIN_LENGTH,
    Database,
    search_match,
)
from referral_app.storage.errors import RecordNotFoundError
from referral_app.storage.models import (
    AdvocateRow,
    AssessmentRow,
    AuditEventRow,
    DraftRow,
    ReferralRow,
    ReviewRequestRow,
    StatusChangeRow,
    SurvivorRow,
)

_E = TypeVar("_E", bound=StrEnum)
_Query = TypeVar("_Query", bound="Select[*tuple[Any, ...]]")


@dataclass(frozen=True)
class DraftSummary:
    """What the resume prompt may show of a draft: when, never what."""

    id: int
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class ReferralSummary:
    """One line of the caseload list: what it shows, read without loading the whole referral."""

    id: int
    reference: str
    survivor_name: str
    status: Status
    force_or_area: str | None
    decision_date: PartialDate | None
    latest_outcome: str | None
    follow_up_due: date | None
    follow_up_purpose: str


#: The caseload list's sort orders, by the name ``list_summaries`` takes.
SORT_KEYS = ("reference", "name", "status", "force", "decision_date", "outcome", "follow_up")


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
        with self._db.session() as session:
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
            for record in referral.assessments[len(before.assessments) :]:
                row.assessments.append(AssessmentRow(**_assessment_values(record)))
                row.latest_outcome = record.outcome
            row.updated_at = now
            session.flush()
            _reindex_survivor(session, row)
            if changed:
                audit.record(session, AuditAction.UPDATE, row.id, ", ".join(changed), at=now)
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
            return int(session.scalar(select(func.count(ReferralRow.id))) or 0)

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
        """One page of the caseload, searched, filtered and sorted (see :func:`search_conditions`).

        The page's ids are chosen first, from indexes alone where the order allows, and only
        that page's rows are then read: sorting never drags every referral's full row through
        the sort, which on an encrypted file means decrypting the whole table.
        """
        order = _order(sort, descending)
        with self._db.session() as session:
            conditions, needs_survivor = search_conditions(
                query,
                statuses=statuses,
                outcomes=outcomes,
                overdue_on=overdue_on,
                dialect=_dialect(session),
            )
            page = _from_referrals(select(ReferralRow.id), needs_survivor).where(*conditions)
            ids = list(session.scalars(page.order_by(*order).offset(offset).limit(limit)))
            if not ids:
                return []
            rows = session.execute(
                _from_referrals(select(*_SUMMARY_COLUMNS), True).where(ReferralRow.id.in_(ids))
            )
            by_id = {row.id: _summary(row) for row in rows}
            return [by_id[id_] for id_ in ids]

    def count_summaries(
        self,
        query: str = "",
        *,
        statuses: Collection[Status] = (),
        outcomes: Collection[str] = (),
        overdue_on: date | None = None,
    ) -> int:
        """How many referrals :meth:`list_summaries` would list across all its pages."""
        with self._db.session() as session:
            wanted = _clean_query(query)
            searching = len(wanted) >= SEARCH_MIN_LENGTH and _dialect(session) == "sqlite"
            if searching and not (statuses or outcomes or overdue_on):
                # The index has one row per referral, kept in the same transactions: counting
                # its matches saves reading every matching referral's row to count it.
                matches = _matching_ids(wanted).subquery()
                return int(session.scalar(select(func.count()).select_from(matches)) or 0)
            conditions, needs_survivor = search_conditions(
                query,
                statuses=statuses,
                outcomes=outcomes,
                overdue_on=overdue_on,
                dialect=_dialect(session),
                counting=True,
            )
            statement = _from_referrals(select(func.count(ReferralRow.id)), needs_survivor)
            return int(session.scalar(statement.where(*conditions)) or 0)

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
        return session.scalar(select(AdvocateRow.name).order_by(AdvocateRow.id).limit(1)) or ""


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
        reference=_placeholder_reference(), created_at=now, updated_at=now, survivor=survivor_row
    )
    _referral_to_row(referral, row)
    history = _history(referral, now, actor)
    row.status_changes = [StatusChangeRow(**_status_values(change)) for change in history]
    row.status = history[-1].status
    row.assessments = [AssessmentRow(**_assessment_values(a)) for a in referral.assessments]
    row.latest_outcome = referral.assessments[-1].outcome if referral.assessments else None
    return row


def _insert_batch(session: Session, referrals: list[Referral], actor: str) -> list[int]:
    """Insert a batch of new referrals as many-row statements (see ``create_many``)."""
    now = utc_now()
    histories = [_history(referral, now, actor) for referral in referrals]
    survivors = [_survivor_values(referral.survivor) for referral in referrals]
    # The placeholder the ids are matched by sits in the name until the name replaces it.
    survivor_ids = _insert_returning_ids(session, SurvivorRow, SurvivorRow.full_name, survivors)
    session.execute(
        update(SurvivorRow),
        [
            {"id": i, "full_name": v["full_name"]}
            for i, v in zip(survivor_ids, survivors, strict=True)
        ],
    )
    values = []
    for referral, history, survivor_id in zip(referrals, histories, survivor_ids, strict=True):
        latest = referral.assessments[-1].outcome if referral.assessments else None
        values.append(
            _referral_values(referral)
            | {
                "survivor_id": survivor_id,
                "created_at": now,
                "updated_at": now,
                "status": str(history[-1].status),
                "latest_outcome": latest,
            }
        )
    ids = _insert_returning_ids(session, ReferralRow, ReferralRow.reference, values)
    references = [make_reference(id_, now) for id_ in ids]
    session.execute(
        update(ReferralRow),
        [{"id": i, "reference": r} for i, r in zip(ids, references, strict=True)],
    )
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
            session.execute(insert(table), rows, execution_options=_ALL_COLUMNS)
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
    _audit_creations(session, ids, now, actor)
    return list(ids)


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


def _audit_creations(session: Session, ids: Sequence[int], at: datetime, actor: str) -> None:
    """The audit events ``audit.record`` would write one by one, chained the same way but
    inserted in one statement."""
    previous = session.scalar(select(AuditEventRow.hash).order_by(AuditEventRow.id.desc()).limit(1))
    previous_hash = previous or audit.GENESIS_HASH
    events = []
    action = str(AuditAction.CREATE)
    for id_ in ids:
        event_hash = audit.event_hash(previous_hash, at, action, actor, id_, "")
        events.append(
            {
                "occurred_at": at,
                "action": action,
                "actor": actor,
                "referral_id": id_,
                "detail": "",
                "previous_hash": previous_hash,
                "hash": event_hash,
            }
        )
        previous_hash = event_hash
    session.execute(insert(AuditEventRow), events)


def _changed_sections(before: Referral, after: Referral) -> list[str]:
    """Names of the parts that changed: what the audit log may say without personal data."""
    sections = ["survivor", "case", "answers", "consent", "follow_up"]
    return [name for name in sections if getattr(before, name) != getattr(after, name)]


def _new_status_changes(before: Referral, after: Referral) -> list[StatusChange]:
    """The changes ``after`` adds to the stored history; the stored part may not be rewritten."""
    stored = len(before.status_history)
    if after.status_history[:stored] != before.status_history:
        raise StatusChangeError(before.status, after.status)
    check_history(after.status_history)
    return after.status_history[stored:]


# Mapping between rows and domain objects


def _survivor_values(survivor: Survivor) -> dict[str, Any]:
    """The survivor's columns, for an ORM row or a many-row insert alike."""
    return {
        "full_name": survivor.full_name,
        "previous_names": list(survivor.previous_names),
        "date_of_birth": survivor.date_of_birth,
        "pronouns": survivor.pronouns,
        "phone": survivor.phone,
        "email": survivor.email,
        "address": survivor.address,
        "voicemail_ok": survivor.contact.voicemail_ok,
        "letters_ok": survivor.contact.letters_ok,
        "safe_times": survivor.contact.safe_times,
        "via_advocate_only": survivor.contact.via_advocate_only,
        "language": survivor.language,
        "interpreter_needed": survivor.interpreter_needed,
        "access_needs": survivor.access_needs,
    }


def _survivor_to_row(survivor: Survivor, row: SurvivorRow) -> None:
    for key, value in _survivor_values(survivor).items():
        setattr(row, key, value)


def _survivor_from_row(row: SurvivorRow) -> Survivor:
    return Survivor(
        full_name=row.full_name,
        previous_names=list(row.previous_names),
        date_of_birth=row.date_of_birth,
        pronouns=row.pronouns,
        phone=row.phone,
        email=row.email,
        address=row.address,
        contact=ContactPreferences(
            voicemail_ok=row.voicemail_ok,
            letters_ok=row.letters_ok,
            safe_times=row.safe_times,
            via_advocate_only=row.via_advocate_only,
        ),
        language=row.language,
        interpreter_needed=row.interpreter_needed,
        access_needs=row.access_needs,
        id=row.id,
    )


def _referral_values(referral: Referral) -> dict[str, Any]:
    """The referral's own columns (not its id, reference, status or child rows)."""
    case = referral.case
    consent = referral.consent
    if case.decided_by is DecisionMaker.CPS:
        force_or_area = case.cps_area or case.police_force
    else:
        force_or_area = case.police_force or case.cps_area
    return {
        "police_force": case.police_force,
        "crime_references": [
            normalise_crime_reference(ref) for ref in case.crime_references if ref.strip()
        ],
        "decided_by": None if case.decided_by is None else str(case.decided_by),
        "cps_area": case.cps_area,
        "decision_date": case.decision_date,
        "date_reported": case.date_reported,
        "offence_start": case.offence_start,
        "offence_end": case.offence_end,
        "location": case.location,
        "group_based": None if case.group_based is None else str(case.group_based),
        "offender_count": case.offender_count,
        "offender_alive_and_known": (
            None if case.offender_alive_and_known is None else str(case.offender_alive_and_known)
        ),
        "account": case.account,
        "answers": dict(referral.answers),
        "consent_to_referral": consent.to_referral,
        "consent_share_force": consent.share_with_force,
        "consent_share_cps": consent.share_with_cps,
        "consent_share_panel": consent.share_with_panel,
        "consent_given_on": consent.given_on,
        "consent_method": None if consent.method is None else str(consent.method),
        "consent_recorded_by": consent.recorded_by,
        "consent_withdrawn_on": consent.withdrawn_on,
        "follow_up_due": referral.follow_up.due,
        "follow_up_purpose": referral.follow_up.purpose,
        "force_or_area": force_or_area,
        "survivor_name_key": name_key(referral.survivor.full_name),
    }


def _referral_to_row(referral: Referral, row: ReferralRow) -> None:
    for key, value in _referral_values(referral).items():
        setattr(row, key, value)
    row.reviews = [ReviewRequestRow(**_review_values(r)) for r in referral.case.earlier_reviews]


def _review_values(review: ReviewRequest) -> dict[str, Any]:
    return {"kind": str(review.kind), "requested_on": review.requested_on, "result": review.result}


def _status_values(change: StatusChange) -> dict[str, Any]:
    return {
        "status": str(change.status),
        "changed_at": change.changed_at,
        "note": change.note,
        "changed_by": change.changed_by,
    }


def _assessment_values(record: AssessmentRecord) -> dict[str, Any]:
    return {
        "ruleset": record.ruleset,
        "outcome": record.outcome,
        "reasons": list(record.reasons),
        "flags": list(record.flags),
        "answers": dict(record.answers),
        "assessed_at": record.assessed_at,
    }


def _optional(kind: type[_E], value: str | None) -> _E | None:
    return None if value is None else kind(value)


def _from_row(row: ReferralRow) -> Referral:
    case = Case(
        police_force=row.police_force,
        crime_references=list(row.crime_references),
        decided_by=_optional(DecisionMaker, row.decided_by),
        cps_area=row.cps_area,
        decision_date=row.decision_date,
        date_reported=row.date_reported,
        offence_start=row.offence_start,
        offence_end=row.offence_end,
        location=row.location,
        group_based=_optional(Answer, row.group_based),
        offender_count=row.offender_count,
        offender_alive_and_known=_optional(Answer, row.offender_alive_and_known),
        account=row.account,
        earlier_reviews=[
            ReviewRequest(ReviewKind(r.kind), r.requested_on, r.result) for r in row.reviews
        ],
    )
    consent = Consent(
        to_referral=row.consent_to_referral,
        share_with_force=row.consent_share_force,
        share_with_cps=row.consent_share_cps,
        share_with_panel=row.consent_share_panel,
        given_on=row.consent_given_on,
        method=_optional(ConsentMethod, row.consent_method),
        recorded_by=row.consent_recorded_by,
        withdrawn_on=row.consent_withdrawn_on,
    )
    return Referral(
        survivor=_survivor_from_row(row.survivor),
        case=case,
        answers=dict(row.answers),
        assessments=[
            AssessmentRecord(
                a.ruleset, a.outcome, list(a.reasons), list(a.flags), a.assessed_at, dict(a.answers)
            )
            for a in row.assessments
        ],
        consent=consent,
        status_history=[
            StatusChange(Status(c.status), c.changed_at, c.note, c.changed_by)
            for c in row.status_changes
        ],
        follow_up=FollowUp(row.follow_up_due, row.follow_up_purpose),
        id=row.id,
        reference=row.reference,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


# The caseload list and its search


def name_key(name: str) -> str:
    """A name folded for sorting and prefix search: "Siân  O'Neil" is "sian o'neil".

    The same folding the search index applies (case and accents ignored), so what a name
    sorts under and what finds it agree.
    """
    decomposed = unicodedata.normalize("NFKD", name)
    return _tidy("".join(c for c in decomposed if not unicodedata.combining(c)).casefold())


def _tidy(value: str | None) -> str:
    """Runs of spaces, tabs and line breaks as one space, so a search never trips on them."""
    return " ".join((value or "").split())


def _clean_query(query: str) -> str:
    """What the advocate typed, tidied, without control characters (which no field holds)."""
    return _tidy("".join(c for c in query if unicodedata.category(c) != "Cc" or c.isspace()))


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def _search_document(
    referral_id: int, reference: str, survivor: Survivor | SurvivorRow, values: dict[str, Any]
) -> dict[str, object]:
    """A referral's row in the search index (``values`` as :func:`_referral_values` gives).

    Line breaks keep the names apart: a phrase the advocate types (its spaces tidied) can
    then never match across two of them.
    """
    places = (values["police_force"], values["cps_area"])
    return {
        "id": referral_id,
        "survivor_name": _tidy(survivor.full_name),
        "previous_names": "\n".join(_tidy(name) for name in survivor.previous_names),
        "crime_references": "\n".join(values["crime_references"]),
        "force_and_area": "\n".join(_tidy(place) for place in places if place),
        "reference": reference,
    }


def _row_document(row: ReferralRow) -> dict[str, object]:
    values = {
        "police_force": row.police_force,
        "cps_area": row.cps_area,
        "crime_references": row.crime_references,
    }
    return _search_document(row.id, row.reference, row.survivor, values)


def _index(session: Session, rows: Sequence[ReferralRow], replace: bool = False) -> None:
    """Bring the search index in step with ``rows`` inside the caller's transaction, so the
    index can never disagree with what was committed."""
    if _dialect(session) != "sqlite" or not rows:
        return
    if replace:
        session.execute(text(SEARCH_INDEX_DELETE), [{"id": row.id} for row in rows])
    session.execute(text(SEARCH_INDEX_INSERT), [_row_document(row) for row in rows])


def _reindex_survivor(session: Session, row: ReferralRow) -> None:
    """Re-index ``row`` and any other referral of the same survivor, whose name it shares."""
    referrals = session.scalars(
        select(ReferralRow)
        .options(selectinload(ReferralRow.survivor))
        .where(ReferralRow.survivor_id == row.survivor_id)
    ).all()
    for referral in referrals:
        referral.survivor_name_key = row.survivor_name_key
    session.flush()
    _index(session, referrals, replace=True)


def search_conditions(
    query: str,
    *,
    statuses: Collection[Status] = (),
    outcomes: Collection[str] = (),
    overdue_on: date | None = None,
    dialect: str = "sqlite",
    counting: bool = False,
) -> tuple[list[ColumnElement[bool]], bool]:
    """The WHERE conditions of the caseload list, and whether they need the survivor table.

    Three or more characters are looked up in the trigram index (on SQLite): anywhere in the
    name, previous names, force, CPS Area or reference, and, normalised as crime references
    are stored, anywhere in the crime references. One or two characters are too short for
    trigrams; they match the start of any word of the survivor's name ("sm" finds Smith, "jo"
    Jo, John and Jones), case and accents ignored, which is what typing a name's first letters
    means. That LIKE reads only the index on the folded name, never the table.
    Other databases search the same fields with LIKE.
    """
    conditions: list[ColumnElement[bool]] = []
    if statuses:
        conditions.append(ReferralRow.status.in_([str(status) for status in statuses]))
    if outcomes:
        conditions.append(ReferralRow.latest_outcome.in_(list(outcomes)))
    if overdue_on is not None:
        conditions.append(ReferralRow.follow_up_due < overdue_on)
        conditions.append(ReferralRow.status.not_in([status.value for status in FINISHED]))
    wanted = _clean_query(query)
    if not wanted:
        return conditions, False
    if len(wanted) < SEARCH_MIN_LENGTH:
        # Either way the LIKE reads the name's index, never the table: a count can test it
        # there directly, but a page in id order would walk the table, so it takes the ids.
        named = ReferralRow if counting else aliased(ReferralRow)
        words = literal(" ") + named.survivor_name_key
        starts = words.contains(" " + name_key(wanted), autoescape=True)
        conditions.append(
            starts if counting else ReferralRow.id.in_(select(named.id).where(starts))
        )
        return conditions, False
    if dialect == "sqlite":
        conditions.append(ReferralRow.id.in_(_matching_ids(wanted)))
        return conditions, False
    crime_reference = normalise_crime_reference(wanted)
    conditions.append(
        or_(
            ReferralRow.survivor_name_key.contains(name_key(wanted), autoescape=True),
            cast(SurvivorRow.previous_names, String).icontains(wanted, autoescape=True),
            cast(ReferralRow.crime_references, String).contains(crime_reference, autoescape=True),
            ReferralRow.police_force.icontains(wanted, autoescape=True),
            ReferralRow.cps_area.icontains(wanted, autoescape=True),
            ReferralRow.reference.icontains(wanted, autoescape=True),
        )
    )
    return conditions, True


def _matching_ids(wanted: str) -> TextualSelect:
    """The ids of the referrals the search index matches for a tidied query."""
    match = search_match(wanted, normalise_crime_reference(wanted))
    return text(SEARCH_MATCHING_IDS).bindparams(match=match).columns(column("rowid", Integer))


def _order(sort: str, descending: bool) -> list[UnaryExpression[Any]]:
    """ORDER BY for a sort key. Blanks come last either way round, and the id breaks ties so
    that pages never overlap or skip. Every key is in the indexes the filters use."""

    def direction(key: ColumnElement[Any] | InstrumentedAttribute[Any]) -> UnaryExpression[Any]:
        return key.desc() if descending else key.asc()

    last = direction(ReferralRow.id)
    if sort == "reference":
        # A reference is the year and the id, so the id orders references as they were made,
        # from the primary key alone (and right past 99,999, where the text would not be).
        return [last]
    if sort == "name":
        return [direction(ReferralRow.survivor_name_key), last]
    if sort == "status":  # the order referrals go through, not the alphabet
        rank = case(_STATUS_RANK, value=ReferralRow.status, else_=len(_STATUS_RANK))
        return [direction(rank), last]
    if sort in _NULLABLE_SORTS:
        return [direction(_NULLABLE_SORTS[sort]).nulls_last(), last]
    raise ValueError(f"cannot sort by {sort!r}; use one of {', '.join(SORT_KEYS)}")


_STATUS_RANK = {str(status): rank for rank, status in enumerate(Status)}
# Partial dates are stored as ISO text (2009, 2009-03, 2009-03-14), which sorts by first day.
_NULLABLE_SORTS: dict[str, InstrumentedAttribute[Any]] = {
    "force": ReferralRow.force_or_area,
    "decision_date": ReferralRow.decision_date,
    "outcome": ReferralRow.latest_outcome,
    "follow_up": ReferralRow.follow_up_due,
}


def _from_referrals(statement: _Query, with_survivor: bool) -> _Query:
    statement = statement.select_from(ReferralRow)
    if with_survivor:
        statement = statement.join(SurvivorRow, SurvivorRow.id == ReferralRow.survivor_id)
    return statement


_SUMMARY_COLUMNS = (
    ReferralRow.id,
    ReferralRow.reference,
    SurvivorRow.full_name,
    ReferralRow.status,
    ReferralRow.force_or_area,
    ReferralRow.decision_date,
    ReferralRow.latest_outcome,
    ReferralRow.follow_up_due,
    ReferralRow.follow_up_purpose,
)


def _summary(row: Any) -> ReferralSummary:
    return ReferralSummary(
        id=row.id,
        reference=row.reference,
        survivor_name=row.full_name,
        status=Status(row.status),
        force_or_area=row.force_or_area,
        decision_date=row.decision_date,
        latest_outcome=row.latest_outcome,
        follow_up_due=row.follow_up_due,
        follow_up_purpose=row.follow_up_purpose,
    )
