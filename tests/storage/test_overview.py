"""The dashboard's figures match the data exactly, in a fixed number of queries."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

from sqlalchemy import event

from referral_app.domain.dates import PartialDate
from referral_app.domain.referral import (
    AssessmentRecord,
    DecisionMaker,
    FollowUp,
    Referral,
    Status,
    utc_now,
)
from referral_app.storage.db import Database
from referral_app.storage.overview import (
    FollowUpItem,
    follow_ups,
    status_counts,
    vrr_windows_closing,
)
from referral_app.storage.repository import Repository
from tests.storage.conftest import full_referral

TODAY = date(2026, 11, 21)


def save(repository: Repository, referral: Referral) -> Referral:
    saved = repository.save(referral)
    assert saved.id is not None
    return saved


def _id(referral: Referral) -> int:
    assert referral.id is not None
    return referral.id


@contextmanager
def counting_selects(database: Database) -> Iterator[list[str]]:
    statements: list[str] = []

    def seen(*args: Any) -> None:
        statements.append(str(args[2]))

    event.listen(database.engine, "before_cursor_execute", seen)
    try:
        yield statements
    finally:
        event.remove(database.engine, "before_cursor_execute", seen)


# Counts by status


def test_every_status_is_counted_even_with_no_referrals(database: Database) -> None:
    assert status_counts(database) == dict.fromkeys(Status, 0)


def test_counts_follow_status_changes(repository: Repository, database: Database) -> None:
    saved = [save(repository, full_referral(f"Survivor {n}", f"ref {n}")) for n in range(5)]
    ready, sent, withdrawn, panel = (_id(r) for r in saved[1:])
    for referral_id in (ready, sent, panel):
        repository.change_status(referral_id, Status.READY_TO_SEND)
    for referral_id in (sent, panel):
        repository.change_status(referral_id, Status.SENT)
    repository.change_status(panel, Status.REFERRED_TO_PANEL)
    repository.change_status(withdrawn, Status.WITHDRAWN)

    expected = dict.fromkeys(Status, 0)
    expected.update(
        {
            Status.DRAFT: 1,
            Status.READY_TO_SEND: 1,
            Status.SENT: 1,
            Status.WITHDRAWN: 1,
            Status.REFERRED_TO_PANEL: 1,
        }
    )
    assert status_counts(database) == expected

    repository.change_status(panel, Status.PANEL_ADVISED_REINVESTIGATION)
    repository.change_status(withdrawn, Status.DRAFT)
    expected[Status.REFERRED_TO_PANEL] = 0
    expected[Status.PANEL_ADVISED_REINVESTIGATION] = 1
    expected[Status.WITHDRAWN] = 0
    expected[Status.DRAFT] = 2
    assert status_counts(database) == expected
    assert sum(status_counts(database).values()) == repository.count()


# Follow-ups


def with_follow_up(name: str, due: date | None, purpose: str = "") -> Referral:
    referral = full_referral(name, f"fu {name}")
    referral.follow_up = FollowUp(due, purpose)
    return referral


def test_follow_ups_overdue_and_due_within_the_week_earliest_first(
    repository: Repository, database: Database
) -> None:
    days = {"later": 8, "week": 7, "today": 0, "long_overdue": -30, "yesterday": -1}
    saved = {
        key: save(repository, with_follow_up(f"Name {key}", TODAY + timedelta(days=n), key))
        for key, n in days.items()
    }
    save(repository, with_follow_up("No date", None, "Nothing planned"))

    items = follow_ups(database, TODAY)

    def item(key: str, overdue: bool) -> FollowUpItem:
        referral = saved[key]
        return FollowUpItem(
            _id(referral),
            referral.reference,
            f"Name {key}",
            TODAY + timedelta(days=days[key]),
            key,
            overdue,
        )

    assert items == [
        item("long_overdue", True),
        item("yesterday", True),
        item("today", False),
        item("week", False),
    ]
    assert [i.referral_id for i in follow_ups(database, TODAY, within_days=8)][-1] == _id(
        saved["later"]
    )
    assert follow_ups(database, TODAY - timedelta(days=38)) == []


# Victims' Right to Review windows


def vrr_referral(
    name: str, decided: str, decision: str = "police_nfa", flags: list[str] | None = None
) -> Referral:
    """A referral whose latest assessment (made soon after the decision) said VRR may apply."""
    referral = full_referral(name, f"vrr {name}")
    referral.case.decision_date = PartialDate.parse(decided)
    referral.case.decided_by = (
        DecisionMaker.POLICE if decision == "police_nfa" else DecisionMaker.CPS
    )
    referral.answers["decision"] = decision
    referral.answers.pop("decision_date", None)
    referral.assessments = [
        AssessmentRecord(
            "csarp-2025",
            "eligible",
            [],
            ["vrr_may_apply", "route_via_original_force"] if flags is None else flags,
            utc_now(),
            {"decision": decision, "decision_date": decided},
        )
    ]
    return referral


def test_vrr_windows_closing_within_two_weeks(repository: Repository, database: Database) -> None:
    cases = {
        # about two and a half months ago: its last day is 30 November, in 9 days
        "two_and_a_half_months": vrr_referral("Closing soon", "2026-09-01"),
        "cps_fourteen_days": vrr_referral("Last day", "2026-09-06", "cps_nfa"),
        "fifteen_days": vrr_referral("Just outside", "2026-09-07"),
        "one_month": vrr_referral("Recent", "2026-10-21"),
        "four_months": vrr_referral("Long closed", "2026-07-21"),
        "three_months_today": vrr_referral("Closed today", "2026-08-21"),
        "month_only": vrr_referral("September", "2026-09"),
        "no_flag": vrr_referral("Never flagged", "2026-09-01", flags=["route_via_original_force"]),
    }
    saved = {key: save(repository, referral) for key, referral in cases.items()}
    # The latest assessment decides: this one said VRR first, then no longer (prosecuted).
    later = saved["no_flag"]
    repository.add_assessment(
        _id(later),
        AssessmentRecord("csarp-2025", "not_eligible", ["prosecuted"], [], utc_now(), {}),
    )
    flagged_then_not = save(repository, vrr_referral("Flag dropped", "2026-09-02"))
    repository.add_assessment(
        _id(flagged_then_not),
        AssessmentRecord("csarp-2025", "not_eligible", ["prosecuted"], [], utc_now(), {}),
    )

    items = vrr_windows_closing(database, TODAY)

    assert [(item.referral_id, item.closes) for item in items] == [
        (_id(saved["two_and_a_half_months"]), date(2026, 11, 30)),
        (_id(saved["month_only"]), date(2026, 11, 30)),
        (_id(saved["cps_fourteen_days"]), date(2026, 12, 5)),
    ]
    first = items[0]
    assert first.reference == saved["two_and_a_half_months"].reference
    assert first.survivor_name == "Closing soon"
    assert first.decision_date == PartialDate.parse("2026-09-01")
    # The day after, the one just outside comes within 14 days; on its last day a window is
    # still listed, and the day after it is not.
    assert _id(saved["fifteen_days"]) in {
        i.referral_id for i in vrr_windows_closing(database, TODAY + timedelta(days=1))
    }
    assert _id(saved["cps_fourteen_days"]) in {
        i.referral_id for i in vrr_windows_closing(database, date(2026, 12, 5))
    }
    assert _id(saved["cps_fourteen_days"]) not in {
        i.referral_id for i in vrr_windows_closing(database, date(2026, 12, 6))
    }


def test_a_fixed_number_of_queries_however_many_referrals(
    repository: Repository, database: Database
) -> None:
    def queries() -> int:
        with counting_selects(database) as statements:
            status_counts(database)
            follow_ups(database, TODAY)
            vrr_windows_closing(database, TODAY)
        return len(statements)

    save(repository, vrr_referral("One", "2026-09-01"))
    few = queries()
    for n in range(12):
        save(repository, vrr_referral(f"Many {n}", "2026-09-01"))
        save(repository, with_follow_up(f"Due {n}", TODAY, "Call"))
    assert queries() == few
    assert len(vrr_windows_closing(database, TODAY)) == 13


def test_closed_and_withdrawn_referrals_need_no_follow_up(repository) -> None:  # type: ignore[no-untyped-def]
    from datetime import date

    from referral_app.domain.referral import FollowUp, Status
    from referral_app.storage.overview import follow_ups
    from tests.storage.conftest import full_referral

    open_one = full_referral("Open Case")
    open_one.follow_up = FollowUp(date(2026, 11, 1), "Call")
    closed = full_referral("Closed Case")
    closed.follow_up = FollowUp(date(2026, 11, 1), "Call")
    saved_open = repository.save(open_one)
    saved_closed = repository.save(closed)
    repository.change_status(saved_closed.id, Status.CLOSED)
    items = follow_ups(repository.database, date(2026, 11, 21))
    assert [item.referral_id for item in items] == [saved_open.id]
    overdue = repository.list_summaries(overdue_on=date(2026, 11, 21))
    assert [summary.id for summary in overdue] == [saved_open.id]
