"""The rules added in version 2 of the spec: new decisions, the optional flag keys, the police
VRR scheme's condition, and Operation Beaconport."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from referral_app.domain.eligibility import vrr_last_day
from referral_app.eligibility import InvalidAnswers, assess

TODAY = date(2026, 11, 21)


def answers(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "offence_in_england_or_wales": "yes",
        "sexual_offence_against_survivor": "yes",
        "under_18_at_offence": "yes",
        "reported_to_police": "yes",
        "decision": "police_nfa",
        "decision_date": "2009-03-14",
        "new_evidence": "no",
        "offender_may_pose_risk": "yes",
    }
    base.update(changes)
    return {key: value for key, value in base.items() if value is not None}


def test_discontinued_meets_the_decision_criterion() -> None:
    result = assess(answers(decision="discontinued"), today=TODAY)
    assert result.outcome == "eligible"


def test_out_of_court_keeps_the_decision_open_and_fails_nothing() -> None:
    result = assess(answers(decision="out_of_court"), today=TODAY)
    assert (result.outcome, result.reasons) == ("more_information_needed", ["decision"])
    failing = assess(answers(decision="out_of_court", new_evidence="yes"), today=TODAY)
    assert failing.reasons == ["new_evidence"]


@pytest.mark.parametrize("decision", ["cps_nfa", "discontinued"])
def test_a_recent_cps_decision_raises_vrr_whatever_the_interview(decision: str) -> None:
    result = assess(
        answers(decision=decision, decision_date="2026-10-15", suspect_interviewed="no"),
        today=TODAY,
    )
    assert "vrr_may_apply" in result.flags


@pytest.mark.parametrize(
    ("interviewed", "flagged"), [("yes", True), ("unsure", True), (None, True), ("no", False)]
)
def test_the_police_scheme_needs_a_suspect_interviewed(
    interviewed: str | None, flagged: bool
) -> None:
    result = assess(
        answers(decision_date="2026-10-15", suspect_interviewed=interviewed), today=TODAY
    )
    assert ("vrr_may_apply" in result.flags) is flagged
    assert (result.vrr_deadline is not None) is flagged


def test_no_vrr_for_police_decisions_before_the_scheme_or_cps_before_its_own() -> None:
    police = assess(answers(decision_date="2015-03"), today=date(2015, 5, 1))
    assert "vrr_may_apply" not in police.flags
    cps = assess(
        answers(decision="discontinued", decision_date="2013-06-04"), today=date(2013, 7, 1)
    )
    assert "vrr_may_apply" not in cps.flags


def test_the_flag_keys_never_change_the_outcome() -> None:
    for key in ("suspect_interviewed", "group_based"):
        for value in ("yes", "no", "unsure"):
            result = assess(answers(**{key: value}), today=TODAY)
            assert (result.outcome, result.reasons) == ("eligible", [])


@pytest.mark.parametrize("key", ["suspect_interviewed", "group_based"])
def test_the_flag_keys_refuse_other_values(key: str) -> None:
    with pytest.raises(InvalidAnswers) as raised:
        assess(answers(**{key: "maybe"}), today=TODAY)
    assert raised.value.keys == [key]


@pytest.mark.parametrize(
    ("decided", "flagged"),
    [
        ("2010-01-01", True),
        ("2010", True),
        ("2025-03-31", True),
        ("2025-03", True),
        ("2009-12-31", False),
        ("2025-04-01", False),
        ("2025", False),  # the year runs past 31 March: the date does not settle it
        ("2009", False),
    ],
)
def test_beaconport_covers_group_based_nfa_cases_closed_in_its_period(
    decided: str, flagged: bool
) -> None:
    result = assess(answers(group_based="yes", decision_date=decided), today=TODAY)
    assert ("operation_beaconport" in result.flags) is flagged


@pytest.mark.parametrize(
    ("group_based", "decision", "flagged"),
    [
        ("yes", "police_nfa", True),
        ("yes", "cps_nfa", True),
        ("yes", "discontinued", True),
        ("yes", "out_of_court", False),
        ("yes", "unknown", False),
        ("no", "police_nfa", False),
        ("unsure", "police_nfa", False),
    ],
)
def test_beaconport_needs_group_based_and_an_nfa_decision(
    group_based: str, decision: str, flagged: bool
) -> None:
    result = assess(
        answers(group_based=group_based, decision=decision, decision_date="2016-04-20"),
        today=TODAY,
    )
    assert ("operation_beaconport" in result.flags) is flagged


def test_beaconport_is_raised_whatever_the_outcome_and_listed_last() -> None:
    result = assess(
        answers(group_based="yes", decision_date="2016-04-20", new_evidence="yes"), today=TODAY
    )
    assert result.outcome == "not_eligible"
    assert result.flags == ["widened_mandate", "operation_beaconport"]
    both = assess(
        answers(group_based="yes", decision_date="2016-04-20"), ruleset="csarp-2013", today=TODAY
    )
    assert both.flags[-1] == "operation_beaconport"


@pytest.mark.parametrize(
    ("decided", "last"),
    [
        (date(2026, 10, 1), date(2026, 12, 31)),
        (date(2026, 11, 30), date(2027, 2, 28)),
        (date(2026, 8, 31), date(2026, 11, 30)),
        (date(2023, 11, 29), date(2024, 2, 28)),
    ],
)
def test_the_vrr_last_day_is_the_last_day_the_flag_is_raised(decided: date, last: date) -> None:
    assert vrr_last_day(decided) == last
    given = answers(decision="cps_nfa", decision_date=decided.isoformat())
    on_last = assess(given, today=last)
    assert "vrr_may_apply" in on_last.flags
    assert on_last.vrr_deadline == last
    after = assess(given, today=date.fromordinal(last.toordinal() + 1))
    assert "vrr_may_apply" not in after.flags
