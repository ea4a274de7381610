"""Property tests of the eligibility engine (hypothesis), including a check against a small,
independent model of the spec."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

from hypothesis import given, settings
from hypothesis import strategies as st

from referral_app.eligibility import InvalidAnswers, assess

TODAY: Final = date(2026, 11, 21)
RULESETS: Final = ("csarp-2025", "csarp-2013")
OUTCOMES: Final = ("eligible", "not_eligible", "more_information_needed")

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
KNOWN_KEYS: Final = frozenset((*TABLE_KEYS, *DATE_KEYS))

FAIL_CODES: Final = (
    "outside_england_wales",
    "not_sexual_offence_against_survivor",
    "not_under_18",
    "not_reported_to_police",
    "prosecuted",
    "live_investigation",
    "new_evidence",
    "no_risk",
    "decision_after_cutoff",
)
OPEN_KEYS: Final = (*TABLE_KEYS, "decision_date")
FLAG_ORDER: Final = ("widened_mandate", "vrr_may_apply", "route_via_original_force")

CUTOFF: Final = date(2013, 6, 5)
POLICE_VRR_START: Final = date(2015, 4, 1)
CPS_VRR_START: Final = CUTOFF

PROPERTY_SETTINGS: Final = settings(max_examples=300, deadline=None)

# --------------------------------------------------------------------------- strategies

ABSENT: Final = "<absent>"  # never a valid value: marks a key left out of the dict

YES_NO_VALUES: Final = ("yes", "no", "unsure", None)
DECISION_VALUES: Final = ("police_nfa", "cps_nfa", "prosecuted", "live", "unknown", None)
BAD_VALUES: Final = ("unknown", "unsure", "maybe", "", "Yes")
SPECIAL_DATES: Final = (
    "2013-06-04",
    "2013-06-05",
    "2013-06",
    "2013",
    "2015-03-31",
    "2015-04-01",
    "2026-08-21",
    "2026-08-22",
    "2026-08",
    "2026-11-21",
    "2026-11-22",
    "2026",
    "2027",
    "2000-02-29",
    "2018-02-28",
    "2018-03-01",
)
MALFORMED_DATES: Final = ("2009/03/14", "09-03-2009", "2009-13", "2009-02-30", "", "unsure")


def fmt(day: date, precision: int) -> str:
    """The date written to `precision` parts: 1 = YYYY, 2 = YYYY-MM, 3 = YYYY-MM-DD."""
    return day.isoformat()[: {1: 4, 2: 7, 3: 10}[precision]]


precisions = st.integers(min_value=1, max_value=3)


@st.composite
def raw_date_strings(draw: st.DrawFn) -> str:
    """A date-like string that may be malformed (month 13, 31 February) or in the future."""
    year = draw(st.integers(min_value=1975, max_value=2028))
    parts = [f"{year:04d}"]
    if draw(st.booleans()):
        parts.append(f"{draw(st.integers(min_value=0, max_value=13)):02d}")
        if draw(st.booleans()):
            parts.append(f"{draw(st.integers(min_value=0, max_value=32)):02d}")
    return "-".join(parts)


date_values = st.one_of(
    st.sampled_from(SPECIAL_DATES),
    st.builds(fmt, st.dates(date(1975, 1, 1), date(2027, 12, 31)), precisions),
    raw_date_strings(),
    st.sampled_from(MALFORMED_DATES),
)


EPOCH: Final = date(1975, 1, 1)


@st.composite
def coherent_dates(draw: st.DrawFn) -> dict[str, object]:
    """Dates in a possible order (birth, offence, decision), each shortened to a random precision
    or left out; never bad input on their own."""
    dob = EPOCH + timedelta(days=draw(st.integers(0, 34 * 366)))
    start = min(dob + timedelta(days=draw(st.integers(0, 30 * 366))), TODAY)
    end = min(start + timedelta(days=draw(st.integers(0, 6 * 366))), TODAY)
    gap = draw(st.integers(-200, 25 * 366))
    if gap >= 0:
        decision = min(start + timedelta(days=gap), TODAY)
    else:  # a recent decision, for the VRR window
        decision = max(start, TODAY + timedelta(days=gap))
    # 0 leaves the key out; 1, 2, 3 are YYYY, YYYY-MM, YYYY-MM-DD
    shapes = draw(st.lists(st.integers(0, 3), min_size=4, max_size=4))
    days = {
        "date_of_birth": dob,
        "offence_start": start,
        "offence_end": end,
        "decision_date": decision,
    }
    return {
        key: fmt(day, shape)
        for (key, day), shape in zip(days.items(), shapes, strict=True)
        if shape
    }


@st.composite
def loose_dates(draw: st.DrawFn) -> dict[str, object]:
    """Any mix of date values (possibly malformed, future or out of order), None, or absent."""
    result: dict[str, object] = {}
    for key in DATE_KEYS:
        value = draw(st.one_of(st.just(ABSENT), st.none(), date_values))
        if value != ABSENT:
            result[key] = value
    return result


MEETS: Final[dict[str, tuple[str, ...]]] = {
    **{key: ("yes",) for key in YES_NO_KEYS},
    "decision": ("police_nfa", "cps_nfa"),
    "new_evidence": ("no",),
}
MEET_CHOICES: Final = {key: st.sampled_from(MEETS[key]) for key in TABLE_KEYS}
MIXED_CHOICES: Final = {
    # weighted towards meeting the criterion; every allowed value, and absence, can come up
    key: st.sampled_from(
        (*MEETS[key] * 6, ABSENT, *(DECISION_VALUES if key == "decision" else YES_NO_VALUES))
    )
    for key in TABLE_KEYS
}
DATE_CHOICES: Final = st.one_of(coherent_dates(), coherent_dates(), loose_dates())


@st.composite
def answers_dicts(draw: st.DrawFn, *, garbage: bool = False) -> dict[str, object]:
    """Answers from known keys with allowed values (and, with `garbage`, now and then a bad
    value or an unknown key). One time in four every criterion is met (only the dates vary),
    so that every outcome is common."""
    choices = MEET_CHOICES if draw(st.integers(0, 3)) == 0 else MIXED_CHOICES
    answers: dict[str, object] = {}
    for key in TABLE_KEYS:
        value = draw(choices[key])
        if value != ABSENT:
            answers[key] = value
    answers.update(draw(DATE_CHOICES))
    if garbage:
        corruption = draw(st.integers(min_value=0, max_value=5))
        if corruption == 0:
            answers[draw(st.sampled_from(TABLE_KEYS))] = draw(st.sampled_from(BAD_VALUES))
        elif corruption == 1:
            answers[draw(st.sampled_from(("colour", "decision_dates", "under_18")))] = "yes"
    return answers


rulesets = st.sampled_from(RULESETS)

# --------------------------------------------------------------------------- independent model


@dataclass(frozen=True)
class Span:
    first: date
    last: date


_DATE_RE: Final = re.compile(r"[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?")


def parse_span(value: object) -> Span | None:
    if not isinstance(value, str) or not _DATE_RE.fullmatch(value):
        return None
    parts = [int(part) for part in value.split("-")]
    try:
        if len(parts) == 1:
            return Span(date(parts[0], 1, 1), date(parts[0], 12, 31))
        if len(parts) == 2:
            year, month = parts
            last = calendar.monthrange(year, month)[1]
            return Span(date(year, month, 1), date(year, month, last))
        day = date(parts[0], parts[1], parts[2])
    except ValueError:
        return None
    return Span(day, day)


def eighteenth_birthday(born: date) -> date:
    try:
        return born.replace(year=born.year + 18)
    except ValueError:  # 29 February, and the year has none
        return date(born.year + 18, 3, 1)


def three_months_before(today: date) -> date:
    year, month = (
        (today.year, today.month - 3)
        if today.month > 3
        else (
            today.year - 1,
            today.month + 9,
        )
    )
    return date(year, month, min(today.day, calendar.monthrange(year, month)[1]))


Verdict = tuple[str, list[str], list[str]]


def model(answers: dict[str, object], ruleset: str, today: date) -> Verdict | None:
    """What the spec says: (outcome, reasons, flags), or None for bad input."""
    if ruleset not in RULESETS or any(key not in KNOWN_KEYS for key in answers):
        return None
    for key in YES_NO_KEYS:
        if answers.get(key) not in YES_NO_VALUES:
            return None
    if answers.get("decision") not in DECISION_VALUES:
        return None
    spans: dict[str, Span] = {}
    for key in DATE_KEYS:
        value = answers.get(key)
        if value is None:
            continue
        span = parse_span(value)
        if span is None or span.first > today:
            return None
        spans[key] = span
    dob, start = spans.get("date_of_birth"), spans.get("offence_start")
    end, decided = spans.get("offence_end"), spans.get("decision_date")
    if start and end and end.last < start.first:
        return None
    if dob and start and start.last < dob.first:
        return None
    if start and decided and decided.last < start.first:
        return None

    under_18 = answers.get("under_18_at_offence")
    if dob and start:
        if start.last < eighteenth_birthday(dob.first):
            derived: str | None = "yes"
        elif start.first >= eighteenth_birthday(dob.last):
            derived = "no"
        else:
            derived = None
        if under_18 in ("yes", "no") and derived is not None and derived != under_18:
            return None
        if under_18 not in ("yes", "no"):
            under_18 = derived

    fails: list[str] = []
    open_keys: list[str] = []
    yes_no_codes = {
        "offence_in_england_or_wales": ("yes", "outside_england_wales"),
        "sexual_offence_against_survivor": ("yes", "not_sexual_offence_against_survivor"),
        "under_18_at_offence": ("yes", "not_under_18"),
        "reported_to_police": ("yes", "not_reported_to_police"),
        "new_evidence": ("no", "new_evidence"),
        "offender_may_pose_risk": ("yes", "no_risk"),
    }
    for key in TABLE_KEYS:
        value = under_18 if key == "under_18_at_offence" else answers.get(key)
        if key == "decision":
            if value in ("prosecuted", "live"):
                fails.append("prosecuted" if value == "prosecuted" else "live_investigation")
            elif value not in ("police_nfa", "cps_nfa"):
                open_keys.append(key)
            continue
        meets, code = yes_no_codes[key]
        if value in ("unsure", None):
            open_keys.append(key)
        elif value != meets:
            fails.append(code)
    if ruleset == "csarp-2013":
        if decided is None or (decided.first < CUTOFF <= decided.last):
            open_keys.append("decision_date")
        elif decided.first >= CUTOFF:
            fails.append("decision_after_cutoff")

    if fails:
        outcome, reasons = "not_eligible", fails
    elif open_keys:
        outcome, reasons = "more_information_needed", open_keys
    else:
        outcome, reasons = "eligible", []

    flags: list[str] = []
    if decided and decided.first >= CUTOFF:
        flags.append("widened_mandate")
    vrr_start = {"cps_nfa": CPS_VRR_START, "police_nfa": POLICE_VRR_START}.get(
        str(answers.get("decision"))
    )
    if (
        decided
        and vrr_start is not None
        and decided.first >= vrr_start
        and decided.first > three_months_before(today)
    ):
        flags.append("vrr_may_apply")
    if outcome == "eligible":
        flags.append("route_via_original_force")
    return outcome, reasons, flags


def beyond_the_listed_checks(answers: dict[str, object]) -> bool:
    """Dates the spec's four listed checks let through but that cannot all be true: the offence
    ending, or the decision, before the survivor was born (it follows from birth <= offence start
    <= offence end and offence start <= decision). The spec is silent on these beyond "malformed
    or contradictory dates" being bad input, so the engine may accept or reject them."""
    spans = {key: parse_span(answers.get(key)) for key in DATE_KEYS}
    dob = spans["date_of_birth"]
    if dob is None:
        return False
    return any(
        span is not None and span.last < dob.first
        for span in (spans["offence_end"], spans["decision_date"])
    )


