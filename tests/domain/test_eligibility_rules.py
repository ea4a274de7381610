"""Rule-by-rule tests of the eligibility engine, written from the domain spec (eligibility.md)."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Final

import pytest

from referral_app.eligibility import InvalidAnswers, assess

TODAY: Final = date(2026, 11, 21)
RULESETS: Final = ("csarp-2025", "csarp-2013")

ELIGIBLE: Final = "eligible"
NOT_ELIGIBLE: Final = "not_eligible"
MORE_INFO: Final = "more_information_needed"

WIDENED: Final = "widened_mandate"
VRR: Final = "vrr_may_apply"
ROUTE: Final = "route_via_original_force"

TABLE_KEYS: Final = (
    "offence_in_england_or_wales",
    "sexual_offence_against_survivor",
    "under_18_at_offence",
    "reported_to_police",
    "decision",
    "new_evidence",
    "offender_may_pose_risk",
)
YES_NO_KEYS: Final = tuple(key for key in TABLE_KEYS if key != "decision")
DATE_KEYS: Final = ("decision_date", "date_of_birth", "offence_start", "offence_end")

BASE: Final[dict[str, object]] = {
    "offence_in_england_or_wales": "yes",
    "sexual_offence_against_survivor": "yes",
    "under_18_at_offence": "yes",
    "reported_to_police": "yes",
    "decision": "police_nfa",
    "decision_date": "2009-03-14",
    "new_evidence": "no",
    "offender_may_pose_risk": "yes",
}


class _Drop:
    """Marker: remove the key from the base answers."""

    def __repr__(self) -> str:
        return "DROP"


DROP: Final = _Drop()


def make(**overrides: object) -> dict[str, object]:
    """The fully eligible base answers, with keys overridden (or removed with DROP)."""
    answers = dict(BASE)
    for key, value in overrides.items():
        if value is DROP:
            answers.pop(key, None)
        else:
            answers[key] = value
    return answers


def expect(
    answers: dict[str, object],
    outcome: str,
    reasons: Sequence[str] = (),
    flags: Sequence[str] = (),
    *,
    ruleset: str = "csarp-2025",
    today: date = TODAY,
) -> None:
    result = assess(answers, ruleset=ruleset, today=today)
    got = (result.outcome, list(result.reasons), list(result.flags))
    assert got == (outcome, list(reasons), list(flags))


def expect_invalid(
    answers: dict[str, object],
    *keys: str,
    ruleset: str = "csarp-2025",
    today: date = TODAY,
) -> InvalidAnswers:
    """Assert InvalidAnswers is raised and that it names (at least one of) the given keys."""
    with pytest.raises(InvalidAnswers) as info:
        assess(answers, ruleset=ruleset, today=today)
    exc = info.value
    message = str(exc)
    assert any(key in message for key in keys), f"{keys} not named in {message!r}"
    assert exc.errors, "errors must list at least one problem"
    for error in exc.errors:
        assert isinstance(error.key, str)
        assert isinstance(error.message, str) and error.message.strip()
    error_keys = [error.key for error in exc.errors]
    assert any(key in error_keys for key in keys), f"{keys} not among {error_keys}"
    return exc


def _ids(values: Iterable[object]) -> list[str]:
    return [repr(value) for value in values]


# --------------------------------------------------------------------------- basics


@pytest.mark.parametrize("ruleset", RULESETS)
def test_base_answers_are_eligible(ruleset: str) -> None:
    expect(make(), ELIGIBLE, [], [ROUTE], ruleset=ruleset)


def test_invalid_answers_is_a_value_error() -> None:
    assert issubclass(InvalidAnswers, ValueError)


def test_default_ruleset_is_csarp_2025() -> None:
    answers = make(decision="cps_nfa", decision_date="2019-07-02")
    result = assess(answers, today=TODAY)
    assert (result.outcome, list(result.reasons), list(result.flags)) == (
        ELIGIBLE,
        [],
        [WIDENED, ROUTE],
    )


def test_today_defaults_to_the_current_date() -> None:
    result = assess(make())
    assert result.outcome == ELIGIBLE
    assert list(result.reasons) == []
    assert list(result.flags) == [ROUTE]
    next_year = str(date.today().year + 1)
    with pytest.raises(InvalidAnswers):
        assess(make(decision_date=next_year))


def test_result_types() -> None:
    result = assess(make(new_evidence="yes"), ruleset="csarp-2025", today=TODAY)
    assert isinstance(result.outcome, str)
    assert isinstance(result.reasons, list)
    assert isinstance(result.flags, list)
    assert all(isinstance(reason, str) for reason in result.reasons)
    assert all(isinstance(flag, str) for flag in result.flags)


@pytest.mark.parametrize("ruleset", RULESETS)
def test_answers_are_not_mutated(ruleset: str) -> None:
    answers = make(
        under_18_at_offence="unsure",
        date_of_birth="1990-05-01",
        offence_start="2005",
        offence_end="2006-02",
        decision_date="2013",
    )
    before = copy.deepcopy(answers)
    assess(answers, ruleset=ruleset, today=TODAY)
    assert answers == before
    assert list(answers) == list(before)


def test_same_answers_give_same_result() -> None:
    answers = make(decision="cps_nfa", decision_date="2026-10-08")
    first = assess(answers, ruleset="csarp-2025", today=TODAY)
    second = assess(answers, ruleset="csarp-2025", today=TODAY)
    assert (first.outcome, list(first.reasons), list(first.flags)) == (
        second.outcome,
        list(second.reasons),
        list(second.flags),
    )


# --------------------------------------------------------------------------- criteria

FAILING: Final = (
    ("offence_in_england_or_wales", "no", "outside_england_wales"),
    ("sexual_offence_against_survivor", "no", "not_sexual_offence_against_survivor"),
    ("under_18_at_offence", "no", "not_under_18"),
    ("reported_to_police", "no", "not_reported_to_police"),
    ("decision", "prosecuted", "prosecuted"),
    ("decision", "live", "live_investigation"),
    ("new_evidence", "yes", "new_evidence"),
    ("offender_may_pose_risk", "no", "no_risk"),
)


@pytest.mark.parametrize("ruleset", RULESETS)
@pytest.mark.parametrize(("key", "value", "code"), FAILING, ids=[f[2] for f in FAILING])
def test_each_failing_criterion(key: str, value: str, code: str, ruleset: str) -> None:
    expect(make(**{key: value}), NOT_ELIGIBLE, [code], [], ruleset=ruleset)


@pytest.mark.parametrize("ruleset", RULESETS)
@pytest.mark.parametrize("decision", ["police_nfa", "cps_nfa"])
def test_both_nfa_decisions_meet_the_criterion(decision: str, ruleset: str) -> None:
    expect(make(decision=decision), ELIGIBLE, [], [ROUTE], ruleset=ruleset)


def _open_cases() -> list[tuple[str, object]]:
    cases: list[tuple[str, object]] = []
    for key in TABLE_KEYS:
        open_word = "unknown" if key == "decision" else "unsure"
        cases.extend([(key, open_word), (key, DROP), (key, None)])
    return cases


OPEN_CASES: Final = _open_cases()


@pytest.mark.parametrize("ruleset", RULESETS)
@pytest.mark.parametrize(
    ("key", "value"), OPEN_CASES, ids=[f"{key}={value!r}" for key, value in OPEN_CASES]
)
def test_each_open_answer(key: str, value: object, ruleset: str) -> None:
    expect(make(**{key: value}), MORE_INFO, [key], [], ruleset=ruleset)


def test_empty_answers_list_every_key_csarp_2025() -> None:
    expect({}, MORE_INFO, list(TABLE_KEYS), [])


def test_empty_answers_list_every_key_csarp_2013() -> None:
    expect({}, MORE_INFO, [*TABLE_KEYS, "decision_date"], [], ruleset="csarp-2013")


def test_all_none_answers_list_every_key() -> None:
    answers: dict[str, object] = {key: None for key in (*TABLE_KEYS, *DATE_KEYS)}
    expect(answers, MORE_INFO, list(TABLE_KEYS), [])
    expect(answers, MORE_INFO, [*TABLE_KEYS, "decision_date"], [], ruleset="csarp-2013")


ALL_FAILING: Final[dict[str, object]] = {
    "offence_in_england_or_wales": "no",
    "sexual_offence_against_survivor": "no",
    "under_18_at_offence": "no",
    "reported_to_police": "no",
    "decision": "prosecuted",
    "decision_date": "2009-03-14",
    "new_evidence": "yes",
    "offender_may_pose_risk": "no",
}
ALL_CODES: Final = [
    "outside_england_wales",
    "not_sexual_offence_against_survivor",
    "not_under_18",
    "not_reported_to_police",
    "prosecuted",
    "new_evidence",
    "no_risk",
]


@pytest.mark.parametrize("reverse", [False, True], ids=["table-order", "reversed-order"])
def test_every_criterion_failing_lists_codes_in_table_order(reverse: bool) -> None:
    items = list(ALL_FAILING.items())
    answers = dict(reversed(items)) if reverse else dict(items)
    expect(answers, NOT_ELIGIBLE, ALL_CODES, [])


def test_every_criterion_failing_with_live_investigation() -> None:
    answers = {**ALL_FAILING, "decision": "live"}
    codes = [("live_investigation" if code == "prosecuted" else code) for code in ALL_CODES]
    expect(answers, NOT_ELIGIBLE, codes, [])


@pytest.mark.parametrize("reverse", [False, True], ids=["table-order", "reversed-order"])
def test_every_criterion_failing_csarp_2013(reverse: bool) -> None:
    items = list({**ALL_FAILING, "decision_date": "2019-07-02"}.items())
    answers = dict(reversed(items)) if reverse else dict(items)
    expect(
        answers,
        NOT_ELIGIBLE,
        [*ALL_CODES, "decision_after_cutoff"],
        [WIDENED],
        ruleset="csarp-2013",
    )


SEVERAL_FAILING: Final = [
    (
        {"offender_may_pose_risk": "no", "offence_in_england_or_wales": "no"},
        ["outside_england_wales", "no_risk"],
    ),
    ({"new_evidence": "yes", "under_18_at_offence": "no"}, ["not_under_18", "new_evidence"]),
    (
        {"decision": "live", "reported_to_police": "no"},
        ["not_reported_to_police", "live_investigation"],
    ),
    (
        {"decision": "prosecuted", "sexual_offence_against_survivor": "no", "new_evidence": "yes"},
        ["not_sexual_offence_against_survivor", "prosecuted", "new_evidence"],
    ),
]


@pytest.mark.parametrize("ruleset", RULESETS)
@pytest.mark.parametrize(("overrides", "codes"), SEVERAL_FAILING, ids=_ids(range(4)))
def test_several_failing_in_table_order(
    overrides: dict[str, object], codes: list[str], ruleset: str
) -> None:
    expect(make(**overrides), NOT_ELIGIBLE, codes, [], ruleset=ruleset)


SEVERAL_OPEN: Final = [
    (
        {"offender_may_pose_risk": DROP, "offence_in_england_or_wales": "unsure"},
        ["offence_in_england_or_wales", "offender_may_pose_risk"],
    ),
    (
        {"new_evidence": "unsure", "decision": "unknown", "under_18_at_offence": None},
        ["under_18_at_offence", "decision", "new_evidence"],
    ),
    (
        {"reported_to_police": None, "sexual_offence_against_survivor": DROP},
        ["sexual_offence_against_survivor", "reported_to_police"],
    ),
]


@pytest.mark.parametrize("ruleset", RULESETS)
@pytest.mark.parametrize(("overrides", "keys"), SEVERAL_OPEN, ids=_ids(range(3)))
def test_several_open_in_table_order(
    overrides: dict[str, object], keys: list[str], ruleset: str
) -> None:
    answers = make(**overrides)
    expect(answers, MORE_INFO, keys, [], ruleset=ruleset)
    expect(dict(reversed(list(answers.items()))), MORE_INFO, keys, [], ruleset=ruleset)


FAIL_BEATS_OPEN: Final = [
    ({"reported_to_police": "no", "decision": "unknown"}, ["not_reported_to_police"]),
    ({"decision": "live", "under_18_at_offence": DROP}, ["live_investigation"]),
    ({"offence_in_england_or_wales": "unsure", "offender_may_pose_risk": "no"}, ["no_risk"]),
    ({"new_evidence": "yes", "sexual_offence_against_survivor": None}, ["new_evidence"]),
    (
        {
            "offence_in_england_or_wales": None,
            "sexual_offence_against_survivor": "unsure",
            "under_18_at_offence": "unsure",
            "decision": "unknown",
            "offender_may_pose_risk": DROP,
            "reported_to_police": "no",
        },
        ["not_reported_to_police"],
    ),
]


@pytest.mark.parametrize("ruleset", RULESETS)
@pytest.mark.parametrize(("overrides", "codes"), FAIL_BEATS_OPEN, ids=_ids(range(5)))
def test_failures_win_over_open_answers(
    overrides: dict[str, object], codes: list[str], ruleset: str
) -> None:
    expect(make(**overrides), NOT_ELIGIBLE, codes, [], ruleset=ruleset)


def test_failure_wins_over_derived_unknown_age() -> None:
    answers = make(
        under_18_at_offence=DROP,
        date_of_birth="1990-05-01",
        offence_start="2008",
        decision_date="2010",
        offender_may_pose_risk="no",
    )
    expect(answers, NOT_ELIGIBLE, ["no_risk"], [])


def test_derived_no_wins_over_open_decision() -> None:
    answers = make(
        under_18_at_offence="unsure",
        date_of_birth="1990-05-01",
        offence_start="2008-06",
        decision_date="2010",
        decision="unknown",
    )
    expect(answers, NOT_ELIGIBLE, ["not_under_18"], [])


# --------------------------------------------------------------------------- csarp-2013 cut-off

CUTOFF_CASES: Final = [
    # decision_date, csarp-2013 (outcome, reasons, flags), csarp-2025 flags
    ("2013-06-04", (ELIGIBLE, [], [ROUTE]), [ROUTE]),
    ("2013-06-05", (NOT_ELIGIBLE, ["decision_after_cutoff"], [WIDENED]), [WIDENED, ROUTE]),
    ("2013-06-06", (NOT_ELIGIBLE, ["decision_after_cutoff"], [WIDENED]), [WIDENED, ROUTE]),
    ("2013-05-31", (ELIGIBLE, [], [ROUTE]), [ROUTE]),
    ("2013-05", (ELIGIBLE, [], [ROUTE]), [ROUTE]),
    ("2012", (ELIGIBLE, [], [ROUTE]), [ROUTE]),
    ("2012-12-31", (ELIGIBLE, [], [ROUTE]), [ROUTE]),
    ("2013-06", (MORE_INFO, ["decision_date"], []), [ROUTE]),
    ("2013", (MORE_INFO, ["decision_date"], []), [ROUTE]),
    ("2013-07", (NOT_ELIGIBLE, ["decision_after_cutoff"], [WIDENED]), [WIDENED, ROUTE]),
    ("2014", (NOT_ELIGIBLE, ["decision_after_cutoff"], [WIDENED]), [WIDENED, ROUTE]),
    ("2019-07-02", (NOT_ELIGIBLE, ["decision_after_cutoff"], [WIDENED]), [WIDENED, ROUTE]),
    (DROP, (MORE_INFO, ["decision_date"], []), [ROUTE]),
    (None, (MORE_INFO, ["decision_date"], []), [ROUTE]),
]


@pytest.mark.parametrize(
    ("decision_date", "expected_2013", "flags_2025"),
    CUTOFF_CASES,
    ids=_ids(case[0] for case in CUTOFF_CASES),
)
def test_decision_date_cutoff(
    decision_date: object,
    expected_2013: tuple[str, list[str], list[str]],
    flags_2025: list[str],
) -> None:
    answers = make(decision_date=decision_date)
    expect(answers, *expected_2013, ruleset="csarp-2013")
    expect(answers, ELIGIBLE, [], flags_2025, ruleset="csarp-2025")


CSARP_2013_COMBINED: Final = [
    (
        {"decision_date": "2013", "decision": "unknown"},
        MORE_INFO,
        ["decision", "decision_date"],
        [],
    ),
    (
        {"decision_date": DROP, "new_evidence": "unsure", "offence_in_england_or_wales": None},
        MORE_INFO,
        ["offence_in_england_or_wales", "new_evidence", "decision_date"],
        [],
    ),
    (
        {"decision_date": "2019-07-02", "decision": "prosecuted"},
        NOT_ELIGIBLE,
        ["prosecuted", "decision_after_cutoff"],
        [WIDENED],
    ),
    (
        {"decision_date": "2019-07-02", "decision": "unknown"},
        NOT_ELIGIBLE,
        ["decision_after_cutoff"],
        [WIDENED],
    ),
    ({"decision_date": "2013", "offender_may_pose_risk": "no"}, NOT_ELIGIBLE, ["no_risk"], []),
    ({"decision_date": DROP, "decision": "live"}, NOT_ELIGIBLE, ["live_investigation"], []),
    (
        {"decision_date": "2014", "new_evidence": "yes", "reported_to_police": "no"},
        NOT_ELIGIBLE,
        ["not_reported_to_police", "new_evidence", "decision_after_cutoff"],
        [WIDENED],
    ),
]


@pytest.mark.parametrize(
    ("overrides", "outcome", "reasons", "flags"), CSARP_2013_COMBINED, ids=_ids(range(7))
)
def test_csarp_2013_decision_date_with_other_answers(
    overrides: dict[str, object], outcome: str, reasons: list[str], flags: list[str]
) -> None:
    expect(make(**overrides), outcome, reasons, flags, ruleset="csarp-2013")


# --------------------------------------------------------------------------- flags


@pytest.mark.parametrize(
    ("ruleset", "overrides", "outcome", "reasons", "flags"),
    [
        ("csarp-2025", {}, ELIGIBLE, [], [WIDENED, ROUTE]),
        ("csarp-2025", {"offender_may_pose_risk": "no"}, NOT_ELIGIBLE, ["no_risk"], [WIDENED]),
        ("csarp-2025", {"new_evidence": "unsure"}, MORE_INFO, ["new_evidence"], [WIDENED]),
        ("csarp-2025", {"decision": "prosecuted"}, NOT_ELIGIBLE, ["prosecuted"], [WIDENED]),
        ("csarp-2025", {"decision": "live"}, NOT_ELIGIBLE, ["live_investigation"], [WIDENED]),
        ("csarp-2025", {"decision": "unknown"}, MORE_INFO, ["decision"], [WIDENED]),
        ("csarp-2025", {"decision": DROP}, MORE_INFO, ["decision"], [WIDENED]),
        ("csarp-2013", {}, NOT_ELIGIBLE, ["decision_after_cutoff"], [WIDENED]),
        (
            "csarp-2013",
            {"reported_to_police": "unsure"},
            NOT_ELIGIBLE,
            ["decision_after_cutoff"],
            [WIDENED],
        ),
        (
            "csarp-2013",
            {"decision": "prosecuted"},
            NOT_ELIGIBLE,
            ["prosecuted", "decision_after_cutoff"],
            [WIDENED],
        ),
    ],
    ids=_ids(range(10)),
)
def test_widened_mandate_whatever_the_outcome(
    ruleset: str,
    overrides: dict[str, object],
    outcome: str,
    reasons: list[str],
    flags: list[str],
) -> None:
    answers = make(decision="cps_nfa", decision_date="2019-07-02")
    answers = {**answers, **overrides}
    answers = {key: value for key, value in answers.items() if value is not DROP}
    expect(answers, outcome, reasons, flags, ruleset=ruleset)


@pytest.mark.parametrize(
    ("decision_date", "widened"),
    [
        ("2013-06-04", False),
        ("2013-06-05", True),
        ("2013-06", False),
        ("2013", False),
        ("2013-07", True),
        ("2014", True),
        ("2013-05", False),
        ("2010", False),
    ],
)
@pytest.mark.parametrize("decision", ["police_nfa", "cps_nfa"])
def test_widened_mandate_on_partial_dates(decision: str, decision_date: str, widened: bool) -> None:
    flags = [WIDENED, ROUTE] if widened else [ROUTE]
    expect(make(decision=decision, decision_date=decision_date), ELIGIBLE, [], flags)


@pytest.mark.parametrize("decision", ["police_nfa", "cps_nfa"])
def test_recent_nfa_raises_vrr(decision: str) -> None:
    answers = make(decision=decision, decision_date="2026-10-08")
    expect(answers, ELIGIBLE, [], [WIDENED, VRR, ROUTE])


@pytest.mark.parametrize(
    ("overrides", "outcome", "reasons", "flags"),
    [
        ({"decision": "prosecuted"}, NOT_ELIGIBLE, ["prosecuted"], [WIDENED]),
        ({"decision": "live"}, NOT_ELIGIBLE, ["live_investigation"], [WIDENED]),
        ({"decision": "unknown"}, MORE_INFO, ["decision"], [WIDENED]),
        ({"decision": DROP}, MORE_INFO, ["decision"], [WIDENED]),
        ({"decision": None}, MORE_INFO, ["decision"], [WIDENED]),
        ({"offender_may_pose_risk": "no"}, NOT_ELIGIBLE, ["no_risk"], [WIDENED, VRR]),
        ({"new_evidence": "unsure"}, MORE_INFO, ["new_evidence"], [WIDENED, VRR]),
        (
            {"reported_to_police": "no", "new_evidence": "yes"},
            NOT_ELIGIBLE,
            ["not_reported_to_police", "new_evidence"],
            [WIDENED, VRR],
        ),
    ],
    ids=_ids(range(8)),
)
def test_vrr_whatever_the_outcome_but_only_for_nfa(
    overrides: dict[str, object], outcome: str, reasons: list[str], flags: list[str]
) -> None:
    answers = make(decision_date="2026-10-08", **overrides)
    expect(answers, outcome, reasons, flags)


@pytest.mark.parametrize("decision", ["police_nfa", "cps_nfa"])
def test_vrr_under_csarp_2013(decision: str) -> None:
    answers = make(decision=decision, decision_date="2026-10-08")
    expect(answers, NOT_ELIGIBLE, ["decision_after_cutoff"], [WIDENED, VRR], ruleset="csarp-2013")


WINDOW_CASES: Final = [
    # today, decision_date, in the three-month window
    (date(2026, 11, 21), "2026-08-21", False),
    (date(2026, 11, 21), "2026-08-22", True),
    (date(2026, 11, 21), "2026-08-20", False),
    (date(2026, 11, 21), "2026-11-21", True),
    (date(2026, 11, 21), "2026-11-20", True),
    (date(2026, 5, 31), "2026-02-28", False),
    (date(2026, 5, 31), "2026-03-01", True),
    (date(2026, 5, 30), "2026-02-28", False),
    (date(2026, 5, 30), "2026-03-01", True),
    (date(2026, 5, 29), "2026-02-28", False),
    (date(2026, 5, 29), "2026-03-01", True),
    (date(2026, 5, 28), "2026-02-28", False),
    (date(2024, 5, 31), "2024-02-29", False),
    (date(2024, 5, 31), "2024-03-01", True),
    (date(2024, 5, 29), "2024-02-29", False),
    (date(2024, 5, 29), "2024-03-01", True),
    (date(2026, 11, 30), "2026-08-30", False),
    (date(2026, 11, 30), "2026-08-31", True),
    (date(2026, 12, 31), "2026-09-30", False),
    (date(2026, 12, 31), "2026-10-01", True),
    (date(2026, 3, 31), "2025-12-31", False),
    (date(2026, 3, 31), "2026-01-01", True),
    (date(2026, 1, 15), "2025-10-15", False),
    (date(2026, 1, 15), "2025-10-16", True),
    (date(2026, 2, 1), "2025-11-01", False),
    (date(2026, 2, 1), "2025-11-02", True),
]


@pytest.mark.parametrize("decision", ["police_nfa", "cps_nfa"])
@pytest.mark.parametrize(
    ("today", "decision_date", "in_window"),
    WINDOW_CASES,
    ids=[f"{today}:{dd}" for today, dd, _ in WINDOW_CASES],
)
def test_vrr_three_month_window(
    today: date, decision_date: str, in_window: bool, decision: str
) -> None:
    flags = [WIDENED, VRR, ROUTE] if in_window else [WIDENED, ROUTE]
    expect(make(decision=decision, decision_date=decision_date), ELIGIBLE, [], flags, today=today)


PARTIAL_WINDOW_CASES: Final = [
    # today, decision_date, vrr settled in
    (date(2026, 11, 21), "2026-09", True),
    (date(2026, 11, 21), "2026-11", True),
    (date(2026, 11, 21), "2026-08", False),  # unsettled: 1-21 Aug out, 22-31 Aug in
    (date(2026, 11, 21), "2026-07", False),  # settled out
    (date(2026, 11, 21), "2026", False),  # unsettled
    (date(2026, 5, 31), "2026-02", False),  # settled out: the cut-off is 28 Feb
    (date(2026, 5, 31), "2026-03", True),
    (date(2026, 2, 10), "2026", True),  # 2026 begins after 10 Nov 2025
    (date(2026, 2, 10), "2025-11", False),  # unsettled
    (date(2026, 2, 10), "2025-12", True),
]


@pytest.mark.parametrize("decision", ["police_nfa", "cps_nfa"])
@pytest.mark.parametrize(
    ("today", "decision_date", "vrr"),
    PARTIAL_WINDOW_CASES,
    ids=[f"{today}:{dd}" for today, dd, _ in PARTIAL_WINDOW_CASES],
)
def test_vrr_on_partial_dates(today: date, decision_date: str, vrr: bool, decision: str) -> None:
    flags = [WIDENED, VRR, ROUTE] if vrr else [WIDENED, ROUTE]
    expect(make(decision=decision, decision_date=decision_date), ELIGIBLE, [], flags, today=today)


VRR_START_CASES: Final = [
    # decision, today, decision_date, expected flags (all eligible under csarp-2025)
    ("cps_nfa", date(2013, 7, 10), "2013-06-05", [WIDENED, VRR, ROUTE]),
    ("cps_nfa", date(2013, 7, 10), "2013-06-04", [ROUTE]),
    ("cps_nfa", date(2013, 7, 10), "2013-06", [ROUTE]),
    ("cps_nfa", date(2013, 7, 10), "2013-07", [WIDENED, VRR, ROUTE]),
    ("cps_nfa", date(2013, 6, 5), "2013-06-05", [WIDENED, VRR, ROUTE]),
    ("police_nfa", date(2013, 7, 10), "2013-06-05", [WIDENED, ROUTE]),
    ("police_nfa", date(2015, 5, 15), "2015-03-31", [WIDENED, ROUTE]),
    ("police_nfa", date(2015, 5, 15), "2015-04-01", [WIDENED, VRR, ROUTE]),
    ("police_nfa", date(2015, 5, 15), "2015-04", [WIDENED, VRR, ROUTE]),
    ("police_nfa", date(2015, 5, 15), "2015-03", [WIDENED, ROUTE]),
    ("police_nfa", date(2015, 4, 1), "2015-04-01", [WIDENED, VRR, ROUTE]),
    ("police_nfa", date(2015, 6, 20), "2015", [WIDENED, ROUTE]),
    ("cps_nfa", date(2015, 5, 15), "2015-03-31", [WIDENED, VRR, ROUTE]),
    ("cps_nfa", date(2015, 5, 15), "2015-03", [WIDENED, VRR, ROUTE]),
]


@pytest.mark.parametrize(
    ("decision", "today", "decision_date", "flags"),
    VRR_START_CASES,
    ids=[f"{c[0]}:{c[1]}:{c[2]}" for c in VRR_START_CASES],
)
def test_vrr_scheme_start_dates(
    decision: str, today: date, decision_date: str, flags: list[str]
) -> None:
    expect(make(decision=decision, decision_date=decision_date), ELIGIBLE, [], flags, today=today)


@pytest.mark.parametrize("decision_date", [DROP, None])
def test_no_date_flags_without_decision_date(decision_date: object) -> None:
    expect(make(decision="cps_nfa", decision_date=decision_date), ELIGIBLE, [], [ROUTE])


@pytest.mark.parametrize("ruleset", RULESETS)
def test_route_via_original_force_only_when_eligible(ruleset: str) -> None:
    expect(make(), ELIGIBLE, [], [ROUTE], ruleset=ruleset)
    expect(make(new_evidence="yes"), NOT_ELIGIBLE, ["new_evidence"], [], ruleset=ruleset)
    expect(make(new_evidence="unsure"), MORE_INFO, ["new_evidence"], [], ruleset=ruleset)


# --------------------------------------------------------------------------- derived age

YES, NO, OPEN = "yes", "no", "open"

DERIVATION_CASES: Final = [
    # date_of_birth, offence_start, derived under_18_at_offence
    ("1990-05-01", "2005", YES),
    ("1990-05-01", "2008-04-30", YES),
    ("1990-05-01", "2008-05-01", NO),
    ("1990-05-01", "2008-05-02", NO),
    ("1990-05-01", "2008-04", YES),
    ("1990-05-01", "2008-05", NO),
    ("1990-05-01", "2008", OPEN),
    ("1990-05-01", "2009", NO),
    ("1990", "2007-12", YES),
    ("1990", "2007-12-31", YES),
    ("1990", "2008-01-01", OPEN),
    ("1990", "2008-06", OPEN),
    ("1990", "2008", OPEN),
    ("1990", "2008-12-31", NO),
    ("1990", "2009", NO),
    ("1990-05", "2008-04-30", YES),
    ("1990-05", "2008-05-30", OPEN),
    ("1990-05", "2008-05-31", NO),
    ("1990-05", "2008-05", OPEN),
    ("1990-05", "2008-06", NO),
    ("1990-05", "1995", YES),
    ("2000-02-29", "2018-02-28", YES),
    ("2000-02-29", "2018-03-01", NO),
    ("2000-02-29", "2018-02", YES),
    ("2000-02-29", "2018-03", NO),
    ("2000-02", "2018-03", NO),
    ("2000-02", "2018-02", OPEN),
    ("2000-02", "2018-02-28", OPEN),
    ("1992-02-29", "2010-02-28", YES),
    ("1992-02-29", "2010-03-01", NO),
    ("2000-03-01", "2018-02-28", YES),
    ("2000-03-01", "2018-03-01", NO),
    ("2000-02-28", "2018-02-27", YES),
    ("2000-02-28", "2018-02-28", NO),
]


@pytest.mark.parametrize("under_18", [DROP, None, "unsure"])
@pytest.mark.parametrize(
    ("date_of_birth", "offence_start", "derived"),
    DERIVATION_CASES,
    ids=[f"{dob}:{start}" for dob, start, _ in DERIVATION_CASES],
)
def test_under_18_derived_from_dates(
    date_of_birth: str, offence_start: str, derived: str, under_18: object
) -> None:
    answers = make(
        under_18_at_offence=under_18,
        date_of_birth=date_of_birth,
        offence_start=offence_start,
        decision_date=DROP,
    )
    if derived == YES:
        expect(answers, ELIGIBLE, [], [ROUTE])
    elif derived == NO:
        expect(answers, NOT_ELIGIBLE, ["not_under_18"], [])
    else:
        expect(answers, MORE_INFO, ["under_18_at_offence"], [])


@pytest.mark.parametrize("ruleset", RULESETS)
def test_derived_age_with_decision_date(ruleset: str) -> None:
    answers = make(
        under_18_at_offence=DROP,
        date_of_birth="1990-05-01",
        offence_start="2005",
        offence_end="2007",
    )
    expect(answers, ELIGIBLE, [], [ROUTE], ruleset=ruleset)


@pytest.mark.parametrize("under_18", [DROP, None, "unsure"])
@pytest.mark.parametrize(
    "dates",
    [
        {"date_of_birth": "1990-05-01"},
        {"offence_start": "2005"},
        {"date_of_birth": "1990-05-01", "offence_end": "2005"},
        {},
    ],
    ids=["dob-only", "start-only", "dob-and-end", "none"],
)
def test_under_18_not_derived_without_both_dates(dates: dict[str, str], under_18: object) -> None:
    answers = make(under_18_at_offence=under_18, **dates)
    expect(answers, MORE_INFO, ["under_18_at_offence"], [])


@pytest.mark.parametrize(
    ("under_18", "date_of_birth", "offence_start"),
    [
        ("yes", "1990-05-01", "2008-05-01"),
        ("yes", "1990-05-01", "2008-05"),
        ("yes", "1990", "2009"),
        ("yes", "2000-02-29", "2018-03-01"),
        ("no", "1990-05-01", "2005"),
        ("no", "1990-05-01", "2008-04-30"),
        ("no", "2000-02-29", "2018-02-28"),
        ("no", "1990", "2007-12"),
    ],
)
def test_explicit_age_contradicted_by_dates_is_invalid(
    under_18: str, date_of_birth: str, offence_start: str
) -> None:
    answers = make(
        under_18_at_offence=under_18,
        date_of_birth=date_of_birth,
        offence_start=offence_start,
        decision_date=DROP,
    )
    expect_invalid(answers, "under_18_at_offence", "date_of_birth", "offence_start")


@pytest.mark.parametrize(
    ("under_18", "date_of_birth", "offence_start", "derived_fails"),
    [
        ("yes", "1990-05-01", "2005", False),
        ("no", "1990-05-01", "2008-05-01", True),
        ("yes", "1990-05-01", "2008", False),
        ("no", "1990-05-01", "2008", True),
        ("yes", "2000-02", "2018-02", False),
        ("no", "2000-02", "2018-02", True),
    ],
)
def test_explicit_age_consistent_with_or_unsettled_by_dates(
    under_18: str, date_of_birth: str, offence_start: str, derived_fails: bool
) -> None:
    answers = make(
        under_18_at_offence=under_18,
        date_of_birth=date_of_birth,
        offence_start=offence_start,
        decision_date=DROP,
    )
    if derived_fails:
        expect(answers, NOT_ELIGIBLE, ["not_under_18"], [])
    else:
        expect(answers, ELIGIBLE, [], [ROUTE])


# --------------------------------------------------------------------------- bad input: values


@pytest.mark.parametrize("ruleset", RULESETS)
@pytest.mark.parametrize("key", ["colour", "decision_dates", "under_18", "Decision", "ruleset"])
def test_unknown_key_is_invalid(key: str, ruleset: str) -> None:
    exc = expect_invalid(make(**{key: "yes"}), key, ruleset=ruleset)
    assert [error.key for error in exc.errors] == [key]


def test_unknown_key_alone_is_invalid_even_with_none_value() -> None:
    expect_invalid({"colour": None}, "colour")


BAD_YES_NO_VALUES: Final = ["maybe", "unknown", "", "y", "true", True, False, 1, 0, ["yes"]]


@pytest.mark.parametrize("value", BAD_YES_NO_VALUES, ids=_ids(BAD_YES_NO_VALUES))
@pytest.mark.parametrize("key", YES_NO_KEYS)
def test_yes_no_key_outside_allowed_values(key: str, value: object) -> None:
    exc = expect_invalid(make(**{key: value}), key)
    assert [error.key for error in exc.errors] == [key]


BAD_DECISION_VALUES: Final = ["unsure", "yes", "no", "nfa", "police", "", "charged", True, 3]


@pytest.mark.parametrize("ruleset", RULESETS)
@pytest.mark.parametrize("value", BAD_DECISION_VALUES, ids=_ids(BAD_DECISION_VALUES))
def test_decision_outside_allowed_values(value: object, ruleset: str) -> None:
    exc = expect_invalid(make(decision=value), "decision", ruleset=ruleset)
    assert [error.key for error in exc.errors] == ["decision"]


# --------------------------------------------------------------------------- bad input: dates

MALFORMED_DATES: Final = [
    "2009/03/14",
    "09-03-2009",
    "14-03-2009",
    "2009-13",
    "2009-00",
    "2009-13-01",
    "2009-02-30",
    "2010-02-29",
    "2009-04-31",
    "2009-03-00",
    "2009-03-32",
    "2009-3-14",
    "2009-03-1",
    "209",
    "20090314",
    "2009-03-14T10:00",
    "",
    "soon",
    "unsure",
    "unknown",
    " 2009",
    "2009-03-14\n",
    "\uff12\uff10\uff10\uff19",  # 2009 in full-width digits
    "\u0662\u0660\u0660\u0669-\u0660\u0663",  # 2009-03 in Arabic-Indic digits
    2009,
    20090314,
    2009.0,
]


@pytest.mark.parametrize("value", MALFORMED_DATES, ids=_ids(MALFORMED_DATES))
@pytest.mark.parametrize("key", DATE_KEYS)
def test_malformed_date_is_invalid(key: str, value: object) -> None:
    answers = make(**{key: value})
    if key != "decision_date":
        answers.pop("decision_date")
    exc = expect_invalid(answers, key)
    assert [error.key for error in exc.errors] == [key]


@pytest.mark.parametrize("value", ["2009", "2009-03", "2009-03-14", "2000-02-29", "2008-02"])
@pytest.mark.parametrize("key", DATE_KEYS)
def test_well_formed_dates_are_accepted(key: str, value: str) -> None:
    expect(make(**{key: value}), ELIGIBLE, [], [ROUTE])


@pytest.mark.parametrize("value", ["2026-11-22", "2026-12", "2026-12-01", "2027", "2030-01-01"])
@pytest.mark.parametrize("key", DATE_KEYS)
def test_future_date_is_invalid(key: str, value: str) -> None:
    answers = make(**{key: value})
    if key != "decision_date":
        answers.pop("decision_date")
    expect_invalid(answers, key)


@pytest.mark.parametrize("value", ["2026-11-21", "2026-11", "2026"])
@pytest.mark.parametrize("key", ["date_of_birth", "offence_start", "offence_end"])
def test_date_whose_span_begins_by_today_is_accepted(key: str, value: str) -> None:
    expect(make(decision_date=DROP, **{key: value}), ELIGIBLE, [], [ROUTE])


@pytest.mark.parametrize(
    ("value", "flags"),
    [
        ("2026-11-21", [WIDENED, VRR, ROUTE]),
        ("2026-11", [WIDENED, VRR, ROUTE]),
        ("2026", [WIDENED, ROUTE]),
    ],
)
def test_decision_date_up_to_today_is_accepted(value: str, flags: list[str]) -> None:
    expect(make(decision_date=value), ELIGIBLE, [], flags)


def test_future_is_relative_to_the_given_today() -> None:
    today = date(2010, 1, 1)
    expect(make(decision_date="2010-01-01"), ELIGIBLE, [], [ROUTE], today=today)
    expect(make(decision_date="2010"), ELIGIBLE, [], [ROUTE], today=today)
    expect_invalid(make(decision_date="2010-01-02"), "decision_date", today=today)
    expect_invalid(make(decision_date="2010-02"), "decision_date", today=today)
    expect_invalid(make(decision_date="2011"), "decision_date", today=today)


@pytest.mark.parametrize("ruleset", RULESETS)
@pytest.mark.parametrize(
    ("offence_start", "offence_end"),
    [
        ("2004-06", "2003"),
        ("2004", "2003-12-31"),
        ("2004-03-10", "2004-03-09"),
        ("2004-03", "2004-02-29"),
        ("2004-03", "2004-02"),
        ("2005", "2004"),
    ],
)
def test_offence_ending_before_it_starts_is_invalid(
    offence_start: str, offence_end: str, ruleset: str
) -> None:
    answers = make(offence_start=offence_start, offence_end=offence_end)
    expect_invalid(answers, "offence_end", "offence_start", ruleset=ruleset)


@pytest.mark.parametrize(
    ("offence_start", "offence_end"),
    [
        ("2004", "2004-03"),
        ("2004-03", "2004"),
        ("2004", "2004"),
        ("2004-03-10", "2004-03-10"),
        ("2004-03-10", "2004-03"),
        ("2004-03", "2004-03-01"),
        ("2004-03-31", "2004-03"),
        ("2004-06", "2005"),
    ],
)
def test_offence_spans_that_may_be_in_order_are_accepted(
    offence_start: str, offence_end: str
) -> None:
    expect(make(offence_start=offence_start, offence_end=offence_end), ELIGIBLE, [], [ROUTE])


@pytest.mark.parametrize(
    ("date_of_birth", "offence_start"),
    [
        ("1990-05-01", "1990-04-30"),
        ("1990-05-01", "1990-04"),
        ("1990-05-01", "1989"),
        ("1990", "1989-12"),
        ("1990-05", "1990-04-30"),
    ],
)
def test_offence_starting_before_birth_is_invalid(date_of_birth: str, offence_start: str) -> None:
    answers = make(date_of_birth=date_of_birth, offence_start=offence_start)
    expect_invalid(answers, "offence_start", "date_of_birth")


@pytest.mark.parametrize(
    ("date_of_birth", "offence_start"),
    [
        ("1990-05-01", "1990-05-01"),
        ("1990-05-01", "1990-05"),
        ("1990-05-01", "1990"),
        ("1990", "1990-01"),
        ("1990-05", "1990-05-01"),
    ],
)
def test_offence_that_may_start_after_birth_is_accepted(
    date_of_birth: str, offence_start: str
) -> None:
    answers = make(date_of_birth=date_of_birth, offence_start=offence_start)
    expect(answers, ELIGIBLE, [], [ROUTE])


@pytest.mark.parametrize("ruleset", RULESETS)
@pytest.mark.parametrize(
    ("offence_start", "decision_date"),
    [
        ("2010", "2009-03-14"),
        ("2009-03-15", "2009-03-14"),
        ("2009-04", "2009-03"),
        ("2009-04", "2009-03-31"),
        ("2010-01-01", "2009"),
    ],
)
def test_decision_before_offence_is_invalid(
    offence_start: str, decision_date: str, ruleset: str
) -> None:
    answers = make(offence_start=offence_start, decision_date=decision_date)
    expect_invalid(answers, "decision_date", "offence_start", ruleset=ruleset)


@pytest.mark.parametrize(
    ("offence_start", "decision_date"),
    [
        ("2009-03-14", "2009-03-14"),
        ("2009-03", "2009-03-14"),
        ("2009", "2009-03-14"),
        ("2009-03-20", "2009-03"),
        ("2009-12-31", "2009"),
        ("2009", "2009"),
    ],
)
def test_decision_that_may_follow_offence_is_accepted(
    offence_start: str, decision_date: str
) -> None:
    expect(make(offence_start=offence_start, decision_date=decision_date), ELIGIBLE, [], [ROUTE])


# --------------------------------------------------------------------------- the error object


def test_error_lists_one_entry_per_problem() -> None:
    answers = make(reported_to_police="maybe", decision="nfa")
    with pytest.raises(InvalidAnswers) as info:
        assess(answers, ruleset="csarp-2025", today=TODAY)
    exc = info.value
    assert sorted(error.key for error in exc.errors) == ["decision", "reported_to_police"]
    assert "reported_to_police" in str(exc)
    assert "decision" in str(exc)


def test_error_collects_problems_of_different_kinds() -> None:
    answers = make(colour="red", new_evidence="perhaps", date_of_birth="1990/05/01")
    with pytest.raises(InvalidAnswers) as info:
        assess(answers, ruleset="csarp-2025", today=TODAY)
    exc = info.value
    assert sorted(error.key for error in exc.errors) == [
        "colour",
        "date_of_birth",
        "new_evidence",
    ]
    for key in ("colour", "new_evidence", "date_of_birth"):
        assert key in str(exc)


def test_error_message_is_plain_words() -> None:
    exc = expect_invalid(make(reported_to_police="maybe"), "reported_to_police")
    (error,) = exc.errors
    assert error.key == "reported_to_police"
    assert len(error.message.split()) >= 2


@pytest.mark.parametrize("ruleset", ["csarp-2020", "csarp", "", "2025"])
def test_unknown_ruleset_is_invalid(ruleset: str) -> None:
    with pytest.raises(InvalidAnswers) as info:
        assess(make(), ruleset=ruleset, today=TODAY)
    message = str(info.value)
    assert "ruleset" in message.lower() or (ruleset and ruleset in message)
    assert info.value.errors
