"""The guided form as an advocate meets it: messages on Continue, Back and Change that keep
every answer, a referral made with the keyboard alone, names for screen readers, and drafts
that survive the app being killed or are gone when discarded.

Real widgets on the offscreen platform, driven by clicks and key presses (``wizard_driver``);
waits are on signals and conditions, never on the clock.
"""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAccessible
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from referral_app.domain.advice import OUTCOME_SENTENCES
from referral_app.domain.flow import QUESTION_PAGES, Page
from referral_app.storage.access import open_database
from referral_app.storage.db import Database
from referral_app.storage.repository import Repository
from referral_app.ui.widgets.partial_date import PartialDateEdit
from referral_app.ui.window.main_window import MainWindow
from referral_app.ui.wizard.age import AgePage
from referral_app.ui.wizard.case import CasePage
from referral_app.ui.wizard.check import CheckPage
from referral_app.ui.wizard.choice import ChoicePage
from referral_app.ui.wizard.consent import ConsentPage
from referral_app.ui.wizard.decision_date import ENTER_OR_NOT_KNOWN, DecisionDatePage
from referral_app.ui.wizard.page import WizardPage
from referral_app.ui.wizard.survivor import SurvivorPage
from referral_app.ui.wizard.wizard import ReferralWizard
from tests.storage.conftest import PASSPHRASE
from tests.ui.wizard.draft_worker import BEGAN, BIRTH
from tests.ui.wizard_driver import ELIGIBLE, TODAY, Case, Driver

WORKER = Path(__file__).with_name("draft_worker.py")
EMPTY = ("", "", "")
ELIGIBLE_SENTENCE = OUTCOME_SENTENCES["eligible"]
NOT_ELIGIBLE_SENTENCE = OUTCOME_SENTENCES["not_eligible"]


# Setting up


@pytest.fixture
def window(qtbot: QtBot, ui_repository: Repository) -> MainWindow:
    return show_window(qtbot, ui_repository)


def show_window(qtbot: QtBot, repository: Repository) -> MainWindow:
    """The main window, shown and active, so keyboard focus is real."""
    window = MainWindow(repository=repository)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def fix_today(wizard: ReferralWizard) -> None:
    """The fixed day the worked examples use (as tests/ui/wizard/test_wizard.py does)."""
    wizard._today = lambda: TODAY
    for page in wizard.pages.values():
        if hasattr(page, "_today"):
            page._today = lambda: TODAY


def start(qtbot: QtBot, window: MainWindow) -> Driver:
    QTest.mouseClick(window.home.new_button, Qt.MouseButton.LeftButton)
    wizard = window.wizard
    assert isinstance(wizard, ReferralWizard)
    fix_today(wizard)
    return Driver(qtbot, wizard)


def answer_until(driver: Driver, case: Case, stop: Page) -> None:
    """Answer the questions as ``Driver.answer_questions`` does, stopping on ``stop``."""
    while driver.page is not stop:
        page = driver.page
        assert page in QUESTION_PAGES, f"{stop} was not reached"
        widget = driver.widget
        if isinstance(widget, AgePage):
            driver.type_date(widget.birth, case.birth)
            driver.type_date(widget.began, case.began)
            driver.choose(case.answers["under_18_at_offence"])
        elif isinstance(widget, DecisionDatePage):
            assert case.decided is not None
            driver.type_date(widget.date, case.decided)
        else:
            assert isinstance(widget, ChoicePage)
            driver.choose(case.answers[widget.key])
        driver.cont()
        assert driver.page is not page, widget.error_summary.messages()


def on_page(wizard: ReferralWizard, page: Page) -> None:
    """The wizard shows ``page`` (a call, so type checkers do not narrow the page for good)."""
    assert wizard.draft.page is page, f"on {wizard.draft.page}, not {page}"


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def describe(widget: QWidget | None) -> str:
    if widget is None:
        return "nothing"
    return f"{type(widget).__name__} {widget.accessibleName()!r}"


def has_focus_in(field: QWidget) -> bool:
    widget = QApplication.focusWidget()
    return widget is not None and (widget is field or field.isAncestorOf(widget))


def error_line(page: WizardPage, field: QWidget) -> QLabel:
    """The error message shown beside ``field`` (dates carry their own)."""
    if isinstance(field, PartialDateEdit):
        return field.error_label
    return page.error_label_for(field)


def check_rows(page: CheckPage) -> dict[str, str]:
    """Question -> answer, as the check page shows them now."""
    rows: dict[str, str] = {}
    for index in range(page.body.count()):
        item = page.body.itemAt(index)
        grid = item.layout() if item is not None else None
        if not isinstance(grid, QGridLayout):
            continue
        for row in range(grid.rowCount()):
            cells = [grid.itemAtPosition(row, column) for column in (0, 1)]
            labels = [cell.widget() if cell is not None else None for cell in cells]
            question, answer = labels
            if isinstance(question, QLabel) and isinstance(answer, QLabel):
                rows[question.text()] = answer.text()
    return rows