def run(answers: dict[str, object], ruleset: str, today: date = TODAY) -> Verdict | None:
    """The engine's verdict as plain lists, or None when it raised InvalidAnswers."""
    try:
        result = assess(dict(answers), ruleset=ruleset, today=today)
    except InvalidAnswers:
        return None
    return str(result.outcome), [str(r) for r in result.reasons], [str(f) for f in result.flags]


def test_model_sanity() -> None:
    """The model agrees with a few worked cases, so that disagreements point at the engine."""
    base: dict[str, object] = {
        "offence_in_england_or_wales": "yes",
        "sexual_offence_against_survivor": "yes",
        "under_18_at_offence": "yes",
        "reported_to_police": "yes",
        "decision": "police_nfa",
        "decision_date": "2009-03-14",
        "new_evidence": "no",
        "offender_may_pose_risk": "yes",
    }
    assert model(base, "csarp-2025", TODAY) == ("eligible", [], ["route_via_original_force"])
    recent = {**base, "decision_date": "2026-10-08"}
    assert model(recent, "csarp-2025", TODAY) == (
        "eligible",
        [],
        ["widened_mandate", "vrr_may_apply", "route_via_original_force"],
    )
    year_only = {**base, "decision_date": "2013"}
    assert model(year_only, "csarp-2013", TODAY) == (
        "more_information_needed",
        ["decision_date"],
        [],
    )
    assert three_months_before(date(2026, 5, 31)) == date(2026, 2, 28)
    assert three_months_before(date(2026, 1, 15)) == date(2025, 10, 15)
    assert eighteenth_birthday(date(2000, 2, 29)) == date(2018, 3, 1)
    assert parse_span("2009-02-30") is None
    assert parse_span("2004-02") == Span(date(2004, 2, 1), date(2004, 2, 29))


