"""Read-only figures for the "at a glance" page: counts, follow-ups, closing VRR windows.

Each function reads only the columns it shows, in a fixed number of queries however many
referrals there are, because the page is refreshed every time it is opened. Nothing here
writes, so nothing here is audited; opening a record from the page is (by the repository).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select

from referral_app.domain.dates import PartialDate
from referral_app.domain.eligibility import Flag, InvalidAnswers, assess, vrr_window_start
from referral_app.domain.referral import FINISHED, Status
from referral_app.storage.db import Database
from referral_app.storage.models import AssessmentRow, ReferralRow, SurvivorRow


@dataclass(frozen=True)
class FollowUpItem:
    referral_id: int
    reference: str
    survivor_name: str
    due: date
    purpose: str
    overdue: bool


@dataclass(frozen=True)
class VrrItem:
    """A referral where the Victims' Right to Review may still be the quicker route."""

    referral_id: int
    reference: str
    survivor_name: str
    decision_date: PartialDate
    #: The last day of the three-month window (the engine's ``vrr_deadline``).
    closes: date


_STATUS_VALUES = frozenset(status.value for status in Status)


def status_counts(db: Database) -> dict[Status, int]:
    """How many referrals are at each status, every status listed (zeros included)."""
    counts = dict.fromkeys(Status, 0)
    with db.session() as session:
        rows = session.execute(
            select(ReferralRow.status, func.count(ReferralRow.id)).group_by(ReferralRow.status)
        )
        for status, count in rows:
            if status in _STATUS_VALUES:
                counts[Status(status)] = int(count)
    return counts


#: A closed or withdrawn referral needs no follow-up and no review request.
_FINISHED = tuple(status.value for status in FINISHED)


def follow_ups(db: Database, today: date, within_days: int = 7) -> list[FollowUpItem]:
    """Follow-ups overdue or due by ``today + within_days``, the earliest first."""
    last_day = today + timedelta(days=within_days)
    query = (
        select(
            ReferralRow.id,
            ReferralRow.reference,
            SurvivorRow.full_name,
            ReferralRow.follow_up_due,
            ReferralRow.follow_up_purpose,
        )
        .join(SurvivorRow, ReferralRow.survivor_id == SurvivorRow.id)
        .where(
            ReferralRow.follow_up_due.is_not(None),
            ReferralRow.follow_up_due <= last_day,
            ReferralRow.status.not_in(_FINISHED),
        )
        .order_by(ReferralRow.follow_up_due, ReferralRow.id)
    )
    with db.session() as session:
        rows = session.execute(query).all()
    items: list[FollowUpItem] = []
    for row in rows:
        due: date | None = row.follow_up_due
        if due is not None:  # always, by the query; this tells the type checker
            items.append(
                FollowUpItem(
                    row.id, row.reference, row.full_name, due, row.follow_up_purpose, due < today
                )
            )
    return items


def vrr_windows_closing(db: Database, today: date, within_days: int = 14) -> list[VrrItem]:
    """Referrals whose latest assessment said VRR may apply and whose window is still open
    but closes by ``today + within_days``, the soonest first.

    The window is worked out again by the eligibility engine from the referral's current
    decision and decision date as of ``today``, so a window that has closed since the
    assessment drops off and a corrected date counts.
    """
    last_day = today + timedelta(days=within_days)
    latest = (
        select(
            AssessmentRow.referral_id.label("referral_id"),
            func.max(AssessmentRow.id).label("assessment_id"),
        )
        .group_by(AssessmentRow.referral_id)
        .subquery()
    )
    # Only decisions from the year before the window starts can still be open: compared as
    # text, "2025" sorts before every date in 2025 and after every date in earlier years.
    earliest = PartialDate(vrr_window_start(today).year - 1)
    query = (
        select(
            ReferralRow.id,
            ReferralRow.reference,
            SurvivorRow.full_name,
            ReferralRow.decision_date,
            ReferralRow.answers,
            AssessmentRow.flags,
            AssessmentRow.answers.label("assessed_answers"),
        )
        .join(SurvivorRow, ReferralRow.survivor_id == SurvivorRow.id)
        .join(latest, latest.c.referral_id == ReferralRow.id)
        .join(AssessmentRow, AssessmentRow.id == latest.c.assessment_id)
        .where(
            ReferralRow.decision_date.is_not(None),
            ReferralRow.decision_date >= earliest,
            ReferralRow.status.not_in(_FINISHED),
        )
        .order_by(ReferralRow.id)
    )
    with db.session() as session:
        rows = session.execute(query).all()
    items: list[VrrItem] = []
    for row in rows:
        if Flag.VRR_MAY_APPLY not in (row.flags or []):
            continue
        decision = (row.answers or {}).get("decision") or (row.assessed_answers or {}).get(
            "decision"
        )
        decided: PartialDate = row.decision_date
        answers = {"decision": decision, "decision_date": decided.isoformat()}
        # The police scheme needs a suspect interviewed under caution (rules v2).
        suspect = (row.answers or {}).get("suspect_interviewed")
        if suspect is not None:
            answers["suspect_interviewed"] = suspect
        try:
            result = assess(answers, today=today)
        except InvalidAnswers:
            continue  # the re-screening page reports answers that no longer fit
        closes = result.vrr_deadline
        if closes is None or not today <= closes <= last_day:
            continue
        items.append(VrrItem(row.id, row.reference, row.full_name, decided, closes))
    items.sort(key=lambda item: (item.closes, item.referral_id))
    return items
