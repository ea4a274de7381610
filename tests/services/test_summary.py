"""The summary's and the letter's words, as HTML, without Qt: escaping, redaction, the age at
the time, the eligibility wording, and the letter's first draft."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date, datetime
from html import escape

import pytest

from referral_app.domain.advice import FIND_OUT, GUIDE_NOTE, INSTEAD, QUESTIONS, STATUS_WORDS
from referral_app.domain.dates import PartialDate
from referral_app.domain.eligibility import CRITERIA, Status
from referral_app.domain.referral import (
    AssessmentRecord,
    Case,
    DecisionMaker,
    Referral,
    Survivor,
)
from referral_app.services.letter import (
    SUBJECT,
    addressee,
    default_letter,
    letter_html,
    letter_text,
)
from referral_app.services.resources import read_resource
from referral_app.services.summary import (
    CHANGED_SINCE_CHECK,
    age_at,
    initials,
    summary_html,
)
from tests.storage.conftest import ADVOCATE, full_referral

TODAY = date(2026, 11, 21)


def test_the_templates_are_found_as_resources() -> None:
    for name in ("summary.html", "letter.html"):
        assert "<html>" in read_resource(name)


def test_everything_typed_is_text_never_markup() -> None:
    referral = full_referral(name="<b>Zed</b> & <script>x</script>")
    referral.case.account = "<img src=x> a < b"
    html = summary_html(referral, ADVOCATE, printed_on=TODAY)
    assert "<b>Zed" not in html and "<script>" not in html and "<img" not in html
    assert "&lt;b&gt;Zed&lt;/b&gt; &amp; &lt;script&gt;" in html
    assert "&lt;img src=x&gt; a &lt; b" in html


@pytest.mark.parametrize(
    ("born", "when", "age"),
    [
        ("1990-05-14", "2003-05-14", "13"),
        ("1990-05-14", "2003-05-13", "12"),
        ("1990-05", "2003", "12 or 13"),
        ("1990", "2003", "12 or 13"),
        ("1990-05", "2005-06", "15"),
        ("1990", "2000", "9 or 10"),
        ("1985", "1990", "4 or 5"),
    ],
)
def test_age_at_the_time_is_as_exact_as_the_dates(born: str, when: str, age: str) -> None:
    assert age_at(PartialDate.parse(born), PartialDate.parse(when)) == age


def test_a_wide_span_gives_a_range() -> None:
    assert age_at(PartialDate.parse("1990"), PartialDate.parse("2005")) == "14 or 15"
    years = age_at(PartialDate.parse("1990-12-31"), PartialDate.parse("2001"))
    assert years == "10 or 11"
    assert initials("Anne-Marie  o'Neill") == "A. M. O."


def test_the_redacted_summary_scrubs_names_and_contact_details_from_free_text() -> None:
    referral = full_referral()
    referral.case.account = (
        "Zelda told her teacher. ZELDA QUARTERMAINE, then Zelda Brightwater, lived at "
        "1 Example Street. Call 07700 900123 or write to zelda@example.net."
    )
    referral.follow_up.purpose = "Ask Quartermaine family liaison"
    full = summary_html(referral, ADVOCATE, printed_on=TODAY)
    redacted = summary_html(referral, ADVOCATE, redacted=True, printed_on=TODAY)
    for secret in ("Zelda", "Quartermaine", "Brightwater", "Example Street", "07700", "a@example"):
        assert secret in full
        assert secret.lower() not in redacted.lower(), secret
    assert (
        "[survivor&#x27;s name] told her teacher. [survivor&#x27;s name], then "
        "[survivor&#x27;s name], lived at [address]." in redacted
    )
    assert "Call [phone] or write to [email]." in redacted
    assert "Z. Q." in redacted and "12 or 13" in redacted and "ZQ987/65" in redacted
    assert "Redacted copy" in redacted and "Redacted copy" not in full


def test_criteria_are_judged_one_by_one_with_what_to_find_out() -> None:
    referral = full_referral()
    referral.answers["new_evidence"] = "unsure"
    referral.assessments = [
        AssessmentRecord(
            "csarp-2025", "more_information_needed", ["new_evidence"], [], datetime.now(UTC)
        )
    ]
    html = summary_html(referral, ADVOCATE, printed_on=TODAY)
    for criterion in CRITERIA:
        assert escape(QUESTIONS[criterion.key]) in html
    assert html.count(f">{STATUS_WORDS[Status.MET]}<") == len(CRITERIA) - 1
    assert f'<td class="open">{STATUS_WORDS[Status.OPEN]}</td>' in html
    assert FIND_OUT["new_evidence"] in html
    assert escape(GUIDE_NOTE) in html
    assert CHANGED_SINCE_CHECK not in html


def test_a_case_outside_scope_says_what_the_survivor_can_do_instead() -> None:
    referral = full_referral()
    referral.answers["offence_in_england_or_wales"] = "no"
    referral.assessments[0].outcome = "not_eligible"
    html = summary_html(referral, ADVOCATE, printed_on=TODAY)
    assert '<td class="not_met">Not met</td>' in html
    assert escape(INSTEAD["outside_england_wales"]) in html


def test_answers_changed_since_the_last_check_are_pointed_out() -> None:
    referral = full_referral()
    referral.answers["decision"] = "live"  # the record now says what the check did not
    html = summary_html(referral, ADVOCATE, printed_on=TODAY)
    assert CHANGED_SINCE_CHECK in html


def test_a_referral_never_checked_is_worked_out_and_says_so() -> None:
    referral = replace(full_referral(), assessments=[])
    html = summary_html(referral, ADVOCATE, printed_on=TODAY)
    assert "The case has not been checked yet." in html
    assert "Worked out from the answers on 21 November 2026" in html


def test_the_first_draft_of_the_letter_is_filled_from_the_referral() -> None:
    referral = replace(full_referral(), reference="CSARP-2026-00007", request_letter="")
    text = default_letter(referral, ADVOCATE, TODAY)
    for expected in (
        "Safe Space Charity",
        "Ann Advocate",
        "01632 960000",
        "ann@example.org",
        "21 November 2026",
        "CPS Cymru-Wales",
        SUBJECT,
        "Our reference: CSARP-2026-00007",
        "ZQ987/65, DP/2009/1",
        "Survivor: Zelda Quartermaine",
        "Zelda Brightwater",
        "Date of the decision: 14 March 2009",
        "the Crown Prosecution Service decided not to charge",
        "reconsider that decision",
        "refer the case to the Child Sexual Abuse Review Panel",
        "contact Zelda Quartermaine only through me",
        "Yours faithfully,",
    ):
        assert expected in text, expected
    # The date of birth helps the force find the case; the phone number is not for the force.
    assert "born May 1990" in text and "07700" not in text


def test_a_police_decision_goes_to_the_force() -> None:
    case = Case(police_force="Dyfed-Powys", decided_by=DecisionMaker.POLICE)
    assert addressee(case) == "Dyfed-Powys Police"
    assert addressee(Case(police_force="Metropolitan Police Service")) == (
        "Metropolitan Police Service"
    )
    assert addressee(Case(decided_by=DecisionMaker.CPS)) == "The CPS Area that made the decision"
    referral = Referral(
        survivor=Survivor(full_name="Sam Example"),
        case=case,
        answers={"decision": "police_nfa"},
    )
    text = default_letter(referral, None, TODAY)
    assert "Dyfed-Powys Police" in text
    assert "After the report, the police decided to take no further action." in text
    assert "with their consent" not in text  # none recorded


def test_the_saved_letter_is_the_one_used() -> None:
    referral = full_referral()
    assert letter_text(referral, ADVOCATE, TODAY) == referral.request_letter
    assert SUBJECT in letter_text(replace(referral, request_letter="  "), ADVOCATE, TODAY)


def test_the_letter_keeps_its_paragraphs_and_escapes_its_text() -> None:
    html = letter_html(f"Dear <Sir>,\n\n{SUBJECT}\n\nLine one\nline two & more\n")
    assert "<p>Dear &lt;Sir&gt;,</p>" in html
    assert f'<p class="subject">{SUBJECT}</p>' in html
    assert "<p>Line one<br/>line two &amp; more</p>" in html


@pytest.mark.parametrize(
    "written",
    [
        "07700900123",
        "07700-900-123",
        "+44 7700 900123",
        "0044 (0)7700 900 123",
        "EX12MP",
        "ex1  2mp",
    ],
)
def test_contact_details_written_another_way_are_scrubbed_too(written: str) -> None:
    referral = full_referral()
    referral.case.account = f"She said to use {written} from now on."
    redacted = summary_html(referral, ADVOCATE, redacted=True, printed_on=TODAY)
    assert re.search(r"She said to use \[(phone|address)\] from now on\.", redacted), written


@pytest.mark.parametrize(
    ("born", "written"),
    [
        ("1990-05-17", "17/05/1990"),
        ("1990-05-17", "17.5.90"),
        ("1990-05-17", "17th May 1990"),
        ("1990-05-17", "May 17, 1990"),
        ("1990-05-17", "17 of may 1990"),
        ("1990-05-17", "1990-05-17"),
        ("1990-05", "May 1990"),
        ("1990-05", "05/1990"),
    ],
)
def test_the_date_of_birth_in_free_text_is_scrubbed(born: str, written: str) -> None:
    referral = full_referral()
    referral.survivor.date_of_birth = PartialDate.parse(born)
    referral.case.account = f"Born {written} in Aberystwyth."
    redacted = summary_html(referral, ADVOCATE, redacted=True, printed_on=TODAY)
    assert "Born [date of birth] in Aberystwyth." in redacted, written