# --------------------------------------------------------------------------- properties


@PROPERTY_SETTINGS
@given(answers=answers_dicts(garbage=True), ruleset=rulesets)
def test_result_or_invalid_answers_and_nothing_else(
    answers: dict[str, object], ruleset: str
) -> None:
    """(1) Any answers give a result with a known outcome, or InvalidAnswers; nothing else."""
    try:
        result = assess(answers, ruleset=ruleset, today=TODAY)
    except InvalidAnswers as exc:
        assert isinstance(exc, ValueError)
        assert exc.errors
        assert all(isinstance(e.key, str) and isinstance(e.message, str) for e in exc.errors)
        assert str(exc)
        return
    assert result.outcome in OUTCOMES
    assert isinstance(result.reasons, list)
    assert isinstance(result.flags, list)


MEET_AND_FAIL: Final[dict[str, tuple[tuple[str, ...], tuple[tuple[str, str], ...]]]] = {
    # key: (values that meet it, (value that fails it, reason code) ...)
    "offence_in_england_or_wales": (("yes",), (("no", "outside_england_wales"),)),
    "sexual_offence_against_survivor": (
        ("yes",),
        (("no", "not_sexual_offence_against_survivor"),),
    ),
    "under_18_at_offence": (("yes",), (("no", "not_under_18"),)),
    "reported_to_police": (("yes",), (("no", "not_reported_to_police"),)),
    "decision": (
        ("police_nfa", "cps_nfa"),
        (("prosecuted", "prosecuted"), ("live", "live_investigation")),
    ),
    "new_evidence": (("no",), (("yes", "new_evidence"),)),
    "offender_may_pose_risk": (("yes",), (("no", "no_risk"),)),
    "decision_date": (
        ("2009-03-14", "2012", "2013-05", "2013-06-04"),
        (("2013-06-05", "decision_after_cutoff"), ("2019-07-02", "decision_after_cutoff")),
    ),
}