# 1. Validation on Continue


def assert_continue_fails(
    driver: Driver, messages: list[str], field: QWidget, focus: QWidget | None = None
) -> None:
    """Continue stays on the page, names every problem in the summary (which takes the
    focus), shows the first message by ``field``, and the summary's first link puts the focus
    in ``field`` (on ``focus`` exactly, when given)."""
    page_before = driver.page
    driver.cont()
    assert driver.page is page_before
    page = driver.widget
    summary = page.error_summary
    assert summary.isVisible()
    assert summary.accessibleName() == "There is a problem"
    assert "There is a problem" in [label.text() for label in summary.findChildren(QLabel)]
    assert summary.messages() == messages
    assert QApplication.focusWidget() is summary, describe(QApplication.focusWidget())
    line = error_line(page, field)
    assert line.isVisible()
    assert line.text() == f"Error: {messages[0]}"
    summary.follow(0)
    assert has_focus_in(field), describe(QApplication.focusWidget())
    if focus is not None:
        assert QApplication.focusWidget() is focus, describe(QApplication.focusWidget())
    assert driver.page is page_before


@dataclass(frozen=True)
class AgeCase:
    id: str
    messages: list[str]
    field: str  # "birth", "began", "ended" or "answer"
    focus_box: str | None  # "day_box", "month_box" or "year_box" of the field
    birth: tuple[str, str, str] = EMPTY
    began: tuple[str, str, str] = EMPTY
    ended: tuple[str, str, str] = EMPTY
    answer: str | None = None


UNDER_18_MISSING = "Select whether the survivor was under 18 when the abuse began"
AGE_CASES = [
    AgeCase("unanswered", [UNDER_18_MISSING], "answer", None),
    AgeCase(
        "future",
        ["The date of birth must be today or in the past", UNDER_18_MISSING],
        "birth",
        "day_box",
        birth=("1", "1", "2027"),
    ),
    AgeCase(
        "30_february",
        ["The date of birth must be a real date: February 1990 has no day 30", UNDER_18_MISSING],
        "birth",
        "day_box",
        birth=("30", "2", "1990"),
    ),
    AgeCase(
        "month_13",
        ["The month the abuse began must be between 1 and 12"],
        "began",
        "month_box",
        birth=("1", "5", "1990"),
        began=("", "13", "2003"),
        answer="yes",
    ),
    AgeCase(
        "day_without_month",
        ["Enter the month of birth as well as the day"],
        "birth",
        "month_box",
        birth=("5", "", "1990"),
        answer="unsure",
    ),
    AgeCase(
        "ends_before_it_starts",
        ["The offence cannot end (2002) before it started (2003)"],
        "ended",
        "day_box",
        birth=("1", "5", "1990"),
        began=("", "", "2003"),
        ended=("", "", "2002"),
    ),
    AgeCase(
        "starts_before_birth",
        ["The offence cannot start (1985) before the survivor was born (1 May 1990)"],
        "began",
        "day_box",
        birth=("1", "5", "1990"),
        began=("", "", "1985"),
        answer="unsure",
    ),
    AgeCase(
        "no_but_the_dates_say_under_18",
        [
            "The answer says the survivor was 18 or over when the offence began, but the dates "
            "say under 18 (born 1 May 1990, offence from 2003); correct the answer or the dates"
        ],
        "answer",
        None,
        birth=("1", "5", "1990"),
        began=("", "", "2003"),
        answer="no",
    ),
]


def open_age_page(qtbot: QtBot, window: MainWindow) -> tuple[Driver, AgePage]:
    driver = start(qtbot, window)
    answer_until(driver, Case(), Page.AGE)
    page = driver.widget
    assert isinstance(page, AgePage)
    return driver, page


@pytest.mark.parametrize("case", AGE_CASES, ids=[case.id for case in AGE_CASES])
def test_the_age_page_says_what_is_wrong_and_keeps_what_was_typed(
    qtbot: QtBot, window: MainWindow, case: AgeCase
) -> None:
    driver, page = open_age_page(qtbot, window)
    dates = {"birth": page.birth, "began": page.began, "ended": page.ended}
    for name, widget in dates.items():
        driver.type_date(widget, getattr(case, name))
    if case.answer is not None:
        driver.choose(case.answer)
    field = page.group_box if case.field == "answer" else dates[case.field]
    focus = None if case.focus_box is None else getattr(dates[case.field], case.focus_box)
    assert_continue_fails(driver, case.messages, field, focus)
    if case.field == "answer":
        assert isinstance(QApplication.focusWidget(), QRadioButton)
    for name, widget in dates.items():
        assert widget.texts() == getattr(case, name), name
    if case.answer is not None:
        assert page.radios[case.answer].isChecked()


