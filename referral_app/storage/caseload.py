"""The caseload list: its rows and its query shapes (the search index is in ``search``).

Kept apart from the repository's record-keeping so each stays a readable size; the repository
exposes these through ``list_summaries`` and ``count_summaries``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import (
    ColumnElement,
    Subquery,
    UnaryExpression,
    case,
    func,
    select,
)
from sqlalchemy.orm import InstrumentedAttribute, Session
from sqlalchemy.sql import operators

from referral_app.domain.dates import PartialDate
from referral_app.domain.referral import (
    Status,
)
from referral_app.storage.db import (
    SEARCH_MIN_LENGTH,
)
from referral_app.storage.models import (
    ReferralRow,
    ReferralShareRow,
    SurvivorRow,
)
from referral_app.storage.search import (
    clean_query,
    dialect_of,
    matching_ids,
    search_conditions,
    server_matching_ids,
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
    #: On a team's server, the role the referral belongs to (blank on the local file).
    owner: str = ""


#: The caseload list's sort orders, by the name ``list_summaries`` takes.
SORT_KEYS = (
    "reference",
    "name",
    "status",
    "force",
    "decision_date",
    "outcome",
    "follow_up",
    "owner",
)


def sort_order(sort: str, descending: bool) -> list[UnaryExpression[Any]]:
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
    if sort == "owner":  # on a team's server, whose referral it is
        return [direction(ReferralRow.owner), last]
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
    ReferralRow.owner,
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
        owner=row.owner,
    )


@dataclass(frozen=True)
class Wanted:
    """What the list is searched and filtered by."""

    query: str
    statuses: tuple[Status, ...]
    outcomes: tuple[str, ...]
    overdue_on: date | None
    #: On a team's server: only the referrals this role owns ("Mine", or a manager's "By
    #: advocate"), and only those shared with this role ("Shared with me").
    owner: str | None = None
    shared_with: str | None = None

    def scope(self) -> list[ColumnElement[bool]]:
        """The owner and sharing conditions (the server's policies apply besides these)."""
        conditions: list[ColumnElement[bool]] = []
        if self.owner is not None:
            conditions.append(ReferralRow.owner == self.owner)
        if self.shared_with is not None:
            conditions.append(
                ReferralRow.id.in_(
                    select(ReferralShareRow.referral_id).where(
                        ReferralShareRow.role_name == self.shared_with
                    )
                )
            )
        return conditions


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
    page: Select[Any] | None = _server_search_page(session, wanted, order, offset, limit)
    if page is None:
        conditions, needs_survivor = search_conditions(
            wanted.query,
            statuses=wanted.statuses,
            outcomes=wanted.outcomes,
            overdue_on=wanted.overdue_on,
            dialect=dialect_of(session),
        )
        page = (
            _from_referrals(select(ReferralRow.id), needs_survivor)
            .where(*conditions, *wanted.scope())
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


def _server_search(
    session: Session, wanted: Wanted, order: Sequence[Any]
) -> tuple[Subquery, UnaryExpression[Any]] | None:
    """On a team's server, a search alone (no filter) in the reference order: the search
    function's matches, which are already only those this role may see, and their id order.
    Its page's ids are then taken straight from the matches: each match never needs its wide
    referral row read (under row-level security) just to be put in order. None when the list
    needs the general query."""
    if (
        dialect_of(session) != "postgresql"
        or len(clean_query(wanted.query)) < SEARCH_MIN_LENGTH
        or wanted.statuses
        or wanted.outcomes
        or wanted.overdue_on is not None
        or wanted.scope()
        or len(order) != 1
        or not order[0].element.compare(ReferralRow.id.expression)
    ):
        return None
    matches = server_matching_ids(clean_query(wanted.query)).subquery()
    descending = order[0].modifier is operators.desc_op
    return matches, matches.c.referral_id.desc() if descending else matches.c.referral_id.asc()


def _server_search_page(
    session: Session, wanted: Wanted, order: Sequence[Any], offset: int, limit: int
) -> Select[Any] | None:
    """The page's ids of :func:`_server_search`, or None when it does not apply."""
    search = _server_search(session, wanted, order)
    if search is None:
        return None
    matches, by_id = search
    page = select(matches.c.referral_id).order_by(by_id).offset(offset).limit(limit)
    return page.correlate(None)


def first_page(
    session: Session, wanted: Wanted, order: Sequence[Any], limit: int
) -> tuple[int, list[ReferralSummary]]:
    """How many referrals match, and the first page of them, as the list asks after each
    pause in typing (in the caller's transaction, so the two agree).

    On a team's server a search in reference order is answered by one statement that finds
    the matches once, counts them all and reads the rows of the first ``limit`` only: the
    search function (a bitmap scan of the trigram index and a recheck of each candidate)
    is most of a keystroke's time, and counting and paging separately ran it twice.
    """
    search = _server_search(session, wanted, order) if limit > 0 else None
    if search is None:
        total = count_matching(session, wanted)
        return total, summaries_page(session, wanted, order, 0, limit) if total else []
    matches, by_id = search
    page = (
        select(matches.c.referral_id, func.count().over().label("total"))
        .order_by(by_id)
        .limit(limit)
        .subquery()
    )
    statement = (
        select(*_SUMMARY_COLUMNS, page.c.total)
        .select_from(page)
        .join(ReferralRow, ReferralRow.id == page.c.referral_id)
        .join(SurvivorRow, SurvivorRow.id == ReferralRow.survivor_id)
        .order_by(*order)
    )
    rows = session.connection().execute(statement).all()
    # No row, no match: the count is taken over every match before the page is cut.
    return (int(rows[0].total) if rows else 0), [_summary(row) for row in rows]


def count_matching(session: Session, wanted: Wanted) -> int:
    """How many referrals :func:`summaries_page` would list across all its pages."""
    connection = session.connection()
    cleaned = clean_query(wanted.query)
    dialect = dialect_of(session)
    searching = len(cleaned) >= SEARCH_MIN_LENGTH and dialect in {"sqlite", "postgresql"}
    if searching and not (
        wanted.statuses or wanted.outcomes or wanted.overdue_on or wanted.scope()
    ):
        # The index has one row per referral, kept in the same transactions: counting its
        # matches saves reading every matching referral's row to count it. (On PostgreSQL
        # the search function has already kept to the referrals this role may see.)
        ids = matching_ids(cleaned) if dialect == "sqlite" else server_matching_ids(cleaned)
        matches = ids.subquery()
        return int(connection.scalar(select(func.count()).select_from(matches)) or 0)
    conditions, needs_survivor = search_conditions(
        wanted.query,
        statuses=wanted.statuses,
        outcomes=wanted.outcomes,
        overdue_on=wanted.overdue_on,
        dialect=dialect_of(session),
        counting=True,
    )
    # COUNT(*), not COUNT(id): the id is never null, and SQLite counts the rows of the
    # smallest index without reading a value from each (milliseconds at 100,000).
    statement = _from_referrals(select(func.count()), needs_survivor)
    return int(connection.scalar(statement.where(*conditions, *wanted.scope())) or 0)
