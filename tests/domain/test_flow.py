from __future__ import annotations

import json

from referral_app.domain.dates import PartialDate
from referral_app.domain.flow import (
    ALL_PAGES,
    Draft,
    Page,
    applicable_pages,
    next_page,
    page_for_key,
)
from referral_app.domain.referral import DecisionMaker


def test_every_page_comes_in_order_when_nothing_is_skipped() -> None:
    page: Page | None = Page.WHERE
    seen = []
    answers = {"decision": "police_nfa"}
    while page is not None:
        seen.append(page)
        page = next_page(page, answers)
    assert seen == list(ALL_PAGES)


def test_the_suspect_question_comes_only_after_a_police_decision() -> None:
    after_date = next_page(Page.DECISION_DATE, {"decision": "police_nfa"})
    assert after_date is Page.SUSPECT_INTERVIEWED
    for decision in ("cps_nfa", "discontinued", "out_of_court", "unknown"):
        assert next_page(Page.DECISION_DATE, {"decision": decision}) is Page.NEW_EVIDENCE
        assert Page.SUSPECT_INTERVIEWED not in applicable_pages({"decision": decision})
    never = {"reported_to_police": "no", "decision": "police_nfa"}
    assert Page.SUSPECT_INTERVIEWED not in applicable_pages(never)


def test_group_based_is_an_eligibility_question_the_engine_sees() -> None:
    assert next_page(Page.RISK, {}) is Page.GROUP_BASED
    assert next_page(Page.GROUP_BASED, {}) is Page.OUTCOME
    draft = Draft()
    draft.set_answer("group_based", "yes")
    assert draft.eligibility_answers()["group_based"] == "yes"


def test_a_discontinued_case_was_decided_by_the_cps() -> None:
    draft = Draft()
    draft.set_answer("decision", "discontinued")
    assert draft.referral.case.decided_by is DecisionMaker.CPS


def test_no_report_means_no_questions_about_the_decision() -> None:
    answers = {"reported_to_police": "no"}
    assert next_page(Page.REPORTED, answers) is Page.NEW_EVIDENCE
    assert Page.DECISION not in applicable_pages(answers)


def test_a_case_that_went_to_court_has_no_decision_date() -> None:
    for decision in ("prosecuted", "live"):
        assert next_page(Page.DECISION, {"decision": decision}) is Page.NEW_EVIDENCE
    assert next_page(Page.DECISION, {"decision": "unknown"}) is Page.DECISION_DATE


def test_answers_on_skipped_pages_are_kept_but_not_assessed() -> None:
    draft = Draft()
    draft.set_answer("reported_to_police", "yes")
    draft.set_answer("decision", "police_nfa")
    draft.referral.case.decision_date = PartialDate.parse("2009")
    draft.set_answer("reported_to_police", "no")
    answers = draft.eligibility_answers()
    assert "decision" not in answers and "decision_date" not in answers
    assert draft.referral.answers["decision"] == "police_nfa"  # restored if they change back
    draft.set_answer("reported_to_police", "yes")
    assert draft.eligibility_answers()["decision_date"] == "2009"


def test_dates_come_from_the_referral_fields() -> None:
    draft = Draft()
    draft.referral.survivor.date_of_birth = PartialDate.parse("1990-05")
    draft.referral.case.offence_start = PartialDate.parse("2001")
    answers = draft.eligibility_answers()
    assert answers["date_of_birth"] == "1990-05"
    assert answers["offence_start"] == "2001"


def test_the_decision_answer_fills_in_who_decided() -> None:
    draft = Draft()
    draft.set_answer("decision", "cps_nfa")
    assert draft.referral.case.decided_by is DecisionMaker.CPS


def test_each_key_belongs_to_one_page() -> None:
    assert page_for_key("decision_date") is Page.DECISION_DATE
    assert page_for_key("under_18_at_offence") is Page.AGE
    assert page_for_key("nothing") is None


def test_a_draft_survives_json_with_what_was_typed() -> None:
    draft = Draft(page=Page.AGE, history=[Page.WHERE, Page.AGAINST_SURVIVOR])
    draft.set_answer("offence_in_england_or_wales", "yes")
    draft.raw["date_of_birth"] = ["31", "2", "1990"]
    draft.referral.survivor.full_name = "Typed So Far"
    again = Draft.from_dict(json.loads(json.dumps(draft.to_dict())), draft_id=7)
    assert again.page is Page.AGE
    assert again.history == [Page.WHERE, Page.AGAINST_SURVIVOR]
    assert again.raw == {"date_of_birth": ["31", "2", "1990"]}
    assert again.referral == draft.referral
    assert again.draft_id == 7
