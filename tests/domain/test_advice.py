from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from referral_app.domain import advice
from referral_app.domain.advice import (
    FIND_OUT,
    GUIDE_NOTE,
    INSTEAD,
    NOT_A_JUDGEMENT,
    OUT_OF_COURT,
    OUTCOME_SENTENCES,
    QUESTIONS,
    advice_for,
    answer_words,
    decided_by_name,
    flag_texts,
    vrr_follow_up,
    vrr_window,
)
from referral_app.domain.dates import PartialDate
from referral_app.domain.eligibility import CRITERIA, DECISIONS, FLAG_KEYS, Outcome, assess
from referral_app.domain.referral import Case, DecisionMaker
from referral_app.domain.sources import SOURCES, source

TODAY = date(2026, 11, 21)
REASON_CODES = {code for criterion in CRITERIA for code in criterion.fails.values()} | {
    "decision_after_cutoff"
}

#: Words an advocate must never read (issue 14's review): a guide does not decide, VRR after
#: three months is "exceptional circumstances", and the app is not "we".
FORBIDDEN = ("makes the real decision", "at their discretion", "Panel decides", "We need")


def answers(**changes: Any) -> dict[str, str]:
    base = {
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
    return {k: v for k, v in base.items() if v is not None}


def everything_said(given: dict[str, str], today: date = TODAY) -> str:
    result = assess(given, today=today)
    advice = advice_for(result, given, "Kent Police")
    return " ".join(
        [advice.outcome, *advice.instead, *advice.find_out, *advice.routes, *advice.notes]
        + [flag.text for flag in advice.flags]
    )


def test_every_reason_has_something_the_survivor_can_do_instead() -> None:
    assert set(INSTEAD) == REASON_CODES
    assert "Police Scotland" in INSTEAD["outside_england_wales"]
    assert "PSNI" in INSTEAD["outside_england_wales"]
    assert "report it to the police now" in INSTEAD["not_reported_to_police"]


def test_every_open_question_says_what_to_find_out() -> None:
    assert set(FIND_OUT) == {c.key for c in CRITERIA} | {"decision_date"}
    assert "decision letter" in FIND_OUT["decision"]


def test_every_outcome_has_a_sentence_and_every_question_its_words() -> None:
    assert set(OUTCOME_SENTENCES) == set(Outcome)
    assert set(QUESTIONS) == {c.key for c in CRITERIA} | {"decision_date", *FLAG_KEYS}
    for value in DECISIONS:
        assert answer_words(value) != value


def test_flags_in_words_name_the_vrr_last_day_and_who_decided() -> None:
    result = assess(answers(decision_date="2026-10-08"), today=TODAY)
    texts = {t.flag: t.text for t in flag_texts(result, "Kent Police", "police_nfa")}
    assert "announced on 16 January 2025" in texts["widened_mandate"]
    assert "1 April 2025" in texts["widened_mandate"]
    assert "The three months end on 7 January 2027." in texts["vrr_may_apply"]
    assert "10 working days" in texts["vrr_may_apply"]
    assert "exceptional circumstances" in texts["vrr_may_apply"]
    assert "interviewed under caution" in texts["vrr_may_apply"]
    assert "partial charging" in texts["vrr_may_apply"]
    assert texts["route_via_original_force"].startswith("The request goes first to Kent Police.")
    assert "The Panel then advises" in texts["route_via_original_force"]


def test_vrr_on_its_last_day_says_so() -> None:
    result = assess(answers(decision="cps_nfa", decision_date="2026-08-22"), today=TODAY)
    (text,) = [t.text for t in flag_texts(result, None, "cps_nfa") if t.flag == "vrr_may_apply"]
    assert "Today is the last day" in text
    assert "discontinue" in text


def test_no_sentence_says_the_panel_or_the_app_decides() -> None:
    cases = [
        answers(),
        answers(decision_date="2026-10-08"),
        answers(decision="out_of_court"),
        answers(decision="prosecuted"),
        answers(offender_may_pose_risk="no"),
        answers(new_evidence="yes"),
        answers(group_based="yes", decision_date="2016-04-20"),
        answers(decision="discontinued", decision_date="2026-11-01"),
        answers(under_18_at_offence="no", decision="cps_nfa", decision_date="2019-01"),
    ]
    for given in cases:
        said = everything_said(given)
        for words in FORBIDDEN:
            assert words not in said
        assert re.search(r"\b[Ww]e\b", said) is None, said
        assert GUIDE_NOTE in said and NOT_A_JUDGEMENT in said


def test_the_words_live_with_their_sources() -> None:
    text = Path(advice.__file__).read_text(encoding="utf-8")
    comments = re.findall(r"# Source: (.*)", text)
    assert len(comments) >= 10
    named = {key for line in comments for key in re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)+", line)}
    known = {item.key for item in SOURCES}
    assert named <= known | {"spec-v2"}, named - known
    words = {word for line in comments for word in re.findall(r"[a-z0-9-]+", line)}
    assert known <= words, known - words  # every source backs something said
    for item in SOURCES:
        assert source(item.key) is item
        assert item.address.startswith("http")
        assert item.checked == date(2026, 12, 3)
        assert item.supports


def test_out_of_court_asks_the_force() -> None:
    said = everything_said(answers(decision="out_of_court"))
    assert OUT_OF_COURT in said
    assert "Ask the force whether it would put the case to the Panel" in said


def test_beaconport_says_what_it_is_and_to_ask_the_force() -> None:
    said = everything_said(answers(group_based="yes", decision_date="2016-04-20"))
    assert "Operation Beaconport" in said
    assert "1 January 2010 and 31 March 2025" in said
    assert "ask Kent Police whether this case has been referred to it" in said


def test_new_evidence_is_not_a_dead_end() -> None:
    said = everything_said(answers(new_evidence="yes"))
    assert "not a dead end" in said
    assert "can come back to the Panel" in said
    assert "change of account" not in said


def test_offender_risk_never_sends_anyone_to_look_into_the_offender() -> None:
    for given in (answers(offender_may_pose_risk="no"), answers(offender_may_pose_risk="unsure")):
        said = everything_said(given)
        assert "Unless they are known to have died" in said or "Unless the alleged" in said
        assert "the force can check" in said
        assert "Find out whether the alleged offender" not in said


@pytest.mark.parametrize(
    ("given", "expected", "absent"),
    [
        # Police decision in 2009: no police VRR then; a complaint 12 months on needs a reason.
        (
            answers(under_18_at_offence="no"),
            ["no Victims' Right to Review for this decision", "12 months ago"],
            ["quicker route"],
        ),
        # CPS decision in 2012: before the CPS scheme; a complaint to the CPS is closed.
        (
            answers(under_18_at_offence="no", decision="cps_nfa", decision_date="2012-05"),
            ["covers decisions made from 5 June 2013", "complaint to the CPS is not open"],
            ["Independent Assessor"],
        ),
        # CPS decision in 2019: VRR window long closed; the CPS complaint closed too.
        (
            answers(under_18_at_offence="no", decision="cps_nfa", decision_date="2019-01"),
            ["three months for a Victims' Right to Review", "complaint to the CPS is not open"],
            [],
        ),
        # A recent CPS decision: the CPS complaint process is open.
        (
            answers(under_18_at_offence="no", decision="cps_nfa", decision_date="2026-10-01"),
            ["Independent Assessor of Complaints", "quicker route"],
            ["not open"],
        ),
    ],
)
def test_routes_for_older_cases_never_offer_what_is_closed(
    given: dict[str, str], expected: list[str], absent: list[str]
) -> None:
    said = everything_said(given)
    for words in expected:
        assert words in said
    for words in absent:
        assert words not in said


def test_forces_are_named_as_the_summary_names_them() -> None:
    assert decided_by_name(Case(police_force="Gwent")) == "Gwent Police"
    cps = Case(police_force="Gwent", decided_by=DecisionMaker.CPS, cps_area="Cymru-Wales")
    assert decided_by_name(cps) == "CPS Cymru-Wales"
    met = Case(police_force="Metropolitan Police Service")
    assert decided_by_name(met) == "Metropolitan Police Service"


@pytest.mark.parametrize(
    ("today", "state", "words"),
    [
        (date(2026, 12, 1), "open", "end on 7 January 2027 (in 37 days)"),
        (date(2027, 1, 7), "last_day", "today is the last day"),
        (date(2027, 1, 8), "closed", "Closed on 7 January 2027"),
    ],
)
def test_the_record_says_where_the_vrr_window_stands(today: date, state: str, words: str) -> None:
    window = vrr_window({"decision": "police_nfa", "decision_date": "2026-10-08"}, today)
    assert window is not None
    assert window.state == state
    assert words in window.words


def test_no_vrr_window_where_neither_scheme_applies() -> None:
    for given in (
        {"decision": "police_nfa", "decision_date": "2015-03-01"},
        {"decision": "police_nfa", "decision_date": "2026-10-08", "suspect_interviewed": "no"},
        {"decision": "out_of_court", "decision_date": "2026-10-08"},
        {"decision": "cps_nfa"},
    ):
        assert vrr_window(given, TODAY) is None


def test_the_follow_up_offered_is_a_week_before_the_window_ends() -> None:
    window = vrr_window({"decision": "discontinued", "decision_date": "2026-11-01"}, TODAY)
    assert window is not None
    due, purpose = vrr_follow_up(window, TODAY)  # type: ignore[misc]
    assert due == date(2027, 1, 24)
    assert "31 January 2027" in purpose
    late = vrr_window({"decision": "cps_nfa", "decision_date": "2026-08-25"}, TODAY)
    assert late is not None
    assert vrr_follow_up(late, TODAY) == (TODAY, vrr_follow_up(late, TODAY)[1])  # type: ignore[index]
    assert PartialDate.parse("2026-11-01").first == date(2026, 11, 1)


def test_answer_words() -> None:
    assert answer_words("unsure") == "Not sure"
    assert answer_words("cps_nfa") == "The CPS decided not to charge"
    assert answer_words("discontinued") == "The CPS charged, then stopped the case"
    assert answer_words(None) == "Not answered"


def test_the_vrr_window_is_said_as_the_engine_computes_it() -> None:
    """The engine counts a decision as recent while it is less than three calendar months
    old: the last such day is the one said, not the first day after it "or about"."""
    answers = {
        "offence_in_england_or_wales": "yes",
        "sexual_offence_against_survivor": "yes",
        "under_18_at_offence": "yes",
        "reported_to_police": "yes",
        "decision": "cps_nfa",
        "decision_date": "2026-10-01",
        "new_evidence": "no",
        "offender_may_pose_risk": "yes",
    }
    [text] = [t.text for t in flag_texts(assess(answers, today=TODAY)) if t.flag == "vrr_may_apply"]
    assert "end on 31 December 2026" in text
    assert "about" not in text
    last_day = assess(answers, today=date(2026, 12, 31))
    assert "vrr_may_apply" in last_day.flags
    assert "vrr_may_apply" not in assess(answers, today=date(2027, 1, 1)).flags
