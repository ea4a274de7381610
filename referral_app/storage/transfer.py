"""Storage for import: whole referrals in, as they were in the export file.

An import must never be half done, so everything it changes (new referrals with their
history, assessments and dates as the file has them, referrals replaced by the file's version,
the search index, one audit event per referral) is written in one transaction. The plan the
advocate was shown is worked out again inside that transaction, and the import is refused if
the records changed meanwhile, so what happens is exactly what was previewed.

A referral is the same referral in two databases when its ``uid`` is the same. Its app
reference (``CSARP-2026-00012``) is kept when this database could have made it itself: not in
use, and the number in it free as a row id, which the imported row then takes. References are
made from the row id, so a kept reference can then never meet one the app makes later. Other
databases than SQLite would need their id sequences moved on for that, so there a new
reference is always given.

What an export reads is in :mod:`referral_app.storage.exporting`.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TypeVar

from sqlalchemy import insert, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from referral_app.domain.audit import AuditAction
from referral_app.domain.record_format import referral_to_dict
from referral_app.domain.referral import Referral, utc_now
from referral_app.storage import audit
from referral_app.storage.db import Database
from referral_app.storage.errors import StorageError
from referral_app.storage.exporting import chunks
from referral_app.storage.mapping import (
    assessment_values,
    from_row,
    referral_to_row,
    referral_values,
    status_values,
    survivor_to_row,
    survivor_values,
)
from referral_app.storage.models import (
    AdvocateRow,
    AssessmentRow,
    ReferralRow,
    StatusChangeRow,
    SurvivorRow,
)
from referral_app.storage.new_rows import (
    insert_owned_rows,
    insert_returning_ids,
    make_reference,
    starting_history,
)
from referral_app.storage.repository import WHOLE_REFERRAL
from referral_app.storage.search import dialect_of, index_referrals

_T = TypeVar("_T")
#: Send None as NULL, so rows with blanks in different places share one statement.
_ALL = {"render_nulls": True}

#: A reference as :func:`make_reference` writes it; the number is the row id.
_REFERENCE = re.compile(r"CSARP-(\d{4})-(\d{5,18})")
IMPORTED = "imported from an export file"
REPLACED = "replaced by the version in an export file"
#: What an import does not compare: where the referral sits in each database, and when it
#: was last saved (the same content saved at another time is still the same referral).
_NOT_COMPARED = frozenset({"schema_version", "id", "reference", "updated_at", "status"})


class ImportChangedError(StorageError):
    def __init__(self) -> None:
        super().__init__("The records changed after the import was checked; nothing was imported.")


def reference_number(reference: str) -> int | None:
    """The row id in a reference the app made, or None for anything else."""
    match = _REFERENCE.fullmatch(reference)
    if match is None or f"{int(match.group(2)):05d}" != match.group(2):
        return None
    return int(match.group(2)) or None


# Import


class Disposition(StrEnum):
    NEW = "new"
    SAME = "same"
    DIFFERS = "differs"


@dataclass(frozen=True)
class PlannedReferral:
    """What an import would do with one referral of the file."""

    uid: str
    disposition: Disposition
    #: The reference in the file.
    file_reference: str
    #: The reference it has or keeps here; None when it will be given a new one.
    reference: str | None
    existing_id: int | None = None
    #: The top-level fields of the record format that differ (``survivor``, ``consent``...).
    differences: tuple[str, ...] = ()
    existing_updated_at: datetime | None = None


@dataclass(frozen=True)
class ImportPlan:
    items: tuple[PlannedReferral, ...]

    def of(self, disposition: Disposition) -> list[PlannedReferral]:
        return [item for item in self.items if item.disposition is disposition]

    @property
    def renumbered(self) -> list[PlannedReferral]:
        return [item for item in self.of(Disposition.NEW) if item.reference is None]


@dataclass(frozen=True)
class ImportResult:
    added: tuple[int, ...]
    replaced: tuple[int, ...]
    unchanged: int


def differences(stored: Referral, incoming: Referral) -> tuple[str, ...]:
    ours, theirs = referral_to_dict(stored), referral_to_dict(incoming)
    keys = dict.fromkeys([*ours, *theirs])
    compared = [key for key in keys if key not in _NOT_COMPARED]
    return tuple(key for key in compared if ours.get(key) != theirs.get(key))


def _existing(session: Session, uids: Sequence[str]) -> dict[str, ReferralRow]:
    rows: dict[str, ReferralRow] = {}
    for chunk in chunks(uids):
        statement = select(ReferralRow).options(*WHOLE_REFERRAL).where(ReferralRow.uid.in_(chunk))
        rows.update((row.uid, row) for row in session.scalars(statement))
    return rows


def _taken(session: Session, column: InstrumentedAttribute[_T], values: Sequence[_T]) -> set[_T]:
    """Which of ``values`` the column already holds."""
    taken: set[_T] = set()
    for chunk in chunks(values):
        taken.update(session.scalars(select(column).where(column.in_(chunk))))
    return taken


def _plan(session: Session, referrals: Sequence[Referral]) -> ImportPlan:
    uids = [referral.uid for referral in referrals]
    if len(set(uids)) != len(uids) or not all(uids):
        raise ValueError("each referral in an import needs its own uid")
    existing = _existing(session, uids)
    new = [referral for referral in referrals if referral.uid not in existing]
    numbers = {r.reference: n for r in new if (n := reference_number(r.reference)) is not None}
    taken_references = _taken(session, ReferralRow.reference, list(numbers))
    taken_ids = _taken(session, ReferralRow.id, list(numbers.values()))
    can_keep = dialect_of(session) == "sqlite"
    items: list[PlannedReferral] = []
    for referral in referrals:
        row = existing.get(referral.uid)
        if row is not None:
            changed = differences(from_row(row), referral)
            disposition = Disposition.DIFFERS if changed else Disposition.SAME
            items.append(
                PlannedReferral(
                    referral.uid,
                    disposition,
                    referral.reference,
                    row.reference,
                    row.id,
                    changed,
                    row.updated_at,
                )
            )
            continue
        number = numbers.get(referral.reference)
        keep = (
            can_keep
            and number is not None
            and referral.reference not in taken_references
            and number not in taken_ids
        )
        if keep and number is not None:
            taken_references.add(referral.reference)
            taken_ids.add(number)
        kept = referral.reference if keep else None
        items.append(PlannedReferral(referral.uid, Disposition.NEW, referral.reference, kept))
    return ImportPlan(tuple(items))


def plan_import(database: Database, referrals: Sequence[Referral]) -> ImportPlan:
    """What importing ``referrals`` would do; changes nothing."""
    with database.session() as session:
        return _plan(session, referrals)


def _replace(row: ReferralRow, referral: Referral, now: datetime, actor: str) -> None:
    """Make ``row`` the file's version of the referral, history and all; it keeps its id and
    its reference here."""
    survivor_to_row(referral.survivor, row.survivor)
    referral_to_row(referral, row)
    history = starting_history(referral, now, actor)
    row.status_changes = [StatusChangeRow(**status_values(change)) for change in history]
    row.status = history[-1].status
    row.assessments = [AssessmentRow(**assessment_values(a)) for a in referral.assessments]
    row.latest_outcome = referral.assessments[-1].outcome if referral.assessments else None
    row.created_at = referral.created_at or row.created_at
    row.updated_at = referral.updated_at or now


def _insert_new(
    session: Session,
    referrals: Sequence[Referral],
    items: Sequence[PlannedReferral],
    now: datetime,
    actor: str,
) -> list[int]:
    """Insert whole new referrals as the file has them, as many-row statements (the way
    ``Repository.create_many`` does, which keeps a caseload's import to seconds); their ids,
    in order. Rows keeping their reference take the id in it, and go in first, before the
    database could hand that id to another row."""
    histories = [starting_history(referral, now, actor) for referral in referrals]
    survivors = [survivor_values(referral.survivor) for referral in referrals]
    survivor_ids = insert_returning_ids(session, SurvivorRow, SurvivorRow.full_name, survivors)
    session.execute(
        update(SurvivorRow),
        [
            {"id": i, "full_name": v["full_name"]}
            for i, v in zip(survivor_ids, survivors, strict=True)
        ],
    )
    values = [
        referral_values(referral)
        | {
            "survivor_id": survivor_id,
            "uid": referral.uid,
            "created_at": referral.created_at or now,
            "updated_at": referral.updated_at or now,
            "status": str(history[-1].status),
            "latest_outcome": referral.assessments[-1].outcome if referral.assessments else None,
        }
        for referral, history, survivor_id in zip(referrals, histories, survivor_ids, strict=True)
    ]
    kept = [i for i, item in enumerate(items) if item.reference is not None]
    fresh = [i for i, item in enumerate(items) if item.reference is None]
    ids: list[int] = [0] * len(items)
    for i in kept:
        reference = items[i].reference or ""
        ids[i] = reference_number(reference) or 0
        values[i] |= {"id": ids[i], "reference": reference}
    if kept:
        session.execute(insert(ReferralRow), [values[i] for i in kept], execution_options=_ALL)
    if fresh:
        made = insert_returning_ids(
            session, ReferralRow, ReferralRow.reference, [values[i] for i in fresh]
        )
        for i, id_ in zip(fresh, made, strict=True):
            ids[i] = id_
            values[i]["reference"] = make_reference(id_, now)
        session.execute(
            update(ReferralRow),
            [{"id": ids[i], "reference": values[i]["reference"]} for i in fresh],
        )
    references = [value["reference"] for value in values]
    insert_owned_rows(
        session,
        referrals=referrals,
        histories=histories,
        ids=ids,
        references=references,
        values=values,
    )
    return ids


def apply_import(
    database: Database,
    referrals: Sequence[Referral],
    plan: ImportPlan,
    replace: Collection[str] = (),
) -> ImportResult:
    """Do what ``plan`` says, in one transaction: add the new referrals as they are in the
    file, and replace the differing ones whose uid is in ``replace``. Raises
    :class:`ImportChangedError` (and changes nothing) if the plan no longer holds."""
    by_uid = {referral.uid: referral for referral in referrals}
    now = utc_now()
    with database.session() as session:
        if _plan(session, referrals) != plan:
            raise ImportChangedError()
        actor = session.scalar(select(AdvocateRow.name).order_by(AdvocateRow.id).limit(1)) or ""
        new = plan.of(Disposition.NEW)
        # Every row keeping its reference goes in before any renumbered one: a renumbered row
        # takes the next free id, which may be the number a kept reference in a later chunk
        # holds.
        kept = [item for item in new if item.reference is not None]
        renumbered = [item for item in new if item.reference is None]
        ids: dict[str, int] = {}
        for part in (kept, renumbered):
            for chunk in chunks(part):
                made = _insert_new(session, [by_uid[item.uid] for item in chunk], chunk, now, actor)
                ids.update(zip((item.uid for item in chunk), made, strict=True))
        added = [ids[item.uid] for item in new]
        replaced: list[ReferralRow] = []
        for item in plan.of(Disposition.DIFFERS):
            if item.uid in replace:
                row = session.get_one(ReferralRow, item.existing_id)
                _replace(row, by_uid[item.uid], now, actor)
                row.version += 1  # anyone holding the old version must not save over it
                replaced.append(row)
        session.flush()
        index_referrals(session, replaced, replace=True)
        events = [(AuditAction.CREATE, id_, IMPORTED) for id_ in added]
        events += [(AuditAction.UPDATE, row.id, REPLACED) for row in replaced]
        audit.record_many(session, events, now)
        return ImportResult(
            tuple(added),
            tuple(row.id for row in replaced),
            len(plan.items) - len(added) - len(replaced),
        )
