"""Rows to domain objects and back: the one place that knows how a referral is laid out in
tables. Used by the repository; nothing outside storage sees a row."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, TypeVar

from referral_app.domain.redaction import Mark, RedactionChoices
from referral_app.domain.referral import (
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
    Survivor,
    normalise_crime_reference,
)
from referral_app.storage.models import (
    ReferralRow,
    ReviewRequestRow,
    SurvivorRow,
)
from referral_app.storage.search import name_key

_E = TypeVar("_E", bound=StrEnum)


def choices_to_json(choices: RedactionChoices) -> dict[str, Any]:
    """The redacted copy's confirmed choices as stored. They are written only by
    ``Repository.save_redaction``, never with the rest of the referral, so that saving a form
    opened earlier cannot put back older choices."""
    return {
        "keep_crime_references": choices.keep_crime_references,
        "keep_force": choices.keep_force,
        "confirmed_at": None if choices.confirmed_at is None else choices.confirmed_at.isoformat(),
        "marks": [[m.field, m.start, m.end, m.text, m.hidden, m.chosen] for m in choices.marks],
    }


def choices_from_json(data: dict[str, Any] | None) -> RedactionChoices | None:
    if not data:
        return None
    confirmed = data.get("confirmed_at")
    return RedactionChoices(
        marks=[
            Mark(str(f), int(s), int(e), str(t), bool(h), bool(c))
            for f, s, e, t, h, c in data.get("marks", [])
        ],
        keep_crime_references=bool(data.get("keep_crime_references", True)),
        keep_force=bool(data.get("keep_force", True)),
        confirmed_at=datetime.fromisoformat(confirmed) if confirmed else None,
    )


def survivor_values(survivor: Survivor) -> dict[str, Any]:
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


def survivor_to_row(survivor: Survivor, row: SurvivorRow) -> None:
    for key, value in survivor_values(survivor).items():
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


def referral_values(referral: Referral) -> dict[str, Any]:
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
        "consent_authority_received_on": consent.authority_received_on,
        "follow_up_due": referral.follow_up.due,
        "follow_up_purpose": referral.follow_up.purpose,
        "request_letter": referral.request_letter,
        "others_to_keep_out": [name for name in referral.others_to_keep_out if name.strip()],
        "force_or_area": force_or_area,
        "survivor_name_key": name_key(referral.survivor.full_name),
    }


def referral_to_row(referral: Referral, row: ReferralRow) -> None:
    for key, value in referral_values(referral).items():
        setattr(row, key, value)
    row.reviews = [ReviewRequestRow(**review_values(r)) for r in referral.case.earlier_reviews]


def review_values(review: ReviewRequest) -> dict[str, Any]:
    return {"kind": str(review.kind), "requested_on": review.requested_on, "result": review.result}


def status_values(change: StatusChange) -> dict[str, Any]:
    return {
        "status": str(change.status),
        "changed_at": change.changed_at,
        "note": change.note,
        "changed_by": change.changed_by,
    }


def assessment_values(record: AssessmentRecord) -> dict[str, Any]:
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


def from_row(row: ReferralRow) -> Referral:
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
        authority_received_on=row.consent_authority_received_on,
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
        request_letter=row.request_letter,
        others_to_keep_out=list(row.others_to_keep_out or []),
        redaction=choices_from_json(row.redaction_choices),
        id=row.id,
        reference=row.reference,
        uid=row.uid,
        created_at=row.created_at,
        updated_at=row.updated_at,
        version=row.version,
    )
