"""The five referral-detail pages, driven through their real widgets as an advocate would."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from referral_app.domain.dates import PartialDate
from referral_app.domain.flow import Draft
from referral_app.domain.referral import (
    Answer,
    Consent,
    ConsentMethod,
    DecisionMaker,
    ReviewKind,
    ReviewRequest,
    utc_now,
)
from referral_app.ui.common import resources
from referral_app.ui.widgets.partial_date import PartialDateEdit
from referral_app.ui.wizard.case import CasePage
from referral_app.ui.wizard.consent import ConsentPage, consent_complete
from referral_app.ui.wizard.contact import ContactPage
from referral_app.ui.wizard.follow_up import FollowUpPage
from referral_app.ui.wizard.page import WizardPage
from referral_app.ui.wizard.survivor import RadioGroup, SurvivorPage
from tests.storage.conftest import full_referral

TODAY = date(2025, 6, 15)
PAGES: tuple[type[WizardPage], ...] = (
    SurvivorPage,
    ContactPage,
    CasePage,
    ConsentPage,
    FollowUpPage,
)


def make(qtbot: QtBot, kind: type[WizardPage], **options: object) -> WizardPage:
    page = kind(**options)  # type: ignore[arg-type]
    qtbot.addWidget(page)
    return page


def survivor(qtbot: QtBot) -> SurvivorPage:
    page = SurvivorPage()
    qtbot.addWidget(page)
    return page


def contact(qtbot: QtBot) -> ContactPage:
    page = ContactPage()
    qtbot.addWidget(page)
    return page


def case(qtbot: QtBot) -> CasePage:
    page = CasePage()
    qtbot.addWidget(page)
    return page


def consent(qtbot: QtBot, advocate_name: str = "") -> ConsentPage:
    page = ConsentPage(advocate_name=advocate_name)
    qtbot.addWidget(page)
    return page


def follow_up(qtbot: QtBot, today: date = TODAY) -> FollowUpPage:
    page = FollowUpPage(today=lambda: today)
    qtbot.addWidget(page)
    return page


def messages(page: WizardPage, draft: Draft | None = None, today: date = TODAY) -> list[str]:
    draft = draft or Draft()
    page.store(draft)
    return [problem.message for problem in page.validate(draft, today)]


def type_date(qtbot: QtBot, widget: PartialDateEdit, day: str, month: str, year: str) -> None:
    boxes = (widget.day_box, widget.month_box, widget.year_box)
    for box, text in zip(boxes, (day, month, year), strict=True):
        box.clear()
        if text:
            qtbot.keyClicks(box, text)


def press(qtbot: QtBot, button: QAbstractButton) -> None:
    """Choose with the keyboard: focus, then Space."""
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Space)


def inputs(page: QWidget) -> list[QWidget]:
    """Every control an advocate can use that is showing (or would show) on the page."""
    found: list[QWidget] = []
    for widget in page.findChildren(QWidget):
        if not isinstance(widget, QLineEdit | QPlainTextEdit | QComboBox | QAbstractButton):
            continue
        if isinstance(widget.parent(), QComboBox) or not widget.isVisibleTo(page):
            continue
        found.append(widget)
    return found


# Load and store: every field comes back exactly


def test_all_five_pages_round_trip_a_full_referral(qtbot: QtBot) -> None:
    source = Draft(referral=full_referral())
    target = Draft()
    for kind in PAGES:
        page = make(qtbot, kind)
        page.load(source)
        page.store(target)
    original = source.referral
    assert target.referral.survivor == original.survivor
    # Offence and decision dates belong to the eligibility pages, not this one.
    assert target.referral.case == dataclasses.replace(
        original.case, decision_date=None, offence_start=None, offence_end=None
    )
    assert target.referral.consent == original.consent
    assert target.referral.follow_up == original.follow_up
    assert target.raw == {}


@pytest.mark.parametrize("kind", PAGES)
def test_each_page_stores_what_it_loaded_into_the_same_draft_unchanged(
    qtbot: QtBot, kind: type[WizardPage]
) -> None:
    draft = Draft(referral=full_referral())
    before = draft.referral.clone()
    page = make(qtbot, kind)
    page.load(draft)
    page.store(draft)
    assert draft.referral == before
    assert draft.raw == {}


def test_empty_draft_round_trips_as_empty(qtbot: QtBot) -> None:
    target = Draft()
    for kind in PAGES:
        page = make(qtbot, kind)
        page.load(Draft())
        page.store(target)
    assert target.referral == Draft().referral
    assert target.raw == {}


@pytest.mark.parametrize("kind", PAGES)
def test_a_full_referral_has_no_problems(qtbot: QtBot, kind: type[WizardPage]) -> None:
    page = make(qtbot, kind)
    draft = Draft(referral=full_referral())
    page.load(draft)
    assert messages(page, draft, utc_now().date()) == []


@pytest.mark.parametrize("kind", PAGES)
def test_changed_fires_on_edits_but_not_on_load(qtbot: QtBot, kind: type[WizardPage]) -> None:
    page = make(qtbot, kind)
    with qtbot.assertNotEmitted(page.changed):
        page.load(Draft(referral=full_referral()))
    for widget in inputs(page):
        if isinstance(widget, QLineEdit | QPlainTextEdit):
            with qtbot.waitSignal(page.changed, timeout=500):
                qtbot.keyClicks(widget, "7")


# Typing into the real widgets


def test_survivor_typed(qtbot: QtBot) -> None:
    page = survivor(qtbot)
    page.load(Draft())
    qtbot.keyClicks(page.full_name, "Ada Lovelace")
    qtbot.keyClicks(page.previous_names, "Ada Byron")
    qtbot.keyClick(page.previous_names, Qt.Key.Key_Return)
    qtbot.keyClick(page.previous_names, Qt.Key.Key_Return)  # a blank line is not a name
    qtbot.keyClicks(page.previous_names, " A. King ")
    type_date(qtbot, page.birth, "", "Dec", "1985")
    qtbot.keyClicks(page.pronouns, "she/her")
    qtbot.keyClicks(page.language, "British Sign Language")
    press(qtbot, page.interpreter.radios["yes"])
    qtbot.keyClicks(page.access_needs, "Breaks every hour")
    draft = Draft()
    page.store(draft)
    person = draft.referral.survivor
    assert person.full_name == "Ada Lovelace"
    assert person.previous_names == ["Ada Byron", "A. King"]
    assert person.date_of_birth == PartialDate(1985, 12)
    assert (person.pronouns, person.language) == ("she/her", "British Sign Language")
    assert person.interpreter_needed is True
    assert person.access_needs == "Breaks every hour"
    assert messages(page, draft) == []


def test_date_of_birth_is_prefilled_from_the_eligibility_answer(qtbot: QtBot) -> None:
    page = survivor(qtbot)
    draft = Draft()
    draft.referral.survivor.date_of_birth = PartialDate(1990, 5)
    page.load(draft)
    assert page.birth.texts() == ("", "5", "1990")
    # Text the age page could not read yet is shared too: same field, same key.
    draft.raw["date_of_birth"] = ["31", "2", "1990"]
    page.load(draft)
    assert page.birth.texts() == ("31", "2", "1990")


def test_not_sure_is_remembered_though_the_record_holds_none(qtbot: QtBot) -> None:
    page = survivor(qtbot)
    page.load(Draft())
    press(qtbot, page.interpreter.radios["unsure"])
    draft = Draft()
    page.store(draft)
    assert draft.referral.survivor.interpreter_needed is None
    again = survivor(qtbot)
    again.load(draft)
    assert again.interpreter.value() == "unsure"
    assert dict(again.summary(draft))["Does the survivor need an interpreter?"] == "Not sure"


def test_contact_typed(qtbot: QtBot) -> None:
    page = contact(qtbot)
    page.load(Draft())
    press(qtbot, page.advocate_only)
    qtbot.keyClicks(page.phone, "+44 (0)1632 960 001")
    qtbot.keyClicks(page.email, "sam@example.org")
    qtbot.keyClicks(page.address, "2 Example Road")
    qtbot.keyClick(page.address, Qt.Key.Key_Return)
    qtbot.keyClicks(page.address, "Exampleton")
    press(qtbot, page.voicemail.radios["no"])
    press(qtbot, page.letters.radios["not_asked"])
    qtbot.keyClicks(page.safe_times, "After 6pm")
    draft = Draft()
    page.store(draft)
    person = draft.referral.survivor
    assert person.contact.via_advocate_only is True
    assert person.phone == "+44 (0)1632 960 001"
    assert person.email == "sam@example.org"
    assert person.address == "2 Example Road\nExampleton"
    assert person.contact.voicemail_ok is False
    assert person.contact.letters_ok is None
    assert person.contact.safe_times == "After 6pm"
    assert messages(page, draft) == []
    again = contact(qtbot)
    again.load(draft)
    assert again.letters.value() == "not_asked"
    assert dict(again.summary(draft))["Is it safe to send letters?"] == "Not asked"


#: The force's list of matches pops up as one types; the offscreen platform cannot raise it.
popup_warnings = pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing)")


@popup_warnings
def test_case_typed(qtbot: QtBot) -> None:
    page = case(qtbot)
    page.load(Draft())
    qtbot.keyClicks(page.force, "thames valley")
    qtbot.keyClicks(page.references, "ab 123/45")
    qtbot.keyClick(page.references, Qt.Key.Key_Return)
    qtbot.keyClicks(page.references, "tv/9")
    press(qtbot, page.decided_by.radios["cps"])
    page.cps_area.setFocus()
    qtbot.keyClicks(page.cps_area, "Wessex")
    type_date(qtbot, page.reported, "3", "4", "2011")
    qtbot.keyClicks(page.location, "Reading")
    qtbot.keyClicks(page.count, "12")
    press(qtbot, page.alive.radios["yes"])
    qtbot.keyClicks(page.account, "Reported at school.")
    press(qtbot, page.add_button)
    row = page.rows[0]
    assert row.kind.currentData() == ReviewKind.CPS_VRR.value  # as the CPS decided
    type_date(qtbot, row.date, "", "", "2012")
    qtbot.keyClicks(row.result, "Upheld")
    draft = Draft()
    page.store(draft)
    facts = draft.referral.case
    assert facts.police_force == "Thames Valley"
    assert facts.crime_references == ["AB123/45", "TV/9"]
    assert facts.decided_by is DecisionMaker.CPS
    assert facts.cps_area == "Wessex"
    assert facts.date_reported == PartialDate(2011, 4, 3)
    assert facts.location == "Reading"
    assert facts.offender_count == 12
    assert facts.offender_alive_and_known is Answer.YES
    assert facts.account == "Reported at school."
    assert facts.earlier_reviews == [ReviewRequest(ReviewKind.CPS_VRR, PartialDate(2012), "Upheld")]
    assert messages(page, draft) == []


def test_who_decided_is_prefilled_from_the_decision_answer(qtbot: QtBot) -> None:
    page = case(qtbot)
    draft = Draft()
    draft.set_answer("decision", "cps_nfa")
    page.load(draft)
    assert page.decided_by.value() == "cps"
    assert page.cps_reveal.isVisibleTo(page)
    draft.set_answer("decision", "police_nfa")
    page.load(draft)
    assert page.decided_by.value() == "police"
    assert not page.cps_reveal.isVisibleTo(page)


def test_offender_count_takes_only_numbers(qtbot: QtBot) -> None:
    page = case(qtbot)
    qtbot.keyClicks(page.count, "a-1.5x2000")
    assert page.count.text() == "152"  # letters, signs and a fourth digit are refused


def test_review_rows_are_added_removed_and_renumbered(qtbot: QtBot) -> None:
    page = case(qtbot)
    page.load(Draft(referral=full_referral()))
    assert [row.remove.text() for row in page.rows] == ["Remove request 1", "Remove request 2"]
    assert page.add_button.text() == "Add another review request"
    page.rows[1].date.set_texts("", "13", "2010")  # not a date yet: must survive renumbering
    page.rows[0].remove.click()
    assert len(page.rows) == 1
    row = page.rows[0]
    assert row.kind.currentData() == ReviewKind.COMPLAINT.value
    assert row.date.texts() == ("", "13", "2010")
    assert row.remove.text() == "Remove request 1"
    assert row.kind.accessibleName() == "Request 1: type of request"
    draft = Draft()
    page.store(draft)
    assert draft.raw == {"case.earlier_reviews.0.requested_on": ["", "13", "2010"]}
    row.remove.click()
    assert page.rows == []
    assert page.add_button.text() == "Add a review request"
    page.store(draft)
    assert draft.referral.case.earlier_reviews == []
    assert draft.raw == {}


def test_consent_typed(qtbot: QtBot) -> None:
    page = consent(qtbot, "Ann Advocate")
    page.load(Draft())
    assert page.recorded_by.text() == "Ann Advocate"
    for name in ("to_referral", "share_with_cps", "share_with_panel"):
        press(qtbot, page.parts[name])
    type_date(qtbot, page.given, "2", "6", "2025")
    press(qtbot, page.method.radios["verbal"])
    page.recorded_by.clear()
    qtbot.keyClicks(page.recorded_by, "Bo Colleague")
    type_date(qtbot, page.withdrawn, "3", "6", "2025")
    draft = Draft()
    page.store(draft)
    assert draft.referral.consent == Consent(
        to_referral=True,
        share_with_force=False,
        share_with_cps=True,
        share_with_panel=True,
        given_on=date(2025, 6, 2),
        method=ConsentMethod.VERBAL,
        recorded_by="Bo Colleague",
        withdrawn_on=date(2025, 6, 3),
    )
    assert messages(page, draft) == []
    # The name recorded is kept; the advocate's name only fills an empty box.
    page.load(draft)
    assert page.recorded_by.text() == "Bo Colleague"


def test_consent_complete() -> None:
    whole = Consent(True, True, False, True, TODAY, ConsentMethod.WRITTEN)
    assert consent_complete(whole)
    assert consent_complete(dataclasses.replace(whole, share_with_force=False, share_with_cps=True))
    for change in (
        {"to_referral": False},
        {"share_with_panel": False},
        {"share_with_force": False},
        {"given_on": None},
        {"method": None},
        {"withdrawn_on": TODAY},
    ):
        assert not consent_complete(dataclasses.replace(whole, **change))


def test_follow_up_typed_and_quick_picks(qtbot: QtBot) -> None:
    page = follow_up(qtbot)
    page.load(Draft())
    with qtbot.waitSignal(page.changed, timeout=500):
        press(qtbot, page.quick_picks[0])
    assert page.due.value() == PartialDate.from_date(TODAY + timedelta(weeks=2))
    press(qtbot, page.quick_picks[1])
    assert page.due.value() == PartialDate.from_date(TODAY + timedelta(weeks=4))
    qtbot.keyClicks(page.purpose, "Chase the force")
    draft = Draft()
    page.store(draft)
    assert draft.referral.follow_up.due == TODAY + timedelta(weeks=4)
    assert draft.referral.follow_up.purpose == "Chase the force"
    assert messages(page, draft) == []  # in the future is the point


# Validation


def test_survivor_messages(qtbot: QtBot) -> None:
    page = survivor(qtbot)
    page.load(Draft())
    qtbot.keyClicks(page.full_name, "   ")
    assert messages(page) == ["Enter the survivor's full name"]
    qtbot.keyClicks(page.full_name, "Al")
    type_date(qtbot, page.birth, "", "", "2030")
    assert messages(page) == ["The date of birth must be today or in the past"]


@pytest.mark.parametrize(
    ("phone", "ok"),
    [
        ("01632 960 001", True),
        ("07700 900982", True),
        ("+44 7700 900 982", True),
        ("(01632) 960-001", True),
        ("call after 6", False),
        ("123", False),
        ("0163+2960001", False),
        ("0044 1632 960 001 0000 1", False),
    ],
)
def test_phone_format(qtbot: QtBot, phone: str, ok: bool) -> None:
    page = contact(qtbot)
    qtbot.keyClicks(page.phone, phone)
    expected = [] if ok else ["Enter a phone number, like 01632 960 001 or 07700 900 982"]
    assert messages(page) == expected


@pytest.mark.parametrize(
    ("email", "ok"),
    [
        ("a@example.org", True),
        ("first.last+tag@mail.example.co.uk", True),
        ("zelda@example", False),
        ("zelda.example.org", False),
        ("a b@example.org", False),
    ],
)
def test_email_format(qtbot: QtBot, email: str, ok: bool) -> None:
    page = contact(qtbot)
    qtbot.keyClicks(page.email, email)
    expected = [] if ok else ["Enter an email address in the correct format, like name@example.com"]
    assert messages(page) == expected


def test_nothing_is_required_on_the_contact_page(qtbot: QtBot) -> None:
    page = contact(qtbot)
    page.load(Draft())
    assert messages(page) == []


@popup_warnings
def test_case_messages(qtbot: QtBot) -> None:
    page = case(qtbot)
    page.load(Draft())
    assert messages(page) == ["Select the police force that dealt with the report"]
    qtbot.keyClicks(page.force, "Police Scotland")
    type_date(qtbot, page.reported, "", "13", "2010")
    qtbot.keyClicks(page.count, "0")
    page.add_button.click()
    type_date(qtbot, page.rows[0].date, "", "", "20")
    assert messages(page) == [
        "Select a police force from the list",
        "The month it was reported must be between 1 and 12",
        "Enter the number of alleged offenders as a number from 1 to 999",
        "The year it was requested must include 4 numbers",
    ]
    type_date(qtbot, page.reported, "", "", "2030")
    assert "The date it was reported must be today or in the past" in messages(page)


@popup_warnings
def test_cps_area_is_asked_and_required_only_when_the_cps_decided(qtbot: QtBot) -> None:
    page = case(qtbot)
    page.load(Draft())
    qtbot.keyClicks(page.force, "Kent")
    assert not page.cps_reveal.isVisibleTo(page)
    for decider in ("police", "unknown"):
        press(qtbot, page.decided_by.radios[decider])
        assert not page.cps_reveal.isVisibleTo(page)
        assert messages(page) == []
    press(qtbot, page.decided_by.radios["cps"])
    assert page.cps_reveal.isVisibleTo(page)
    draft = Draft()
    page.store(draft)
    problems = page.validate(draft, TODAY)
    assert [(p.message, p.field) for p in problems] == [("Select the CPS Area", page.cps_area)]
    page.cps_area.setCurrentIndex(page.cps_area.findText("South East"))
    assert messages(page) == []
    # Changing the answer hides the area but keeps it; the check page leaves it out.
    press(qtbot, page.decided_by.radios["police"])
    page.store(draft)
    assert draft.referral.case.cps_area == "South East"
    assert "CPS Area" not in dict(page.summary(draft))


def test_consent_messages(qtbot: QtBot) -> None:
    page = consent(qtbot)
    page.load(Draft())
    assert messages(page) == []  # a draft may be saved before the survivor has agreed
    press(qtbot, page.parts["share_with_panel"])
    assert messages(page) == [
        "Enter the date consent was given, including the day",
        "Select how consent was given",
    ]
    press(qtbot, page.method.radios["written"])
    type_date(qtbot, page.given, "", "3", "2025")
    assert messages(page) == ["Enter the date consent was given, including the day"]
    type_date(qtbot, page.given, "31", "3", "2025")
    assert messages(page) == []
    type_date(qtbot, page.given, "1", "7", "2025")
    assert messages(page) == ["The date consent was given must be today or in the past"]
    type_date(qtbot, page.given, "10", "6", "2025")
    type_date(qtbot, page.withdrawn, "", "6", "2025")
    assert messages(page) == ["Enter the date consent was withdrawn, including the day"]
    type_date(qtbot, page.withdrawn, "9", "6", "2025")
    assert messages(page) == [
        "The date consent was withdrawn must be the same as or after the date it was given"
    ]
    type_date(qtbot, page.withdrawn, "10", "6", "2025")
    assert messages(page) == []
    type_date(qtbot, page.withdrawn, "16", "6", "2025")
    assert messages(page) == ["The date consent was withdrawn must be today or in the past"]


def test_follow_up_messages(qtbot: QtBot) -> None:
    page = follow_up(qtbot)
    page.load(Draft())
    assert messages(page) == []
    qtbot.keyClicks(page.purpose, "Call the force")
    assert messages(page) == []  # a purpose without a date is fine
    page.purpose.clear()
    type_date(qtbot, page.due, "", "7", "2026")
    assert messages(page) == [
        "Enter the follow-up date, including the day",
        "Enter what the follow-up is for",
    ]
    type_date(qtbot, page.due, "1", "7", "2099")
    qtbot.keyClicks(page.purpose, "Call")
    assert messages(page) == []
    type_date(qtbot, page.due, "1", "7", "2000")
    assert messages(page) == []  # no rule about the past: it may be an overdue reminder


def test_problems_are_shown_by_their_fields_and_cleared(qtbot: QtBot) -> None:
    page = consent(qtbot)
    page.load(Draft())
    press(qtbot, page.parts["to_referral"])
    draft = Draft()
    page.store(draft)
    problems = page.validate(draft, TODAY)
    page.show_problems(problems)
    assert page.error_summary.messages() == [p.message for p in problems]
    assert page.given.error() == "Enter the date consent was given, including the day"
    label = page.error_label_for(page.method)
    assert label.text() == "Error: Select how consent was given"
    assert page.method.property("invalid") is True
    page.show_problems([])
    assert page.given.error() is None
    assert label.isHidden()
    assert page.method.property("invalid") is False


# Nothing typed is lost


def _fill_wrongly(qtbot: QtBot, page: WizardPage) -> None:
    """Type into every box, valid or not."""
    for widget in inputs(page):
        if isinstance(widget, QLineEdit | QPlainTextEdit) and widget.isEnabled():
            qtbot.keyClicks(widget, "1x")


@pytest.mark.parametrize("kind", PAGES)
def test_validate_clears_nothing_typed(qtbot: QtBot, kind: type[WizardPage]) -> None:
    page = make(qtbot, kind)
    page.load(Draft(referral=full_referral()))
    _fill_wrongly(qtbot, page)
    before = {w: w.text() for w in page.findChildren(QLineEdit)}
    areas = {w: w.toPlainText() for w in page.findChildren(QPlainTextEdit)}
    draft = Draft()
    page.store(draft)
    page.show_problems(page.validate(draft, TODAY))
    assert {w: w.text() for w in page.findChildren(QLineEdit)} == before
    assert {w: w.toPlainText() for w in page.findChildren(QPlainTextEdit)} == areas


@pytest.mark.parametrize(
    ("kind", "field", "key", "texts"),
    [
        (SurvivorPage, "birth", "date_of_birth", ("31", "2", "1990")),
        (CasePage, "reported", "case.date_reported", ("", "13", "2010")),
        (ConsentPage, "given", "consent.given_on", ("", "3", "2025")),  # a day is needed
        (ConsentPage, "withdrawn", "consent.withdrawn_on", ("1", "", "")),
        (FollowUpPage, "due", "follow_up.due", ("", "", "2026")),
    ],
)
def test_date_text_that_is_not_a_date_yet_survives_store_and_load(
    qtbot: QtBot, kind: type[WizardPage], field: str, key: str, texts: tuple[str, str, str]
) -> None:
    page = make(qtbot, kind)
    page.load(Draft(referral=full_referral()))
    widget: PartialDateEdit = getattr(page, field)
    type_date(qtbot, widget, *texts)
    draft = Draft(referral=full_referral())
    page.store(draft)
    assert draft.raw == {key: list(texts)}
    again = make(qtbot, kind)
    again.load(Draft.from_dict(draft.to_dict()))  # as saved in and read from the database
    assert getattr(again, field).texts() == texts
    answers = " ".join(answer for _, answer in again.summary(draft))
    assert "not a complete date yet" in answers or kind is SurvivorPage
    # Once it is a date, the typed text is no longer kept.
    widget.setValue(PartialDate(2001, 2, 3))
    page.store(draft)
    assert draft.raw == {}


def test_offender_count_text_that_is_not_a_number_yet_survives(qtbot: QtBot) -> None:
    page = case(qtbot)
    qtbot.keyClicks(page.count, "0")
    draft = Draft()
    page.store(draft)
    assert draft.referral.case.offender_count is None
    assert draft.raw == {"case.offender_count": ["0"]}
    again = case(qtbot)
    again.load(draft)
    assert again.count.text() == "0"


# Check your answers


def test_summaries_in_page_order_with_not_given(qtbot: QtBot) -> None:
    empty = Draft()
    rows = {kind: make(qtbot, kind).summary(empty) for kind in PAGES}
    assert [label for label, _ in rows[SurvivorPage]] == [
        "Full name",
        "Names used at the time of the report",
        "Other people to keep out of a redacted copy",
        "Pronouns",
        "Preferred language",
        "Does the survivor need an interpreter?",
        "Access needs",
    ]
    assert rows[ContactPage][0] == ("Contact the survivor only through their advocate", "No")
    for kind in PAGES:
        answers = [answer for _, answer in rows[kind]]
        assert set(answers) <= {"Not given", "No"}, kind


def test_summaries_of_a_full_referral(qtbot: QtBot) -> None:
    draft = Draft(referral=full_referral())
    survivor_rows = dict(make(qtbot, SurvivorPage).summary(draft))
    assert survivor_rows["Names used at the time of the report"] == "Zelda Brightwater\nZ. Q."
    assert "Date of birth" not in survivor_rows  # shown with the eligibility answers
    case_rows = make(qtbot, CasePage).summary(draft)
    assert case_rows[:4] == [
        ("Police force", "Dyfed-Powys"),
        ("Crime reference numbers", "ZQ987/65\nDP/2009/1"),
        ("Who made the decision?", "The CPS"),
        ("CPS Area", "Cymru-Wales"),
    ]
    assert case_rows[-2:] == [
        (
            "Earlier review request 1",
            "CPS VRR (Victims' Right to Review), requested May 2009: Decision upheld",
        ),
        ("Earlier review request 2", "Complaint"),
    ]
    consent_rows = dict(make(qtbot, ConsentPage).summary(draft))
    assert consent_rows["What has the survivor agreed to?"] == (
        "Making this referral\nSharing it with the police force\nSharing it with the CPS\n"
        "Sharing it with the Panel"
    )
    assert consent_rows["How was consent given?"] == "In writing"
    due = draft.referral.follow_up.due
    assert due is not None
    assert make(qtbot, FollowUpPage).summary(draft)[0] == (
        "Follow-up date",
        PartialDate.from_date(due).describe(),
    )


# Accessibility and the keyboard


@pytest.mark.parametrize("kind", PAGES)
def test_every_input_has_an_accessible_name(qtbot: QtBot, kind: type[WizardPage]) -> None:
    page = make(qtbot, kind)
    page.load(Draft(referral=full_referral()))
    found = inputs(page)
    assert found
    for widget in found:
        assert widget.accessibleName().strip(), widget
    for group in page.findChildren(RadioGroup):
        assert group.accessibleName()
        for radio in group.radios.values():
            assert radio.accessibleDescription() == group.accessibleName()


@pytest.mark.parametrize("kind", PAGES)
def test_labels_are_optional_unless_required(qtbot: QtBot, kind: type[WizardPage]) -> None:
    """Required, or required when something else is answered: no "(optional)"."""
    required = {
        "Full name",
        "Police force",
        "CPS Area",
        "Date consent was given",
        "How was consent given?",
        "What the follow-up is for",
        "Type of request",
    }
    page = make(qtbot, kind)
    page.load(Draft(referral=full_referral()))
    labels = [
        label.text()
        for label in page.findChildren(QLabel)
        if label.objectName() == "fieldLabel" and label.buddy() is not None
    ]
    assert labels
    for text in labels:
        assert text.endswith(" (optional)") != (text in required), text


@pytest.fixture
def shown(qtbot: QtBot) -> Callable[[WizardPage], WizardPage]:
    def show(page: WizardPage) -> WizardPage:
        page.show()
        qtbot.waitExposed(page)
        page.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is page)
        return page

    return show


def tab_through(qtbot: QtBot, page: WizardPage) -> list[QWidget]:
    first = page.first_field()
    assert first is not None
    first.setFocus(Qt.FocusReason.TabFocusReason)
    start = QApplication.focusWidget()
    assert start is not None
    seen = [start]
    for _ in range(200):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        widget = QApplication.focusWidget()
        assert widget is not None
        if widget is start:
            return seen
        seen.append(widget)
    raise AssertionError("Tab never came back to the first field")


@pytest.mark.parametrize("kind", PAGES)
def test_tab_reaches_every_input_top_to_bottom(
    qtbot: QtBot, kind: type[WizardPage], shown: Callable[[WizardPage], WizardPage]
) -> None:
    page = shown(make(qtbot, kind))
    page.load(Draft(referral=full_referral()))
    if isinstance(page, CasePage):  # rows made after the rest must still come in order
        page.add_button.click()
        assert QApplication.focusWidget() is page.rows[-1].kind
        page.rows[0].remove.click()
        assert QApplication.focusWidget() is page.add_button
    seen = tab_through(qtbot, page)
    expected = [w for w in inputs(page) if not isinstance(w, QRadioButton)]
    assert set(expected) <= set(seen)
    for group in page.findChildren(RadioGroup):
        if group.isVisibleTo(page):
            assert set(group.radios.values()) & set(seen), group.accessibleName()

    def place(widget: QWidget) -> tuple[int, int]:
        point = widget.mapTo(page, widget.rect().topLeft())
        return (point.y(), point.x())

    assert seen == sorted(seen, key=place)


def test_error_summary_link_goes_to_the_field(
    qtbot: QtBot, shown: Callable[[WizardPage], WizardPage]
) -> None:
    page = case(qtbot)
    shown(page)
    page.load(Draft())
    draft = Draft()
    page.store(draft)
    page.show_problems(page.validate(draft, TODAY))
    page.error_summary.follow(0)
    assert QApplication.focusWidget() is page.force


# Pictures to look at


@pytest.fixture
def doubled_font(qapp: QApplication) -> Iterator[None]:
    original = QApplication.font()
    font = QFont(original)
    font.setPointSizeF(original.pointSizeF() * 2)
    QApplication.setFont(font)
    yield
    QApplication.setFont(original)


def render(qtbot: QtBot, kind: type[WizardPage], path: Path, errors: bool) -> WizardPage:
    """The page as the app styles it, saved as a picture; checks nothing is cut off."""
    page = make(qtbot, kind)
    page.setStyleSheet(resources.stylesheet() + page.styleSheet())
    draft = Draft() if errors else Draft(referral=full_referral())
    page.load(draft)
    if errors:
        _fill_wrongly(qtbot, page)
        page.store(draft)
        page.show_problems(page.validate(draft, TODAY))
    page.show()
    qtbot.waitExposed(page)
    width = page.maximumWidth()
    page.resize(width, max(page.sizeHint().height(), page.heightForWidth(width)))
    qtbot.wait(10)
    for label in page.findChildren(QLabel):
        if label.isVisible() and label.wordWrap() and label.text():
            assert label.height() >= label.heightForWidth(label.width()), label.text()
    for edit in page.findChildren(QLineEdit):
        if edit.isVisible() and edit.text():
            assert edit.width() > edit.fontMetrics().horizontalAdvance(edit.text()[:4])
    assert page.grab().save(str(path))
    return page


@pytest.mark.parametrize("kind", PAGES)
@pytest.mark.parametrize("errors", [False, True], ids=["filled", "errors"])
def test_renders(qtbot: QtBot, tmp_path: Path, kind: type[WizardPage], errors: bool) -> None:
    render(qtbot, kind, tmp_path / f"{kind.__name__}.png", errors)


@pytest.mark.parametrize("kind", PAGES)
def test_renders_at_twice_the_text_size(
    qtbot: QtBot, tmp_path: Path, kind: type[WizardPage], doubled_font: None
) -> None:
    page = render(qtbot, kind, tmp_path / f"{kind.__name__}_2x.png", errors=True)
    for combo in page.findChildren(QComboBox):
        metrics = combo.fontMetrics()
        longest = max(metrics.horizontalAdvance(combo.itemText(i)) for i in range(combo.count()))
        if combo.isVisible():
            assert combo.width() > longest
