"""Rules v2 as an advocate meets them: the new questions, the corrected advice on the result
page, the VRR window on the record and as a follow-up, the printed summary, and Help > About
the rules. Each case goes from New referral to a PDF read back with pypdf."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import pypdf
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QLabel, QWidget
from pytestqt.qtbot import QtBot

from referral_app.domain.advice import GUIDE_NOTE, NOT_A_JUDGEMENT, OUT_OF_COURT
from referral_app.domain.dates import PartialDate, add_months, describe_day
from referral_app.domain.eligibility import vrr_last_day
from referral_app.domain.flow import Page
from referral_app.domain.referral import Referral
from referral_app.domain.sources import SOURCES
from referral_app.storage.repository import Repository
from referral_app.ui.common.privacy import PrivacyMode
from referral_app.ui.guide.about_rules import AboutRulesDialog
from referral_app.ui.printing.dialog import PrintDialog
from referral_app.ui.window.main_window import MainWindow
from referral_app.ui.wizard.follow_up import FollowUpPage
from referral_app.ui.wizard.wizard import ReferralWizard
from tests.storage.conftest import full_referral
from tests.ui.conftest import screenshot_folder
from tests.ui.record_helpers import TODAY as RECORD_TODAY
from tests.ui.record_helpers import open_view, settle
from tests.ui.wizard_driver import ELIGIBLE, TODAY, Case, Driver

#: Wording the specialist's review found and that must never come back.
FORBIDDEN = ("makes the real decision", "at their discretion", "by about", "Panel decides")


@dataclass
class NewUserCase:
    case: Case
    outcome: str
    shown: list[str] = field(default_factory=list)
    printed: list[str] = field(default_factory=list)


CASES = {
    # The CPS charged, then stopped the case three weeks ago: VRR is open.
    "discontinued": NewUserCase(
        Case(
            answers={**ELIGIBLE, "decision": "discontinued"},
            decided=("31", "10", "2026"),
            force="Gwent",
            cps_area="Cymru-Wales",
        ),
        "eligible",
        [
            # Before the case details, who decided is not known yet.
            "The request goes first to the police force or CPS Area that made the decision.",
            "The three months end on 30 January 2027.",
            "to stop (discontinue) a case",
            "announced on 16 January 2025",
        ],
        [
            "The CPS charged, then stopped the case",
            "The request goes first to CPS Cymru-Wales.",
            "30 January 2027",
        ],
    ),
    # A caution: open, and the advice is to ask the force.
    "caution": NewUserCase(
        Case(
            answers={**ELIGIBLE, "decision": "out_of_court"},
            decided=("", "6", "2015"),
            force="Gwent",
        ),
        "more_information_needed",
        [OUT_OF_COURT],
        ["A caution or other out-of-court outcome", "Ask the force whether it would put"],
    ),
    # Group-based abuse, police NFA in 2016, no suspect interviewed: Operation Beaconport.
    "group_based": NewUserCase(
        Case(
            answers={**ELIGIBLE, "group_based": "yes", "suspect_interviewed": "no"},
            decided=("20", "4", "2016"),
            force="Gwent",
        ),
        "eligible",
        ["Operation Beaconport", "1 January 2010 and 31 March 2025"],
        [
            "Group-based Yes",
            "Operation Beaconport",
            "Suspect interviewed under caution No",
            "ask Gwent Police whether this case has been referred to it",
            "The request goes first to Gwent Police.",
        ],
    ),
}


@pytest.fixture
def window(qtbot: QtBot, ui_repository: Repository) -> MainWindow:
    window = MainWindow(repository=ui_repository)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def start(qtbot: QtBot, window: MainWindow) -> Driver:
    qtbot.mouseClick(window.home.new_button, Qt.MouseButton.LeftButton)
    wizard = window.wizard
    assert isinstance(wizard, ReferralWizard)
    wizard._today = lambda: TODAY
    for page in wizard.pages.values():
        if hasattr(page, "_today"):
            page._today = lambda: TODAY  # type: ignore[attr-defined]
    return Driver(qtbot, wizard)


def shown_text(widget: QWidget) -> str:
    return "\n".join(label.text() for label in widget.findChildren(QLabel) if label.isVisible())


def pdf_text(path: Path) -> str:
    reader = pypdf.PdfReader(io.BytesIO(path.read_bytes()))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def assert_nothing_forbidden(text: str) -> None:
    for words in FORBIDDEN:
        assert words not in text
    # A force is never a bare list entry in a sentence ("first to Gwent.", "ask Gwent whether").
    assert re.search(r"(first to|ask) Gwent(?! Police)", text) is None


@pytest.mark.parametrize("name", list(CASES))
def test_a_new_user_from_new_referral_to_the_printed_summary(
    qtbot: QtBot,
    window: MainWindow,
    ui_repository: Repository,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
) -> None:
    example = CASES[name]
    driver = start(qtbot, window)
    driver.answer_questions(example.case)
    asked = driver.wizard.draft.history
    police = example.case.answers["decision"] == "police_nfa"
    assert (Page.SUSPECT_INTERVIEWED in asked) is police  # asked only after a police decision
    assert Page.GROUP_BASED in asked
    outcome = driver.widget
    said = shown_text(outcome)
    assert outcome.assessment.outcome == example.outcome  # type: ignore[attr-defined]
    for expected in [*example.shown, GUIDE_NOTE, NOT_A_JUDGEMENT]:
        assert expected in said
    assert_nothing_forbidden(said)
    assert re.search(r"\b[Ww]e\b", said) is None

    driver.fill_details(example.case)
    if name == "discontinued":  # the VRR deadline is offered as the follow-up
        driver.back()
        follow_up = driver.widget
        assert isinstance(follow_up, FollowUpPage)
        assert follow_up.vrr_button.isVisible()
        driver.click(follow_up.vrr_button)
        assert follow_up.due.value() == PartialDate(2027, 1, 23)
        assert "30 January 2027" in follow_up.purpose.text()
        driver.cont()
    with qtbot.waitSignal(driver.wizard.saved, timeout=10_000) as saved_signal:
        driver.cont()
    saved = saved_signal.args[0]
    assert isinstance(saved, Referral) and saved.id is not None
    stored = ui_repository.get(saved.id)
    if name == "discontinued":
        assert stored.follow_up.due == date(2027, 1, 23)
    if name == "group_based":
        assert stored.answers["group_based"] == "yes"
        assert stored.assessments[-1].flags[-1] == "operation_beaconport"

    dialog = PrintDialog(ui_repository, [saved.id])
    qtbot.addWidget(dialog)
    dialog.show()
    target = tmp_path / "summary.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args: (str(target), "PDF (*.pdf)"))
    qtbot.mouseClick(dialog.pdf_button, Qt.MouseButton.LeftButton)
    printed = pdf_text(target)
    for expected in example.printed:
        assert " ".join(expected.split()) in printed
    assert " ".join(NOT_A_JUDGEMENT.split()) in printed
    assert_nothing_forbidden(printed)
    dialog.close()


def test_screenshots_of_the_new_questions_and_results(
    qtbot: QtBot, ui_repository: Repository, tmp_path: Path, text_scale: float
) -> None:
    folder = screenshot_folder(tmp_path)
    scale = "200" if text_scale > 1 else "100"
    for name, example in CASES.items():
        window = MainWindow(repository=ui_repository)
        qtbot.addWidget(window)
        window.resize(1100, 860)
        window.show()
        qtbot.waitExposed(window)
        driver = start(qtbot, window)
        driver.answer_questions(example.case)
        settle()
        assert window.grab().save(str(folder / f"rules-v2-outcome-{name}-{scale}.png"))
        scroller = driver.wizard.scroller
        assert scroller.horizontalScrollBar().maximum() == 0  # nothing runs off to the side
        if name == "group_based":
            for page in (Page.DECISION, Page.SUSPECT_INTERVIEWED, Page.GROUP_BASED):
                driver.wizard._show(page)
                settle()
                shot = folder / f"rules-v2-page-{page.value}-{scale}.png"
                assert window.grab().save(str(shot))
                assert scroller.horizontalScrollBar().maximum() == 0
        window.close()


def _decided_for(state: str) -> tuple[date, str]:
    """A CPS decision whose VRR window is in ``state`` on the record view's day, and the words."""
    today = RECORD_TODAY
    if state == "open":
        decided = today - timedelta(days=56)
        last = vrr_last_day(decided)
        return decided, f"end on {describe_day(last)} (in {(last - today).days} days)."
    if state == "last_day":
        return add_months(today, -3) + timedelta(days=1), "today is the last day"
    decided = add_months(today, -4)
    return decided, f"Closed on {describe_day(vrr_last_day(decided))}"


