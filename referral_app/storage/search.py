"""The caseload's search index: how a referral is folded into it and how a query finds it.

Shared by the caseload list (which searches it), new rows and imports (which fill it) and the
repository (which keeps it in step with every change in the same transaction)."""

from __future__ import annotations

import unicodedata
from collections.abc import Collection, Sequence
from datetime import date
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    String,
    TextualSelect,
    cast,
    column,
    literal,
    or_,
    select,
    text,
)
from sqlalchemy.orm import Session, aliased, selectinload

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
from referral_app.storage.pg import name_start_ids, search_ids, write_search_documents


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


def clean_query(query: str) -> str:
    """What the advocate typed, tidied, without control characters (which no field holds)."""
    return _tidy("".join(c for c in query if unicodedata.category(c) != "Cc" or c.isspace()))


def dialect_of(session: Session) -> str:
    return session.get_bind().dialect.name


def search_document(
    referral_id: int, reference: str, survivor: Survivor | SurvivorRow, values: dict[str, Any]
) -> dict[str, object]:
    """A referral's row in the search index (``values`` as :func:`referral_values` gives).

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
    return search_document(row.id, row.reference, row.survivor, values)


def index_referrals(session: Session, rows: Sequence[ReferralRow], replace: bool = False) -> None:
    """Bring the search index in step with ``rows`` inside the caller's transaction, so the
    index can never disagree with what was committed."""
    dialect = dialect_of(session)
    if not rows or dialect not in {"sqlite", "postgresql"}:
        return
    if dialect == "postgresql":
        write_search_documents(session, [_row_document(row) for row in rows])
        return
    if replace:
        session.execute(text(SEARCH_INDEX_DELETE), [{"id": row.id} for row in rows])
    session.execute(text(SEARCH_INDEX_INSERT), [_row_document(row) for row in rows])


def reindex_survivor(session: Session, row: ReferralRow) -> None:
    """Re-index ``row`` and any other referral of the same survivor, whose name it shares."""
    referrals = session.scalars(
        select(ReferralRow)
        .options(selectinload(ReferralRow.survivor))
        .where(ReferralRow.survivor_id == row.survivor_id)
    ).all()
    for referral in referrals:
        referral.survivor_name_key = row.survivor_name_key
    session.flush()
    index_referrals(session, referrals, replace=True)


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
    On PostgreSQL the same folded fields are kept in a search document with ``pg_trgm``
    GIN indexes, which answer the LIKE (and the one- and two-letter word starts) without
    reading every row. Other databases search the same fields with LIKE.
    """
    conditions: list[ColumnElement[bool]] = []
    if statuses:
        conditions.append(ReferralRow.status.in_([str(status) for status in statuses]))
    if outcomes:
        conditions.append(ReferralRow.latest_outcome.in_(list(outcomes)))
    if overdue_on is not None:
        conditions.append(ReferralRow.follow_up_due < overdue_on)
        conditions.append(ReferralRow.status.not_in([status.value for status in FINISHED]))
    wanted = clean_query(query)
    if not wanted:
        return conditions, False
    if len(wanted) < SEARCH_MIN_LENGTH and dialect == "postgresql":
        conditions.append(ReferralRow.id.in_(name_start_ids(name_key(wanted))))
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
        conditions.append(ReferralRow.id.in_(matching_ids(wanted)))
        return conditions, False
    if dialect == "postgresql":
        conditions.append(ReferralRow.id.in_(server_matching_ids(wanted)))
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


def matching_ids(wanted: str) -> TextualSelect:
    """The ids of the referrals the search index matches for a tidied query."""
    match = search_match(
        name_key(wanted), normalise_crime_reference(wanted), crime_reference_key(wanted)
    )
    return text(SEARCH_MATCHING_IDS).bindparams(match=match).columns(column("rowid", Integer))


def server_matching_ids(wanted: str) -> Select[tuple[int]]:
    """On PostgreSQL, the ids of the referrals whose folded search document holds a tidied
    query: the text as typed anywhere in the names, force, area and reference, and as crime
    references are kept anywhere in the crime references."""
    return search_ids(
        name_key(wanted), normalise_crime_reference(wanted), crime_reference_key(wanted)
    )
