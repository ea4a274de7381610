"""Storage for export: whole referrals out, the referrals that may be about one survivor (for
a subject access request), and the audit events of an export.

An export of a whole caseload reads its referrals with :func:`read_referrals`, a chunk at a
time on the export's worker thread, rather than all at once on the window's thread.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any, TypeVar, cast

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from referral_app.domain.audit import AuditAction
from referral_app.domain.dates import PartialDate
from referral_app.domain.referral import Referral, Status, utc_now
from referral_app.storage import audit
from referral_app.storage.db import Database
from referral_app.storage.errors import RecordNotFoundError
from referral_app.storage.mapping import from_row
from referral_app.storage.models import (
    AssessmentRow,
    ReferralRow,
    ReviewRequestRow,
    StatusChangeRow,
    SurvivorRow,
)
from referral_app.storage.search import name_key

_T = TypeVar("_T")
#: SQL ``IN`` lists are kept to this length (SQLite allows 32,766 parameters; others fewer).
_CHUNK = 500
#: Referrals :func:`read_referrals` reads in one transaction: few enough that Cancel is heard
#: within a fraction of a second and that the write lock (every transaction here begins
#: IMMEDIATE) is never held for long, enough that each query's own cost is shared out.
READ_CHUNK = 250
#: The related rows of a referral, under the names of their relationships on ``ReferralRow``.
_RELATED = (
    ("status_changes", StatusChangeRow),
    ("assessments", AssessmentRow),
    ("reviews", ReviewRequestRow),
)


def chunks(items: Sequence[_T], size: int = _CHUNK) -> Iterator[Sequence[_T]]:
    """``items`` in slices of at most ``size``: one SQL ``IN`` list each."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def load_referrals(database: Database, ids: Sequence[int]) -> list[Referral]:
    """The referrals with ``ids``, whole and in that order, read in one transaction.

    For a few referrals at a time; an export of a caseload uses :func:`read_referrals`.
    """
    found: dict[int, Referral] = {}
    with database.session() as session:
        for chunk in chunks(list(dict.fromkeys(ids))):
            found.update(_read_whole(session, chunk))
    return _in_order(found, ids)


def read_referrals(
    database: Database, ids: Sequence[int], chunk_size: int = READ_CHUNK
) -> Iterator[list[Referral]]:
    """The referrals with ``ids``, whole and in that order, ``chunk_size`` at a time.

    Made for an export's worker thread. Each chunk is read in a transaction of its own on the
    connection the engine's pool gives the calling thread, never the window's, and no
    transaction stays open while the caller works on a chunk, so the window can still save
    meanwhile and a cancelled export leaves nothing open. Raises
    :class:`RecordNotFoundError` for a referral no longer there (deleted after it was
    chosen) when its chunk is reached.
    """
    for chunk in chunks(ids, chunk_size):
        with database.session() as session:
            found = _read_whole(session, chunk)
        yield _in_order(found, chunk)


def _in_order(found: dict[int, Referral], ids: Sequence[int]) -> list[Referral]:
    missing = next((id_ for id_ in ids if id_ not in found), None)
    if missing is not None:
        raise RecordNotFoundError(missing)
    return [found[id_] for id_ in ids]


def _read_whole(session: Session, ids: Sequence[int]) -> dict[int, Referral]:
    """Those of the referrals with ``ids`` that exist, whole, by id: one plain query per table.

    The ORM's selectin loading ran as many queries but spent over half its time making ORM
    objects (identity map, instrumented collections, change tracking) that were thrown away
    as soon as the domain objects were made; plain rows take about half the time. Each
    referral row is given the attributes of a ``ReferralRow`` (the columns have the same
    names, and the related rows go under the relationships' names), so that ``from_row``,
    the one place that knows how a referral is laid out in tables, builds the referral from
    either, and the two ways of reading cannot drift apart.
    """
    connection = session.connection()
    referrals, survivors = ReferralRow.__table__, SurvivorRow.__table__
    rows = connection.execute(select(referrals).where(referrals.c.id.in_(ids))).all()
    wanted = {row.survivor_id for row in rows}
    survivor_rows = connection.execute(select(survivors).where(survivors.c.id.in_(wanted)))
    survivor_by_id = {row.id: row for row in survivor_rows}
    related = {name: _related_rows(session, model, ids) for name, model in _RELATED}
    found: dict[int, Referral] = {}
    for row in rows:
        whole = SimpleNamespace(
            **row._asdict(),
            survivor=survivor_by_id[row.survivor_id],
            **{name: by_referral.get(row.id, []) for name, by_referral in related.items()},
        )
        found[row.id] = from_row(cast(ReferralRow, whole))
    return found


