"""The only way in and out of the database: domain objects in, domain objects out.

Every change is written together with its audit event in one transaction, so the log can never
say something happened that did not, nor miss something that did.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, selectinload

from referral_app.domain.audit import AuditAction, AuditEvent, ChainCheck
from referral_app.domain.referral import (
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
from referral_app.storage.db import Database
from referral_app.storage.errors import RecordNotFoundError
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
            survivor_row = SurvivorRow()
            _survivor_to_row(referral.survivor, survivor_row)
            row = ReferralRow(
                reference=f"pending-{now.timestamp()}",
                created_at=now,
                updated_at=now,
                survivor=survivor_row,
            )
            _referral_to_row(referral, row)
            history = referral.status_history or [
                StatusChange(Status.DRAFT, now, "Referral started", self._actor(session))
            ]
            check_history(history)
            row.status_changes = [_status_to_row(change) for change in history]
            row.status = history[-1].status
            row.assessments = [_assessment_to_row(a) for a in referral.assessments]
            session.add(row)
            session.flush()
            row.reference = make_reference(row.id, now)
            audit.record(session, AuditAction.CREATE, row.id, at=now)
            session.flush()
            return _from_row(row)

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
                row.assessments.append(_assessment_to_row(record))
            row.updated_at = now
            session.flush()
            if changed:
                audit.record(session, AuditAction.UPDATE, row.id, ", ".join(changed), at=now)
            previous = before.status
            for change in new_changes:
                row.status_changes.append(_status_to_row(change))
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
            row.status_changes.append(_status_to_row(change))
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
            row.assessments.append(_assessment_to_row(record))
            row.answers = dict(record.answers)
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
            audit.record(session, AuditAction.DELETE, referral_id)

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


def _survivor_to_row(survivor: Survivor, row: SurvivorRow) -> None:
    row.full_name = survivor.full_name
    row.previous_names = list(survivor.previous_names)
    row.date_of_birth = survivor.date_of_birth
    row.pronouns = survivor.pronouns
    row.phone = survivor.phone
    row.email = survivor.email
    row.address = survivor.address
    row.voicemail_ok = survivor.contact.voicemail_ok
    row.letters_ok = survivor.contact.letters_ok
    row.safe_times = survivor.contact.safe_times
    row.via_advocate_only = survivor.contact.via_advocate_only
    row.language = survivor.language
    row.interpreter_needed = survivor.interpreter_needed
    row.access_needs = survivor.access_needs


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


def _referral_to_row(referral: Referral, row: ReferralRow) -> None:
    case = referral.case
    row.police_force = case.police_force
    row.crime_references = [
        normalise_crime_reference(ref) for ref in case.crime_references if ref.strip()
    ]
    row.decided_by = None if case.decided_by is None else str(case.decided_by)
    row.cps_area = case.cps_area
    row.decision_date = case.decision_date
    row.date_reported = case.date_reported
    row.offence_start = case.offence_start
    row.offence_end = case.offence_end
    row.location = case.location
    row.group_based = None if case.group_based is None else str(case.group_based)
    row.offender_count = case.offender_count
    row.offender_alive_and_known = (
        None if case.offender_alive_and_known is None else str(case.offender_alive_and_known)
    )
    row.account = case.account
    row.reviews = [
        ReviewRequestRow(kind=str(r.kind), requested_on=r.requested_on, result=r.result)
        for r in case.earlier_reviews
    ]
    row.answers = dict(referral.answers)
    consent = referral.consent
    row.consent_to_referral = consent.to_referral
    row.consent_share_force = consent.share_with_force
    row.consent_share_cps = consent.share_with_cps
    row.consent_share_panel = consent.share_with_panel
    row.consent_given_on = consent.given_on
    row.consent_method = None if consent.method is None else str(consent.method)
    row.consent_recorded_by = consent.recorded_by
    row.consent_withdrawn_on = consent.withdrawn_on
    row.follow_up_due = referral.follow_up.due
    row.follow_up_purpose = referral.follow_up.purpose


def _status_to_row(change: StatusChange) -> StatusChangeRow:
    return StatusChangeRow(
        status=str(change.status),
        changed_at=change.changed_at,
        note=change.note,
        changed_by=change.changed_by,
    )


def _assessment_to_row(record: AssessmentRecord) -> AssessmentRow:
    return AssessmentRow(
        ruleset=record.ruleset,
        outcome=record.outcome,
        reasons=list(record.reasons),
        flags=list(record.flags),
        answers=dict(record.answers),
        assessed_at=record.assessed_at,
    )


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