DECISION_CASES = [
    ("unanswered", EMPTY, ENTER_OR_NOT_KNOWN, "day_box"),
    (
        "future",
        ("1", "12", "2026"),
        "The date the decision was made must be today or in the past",
        "day_box",
    ),
    (
        "30_february",
        ("30", "2", "2009"),
        "The date the decision was made must be a real date: February 2009 has no day 30",
        "day_box",
    ),
    (
        "month_13",
        ("", "13", "2009"),
        "The month the decision was made must be between 1 and 12",
        "month_box",
    ),
    (
        "day_without_month",
        ("14", "", "2009"),
        "Enter the month the decision was made as well as the day",
        "month_box",
    ),
    (
        "before_the_offence_began",
        ("", "", "2001"),
        "The decision (2001) cannot come before the offence began (2003)",
        "day_box",
    ),
]


@pytest.mark.parametrize(
    ("typed", "message", "focus_box"),
    [case[1:] for case in DECISION_CASES],
    ids=[case[0] for case in DECISION_CASES],
)
def test_the_decision_date_page_says_what_is_wrong_and_keeps_what_was_typed(
    qtbot: QtBot, window: MainWindow, typed: tuple[str, str, str], message: str, focus_box: str
) -> None:
    driver = start(qtbot, window)
    answer_until(driver, Case(), Page.DECISION_DATE)
    page = driver.widget
    assert isinstance(page, DecisionDatePage)
    driver.type_date(page.date, typed)
    assert_continue_fails(driver, [message], page.date, getattr(page.date, focus_box))
    assert page.date.texts() == typed


def test_the_survivors_name_is_required_and_the_rest_is_kept(
    qtbot: QtBot, window: MainWindow
) -> None:
    driver = start(qtbot, window)
    driver.answer_questions(Case())
    driver.cont()
    page = driver.widget
    assert isinstance(page, SurvivorPage)
    driver.type_into(page.pronouns, "they/them")
    driver.type_into(page.previous_names, "Zelda Brightwater")
    assert_continue_fails(driver, ["Enter the survivor's full name"], page.full_name)
    assert QApplication.focusWidget() is page.full_name
    assert page.pronouns.text() == "they/them"
    assert page.previous_names.toPlainText() == "Zelda Brightwater"
    assert page.birth.texts() == Case().birth  # filled in from the age page, still there


def test_the_police_force_is_required(qtbot: QtBot, window: MainWindow) -> None:
    driver = start(qtbot, window)
    case = Case()
    driver.answer_questions(case)
    driver.cont()
    driver.type_into(driver.widget.full_name, case.name)  # type: ignore[attr-defined]
    driver.cont()
    driver.cont()
    page = driver.widget
    assert isinstance(page, CasePage)
    driver.type_into(page.location, "Maidstone")
    driver.type_into(page.references, "KE/123/09")
    assert_continue_fails(
        driver, ["Select the police force that dealt with the report"], page.force
    )
    assert page.location.text() == "Maidstone"
    assert page.references.toPlainText() == "KE/123/09"


def test_the_cps_area_is_required_when_the_cps_decided(qtbot: QtBot, window: MainWindow) -> None:
    driver = start(qtbot, window)
    case = Case(answers={**ELIGIBLE, "decision": "cps_nfa"})
    driver.answer_questions(case)
    driver.cont()
    driver.type_into(driver.widget.full_name, case.name)  # type: ignore[attr-defined]
    driver.cont()
    driver.cont()
    page = driver.widget
    assert isinstance(page, CasePage)
    assert page.decided_by.radios["cps"].isChecked()  # from the answer about the decision
    assert page.cps_area.isVisible()
    force = page.force.lineEdit()
    assert force is not None
    driver.type_into(force, "Kent")
    assert_continue_fails(driver, ["Select the CPS Area"], page.cps_area, page.cps_area)
    assert page.force.currentText() == "Kent"


# 2. Back and Change keep every answer


def assert_page_shows(driver: Driver, case: Case) -> None:
    page = driver.widget
    if isinstance(page, AgePage):
        assert page.birth.texts() == case.birth
        assert page.began.texts() == case.began
        assert page.ended.texts() == EMPTY
        assert page.radios[case.answers["under_18_at_offence"]].isChecked()
    elif isinstance(page, DecisionDatePage):
        assert page.date.texts() == case.decided
        assert not page.not_known.isChecked()
    else:
        assert isinstance(page, ChoicePage), driver.page
        assert page.selected() == case.answers[page.key], page.key
        assert page.radios[case.answers[page.key]].isChecked()