def _related_rows(
    session: Session,
    model: type[StatusChangeRow | AssessmentRow | ReviewRequestRow],
    ids: Sequence[int],
) -> dict[int, list[Row[Any]]]:
    """The rows of ``model``'s table that belong to the referrals with ``ids``, by referral,
    each list in id order, as the relationships on ``ReferralRow`` order them."""
    table = model.__table__
    statement = select(table).where(table.c.referral_id.in_(ids)).order_by(table.c.id)
    by_referral: dict[int, list[Row[Any]]] = defaultdict(list)
    for row in session.connection().execute(statement).all():
        by_referral[row.referral_id].append(row)
    return by_referral


def all_referral_ids(database: Database) -> list[int]:
    with database.session() as session:
        return list(session.scalars(select(ReferralRow.id).order_by(ReferralRow.id)))


@dataclass(frozen=True)
class SurvivorMatch:
    """A referral that may be about the same survivor, with what the advocate needs to judge."""

    referral_id: int
    reference: str
    full_name: str
    date_of_birth: PartialDate | None
    status: Status


def _compatible(first: PartialDate | None, second: PartialDate | None) -> bool:
    """Dates of birth that could be the same day: equal, one unknown, or one less precise
    (``1990`` and ``1990-05-14``)."""
    if first is None or second is None:
        return True
    a, b = first.isoformat(), second.isoformat()
    return a.startswith(b) or b.startswith(a)


def survivor_matches(database: Database, referral_id: int) -> list[SurvivorMatch]:
    """Every referral that may be about the survivor of ``referral_id`` (itself first): the
    same survivor record, or a name matching their name or a previous name (case and accents
    aside) with a date of birth that could be the same. For a subject access request; the
    advocate checks the list, because names are shared and dates go unrecorded."""
    with database.session() as session:
        chosen = session.get(ReferralRow, referral_id)
        if chosen is None:
            raise RecordNotFoundError(referral_id)
        survivor = chosen.survivor
        wanted = {name_key(n) for n in (survivor.full_name, *survivor.previous_names)} - {""}
        rows = session.execute(
            select(
                ReferralRow.id,
                ReferralRow.reference,
                ReferralRow.status,
                ReferralRow.survivor_id,
                SurvivorRow.full_name,
                SurvivorRow.previous_names,
                SurvivorRow.date_of_birth,
            )
            .join(SurvivorRow, SurvivorRow.id == ReferralRow.survivor_id)
            .order_by(ReferralRow.id)
        )
        matches: list[SurvivorMatch] = []
        for row in rows:
            names = {name_key(n) for n in (row.full_name, *row.previous_names)}
            same = row.survivor_id == chosen.survivor_id or (
                bool(names & wanted) and _compatible(row.date_of_birth, survivor.date_of_birth)
            )
            if same:
                match = SurvivorMatch(
                    row.id, row.reference, row.full_name, row.date_of_birth, Status(row.status)
                )
                matches.append(match)
    matches.sort(key=lambda match: match.referral_id != referral_id)
    return matches


def record_export(database: Database, referral_ids: Sequence[int]) -> None:
    """One audit event per exported referral, saying how many went in the file; no names."""
    count = len(referral_ids)
    detail = f"in an export file of {count} referral{'' if count == 1 else 's'}"
    with database.session() as session:
        audit.record_many(
            session, [(AuditAction.EXPORT, id_, detail) for id_ in referral_ids], utc_now()
        )
