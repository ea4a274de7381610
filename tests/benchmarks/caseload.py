"""The caseload list: unlocking to the first screen, and searching as the advocate types.

Every keystroke is measured through the list's own model (``ReferralTableModel``: one count
and the first page, as the page asks after each pause in typing), then held against two
baselines on the same file: hand-written SQL returning the same rows, which is the least the
query could cost, and a plain ``LIKE '%...%'`` over the same fields, which is what searching
without the index would cost. The hand-written rows must be the app's rows, keystroke by
keystroke, or the benchmark fails.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import sqlcipher3

from referral_app.storage.access import open_database
from referral_app.storage.db import Database
from referral_app.storage.repository import Repository
from referral_app.ui.caseload.list_page import PAGE_SIZE, ListFilters, ReferralTableModel
from referral_app.ui.common.privacy import PrivacyMode
from tests.benchmarks.figures import Figure, Kind, Target, median, percentile
from tests.benchmarks.workspace import (
    PASSPHRASE,
    Workspace,
    collector_paused,
    measured,
    raw_connection,
    timed,
)

#: What the list shows of each referral, as the model reads it.
_COLUMNS = (
    "r.id, r.reference, s.full_name, r.status, r.force_or_area, r.decision_date, "
    "r.latest_outcome, r.follow_up_due, r.follow_up_purpose"
)
_FROM = "FROM referral AS r JOIN survivor AS s ON s.id = r.survivor_id"
_PAGE = f"SELECT {_COLUMNS} {_FROM} WHERE r.id IN ({{ids}}) ORDER BY r.id LIMIT {PAGE_SIZE}"
_FIRST_PAGE = f"SELECT {_COLUMNS} {_FROM} ORDER BY r.id LIMIT {PAGE_SIZE}"
_MATCHING = "SELECT rowid FROM referral_search WHERE referral_search MATCH ?"
_NAME_STARTS = "SELECT id FROM referral WHERE ' ' || survivor_name_key LIKE ? ESCAPE '\\'"
_SCANNED = (
    "s.full_name LIKE :text OR s.previous_names LIKE :text OR r.crime_references LIKE :crime "
    "OR r.police_force LIKE :text OR r.cps_area LIKE :text OR r.reference LIKE :text"
)


class RowsDifferError(AssertionError):
    """The app's list and the hand-written SQL disagree: a bug in one of them."""


# Hand-written SQL


def _tidy(text: str) -> str:
    return " ".join(text.split())


def _fold(text: str) -> str:
    """Case and accents ignored, as the list's one- and two-letter search folds names."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _like(text: str) -> str:
    return re.sub(r"([%_\\])", r"\\\1", text)


def _phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _match(text: str) -> str:
    crime = re.sub(r"\s+", "", text).upper()
    expression = "{survivor_name previous_names force_and_area reference} : " + _phrase(text)
    if len(crime) >= 3:
        expression += " OR crime_references : " + _phrase(crime)
    return expression


def hand_written(connection: sqlcipher3.Connection, query: str) -> tuple[int, list[int]]:
    """The count and the first page's ids for ``query``, in SQL written for this query."""
    wanted = _tidy(query)
    if not wanted:
        total = connection.execute("SELECT count(*) FROM referral").fetchone()[0]
        rows = connection.execute(_FIRST_PAGE).fetchall()
    elif len(wanted) < 3:
        pattern = "% " + _like(_fold(wanted)) + "%"
        total = connection.execute(
            "SELECT count(*) FROM referral WHERE ' ' || survivor_name_key LIKE ? ESCAPE '\\'",
            (pattern,),
        ).fetchone()[0]
        rows = connection.execute(_PAGE.format(ids=_NAME_STARTS), (pattern,)).fetchall()
    else:
        match = _match(wanted)
        total = connection.execute(
            "SELECT count(*) FROM referral_search WHERE referral_search MATCH ?", (match,)
        ).fetchone()[0]
        rows = connection.execute(_PAGE.format(ids=_MATCHING), (match,)).fetchall()
    return total, [row[0] for row in rows]


def scanned(connection: sqlcipher3.Connection, query: str) -> tuple[int, list[int]]:
    """The same fields searched with ``LIKE '%...%'``: every row read, no index."""
    wanted = _tidy(query)
    values = {
        "text": f"%{_like(wanted)}%",
        "crime": f"%{_like(re.sub(r'[ ]+', '', wanted).upper())}%",
    }
    where = f"WHERE {_SCANNED}" if wanted else ""
    total = connection.execute(f"SELECT count(*) {_FROM} {where}", values).fetchone()[0]
    rows = connection.execute(
        f"SELECT {_COLUMNS} {_FROM} {where} ORDER BY r.id LIMIT {PAGE_SIZE}", values
    ).fetchall()
    return total, [row[0] for row in rows]


# What is typed


def _typed(text: str) -> list[str]:
    """The search box after each keystroke of typing ``text``."""
    return [text[:end] for end in range(1, len(text) + 1)]