def test_back_to_the_first_question_keeps_every_answer_and_continue_gives_the_same_result(
    qtbot: QtBot, window: MainWindow
) -> None:
    driver = start(qtbot, window)
    # Dates with days and months, and answers that are not all the first option.
    case = Case(
        birth=("17", "9", "1991"),
        began=("", "6", "2004"),
        decided=("2", "12", "2010"),
        answers={**ELIGIBLE, "decision": "cps_nfa", "offender_may_pose_risk": "unsure"},
    )
    driver.answer_questions(case)
    outcome = driver.wizard.pages[Page.OUTCOME]
    sentence = outcome.outcome_sentence.text()  # type: ignore[attr-defined]
    assert sentence == OUTCOME_SENTENCES["more_information_needed"]  # the risk is not sure
    walked_back: list[Page] = []
    while driver.wizard.back_button.isEnabled():
        driver.back()
        walked_back.append(driver.page)
        assert_page_shows(driver, case)
    # A CPS decision: the question about a suspect interviewed by the police is not asked.
    asked = [page for page in QUESTION_PAGES if page is not Page.SUSPECT_INTERVIEWED]
    assert walked_back == list(reversed(asked))

    walked_on: list[Page] = []
    while driver.page is not Page.OUTCOME:
        driver.cont()
        walked_on.append(driver.page)
        assert not driver.widget.error_summary.isVisible()
    assert walked_on == [*asked[1:], Page.OUTCOME]
    assert outcome.outcome_sentence.text() == sentence  # type: ignore[attr-defined]


