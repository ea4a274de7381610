"""The caseload list: its rows, its search index and its query shapes.

Kept apart from the repository's record-keeping so each stays a readable size; the repository
exposes these through ``list_summaries`` and ``count_summaries`` and keeps the index in step
with every change in the same transaction."""

from __future__ import annotations

import unicodedata
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import (
    ColumnElement,
    Integer,
    String,
    TextualSelect,
    UnaryExpression,
    case,
    cast,
    column,
    func,
    literal,
    or_,
    select,
    text,
)
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased, selectinload

from referral_app.domain.dates import PartialDate
from referral_app.domain.referral import (
    FINISHED,
    Status,
    Survivor,
    normalise_crime_reference,
)
from referral_app.storage.db import (
    SEARCH_INDEX_DELETE,
    SEARCH_INDEX_INSERT,
    SEARCH_MATCHING_IDS,
    SEARCH_MIN_LENGTH,
    search_match,
)
from referral_app.storage.models import (
    ReferralRow,
    SurvivorRow,
)

if TYPE_CHECKING:
    from sqlalchemy import Select

_Query = TypeVar("_Query", bound="Select[*tuple[Any, ...]]")


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


def name_key(name: str) -> str:
    """A name folded for sorting and prefix search: "Siân  O'Neil" is "sian o'neil".

    The same folding the search index applies (case and accents ignored), so what a name
    sorts under and what finds it agree.
    """
    decomposed = unicodedata.normalize("NFKD", name)
    return _tidy("".join(c for c in decomposed if not unicodedata.combining(c)).casefold())


def crime_reference_key(text: str) -> str:
    """A crime reference as the search index holds it: letters and digits only, in upper
    case, so that "47zq2015" and "47-ZQ-2015" both find "47/ZQ/2015/99123" (forces write the
    same reference with slashes, hyphens, spaces or nothing between its parts)."""
    return "".join(c for c in text if c.isalnum()).upper()


def _crime_references(references: Sequence[str]) -> str:
    """Each crime reference as stored (spaces out, upper case: "/12" still finds ".../12")
    and as letters and digits only (any punctuation finds it)."""
    forms = [normalise_crime_reference(r) for r in references]
    forms += [crime_reference_key(r) for r in references]
    return "\n".join(dict.fromkeys(forms))


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
    then never match across two of them. Text is folded as :func:`name_key` folds it (accents
    gone in every script, not only the Latin ones SQLite's tokenizer knows), and crime
    references as :func:`crime_reference_key`; the query is folded the same way.
    """
    places = (values["police_force"], values["cps_area"])
    return {
        "id": referral_id,
        "survivor_name": name_key(survivor.full_name),
        "previous_names": "\n".join(name_key(name) for name in survivor.previous_names),
        "crime_references": _crime_references(values["crime_references"]),
        "force_and_area": "\n".join(name_key(place) for place in places if place),
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
    match = search_match(
        name_key(wanted), normalise_crime_reference(wanted), crime_reference_key(wanted)
    )
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


@dataclass(frozen=True)
class Wanted:
    """What the list is searched and filtered by."""

    query: str
    statuses: tuple[Status, ...]
    outcomes: tuple[str, ...]
    overdue_on: date | None


def summaries_page(
    session: Session, wanted: Wanted, order: Sequence[Any], offset: int, limit: int
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


def count_matching(session: Session, wanted: Wanted) -> int:
    """How many referrals :func:`summaries_page` would list across all its pages."""
    connection = session.connection()
    cleaned = _clean_query(wanted.query)
    searching = len(cleaned) >= SEARCH_MIN_LENGTH and _dialect(session) == "sqlite"
    if searching and not (wanted.statuses or wanted.outcomes or wanted.overdue_on):
        # The index has one row per referral, kept in the same transactions: counting its
        # matches saves reading every matching referral's row to count it.
        matches = _matching_ids(cleaned).subquery()
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