@PROPERTY_SETTINGS
@given(answers=answers_dicts(), ruleset=rulesets, data=st.data())
def test_failing_a_criterion_never_makes_a_case_eligible(
    answers: dict[str, object], ruleset: str, data: st.DataObject
) -> None:
    """(2) Changing an answer that meets its criterion to one that fails it never gives eligible
    (and always gives not_eligible with that criterion's code, unless the change is bad input)."""
    keys = [key for key in MEET_AND_FAIL if key != "decision_date" or ruleset == "csarp-2013"]
    key = data.draw(st.sampled_from(keys), label="key")
    meets, fails = MEET_AND_FAIL[key]
    before_answers = {**answers, key: data.draw(st.sampled_from(meets), label="meets")}
    failing, code = data.draw(st.sampled_from(fails), label="fails")
    after_answers = {**before_answers, key: failing}
    if run(before_answers, ruleset) is None:
        return
    after = run(after_answers, ruleset)
    if after is None:  # e.g. an explicit "no" the dates of birth and offence contradict
        return
    outcome, reasons, _ = after
    assert outcome != "eligible"
    assert outcome == "not_eligible"
    assert code in reasons


@PROPERTY_SETTINGS
@given(answers=answers_dicts(), ruleset=rulesets)
def test_reasons_empty_exactly_when_eligible(answers: dict[str, object], ruleset: str) -> None:
    """(3)"""
    verdict = run(answers, ruleset)
    if verdict is None:
        return
    outcome, reasons, _ = verdict
    assert (reasons == []) == (outcome == "eligible")