def test_change_links_come_back_to_the_check_page_with_the_new_answer(
    qtbot: QtBot, window: MainWindow, ui_repository: Repository
) -> None:
    driver = start(qtbot, window)
    case = Case()
    driver.answer_questions(case)
    driver.fill_details(case)
    check = driver.widget
    assert isinstance(check, CheckPage)
    question = driver.wizard.pages[Page.NEW_EVIDENCE].title
    assert check_rows(check)[question] == "No"
    assert check_rows(check)["Result"] == ELIGIBLE_SENTENCE

    # An eligibility answer: through the outcome, which has changed, then back to the check.
    driver.click(check.change_links[Page.NEW_EVIDENCE][0])
    on_page(driver.wizard, Page.NEW_EVIDENCE)
    assert driver.widget.radios["no"].isChecked()  # type: ignore[attr-defined]
    driver.choose("yes")
    driver.cont()
    on_page(driver.wizard, Page.OUTCOME)
    assert driver.widget.outcome_sentence.text() == NOT_ELIGIBLE_SENTENCE  # type: ignore[attr-defined]
    driver.cont()
    on_page(driver.wizard, Page.CHECK)
    rows = check_rows(check)
    assert rows[question] == "Yes, there is new information"
    assert rows["Result"] == NOT_ELIGIBLE_SENTENCE

    # A detail: straight back to the check page.
    (name_link, *_) = check.change_links[Page.SURVIVOR]
    assert name_link.accessibleName() == "Change Full name"
    driver.click(name_link)
    on_page(driver.wizard, Page.SURVIVOR)
    survivor = driver.widget
    assert isinstance(survivor, SurvivorPage)
    assert survivor.full_name.text() == case.name
    assert QApplication.focusWidget() is survivor.full_name
    QTest.keyClick(survivor.full_name, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    driver.type_into(survivor.full_name, "Zelda Brightwater")
    driver.cont()
    on_page(driver.wizard, Page.CHECK)
    rows = check_rows(check)
    assert rows["Full name"] == "Zelda Brightwater"
    assert rows[question] == "Yes, there is new information"

    with qtbot.waitSignal(driver.wizard.saved, timeout=10_000) as saved:
        driver.cont()
    stored = ui_repository.get(saved.args[0].id)
    assert stored.survivor.full_name == "Zelda Brightwater"
    assert stored.answers == {**ELIGIBLE, "new_evidence": "yes"}
    assert stored.assessments[0].reasons == ["new_evidence"]


# 3. Keyboard only


def key_target() -> QWidget:
    """Where a real key press goes: an open popup (the force list), else the focus."""
    return QApplication.activePopupWidget() or focused()


def press(key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(key_target(), key, modifier)


def type_keys(text: str) -> None:
    for character in text:  # one at a time: a popup may open after the first
        QTest.keyClicks(key_target(), character)


def tab_to(target: QWidget, *, backwards: bool = False, limit: int = 100) -> int:
    """Press Tab (Shift+Tab) until ``target`` has the focus; fails if it is never reached."""
    shift = Qt.KeyboardModifier.ShiftModifier if backwards else Qt.KeyboardModifier.NoModifier
    for presses in range(limit):
        if QApplication.focusWidget() is target:
            return presses
        press(Qt.Key.Key_Tab, shift)
    raise AssertionError(f"Tab never reaches {describe(target)}; stuck at {describe(focused())}")


def tab_stops(limit: int = 100) -> list[QWidget]:
    """Every widget Tab visits, from the focus round to it again (where the focus is left)."""
    first = focused()
    stops = [first]
    for _ in range(limit):
        press(Qt.Key.Key_Tab)
        if focused() is first:
            return stops
        stops.append(focused())
    raise AssertionError("Tab never comes back round")


INPUTS = (QLineEdit, QPlainTextEdit, QComboBox, QRadioButton, QCheckBox, QPushButton)


def unreachable(page: WizardPage) -> list[str]:
    """The inputs on ``page`` that Tab never reaches. A group of radios is reached when one of
    them is (the arrow keys move within it), a combo box's own line edit with the box."""
    stops = tab_stops()

    def reached(widget: QWidget) -> bool:
        return any(stop is widget or stop.isAncestorOf(widget) for stop in stops)

    missing = []
    for widget in (found for kind in INPUTS for found in page.findChildren(kind)):
        if not (widget.isVisible() and widget.isEnabled()):
            continue
        group = widget.group() if isinstance(widget, QRadioButton) else None
        siblings = group.buttons() if group is not None else [widget]
        if not any(reached(sibling) for sibling in siblings):
            missing.append(describe(widget))
    return missing


def alt_c(qtbot: QtBot, wizard: ReferralWizard) -> None:
    """Continue by its access key, once every input of the page has been seen to be within
    reach of Tab. A mnemonic "animates" the click: it lands about 100 ms later."""
    missing = unreachable(wizard.current)
    assert missing == [], (missing, [describe(w) for w in tab_stops()])
    before = wizard.draft.page
    with qtbot.waitSignal(wizard.continue_button.clicked, timeout=2000):
        press(Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)
    assert wizard.draft.page is not before, wizard.current.error_summary.messages()


def test_a_whole_referral_with_the_keyboard_alone(
    qtbot: QtBot, window: MainWindow, ui_repository: Repository
) -> None:
    space, tab = Qt.Key.Key_Space, Qt.Key.Key_Tab
    assert focused() is window.home.new_button
    press(Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    wizard = window.wizard
    assert isinstance(wizard, ReferralWizard)
    fix_today(wizard)
    pages = wizard.pages

    def choice(page: Page, value: str, downs: int = 0) -> None:
        """The focus starts on the first option; arrows move (and select), Space selects."""
        assert wizard.draft.page is page
        widget = pages[page]
        assert isinstance(widget, ChoicePage)
        assert focused() is next(iter(widget.radios.values()))
        for _ in range(downs):
            press(Qt.Key.Key_Down)
        press(space)
        assert widget.selected() == value
        alt_c(qtbot, wizard)

    choice(Page.WHERE, "yes")
    choice(Page.AGAINST_SURVIVOR, "yes")

    age = pages[Page.AGE]
    assert isinstance(age, AgePage)
    assert focused() is age.birth.day_box
    for text in ("1", "5", "1990"):
        type_keys(text)
        press(tab)
    tab_to(age.began.year_box)
    type_keys("2003")
    assert age.radios["yes"].isChecked()  # filled in from the dates, for the advocate to check
    tab_to(age.radios["yes"])
    press(space)
    alt_c(qtbot, wizard)

    choice(Page.REPORTED, "yes")
    choice(Page.DECISION, "police_nfa")
    decided = pages[Page.DECISION_DATE]
    assert isinstance(decided, DecisionDatePage)
    assert focused() is decided.date.day_box
    type_keys("14")
    press(tab)
    type_keys("3")
    press(tab)
    type_keys("2009")
    alt_c(qtbot, wizard)
    choice(Page.SUSPECT_INTERVIEWED, "yes")
    choice(Page.NEW_EVIDENCE, "no", downs=1)
    choice(Page.RISK, "yes")
    choice(Page.GROUP_BASED, "no", downs=1)

    on_page(wizard, Page.OUTCOME)
    assert pages[Page.OUTCOME].outcome_sentence.text() == ELIGIBLE_SENTENCE  # type: ignore[attr-defined]
    alt_c(qtbot, wizard)

    survivor = pages[Page.SURVIVOR]
    assert isinstance(survivor, SurvivorPage)
    assert focused() is survivor.full_name
    type_keys("Zelda Quartermaine")
    alt_c(qtbot, wizard)
    on_page(wizard, Page.CONTACT)
    alt_c(qtbot, wizard)

    case = pages[Page.CASE]
    assert isinstance(case, CasePage)
    assert has_focus_in(case.force)
    type_keys("Kent")
    assert QApplication.activePopupWidget() is not None  # the list of matching forces
    press(Qt.Key.Key_Escape)
    assert QApplication.activePopupWidget() is None
    assert case.force.currentText() == "Kent"
    # The offscreen platform hands activation to the popup when it opens and to nothing when
    # it closes (real platforms keep the window active); give it back, as a real one would.
    QApplication.processEvents()
    if not window.isActiveWindow():
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
    assert has_focus_in(case.force)
    alt_c(qtbot, wizard)

    consent = pages[Page.CONSENT]
    assert isinstance(consent, ConsentPage)
    assert focused() is consent.parts["to_referral"]
    for box in consent.parts.values():
        tab_to(box)
        press(space)
        assert box.isChecked()
    tab_to(consent.given.day_box)
    for text in ("2", "11", "2026"):
        type_keys(text)
        press(tab)
    verbally = consent.method.radios["verbal"]
    tab_to(verbally)
    press(space)
    assert verbally.isChecked()
    cps = consent.parts["share_with_cps"]
    tab_to(cps, backwards=True)  # the survivor would rather the CPS did not see it
    press(space)
    assert not cps.isChecked()
    alt_c(qtbot, wizard)
    on_page(wizard, Page.FOLLOW_UP)
    alt_c(qtbot, wizard)

    on_page(wizard, Page.CHECK)
    assert unreachable(wizard.current) == []  # every Change link
    tab_to(wizard.continue_button)  # "Save referral": no access key, so Tab to it and Space
    with qtbot.waitSignal(wizard.saved, timeout=10_000) as saved:
        press(space)
    assert window.pages.currentWidget() is window.saved_page

    stored = ui_repository.get(saved.args[0].id)
    assert stored.survivor.full_name == "Zelda Quartermaine"
    assert str(stored.survivor.date_of_birth) == "1990-05-01"
    assert str(stored.case.offence_start) == "2003"
    assert str(stored.case.decision_date) == "2009-03-14"
    assert stored.case.police_force == "Kent"
    assert stored.answers == ELIGIBLE
    assert stored.consent.complete
    assert not stored.consent.share_with_cps
    assert (stored.assessments[0].outcome, stored.assessments[0].reasons) == ("eligible", [])
    assert ui_repository.drafts() == []


# 4. Names for screen readers


def accessible_name(widget: QWidget) -> str:
    """What a screen reader announces (for a button without its own name: its text)."""
    interface = QAccessible.queryAccessibleInterface(widget)
    assert interface is not None
    return interface.text(QAccessible.Text.Name)


def test_every_input_on_every_page_has_a_name_for_screen_readers(
    qtbot: QtBot, window: MainWindow
) -> None:
    driver = start(qtbot, window)
    # The CPS route shows the CPS Area, a review request adds a row of fields of its own, and
    # the check page has a Change link for every answer.
    case = Case(answers={**ELIGIBLE, "decision": "cps_nfa"}, cps_area="Cymru-Wales")
    driver.answer_questions(case)
    driver.fill_details(case)
    check = driver.widget
    assert isinstance(check, CheckPage)
    driver.click(check.change_links[Page.CASE][0])
    case_page = driver.widget
    assert isinstance(case_page, CasePage)
    driver.click(case_page.add_button)
    assert len(case_page.rows) == 1
    driver.cont()
    on_page(driver.wizard, Page.CHECK)
    assert "Earlier review request 1" in check_rows(check)

    checked = 0
    unnamed: list[str] = []
    for page in driver.wizard.pages.values():
        for widget in (found for kind in INPUTS for found in page.findChildren(kind)):
            if not widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
                continue
            checked += 1
            if not widget.accessibleName().strip():
                unnamed.append(f"{page.page.value}: {describe(widget)} {widget.objectName()}")
    assert unnamed == []
    assert checked > 100  # every page was looked at, with its inputs
    bar = (
        driver.wizard.back_button,
        driver.wizard.continue_button,
        driver.wizard.close_button,
        driver.wizard.discard_button,
    )
    assert [accessible_name(button) for button in bar] == [
        "Back",
        "Save referral",
        "Save and close",
        "Discard",
    ]


# 5. A draft survives the app being killed; a discarded one is gone


@pytest.fixture
def opened() -> Iterator[list[Database]]:
    """Databases a test opens itself, closed after its windows (pytest-qt closes those first)."""
    databases: list[Database] = []
    yield databases
    for database in databases:
        database.close()


def read_line(stream: queue.Queue[str], timeout: float) -> str:
    try:
        return stream.get(timeout=timeout)
    except queue.Empty:
        return ""


def run_worker(database_path: Path, errors: Path) -> tuple[subprocess.Popen[str], str]:
    """Start the worker and wait (at most a minute) for the first line it prints."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    with errors.open("w") as stderr:
        process = subprocess.Popen(
            [sys.executable, str(WORKER), str(database_path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            env=env,
        )
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(PASSPHRASE + "\n")
    process.stdin.close()
    lines: queue.Queue[str] = queue.Queue()
    stdout = process.stdout
    threading.Thread(target=lambda: lines.put(stdout.readline()), daemon=True).start()
    return process, read_line(lines, timeout=60)


def test_a_draft_autosaved_before_the_app_is_killed_is_offered_and_continues_as_it_was(
    qtbot: QtBot, ui_db_path: Path, opened: list[Database], tmp_path: Path
) -> None:
    errors = tmp_path / "worker-stderr.txt"
    process, line = run_worker(ui_db_path, errors)
    try:
        assert line == "saved\n", errors.read_text()
        assert process.poll() is None  # still running, as the app would be
    finally:
        process.kill()  # SIGKILL: no closeEvent, no last save
        process.wait(timeout=30)
        assert process.stdout is not None
        process.stdout.close()
    if sys.platform != "win32":
        assert process.returncode == -signal.SIGKILL

    database = open_database(ui_db_path, PASSPHRASE, make_backup=False)
    opened.append(database)
    window = show_window(qtbot, Repository(database))
    assert window.pages.currentWidget() is window.home
    assert len(window.home.draft_buttons) == 1
    ((resume, _discard),) = window.home.draft_buttons.values()
    assert resume.text() == "Continue this referral"
    QTest.mouseClick(resume, Qt.MouseButton.LeftButton)

    wizard = window.wizard
    assert isinstance(wizard, ReferralWizard)
    assert window.pages.currentWidget() is wizard
    driver = Driver(qtbot, wizard)
    on_page(driver.wizard, Page.AGE)
    age = driver.widget
    assert isinstance(age, AgePage)
    assert age.birth.texts() == BIRTH
    assert age.began.texts() == BEGAN  # not a date yet, kept as typed
    assert age.ended.texts() == EMPTY
    assert wizard.back_button.isEnabled()
    driver.back()
    on_page(driver.wizard, Page.AGAINST_SURVIVOR)
    assert driver.widget.radios["yes"].isChecked()  # type: ignore[attr-defined]
    driver.back()
    on_page(driver.wizard, Page.WHERE)
    assert driver.widget.radios["yes"].isChecked()  # type: ignore[attr-defined]
    assert not wizard.back_button.isEnabled()


def answer_first_question_and_close(
    qtbot: QtBot, window: MainWindow, repository: Repository
) -> int:
    """A draft made the ordinary way: one answer, then "Save and close"; returns its id."""
    driver = start(qtbot, window)
    driver.choose("no")
    assert repository.drafts() == []  # not saved yet: no page change, no pause of 2 s
    with qtbot.waitSignal(driver.wizard.closed):
        driver.click(driver.wizard.close_button)
    assert window.pages.currentWidget() is window.home
    (draft,) = repository.drafts()
    return draft.id


def answer_in_draft(repository: Repository, draft_id: int) -> str | None:
    document = repository.load_draft(draft_id) or {}
    answers = document.get("referral", {}).get("eligibility", {}).get("answers", {})
    value = answers.get("offence_in_england_or_wales")
    return value if isinstance(value, str) else None


def test_save_and_close_keeps_the_draft_and_the_start_page_offers_it(
    qtbot: QtBot, window: MainWindow, ui_repository: Repository
) -> None:
    draft_id = answer_first_question_and_close(qtbot, window, ui_repository)
    assert [draft.id for draft in ui_repository.drafts()] == [draft_id]
    assert answer_in_draft(ui_repository, draft_id) == "no"  # saved without pressing Continue
    assert list(window.home.draft_buttons) == [draft_id]
    resume, _ = window.home.draft_buttons[draft_id]
    QTest.mouseClick(resume, Qt.MouseButton.LeftButton)
    assert window.wizard is not None
    assert window.wizard.draft.page is Page.WHERE
    assert window.wizard.current.radios["no"].isChecked()  # type: ignore[attr-defined]


def answer_message_box(button: QMessageBox.StandardButton, seen: list[str]) -> None:
    """Press ``button`` of the message box that is about to open (as the advocate would)."""

    def press_it() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.append(box.text())
        choice = box.button(button)
        assert choice is not None
        choice.click()

    QTimer.singleShot(0, press_it)


def test_a_draft_discarded_from_the_start_page_is_deleted(
    qtbot: QtBot, window: MainWindow, ui_repository: Repository
) -> None:
    draft_id = answer_first_question_and_close(qtbot, window, ui_repository)
    seen: list[str] = []

    answer_message_box(QMessageBox.StandardButton.Cancel, seen)
    QTest.mouseClick(window.home.draft_buttons[draft_id][1], Qt.MouseButton.LeftButton)
    assert len(seen) == 1 and "will be deleted" in seen[0]
    assert [draft.id for draft in ui_repository.drafts()] == [draft_id]
    assert list(window.home.draft_buttons) == [draft_id]

    answer_message_box(QMessageBox.StandardButton.Discard, seen)
    QTest.mouseClick(window.home.draft_buttons[draft_id][1], Qt.MouseButton.LeftButton)
    assert len(seen) == 2
    assert ui_repository.drafts() == []
    assert ui_repository.load_draft(draft_id) is None
    assert window.home.draft_buttons == {}
    assert window.pages.currentWidget() is window.home


# 6. Discard and "Save and close" inside the wizard


def test_discard_inside_the_wizard_deletes_the_draft_and_goes_to_the_start_page(
    qtbot: QtBot, window: MainWindow, ui_repository: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    driver = start(qtbot, window)
    driver.choose("yes")
    driver.cont()
    driver.choose("yes")
    assert len(ui_repository.drafts()) == 1  # saved when the page changed
    asked: list[str] = []

    def question(*args: object, **kwargs: object) -> QMessageBox.StandardButton:
        asked.append(str(args[1]))
        return answer

    monkeypatch.setattr(QMessageBox, "question", question)
    answer = QMessageBox.StandardButton.Cancel
    driver.click(driver.wizard.discard_button)
    assert asked == ["Discard this referral?"]
    assert window.pages.currentWidget() is driver.wizard  # nothing happened
    assert len(ui_repository.drafts()) == 1

    answer = QMessageBox.StandardButton.Discard
    with qtbot.waitSignal(driver.wizard.closed):
        driver.click(driver.wizard.discard_button)
    assert len(asked) == 2
    assert ui_repository.drafts() == []
    assert window.pages.currentWidget() is window.home
    assert window.home.draft_buttons == {}


def test_a_discarded_referral_is_not_saved_again_when_the_app_closes(
    qtbot: QtBot, window: MainWindow, ui_repository: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    driver = start(qtbot, window)
    driver.choose("yes")
    driver.cont()
    monkeypatch.setattr(
        QMessageBox, "question", lambda *args, **kwargs: QMessageBox.StandardButton.Discard
    )
    driver.click(driver.wizard.discard_button)
    assert ui_repository.drafts() == []
    window.close()
    assert ui_repository.drafts() == []


# Bugs found while writing these tests, fixed since


def test_every_tab_stop_of_a_question_has_a_name(qtbot: QtBot, window: MainWindow) -> None:
    driver = start(qtbot, window)
    driver.choose("yes")
    driver.cont()
    unnamed = [describe(stop) for stop in tab_stops() if not accessible_name(stop).strip()]
    assert unnamed == []


def test_on_the_age_page_tab_goes_from_the_dates_to_the_question_under_them(
    qtbot: QtBot, window: MainWindow
) -> None:
    _driver, page = open_age_page(qtbot, window)
    assert focused() is page.birth.day_box
    tab_to(page.ended.year_box)
    press(Qt.Key.Key_Tab)
    assert focused() in page.radios.values(), describe(focused())


def test_after_backing_out_of_a_change_continue_walks_the_questions_in_order(
    qtbot: QtBot, window: MainWindow
) -> None:
    driver = start(qtbot, window)
    case = Case()
    driver.answer_questions(case)
    driver.fill_details(case)
    check = driver.widget
    assert isinstance(check, CheckPage)
    driver.click(check.change_links[Page.WHERE][0])
    driver.back()  # changed their mind: nothing changed
    on_page(driver.wizard, Page.CHECK)
    while driver.page is not Page.WHERE:
        driver.back()
    driver.cont()
    on_page(driver.wizard, Page.AGAINST_SURVIVOR)  # as it is without the look at Change


def test_tab_from_the_error_summary_goes_to_its_link_and_enter_follows_it(
    qtbot: QtBot, window: MainWindow
) -> None:
    driver = start(qtbot, window)
    driver.cont()
    page = driver.widget
    assert isinstance(page, ChoicePage)
    summary = page.error_summary
    assert focused() is summary
    press(Qt.Key.Key_Tab)
    assert summary.isAncestorOf(focused()), describe(focused())
    press(Qt.Key.Key_Return)
    assert has_focus_in(page.group_box), describe(focused())
