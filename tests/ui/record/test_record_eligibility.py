"""Changing a saved referral's eligibility answers from its record: the form's question pages,
the rules' checks, and a new assessment kept in the history."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from referral_app.domain.advice import OUTCOME_SENTENCES
from referral_app.domain.flow import Page
from referral_app.domain.referral import Referral
from referral_app.storage.repository import Repository
from referral_app.ui.common.privacy import PrivacyMode
from referral_app.ui.record.eligibility import SAVE_LABEL, EligibilityDialog
from referral_app.ui.record.view import RecordView
from referral_app.ui.wizard.choice import ChoicePage
from tests.storage.conftest import full_referral
from tests.ui.conftest import screenshot_folder
from tests.ui.record_helpers import audit_actions, click, open_view, settle, texts, type_date


def open_answers(qtbot: QtBot, view: RecordView) -> EligibilityDialog:
    click(qtbot, view.edit_buttons[Page.OUTCOME])
    dialog = view.dialog
    assert isinstance(dialog, EligibilityDialog)
    assert QApplication.activeModalWidget() is dialog
    return dialog


def choose(qtbot: QtBot, dialog: EligibilityDialog, value: str) -> None:
    page = dialog.current
    assert isinstance(page, ChoicePage)
    click(qtbot, page.radios[value])
    assert page.radios[value].isChecked()


def go_on(qtbot: QtBot, dialog: EligibilityDialog) -> Page:
    before = dialog.draft.page
    click(qtbot, dialog.continue_button)
    assert dialog.draft.page is not before, dialog.current.error_summary.messages()
    return dialog.draft.page


def test_changing_an_answer_records_a_new_assessment_and_shows_it(
    qtbot: QtBot, view: RecordView, ui_repository: Repository, stored: Referral
) -> None:
    assert stored.id is not None
    dialog = open_answers(qtbot, view)
    assert dialog.draft.page is Page.WHERE
    assert dialog.progress.text() == "Eligibility: question 1 of 9"
    # Every stored answer is shown as it was: Continue alone goes on.
    for expected in (Page.AGAINST_SURVIVOR, Page.AGE, Page.REPORTED, Page.DECISION):
        assert go_on(qtbot, dialog) is expected
    choose(qtbot, dialog, "prosecuted")  # the decision-date question no longer matters
    assert go_on(qtbot, dialog) is Page.NEW_EVIDENCE
    assert dialog.progress.text() == "Eligibility: question 6 of 8"
    assert go_on(qtbot, dialog) is Page.RISK
    assert go_on(qtbot, dialog) is Page.GROUP_BASED
    assert go_on(qtbot, dialog) is Page.OUTCOME
    assert dialog.continue_button.text().replace("&", "") == SAVE_LABEL
    shown = texts(dialog.current)
    assert OUTCOME_SENTENCES["not_eligible"] in shown

    with qtbot.waitSignal(view.changed, timeout=5000):
        click(qtbot, dialog.continue_button)

    saved = ui_repository.get(stored.id)
    assert saved.answers["decision"] == "prosecuted"
    assert [a.outcome for a in saved.assessments] == ["eligible", "not_eligible"]
    latest = saved.assessments[-1]
    assert latest.ruleset == "csarp-2025"
    assert latest.answers["decision"] == "prosecuted"
    assert "decision_date" not in latest.answers  # a skipped question is left out
    assert saved.case.decision_date == stored.case.decision_date  # but not thrown away
    assert audit_actions(ui_repository, stored.id)[-2:] == ["update", "assess"]
    # The record shows the new result at once, and the keyboard is back where it was.
    assert view.edit_buttons[Page.OUTCOME].hasFocus()
    settle()
    assert OUTCOME_SENTENCES["not_eligible"] in texts(view)


def test_dates_that_do_not_fit_together_are_refused_by_the_field_and_nothing_is_saved(
    qtbot: QtBot, view: RecordView, ui_repository: Repository, stored: Referral
) -> None:
    assert stored.id is not None
    before = audit_actions(ui_repository, stored.id)
    dialog = open_answers(qtbot, view)
    go_on(qtbot, dialog)
    go_on(qtbot, dialog)
    age = dialog.current
    assert dialog.draft.page is Page.AGE
    type_date(qtbot, age.birth, date(2010, 1, 1))  # type: ignore[attr-defined]  # after 2003
    click(qtbot, dialog.continue_button)

    assert dialog.draft.page is Page.AGE
    messages = age.error_summary.messages()
    assert messages, "the summary should say what is wrong"
    assert any("before the survivor was born" in message for message in messages), messages
    assert age.birth.year_box.text() == "2010"  # type: ignore[attr-defined]  # nothing cleared
    dialog.reject()
    assert audit_actions(ui_repository, stored.id) == before
    assert len(ui_repository.get(stored.id).assessments) == 1


def test_back_keeps_what_was_typed_and_cancel_changes_nothing(
    qtbot: QtBot, view: RecordView, ui_repository: Repository, stored: Referral
) -> None:
    assert stored.id is not None
    dialog = open_answers(qtbot, view)
    assert not dialog.back_button.isEnabled()
    go_on(qtbot, dialog)
    choose(qtbot, dialog, "no")  # not against the survivor
    click(qtbot, dialog.back_button)
    assert dialog.draft.page is Page.WHERE
    go_on(qtbot, dialog)
    page = dialog.current
    assert isinstance(page, ChoicePage)
    assert page.radios["no"].isChecked()

    click(qtbot, dialog.cancel_button)
    assert not dialog.isVisible()
    reloaded = ui_repository.get(stored.id)
    assert reloaded.answers == stored.answers
    assert len(reloaded.assessments) == 1
    assert audit_actions(ui_repository, stored.id)[-1] == "open"


def test_answers_that_no_longer_fit_together_can_be_corrected_from_the_result(
    qtbot: QtBot, ui_repository: Repository, privacy: PrivacyMode
) -> None:
    """What re-screening asks of the advocate: a referral whose answers the rules refuse."""
    broken = full_referral()
    broken.answers["under_18_at_offence"] = "no"  # the dates say the survivor was 12
    saved = ui_repository.save(broken)
    assert saved.id is not None
    view = open_view(qtbot, ui_repository, privacy, saved.id)
    dialog = open_answers(qtbot, view)
    dialog._show(Page.OUTCOME)
    links = [b for b in dialog.current.findChildren(QPushButton) if b.text().startswith("Change")]
    assert links, "the result page should link to the answer to change"
    click(qtbot, dialog.continue_button)
    assert dialog.draft.page is Page.OUTCOME  # nothing saved while answers conflict
    click(qtbot, links[0])
    assert dialog.draft.page is Page.AGE
    choose(qtbot, dialog, "yes")
    while dialog.draft.page is not Page.OUTCOME:
        go_on(qtbot, dialog)
    with qtbot.waitSignal(view.changed, timeout=5000):
        click(qtbot, dialog.continue_button)
    fixed = ui_repository.get(saved.id)
    assert fixed.answers["under_18_at_offence"] == "yes"
    assert fixed.assessments[-1].outcome == "eligible"


@pytest.mark.parametrize("page", [Page.AGE, Page.OUTCOME])
def test_screenshots_of_the_answers_dialog(
    qtbot: QtBot,
    view: RecordView,
    tmp_path: Path,
    text_scale: float,
    page: Page,
) -> None:
    dialog = open_answers(qtbot, view)
    dialog._show(page)
    settle()
    folder = screenshot_folder(tmp_path)
    scale = "200" if text_scale > 1 else "100"
    assert dialog.grab().save(str(folder / f"record-answers-{page.value}-{scale}.png"))
    # The page fits across: nothing runs off to the side.
    assert dialog.scroller.horizontalScrollBar().maximum() == 0
    dialog.reject()


def test_a_date_left_half_typed_is_never_saved_as_no_date(
    qtbot: QtBot, view: RecordView, ui_repository: Repository, stored: Referral
) -> None:
    assert stored.id is not None
    dialog = open_answers(qtbot, view)
    dialog._change(Page.AGE.value)  # as the result page's "Change" links do
    age = dialog.current
    age.birth.month_box.setText("13")  # type: ignore[attr-defined]
    click(qtbot, dialog.back_button)  # Back does not check the page
    assert dialog.draft.page is Page.WHERE
    dialog._show(Page.OUTCOME)
    click(qtbot, dialog.continue_button)  # save
    assert dialog.draft.page is Page.AGE  # sent back to the date, with its message
    assert age.error_summary.messages()
    assert ui_repository.get(stored.id).survivor.date_of_birth == stored.survivor.date_of_birth
    assert len(ui_repository.get(stored.id).assessments) == 1