@PROPERTY_SETTINGS
@given(answers=answers_dicts(), ruleset=rulesets)
def test_route_via_original_force_exactly_when_eligible(
    answers: dict[str, object], ruleset: str
) -> None:
    """(4)"""
    verdict = run(answers, ruleset)
    if verdict is None:
        return
    outcome, _, flags = verdict
    assert ("route_via_original_force" in flags) == (outcome == "eligible")


def _strictly_ordered(items: list[str], order: tuple[str, ...]) -> bool:
    positions = [order.index(item) for item in items]
    return positions == sorted(set(positions))


@PROPERTY_SETTINGS
@given(answers=answers_dicts(), ruleset=rulesets)
def test_reasons_follow_the_criteria_table(answers: dict[str, object], ruleset: str) -> None:
    """(5) Codes when not eligible, open keys when more information is needed; no repeats;
    in the table's order, with decision_date last and only under csarp-2013."""
    verdict = run(answers, ruleset)
    if verdict is None:
        return
    outcome, reasons, _ = verdict
    if outcome == "not_eligible":
        assert reasons
        assert set(reasons) <= set(FAIL_CODES)
        assert _strictly_ordered(reasons, FAIL_CODES)
        assert not {"prosecuted", "live_investigation"} <= set(reasons)
    elif outcome == "more_information_needed":
        assert reasons
        assert set(reasons) <= set(OPEN_KEYS)
        assert _strictly_ordered(reasons, OPEN_KEYS)
    if ruleset == "csarp-2025":
        assert "decision_date" not in reasons
        assert "decision_after_cutoff" not in reasons


@PROPERTY_SETTINGS
@given(answers=answers_dicts(), ruleset=rulesets)
def test_flags_follow_their_order(answers: dict[str, object], ruleset: str) -> None:
    """(6)"""
    verdict = run(answers, ruleset)
    if verdict is None:
        return
    _, _, flags = verdict
    assert set(flags) <= set(FLAG_ORDER)
    assert _strictly_ordered(flags, FLAG_ORDER)


@PROPERTY_SETTINGS
@given(answers=answers_dicts(garbage=True), ruleset=rulesets)
def test_engine_agrees_with_the_model(answers: dict[str, object], ruleset: str) -> None:
    """(7) Outcome, reasons, flags, and what counts as bad input, match the spec's model."""
    got = run(answers, ruleset)
    if got is None and beyond_the_listed_checks(answers):
        return
    assert got == model(answers, ruleset, TODAY)


@PROPERTY_SETTINGS
@given(answers=answers_dicts())
def test_rulesets_differ_only_by_the_cutoff(answers: dict[str, object]) -> None:
    """(8) Same bad input under both; csarp-2013 is never kinder; date flags are the same."""
    newer, older = run(answers, "csarp-2025"), run(answers, "csarp-2013")
    assert (newer is None) == (older is None)
    if newer is None or older is None:
        return
    if older[0] == "eligible":
        assert newer == older
    if newer[0] == "not_eligible":
        assert older[0] == "not_eligible"
        assert [r for r in older[1] if r != "decision_after_cutoff"] == newer[1]
    route = "route_via_original_force"
    assert [f for f in newer[2] if f != route] == [f for f in older[2] if f != route]


@PROPERTY_SETTINGS
@given(
    today=st.dates(date(2015, 1, 1), TODAY),
    days_ago=st.integers(min_value=0, max_value=120),
    precision=precisions,
    decision=st.sampled_from(("police_nfa", "cps_nfa", "prosecuted")),
)
def test_vrr_window_agrees_with_the_model(
    today: date, days_ago: int, precision: int, decision: str
) -> None:
    """(9) The three-month window (month ends, leap years, partial dates) on varying days."""
    answers: dict[str, object] = {
        "offence_in_england_or_wales": "yes",
        "sexual_offence_against_survivor": "yes",
        "under_18_at_offence": "yes",
        "reported_to_police": "yes",
        "decision": decision,
        "decision_date": fmt(today - timedelta(days=days_ago), precision),
        "new_evidence": "no",
        "offender_may_pose_risk": "yes",
    }
    assert run(answers, "csarp-2025", today) == model(answers, "csarp-2025", today)
