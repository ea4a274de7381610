"""The only way in and out of the database: domain objects in, domain objects out.

Every change is written together with its audit event in one transaction, so the log can never
say something happened that did not, nor miss something that did.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import (
    delete,
    func,
    select,
    text,
)
from sqlalchemy.orm import Session, joinedload, selectinload

from referral_app.domain.audit import AuditAction, AuditEvent, ChainCheck
from referral_app.domain.eligibility import DATE_KEYS
from referral_app.domain.redaction import RedactionChoices
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
    SORT_KEYS,
    ReferralSummary,
    Wanted,
    count_matching,
    first_page,
    sort_order,
    summaries_page,
)
from referral_app.storage.db import (
    SEARCH_INDEX_DELETE,
    Database,
    bulk_write_cache,
    flush_log,
)
from referral_app.storage.errors import ConflictError, RecordNotFoundError
from referral_app.storage.mapping import (
    assessment_values,
    choices_to_json,
    from_row,
    referral_to_row,
    status_values,
    survivor_to_row,
)
from referral_app.storage.models import (
    AdvocateRow,
    AssessmentRow,
    DraftRow,
    ReferralRow,
    StatusChangeRow,
    SurvivorRow,
)
from referral_app.storage.new_rows import insert_batch, make_reference, new_row, new_uid
from referral_app.storage.search import (
    dialect_of,
    index_referrals,
    name_key,
    reindex_survivor,
    search_conditions,
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
            row = new_row(referral, now, self._actor(session))
            session.add(row)
            session.flush()
            row.reference = make_reference(row.id, now)
            index_referrals(session, [row])
            audit.record(session, AuditAction.CREATE, row.id, at=now)
            session.flush()
            return from_row(row)

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
                    ids += insert_batch(session, batch, actor)
                    batch = []
            if batch:
                ids += insert_batch(session, batch, actor)
        return ids

    def _update(self, referral: Referral) -> Referral:
        if referral.id is None:
            raise ValueError("only a saved referral can be updated")
        now = utc_now()
        with self._db.session() as session:
            row = self._load(session, referral.id, for_update=True)
            before = from_row(row)
            if referral.version != row.version:
                raise ConflictError(referral, before)
            changed = _changed_sections(before, referral)
            new_changes = _new_status_changes(before, referral)
            survivor_to_row(referral.survivor, row.survivor)
            referral_to_row(referral, row)
            added = referral.assessments[len(before.assessments) :]
            for record in added:
                row.assessments.append(AssessmentRow(**assessment_values(record)))
                row.latest_outcome = record.outcome
            row.updated_at = now
            row.version += 1
            session.flush()
            reindex_survivor(session, row)
            if changed:
                audit.record(session, AuditAction.UPDATE, row.id, ", ".join(changed), at=now)
            for record in added:
                audit.record(
                    session, AuditAction.ASSESS, row.id, f"{record.ruleset}: {record.outcome}"
                )
            previous = before.status
            for change in new_changes:
                row.status_changes.append(StatusChangeRow(**status_values(change)))
                row.status = change.status
                session.flush()
                audit.record(
                    session, AuditAction.STATUS_CHANGE, row.id, f"{previous} -> {change.status}"
                )
                previous = change.status
            return from_row(row)

    def save_redaction(self, referral_id: int, choices: RedactionChoices, detail: str) -> None:
        """Keep the redacted copy's confirmed choices with the referral, audited by ``detail``
        (counts, never the text)."""
        with self._db.session() as session:
            row = self._load(session, referral_id, for_update=True)
            # No new version: a save never writes these choices, so a form opened before
            # the review can still be saved without overwriting them.
            row.redaction_choices = choices_to_json(choices)
            session.flush()
            audit.record(session, AuditAction.REDACTION_REVIEW, row.id, detail)

    def get(self, referral_id: int) -> Referral:
        with self._db.session() as session:
            return from_row(self._load(session, referral_id))

    def open_record(self, referral_id: int) -> Referral:
        """Read a referral for the advocate to look at; opening is an audited event."""
        with self._db.session() as session:
            referral = from_row(self._load(session, referral_id))
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
                select(ReferralRow).options(*WHOLE_REFERRAL).order_by(ReferralRow.id)
            )
            return [from_row(row) for row in rows]

    def change_status(
        self, referral_id: int, wanted: Status, note: str = "", at: datetime | None = None
    ) -> Referral:
        """Move a referral on; the domain's rules decide which changes are allowed."""
        with self._db.session() as session:
            row = self._load(session, referral_id, for_update=True)
            referral = from_row(row)
            previous = referral.status
            change = referral.change_status(wanted, by=self._actor(session), note=note, at=at)
            row.status_changes.append(StatusChangeRow(**status_values(change)))
            row.status = change.status
            row.updated_at = utc_now()
            row.version += 1
            session.flush()
            audit.record(
                session, AuditAction.STATUS_CHANGE, referral_id, f"{previous} -> {change.status}"
            )
            return from_row(row)

    def add_assessment(self, referral_id: int, record: AssessmentRecord) -> Referral:
        """Keep a new eligibility assessment in the referral's history."""
        with self._db.session() as session:
            row = self._load(session, referral_id, for_update=True)
            row.assessments.append(AssessmentRow(**assessment_values(record)))
            row.latest_outcome = record.outcome
            if record.answers:
                # The referral keeps its non-date answers; dates live in their own fields.
                row.answers = {k: v for k, v in record.answers.items() if k not in DATE_KEYS}
            row.updated_at = utc_now()
            row.version += 1
            session.flush()
            audit.record(
                session, AuditAction.ASSESS, referral_id, f"{record.ruleset}: {record.outcome}"
            )
            return from_row(row)

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
            if dialect_of(session) == "sqlite":
                session.execute(text(SEARCH_INDEX_DELETE), {"id": referral_id})
            audit.record(session, AuditAction.DELETE, referral_id)
        if self._db.engine.dialect.name == "sqlite":
            # The overwritten pages wait in the write-ahead log, and the old versions there
            # still hold the referral: fold the log into the file and empty it now.
            flush_log(self._db.engine)

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
        owner: str | None = None,
        shared_with: str | None = None,
    ) -> list[ReferralSummary]:
        """One page of the caseload, searched, filtered and sorted (see ``search_conditions``).

        On a team's server ``owner`` keeps the referrals that role owns ("Mine", "By
        advocate") and ``shared_with`` those shared with that role ("Shared with me").
        """
        wanted = Wanted(query, tuple(statuses), tuple(outcomes), overdue_on, owner, shared_with)
        with self._db.session() as session:
            return summaries_page(session, wanted, sort_order(sort, descending), offset, limit)

    def count_summaries(
        self,
        query: str = "",
        *,
        statuses: Collection[Status] = (),
        outcomes: Collection[str] = (),
        overdue_on: date | None = None,
        owner: str | None = None,
        shared_with: str | None = None,
    ) -> int:
        """How many referrals :meth:`list_summaries` would list across all its pages."""
        wanted = Wanted(query, tuple(statuses), tuple(outcomes), overdue_on, owner, shared_with)
        with self._db.session() as session:
            return count_matching(session, wanted)

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
        owner: str | None = None,
        shared_with: str | None = None,
    ) -> tuple[int, list[ReferralSummary]]:
        """How many referrals match, and the first page of them: what the list asks after
        each pause in typing, in one transaction, so that the two always agree."""
        wanted = Wanted(query, tuple(statuses), tuple(outcomes), overdue_on, owner, shared_with)
        with self._db.session() as session:
            return first_page(session, wanted, sort_order(sort, descending), limit)

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

    def find_drafts(self, **fields: str | int) -> list[tuple[int, dict[str, Any]]]:
        """The drafts whose documents hold each of ``fields`` at their top level, the most
        recently touched first, with their documents. The text fields narrow the query, so
        other drafts are not read (opening a record asks this each time); every field is then
        compared as Python compares it, the same on every database."""
        query = select(DraftRow.id, DraftRow.document).order_by(
            DraftRow.updated_at.desc(), DraftRow.id.desc()
        )
        for key, value in fields.items():
            if isinstance(value, str):
                query = query.where(DraftRow.document[key].as_string() == value)
        with self._db.session() as session:
            rows = session.execute(query)
            return [
                (row.id, dict(row.document))
                for row in rows
                if all(row.document.get(key) == value for key, value in fields.items())
            ]

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
    def _load(session: Session, referral_id: int, *, for_update: bool = False) -> ReferralRow:
        """The referral's rows; ``for_update`` holds the row (on a server) until the commit,
        so that two saves of one referral take turns and the second sees the first's version.
        """
        statement = (
            select(ReferralRow).options(*WHOLE_REFERRAL).where(ReferralRow.id == referral_id)
        )
        row = session.scalar(statement.with_for_update() if for_update else statement)
        if row is None:
            raise RecordNotFoundError(referral_id)
        return row

    @staticmethod
    def _actor(session: Session) -> str:
        return audit.actor_name(session)


#: Load a referral with everything it owns in a fixed number of queries, however many rows
#: (the survivor in the same query: each referral has exactly one).
WHOLE_REFERRAL = (
    joinedload(ReferralRow.survivor, innerjoin=True),
    selectinload(ReferralRow.status_changes),
    selectinload(ReferralRow.assessments),
    selectinload(ReferralRow.reviews),
)


def _changed_sections(before: Referral, after: Referral) -> list[str]:
    """Names of the parts that changed: what the audit log may say without personal data."""
    sections = [
        "survivor",
        "case",
        "answers",
        "consent",
        "follow_up",
        "request_letter",
        "others_to_keep_out",
    ]
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
