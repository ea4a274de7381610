"""How long closed and withdrawn referrals are kept, and deleting them for good after that.

A referral finishes when it is closed or withdrawn; the retention period (the organisation's
policy, six years by default) runs from the day of that status change. Past it, the referral
should go: the advocate chooses which, and :func:`delete_for_good` removes them through
:meth:`Repository.delete` (which audits each one and overwrites what it frees), then rebuilds
the database file so that not even a free page still holds a survivor's details.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select

from referral_app.domain.dates import add_years
from referral_app.domain.referral import FINISHED, Status
from referral_app.storage.db import Database, compact
from referral_app.storage.errors import RecordNotFoundError
from referral_app.storage.models import ReferralRow, StatusChangeRow
from referral_app.storage.repository import Repository

DEFAULT_YEARS = 6
MIN_YEARS = 1
MAX_YEARS = 20


@dataclass(frozen=True)
class RetentionItem:
    """A finished referral past the retention period: what the list shows, no personal data."""

    referral_id: int
    reference: str
    status: Status
    #: The day (here) it was closed or withdrawn.
    closed_on: date
    #: The day the retention period ended: it may be deleted from then on.
    due_on: date


def _database(source: Database | Repository) -> Database:
    return source.database if isinstance(source, Repository) else source


def check_years(years: int) -> int:
    if not MIN_YEARS <= years <= MAX_YEARS:
        raise ValueError(f"the retention period must be {MIN_YEARS} to {MAX_YEARS} years")
    return years


def past_retention(source: Database | Repository, years: int, today: date) -> list[RetentionItem]:
    """Closed and withdrawn referrals whose last closure is ``years`` or more before ``today``.

    The closure is the latest change into the status the referral has now, so a withdrawn
    referral taken up again and withdrawn later counts from the later withdrawal, and one
    taken up again and still open is never listed. Oldest closure first.
    """
    check_years(years)
    # A day's slack either side of the time zone; the exact local day is checked below.
    latest = datetime.combine(add_years(today, -years) + timedelta(days=2), time(), tzinfo=UTC)
    closed_at = func.max(StatusChangeRow.changed_at)
    statement = (
        select(ReferralRow.id, ReferralRow.reference, ReferralRow.status, closed_at)
        .join(StatusChangeRow, StatusChangeRow.referral_id == ReferralRow.id)
        .where(
            ReferralRow.status.in_([str(status) for status in FINISHED]),
            StatusChangeRow.status == ReferralRow.status,
        )
        .group_by(ReferralRow.id, ReferralRow.reference, ReferralRow.status)
        .having(closed_at < latest)
    )
    items = []
    with _database(source).session() as session:
        for referral_id, reference, status, closed in session.execute(statement):
            closed_on = closed.astimezone().date()
            due_on = add_years(closed_on, years)
            if due_on <= today:
                items.append(
                    RetentionItem(referral_id, reference, Status(status), closed_on, due_on)
                )
    return sorted(items, key=lambda item: (item.closed_on, item.reference))


def delete_for_good(source: Database | Repository, referral_ids: Iterable[int]) -> int:
    """Delete the referrals, then rebuild the file; returns how many were deleted.

    Each deletion is its own audited transaction, so a failure part-way keeps those done.
    One already gone (deleted elsewhere meanwhile) is skipped. Raises
    :class:`~referral_app.storage.db.CompactError` if the rebuild fails: the referrals are
    deleted by then, and their freed space already overwritten by ``secure_delete``.
    """
    repository = source if isinstance(source, Repository) else Repository(source)
    deleted = 0
    for referral_id in dict.fromkeys(referral_ids):
        try:
            repository.delete(referral_id)
        except RecordNotFoundError:
            continue
        deleted += 1
    engine = repository.database.engine
    if deleted and engine.dialect.name == "sqlite":
        compact(engine)
    return deleted