@pytest.mark.parametrize("state", ["open", "last_day", "closed"])
def test_the_record_shows_the_vrr_window(
    qtbot: QtBot,
    ui_repository: Repository,
    privacy: PrivacyMode,
    tmp_path: Path,
    state: str,
) -> None:
    decided, words = _decided_for(state)
    referral = full_referral()
    referral.answers["decision"] = "cps_nfa"
    referral.case.decision_date = PartialDate.from_date(decided)
    stored = ui_repository.save(referral)
    assert stored.id is not None
    view = open_view(qtbot, ui_repository, privacy, stored.id)
    settle()
    assert view.vrr_label.isVisible()
    assert view.vrr_label.property("state") == state
    assert words in view.vrr_label.text()
    record = "\n".join(label.text() for label in view.findChildren(QLabel))
    assert "The request goes first to CPS Cymru-Wales." in record
    assert_nothing_forbidden(record)
    assert re.search(r"first to Cymru-Wales", record) is None
    folder = screenshot_folder(tmp_path)
    assert view.grab().save(str(folder / f"record-vrr-{state}.png"))


def test_the_record_says_nothing_of_vrr_where_no_scheme_applies(
    qtbot: QtBot, ui_repository: Repository, privacy: PrivacyMode
) -> None:
    referral = full_referral()  # a CPS decision of 2009, before the CPS scheme
    stored = ui_repository.save(referral)
    assert stored.id is not None
    view = open_view(qtbot, ui_repository, privacy, stored.id)
    assert view.vrr_label.isHidden()


def test_about_the_rules_lists_every_source_with_its_date(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, text_scale: float
) -> None:
    window.rules_action.trigger()
    dialog = window.findChild(AboutRulesDialog)
    assert isinstance(dialog, AboutRulesDialog)
    qtbot.waitExposed(dialog)
    text = dialog.text.toPlainText()
    assert "csarp-2025" in text and "csarp-2013" in text
    assert "last reviewed on 3 December 2026" in text
    assert "16 January 2025" in text and "1 April 2025" in text
    for item in SOURCES:
        assert item.address in text
    assert text.count("Checked on 3 December 2026.") == len(SOURCES)
    folder = screenshot_folder(tmp_path)
    scale = "200" if text_scale > 1 else "100"
    assert dialog.grab().save(str(folder / f"about-the-rules-{scale}.png"))
    dialog.close()
