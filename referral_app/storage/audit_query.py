"""The audit trail as people read it: filtered, a page at a time, newest first, and as CSV.

A trail grows by several events a referral (created, opened, changed, printed), so a busy
caseload has tens of thousands of them. The filters run in the database and the pages are
read by id (keyset, not OFFSET), so showing the newest page costs the same however long the
trail is. The trail holds ids and actions, never personal data; the references shown for
its records are looked up here, and a record deleted since has none left to show.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import ColumnElement, func, select

from referral_app.domain.audit import AuditAction, AuditEvent
from referral_app.storage.db import Database
from referral_app.storage.files import private_atomic_text
from referral_app.storage.models import AuditEventRow, ReferralRow

#: The columns of the CSV export, in order. ``occurred_at``, ``action``, ``actor``,
#: ``referral_id``, ``detail`` and ``previous_hash`` are what each ``hash`` covers, written as
#: stored, so anyone can check the chain from the file alone.
CSV_COLUMNS = (
    "id",
    "occurred_at",
    "action",
    "actor",
    "referral_id",
    "referral_reference",
    "detail",
    "hash",
    "previous_hash",
)
_PAGE = 1000
#: Spreadsheets run a cell that starts with one of these as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_REFERENCE = re.compile(r"#?\s*([0-9]{1,9})|CSARP-[0-9]{4}-([0-9]{1,9})", re.IGNORECASE)


@dataclass(frozen=True)
class AuditFilter:
    """Which events to show. Times are aware; ``since`` is inclusive, ``before`` exclusive."""

    since: datetime | None = None
    before: datetime | None = None
    action: str | None = None
    referral_id: int | None = None

    def conditions(self) -> list[ColumnElement[bool]]:
        row = AuditEventRow
        conditions = []
        if self.since is not None:
            conditions.append(row.occurred_at >= self.since)
        if self.before is not None:
            conditions.append(row.occurred_at < self.before)
        if self.action is not None:
            conditions.append(row.action == self.action)
        if self.referral_id is not None:
            conditions.append(row.referral_id == self.referral_id)
        return conditions


def _event(row: AuditEventRow) -> AuditEvent:
    return AuditEvent(
        row.id,
        row.occurred_at,
        row.action,
        row.actor,
        row.referral_id,
        row.detail,
        row.previous_hash,
        row.hash,
    )


def count_events(database: Database, wanted: AuditFilter) -> int:
    with database.session() as session:
        statement = select(func.count(AuditEventRow.id)).where(*wanted.conditions())
        return int(session.scalar(statement) or 0)


def events_page(
    database: Database, wanted: AuditFilter, before_id: int | None = None, limit: int = 500
) -> list[AuditEvent]:
    """Up to ``limit`` matching events older than event ``before_id``, newest first.

    Newest means last written: the chain's own order. (Failed unlocks are written at the
    next unlock with the times they happened, which fall between the two sessions anyway.)
    """
    conditions = wanted.conditions()
    if before_id is not None:
        conditions.append(AuditEventRow.id < before_id)
    statement = (
        select(AuditEventRow).where(*conditions).order_by(AuditEventRow.id.desc()).limit(limit)
    )
    with database.session() as session:
        return [_event(row) for row in session.scalars(statement)]


def references(database: Database, referral_ids: Collection[int]) -> dict[int, str]:
    """The app's reference of each referral still in the database; deleted ones are absent."""
    wanted = sorted(set(referral_ids))
    found: dict[int, str] = {}
    with database.session() as session:
        for start in range(0, len(wanted), 500):  # SQLite allows so many bound values
            chunk = wanted[start : start + 500]
            rows = session.execute(
                select(ReferralRow.id, ReferralRow.reference).where(ReferralRow.id.in_(chunk))
            )
            found.update({row.id: row.reference for row in rows})
    return found


def find_record(database: Database, typed: str) -> int | None:
    """The referral id meant by a reference ("CSARP-2026-00001") or a number ("17", "#17").

    A reference still in the database is looked up, so one brought in from elsewhere is found
    too; a deleted record's number is read from its reference (the number is its id).
    """
    text = "".join(typed.split()).upper()
    if not text:
        return None
    with database.session() as session:
        found = session.scalar(select(ReferralRow.id).where(ReferralRow.reference == text))
    if found is not None:
        return found
    match = _REFERENCE.fullmatch(text)
    if match is None:
        return None
    return int(match.group(1) or match.group(2))


def occurred_at(database: Database, event_id: int) -> datetime | None:
    with database.session() as session:
        statement = select(AuditEventRow.occurred_at).where(AuditEventRow.id == event_id)
        return session.scalar(statement)


def deleted_name(referral_id: int) -> str:
    """How a record that is no longer in the database is referred to."""
    return f"deleted record #{referral_id}"


def reference_text(referral_id: int | None, known: dict[int, str]) -> str:
    if referral_id is None:
        return ""
    return known.get(referral_id) or deleted_name(referral_id)


def _cell(value: str) -> str:
    """Text a spreadsheet shows as text: a leading formula character gets a quote before it."""
    return f"'{value}" if value.startswith(_FORMULA_STARTS) else value


def csv_row(event: AuditEvent, known: dict[int, str]) -> list[str]:
    return [
        str(event.id),
        event.occurred_at.astimezone(UTC).isoformat(timespec="microseconds"),
        event.action,
        _cell(event.actor),
        "" if event.referral_id is None else str(event.referral_id),
        reference_text(event.referral_id, known),
        _cell(event.detail),
        event.hash,
        event.previous_hash,
    ]


def write_csv(database: Database, wanted: AuditFilter, target: Path) -> int:
    """Write the matching events to ``target`` as CSV; returns how many.

    UTF-8 with a byte order mark, so spreadsheets read accents right. The file appears whole
    or not at all (written beside it, flushed to disk, renamed over it) and only its owner
    may read it: the trail says when each record was opened, printed and exported.
    """
    count = 0
    with private_atomic_text(Path(target), "audit-log", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_COLUMNS)
        before: int | None = None
        while page := events_page(database, wanted, before, _PAGE):
            known = references(database, {e.referral_id for e in page if e.referral_id})
            writer.writerows(csv_row(event, known) for event in page)
            count += len(page)
            before = page[-1].id
    return count


#: What changes a referral as another advocate would see it on the record.
CHANGES = (
    AuditAction.UPDATE,
    AuditAction.STATUS_CHANGE,
    AuditAction.ASSESS,
    AuditAction.REASSIGN,
)


def last_change(database: Database, referral_id: int) -> tuple[str, datetime] | None:
    """Who last changed the referral, and when: for showing two versions side by side."""
    with database.session() as session:
        row = session.execute(
            select(AuditEventRow.actor, AuditEventRow.occurred_at)
            .where(
                AuditEventRow.referral_id == referral_id,
                AuditEventRow.action.in_([str(action) for action in CHANGES]),
            )
            .order_by(AuditEventRow.id.desc())
            .limit(1)
        ).first()
    return (str(row[0]), row[1]) if row is not None else None
