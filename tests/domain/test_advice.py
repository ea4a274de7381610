from __future__ import annotations

from datetime import date

from referral_app.domain.advice import (
    FIND_OUT,
    INSTEAD,
    OUTCOME_SENTENCES,
    answer_words,
    flag_texts,
)
from referral_app.domain.eligibility import CRITERIA, Outcome, assess

TODAY = date(2026, 11, 21)
REASON_CODES = {code for criterion in CRITERIA for code in criterion.fails.values()} | {
    "decision_after_cutoff"
}


def test_every_reason_has_something_the_survivor_can_do_instead() -> None:
    assert set(INSTEAD) == REASON_CODES
    assert "Police Scotland" in INSTEAD["outside_england_wales"]
    assert "PSNI" in INSTEAD["outside_england_wales"]
    assert "report it to the police now" in INSTEAD["not_reported_to_police"]


def test_every_open_question_says_what_to_find_out() -> None:
    assert set(FIND_OUT) == {c.key for c in CRITERIA} | {"decision_date"}
    assert "decision letter" in FIND_OUT["decision"]


def test_every_outcome_has_a_sentence() -> None:
    assert set(OUTCOME_SENTENCES) == set(Outcome)


def test_flags_in_words_name_the_vrr_deadline_and_who_decided() -> None:
    answers = {
        "offence_in_england_or_wales": "yes",
        "sexual_offence_against_survivor": "yes",
        "under_18_at_offence": "yes",
        "reported_to_police": "yes",
        "decision": "police_nfa",
        "decision_date": "2026-10-08",
        "new_evidence": "no",
        "offender_may_pose_risk": "yes",
    }
    texts = {t.flag: t.text for t in flag_texts(assess(answers, today=TODAY), "Kent")}
    assert "widened in January 2025" in texts["widened_mandate"]
    assert "the three months end on 7 January 2027" in texts["vrr_may_apply"]
    assert texts["route_via_original_force"].startswith("The request goes first to Kent.")


def test_answer_words() -> None:
    assert answer_words("unsure") == "Not sure"
    assert answer_words("cps_nfa") == "The CPS decided not to charge"
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
