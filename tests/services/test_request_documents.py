"""The request letter, the consent and authority form and the support handout, read back from
real PDFs: a Welsh-speaking survivor, 17 now, group-based abuse in Cardiff in 2016, a police
decision of no further action in 2018 with no suspect interviewed."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, date, datetime

import pypdf
import pytest
from PySide6.QtWidgets import QApplication

from referral_app.domain.dates import PartialDate
from referral_app.domain.eligibility import DATE_KEYS, assess
from referral_app.domain.flow import Draft
from referral_app.domain.referral import (
    AssessmentRecord,
    Case,
    Consent,
    ConsentMethod,
    ContactPreferences,
    DecisionMaker,
    Referral,
    Survivor,
)
from referral_app.domain.support import case_facts, services_for
from referral_app.services.letter import default_letter
from referral_app.services.pdf import (
    MARKING,
    authority_document,
    documents_pdf_bytes,
    handout_document,
    letter_document,
)
from referral_app.services.support import support_list
from tests.storage.conftest import ADVOCATE

TODAY = date(2026, 12, 3)


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


@pytest.fixture
def welsh(qapp: QApplication) -> Referral:
    answers = {
        "offence_in_england_or_wales": "yes",
        "sexual_offence_against_survivor": "yes",
        "under_18_at_offence": "yes",
        "reported_to_police": "yes",
        "decision": "police_nfa",
        "suspect_interviewed": "no",
        "new_evidence": "no",
        "offender_may_pose_risk": "unsure",
        "group_based": "yes",
    }
    referral = Referral(
        survivor=Survivor(
            full_name="Eira Llewelyn",
            previous_names=["Eira Morgan"],
            date_of_birth=PartialDate.parse("2009-03"),
            pronouns="she/her",
            language="Welsh",
            interpreter_needed=False,
            access_needs="Quiet room, step-free access",
            contact=ContactPreferences(
                voicemail_ok=False,
                letters_ok=False,
                safe_times="After 4pm",
                via_advocate_only=False,
            ),
        ),
        case=Case(
            police_force="South Wales",
            crime_references=["SW/2016/4471"],
            decided_by=DecisionMaker.POLICE,
            decision_date=PartialDate.parse("2018-06"),
            offence_start=PartialDate.parse("2016-02"),
            offence_end=PartialDate.parse("2016-09"),
            location="Cardiff",
        ),
        answers=answers,
        consent=Consent(True, True, False, True, date(2026, 11, 30), ConsentMethod.WRITTEN, "Ann"),
        reference="CSARP-2026-00042",
    )
    given = Draft(referral=referral).eligibility_answers()
    result = assess(given, today=TODAY)
    referral.assessments = [
        AssessmentRecord(
            result.ruleset,
            result.outcome,
            list(result.reasons),
            [str(flag) for flag in result.flags],
            datetime(2026, 12, 3, 10, tzinfo=UTC),
            {k: v for k, v in given.items() if k not in DATE_KEYS},
        )
    ]
    return referral


def test_the_letter_holds_what_a_force_needs(welsh: Referral) -> None:
    text = pdf_text(documents_pdf_bytes([letter_document(welsh, ADVOCATE, printed_on=TODAY)]))
    for expected in (
        "South Wales Police",
        "Survivor: Eira Llewelyn, born March 2009",
        "Also known at the time of the report as: Eira Morgan",
        "When the abuse happened: February 2016 to September 2016",
        "Crime reference numbers: SW/2016/4471",
        "Date of the decision: June 2018",
        "the police decided to take no further action",
        "these of the Panel's criteria are met",
        "These are still to be confirmed: the alleged offender could still pose a risk",
        "announced on 16 January 2025",
        "1 April 2025",
        "preferred language is Welsh",
        "Access needs: Quiet room, step-free access",
        "would like correspondence in Welsh",
        "gave their written consent to this request on 30 November 2026",
        "A signed authority is available on request",
        "please do not send letters to their home",
        "please do not leave voicemail messages",
        "After 4pm",
        "for its advice",
    ):
        assert expected in text, expected
    assert "Victims' Right to Review" not in text  # 2018: long closed, and no one interviewed


def test_the_letter_asks_for_vrr_within_the_window_and_says_an_authority_is_enclosed(
    welsh: Referral,
) -> None:
    recent = replace(welsh, case=replace(welsh.case, decision_date=PartialDate.parse("2026-10-20")))
    recent.answers = {**welsh.answers, "suspect_interviewed": "yes"}
    recent.consent = replace(welsh.consent, authority_received_on=date(2026, 12, 1))
    recent.survivor = replace(welsh.survivor, language="English")
    text = default_letter(recent, ADVOCATE, TODAY)
    assert "also as a request for a review under the Victims' Right to Review scheme" in text
    assert "which end on 19 January 2027" in text
    assert "A signed authority is enclosed." in text
    assert "Welsh" not in text
    english_force = replace(welsh, case=replace(welsh.case, police_force="Kent"))
    assert "correspondence in Welsh" not in default_letter(english_force, ADVOCATE, TODAY)


def test_the_authority_form_is_filled_in_from_the_record(welsh: Referral) -> None:
    text = pdf_text(documents_pdf_bytes([authority_document(welsh, ADVOCATE)]))
    for expected in (
        "Consent and authority",
        "CSARP-2026-00042",
        "Eira Llewelyn",
        "March 2009",
        "SW/2016/4471",
        "South Wales Police",
        "Safe Space Charity",
        "Ann Advocate",
        "01632 960000",
        "Signature",
        "Sharing it with the Child Sexual Abuse Review Panel",
        "(agreed when consent was recorded)",
        "I authorise South Wales Police",
    ):
        assert expected in text, expected
    assert text.count("(agreed when consent was recorded)") == 3  # not the CPS part
    assert text.count(MARKING) >= 2


def test_the_handout_holds_nothing_about_the_survivor_and_suits_the_case(welsh: Referral) -> None:
    services = services_for(support_list(), case_facts(welsh, TODAY))
    text = pdf_text(documents_pdf_bytes([handout_document(services, TODAY)]))
    reader = pypdf.PdfReader(io.BytesIO(documents_pdf_bytes([handout_document(services, TODAY)])))
    assert len(reader.pages) == 1
    for private in ("Eira", "Llewelyn", "Morgan", "CSARP-2026-00042", "SW/2016", "2009", MARKING):
        assert private not in text
    for expected in (
        "Childline",
        "0800 1111",
        "Live Fear Free",
        "0808 80 10 800",
        "NSPCC Helpline",
    ):
        assert expected in text
    assert "Rape and Sexual Abuse Support Line" in text  # 16 and over
    assert "NAPAC" in text and "Victim Support" in text and "The Survivors Trust" in text
    assert "last checked on 3 December 2026" in text
    older = replace(welsh, survivor=replace(welsh.survivor, date_of_birth=PartialDate(1980)))
    english = replace(older, case=replace(older.case, police_force="Kent"), answers={})
    other = pdf_text(
        documents_pdf_bytes(
            [handout_document(services_for(support_list(), case_facts(english, TODAY)), TODAY)]
        )
    )
    assert "Childline" not in other and "Live Fear Free" not in other
    assert "NSPCC Helpline" not in other