def keystrokes(repository: Repository) -> list[str]:
    """A realistic sequence: a survivor's name, part of a surname, a name typed without its
    accent, a crime reference typed the way people type them ("ab 123/45" for AB123/45), a
    force, and the number of the app's reference, the box cleared between them."""
    name = next(
        (
            summary.survivor_name.lower()
            for summary in repository.list_summaries(offset=repository.count() // 3, limit=50)
            if summary.survivor_name.isascii()
        ),
        "hannah wood",
    )
    crime = "ab 123/45"
    for summary in repository.list_summaries(limit=100):
        found = [
            ref
            for ref in repository.get(summary.id).case.crime_references
            if re.fullmatch(r"(AB|ZQ|WY|MP)\d+/\d\d", ref)
        ]
        if found:
            crime = f"{found[0][:2].lower()} {found[0][2:]}"
            break
    number = f"{max(repository.count() // 2, 1):05d}"
    typed = [name, "artermai", "sian", crime, "west mid", number]
    return [stroke for text in typed for stroke in [*_typed(text), ""]]


# The benchmarks


@dataclass(frozen=True)
class _Keystroke:
    query: str
    app: float
    hand: float
    scan: float


def _unlock_and_list(path: Path, today: date) -> Database:
    """Unlock as the unlock dialog does, then the list's count and first page."""
    database = open_database(path, PASSPHRASE)
    model = ReferralTableModel(Repository(database), PrivacyMode(), lambda: today)
    model.reload()
    return database


def _first_screen(path: Path, today: date) -> float:
    seconds, database = measured(_unlock_and_list, path, today)
    database.close()
    return seconds


def run_first_screen(workspace: Workspace) -> list[Figure]:
    caseload, empty = workspace.caseload, workspace.empty
    full: list[float] = []
    none: list[float] = []
    with collector_paused():
        for _ in range(workspace.scale.unlocks):
            full.append(_first_screen(caseload, workspace.today) * 1000)
            none.append(_first_screen(empty, workspace.today) * 1000)
    count = f"{workspace.scale.referrals:,}"
    return [
        Figure(
            f"Unlock and the list's first screen, {count} referrals",
            median(full),
            median(none),
            "ms",
            "the same on an empty database",
            notes=(
                f"median of {len(full)}; both derive the key (PBKDF2-HMAC-SHA512, 256,000 "
                "iterations), which is most of the empty database's time",
            ),
        )
    ]


def _measure(
    model: ReferralTableModel,
    hand: sqlcipher3.Connection,
    scan: sqlcipher3.Connection,
    strokes: Sequence[str],
    rounds: int,
) -> tuple[list[_Keystroke], int]:
    """Each keystroke's median time three ways; the keystrokes where LIKE agrees too."""
    app_times: dict[int, list[float]] = {i: [] for i in range(len(strokes))}
    hand_times: dict[int, list[float]] = {i: [] for i in range(len(strokes))}
    scan_times: dict[int, float] = {}
    agreeing = 0
    for round_ in range(rounds):
        for index, query in enumerate(strokes):
            app_times[index].append(timed(model.set_filters, ListFilters(query)))
            listed = (model.total, [model.summary(row).id for row in range(model.rowCount())])
            seconds, expected = measured(hand_written, hand, query)
            hand_times[index].append(seconds)
            if expected != listed:
                raise RowsDifferError(
                    f"keystroke {index} ({len(query)} characters): the app listed "
                    f"{listed[0]} ({len(listed[1])} on the page), hand-written SQL "
                    f"{expected[0]} ({len(expected[1])})"
                )
            if round_ == 0:
                scan_times[index], found = measured(scanned, scan, query)
                agreeing += found == expected
    results = [
        _Keystroke(query, median(app_times[i]), median(hand_times[i]), scan_times[i])
        for i, query in enumerate(strokes)
    ]
    return results, agreeing


def run_search(workspace: Workspace) -> list[Figure]:
    path = workspace.caseload
    database = open_database(path, PASSPHRASE)
    hand = raw_connection(path)
    scan = raw_connection(path)
    try:
        repository = Repository(database)
        model = ReferralTableModel(repository, PrivacyMode(), lambda: workspace.today)
        model.reload()
        strokes = keystrokes(repository)
        with collector_paused():
            results, agreeing = _measure(model, hand, scan, strokes, workspace.scale.search_rounds)
    finally:
        hand.close()
        scan.close()
        database.close()
    app = [k.app * 1000 for k in results]
    by_hand = [k.hand * 1000 for k in results]
    like = [k.scan * 1000 for k in results]
    count = f"{workspace.scale.referrals:,}"
    spread = (
        f"{len(results)} keystrokes, median of {workspace.scale.search_rounds} rounds each; "
        f"per keystroke median / 95th percentile: app {median(app):.1f} / "
        f"{percentile(app, 95):.1f} ms, hand-written {median(by_hand):.1f} / "
        f"{percentile(by_hand, 95):.1f} ms, LIKE scan {median(like):.0f} / "
        f"{percentile(like, 95):.0f} ms"
    )
    return [
        Figure(
            f"Search as you type, per keystroke (median), {count} referrals",
            median(app),
            median(by_hand),
            "ms",
            "hand-written SQL returning the same rows",
            Target(Kind.RATIO_AT_MOST, 2),
            (
                spread,
                f"95th percentile ratio {percentile(app, 95) / percentile(by_hand, 95):.2f}x; "
                "every keystroke's count and first page checked equal",
            ),
        ),
        Figure(
            f"Search as you type against a LIKE scan (median), {count} referrals",
            median(app),
            median(like),
            "ms",
            "LIKE '%...%' over the same fields",
            Target(Kind.FASTER_BY_AT_LEAST, 20),
            (
                f"LIKE found the same rows on {agreeing} of {len(results)} keystrokes (it "
                "neither folds accents nor matches only the start of a name's words)",
            ),
        ),
    ]
