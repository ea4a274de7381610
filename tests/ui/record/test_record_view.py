"""The record view of one referral, driven through its real buttons and dialogs, on a real
(encrypted) database: what it shows, editing each section, status changes, deletion, privacy."""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from referral_app.domain.advice import OUTCOME_SENTENCES
from referral_app.domain.audit import AuditAction
from referral_app.domain.flow import Page
from referral_app.domain.referral import (
    ALLOWED_CHANGES,
    Consent,
    DecisionMaker,
    Referral,
    Status,
    StatusChangeError,
    allowed_changes,
)
from referral_app.storage.errors import RecordNotFoundError
from referral_app.storage.repository import Repository
from referral_app.ui.common import resources
from referral_app.ui.common.privacy import MASK, PrivacyMode
from referral_app.ui.printing.dialog import PrintDialog
from referral_app.ui.printing.letter import LetterDialog
from referral_app.ui.record.edit import EditDialog
from referral_app.ui.record.status import DeleteDialog, StatusDialog, moment_on
from referral_app.ui.record.view import CLOSED_REASON, RecordView
from referral_app.ui.wizard.case import AREA_MISSING, FORCE_MISSING, CasePage
from referral_app.ui.wizard.consent import WITHDRAWN_ORDER_MESSAGE, ConsentPage
from referral_app.ui.wizard.contact import EMAIL_MESSAGE, ContactPage
from referral_app.ui.wizard.follow_up import PURPOSE_MESSAGE, FollowUpPage
from referral_app.ui.wizard.survivor import SurvivorPage
from tests.storage.conftest import ADVOCATE, full_referral
from tests.ui.record_helpers import (
    TODAY,
    audit_actions,
    click,
    open_view,
    retype,
    settle,
    texts,
    type_date,
)


def open_editor(qtbot: QtBot, view: RecordView, page: Page) -> EditDialog:
    click(qtbot, view.edit_buttons[page])
    dialog = view.dialog
    assert isinstance(dialog, EditDialog)
    assert dialog.isVisible()
    assert QApplication.activeModalWidget() is dialog
    return dialog


def open_status(qtbot: QtBot, view: RecordView) -> StatusDialog:
    click(qtbot, view.change_status_button)
    dialog = view.dialog
    assert isinstance(dialog, StatusDialog)
    assert QApplication.activeModalWidget() is dialog
    return dialog


# What the record shows


def test_opening_a_record_is_audited(view: RecordView, ui_repository: Repository) -> None:
    assert view.referral is not None
    assert view.referral.id is not None
    assert audit_actions(ui_repository, view.referral.id) == [
        AuditAction.CREATE,
        AuditAction.OPEN,
    ]


def test_every_section_shows_its_fields(view: RecordView, stored: Referral) -> None:
    shown = texts(view.content)
    headings = [
        "Eligibility",
        "About the survivor",
        "Safe contact",
        "The case",
        "Consent",
        "Next follow-up",
        "Status history",
        "Eligibility checks",
    ]
    assert [text for text in shown if text in headings][-len(headings) :] == headings
    expected = [
        stored.reference,
        "Zelda Quartermaine",
        "Being prepared",
        # Eligibility: answers, dates, the latest assessment and what it raised
        "Did the abuse the survivor reported happen in England or Wales?",
        "May 1990",
        "2003",
        "June 2005",
        "The CPS decided not to charge",
        "14 March 2009",
        OUTCOME_SENTENCES["eligible"],
        "Panel's terms with the widening announced in January 2025",
        # About the survivor
        "Zelda Brightwater\nZ. Q.",
        "she/her",
        "Welsh",
        "Step-free access",
        # Safe contact
        "07700 900123",
        "zelda@example.net",
        "1 Example Street\nExampletown\nEX1 2MP",
        "Weekdays 10-12",
        # The case
        "Dyfed-Powys",
        "ZQ987/65\nDP/2009/1",
        "Cymru-Wales",
        "November 2008",
        "Aberystwyth",
        "Not sure",
        "A long account.\nSecond line with unicode: Dŵr, ñ, 👍",
        "CPS VRR (Victims' Right to Review), requested May 2009: Decision upheld",
        "Complaint",
        # Consent
        "Making this referral\nSharing it with the police force\nSharing it with the CPS\n"
        "Sharing it with the Panel",
        "In writing",
        "Ann Advocate",
        # Next follow-up
        "Call the force about the letter",
        # Status history
        "Referral started",
        "Recorded by Ann Advocate",
    ]
    missing = [text for text in expected if text not in shown]
    assert missing == []
    assert any(text.startswith("The request goes first to CPS Cymru-Wales") for text in shown)
    assert set(view.edit_buttons) == {
        Page.OUTCOME,  # Change answers, for the eligibility section
        Page.SURVIVOR,
        Page.CONTACT,
        Page.CASE,
        Page.CONSENT,
        Page.FOLLOW_UP,
    }


def test_an_overdue_follow_up_says_so_in_words(
    qtbot: QtBot, ui_repository: Repository, privacy: PrivacyMode
) -> None:
    referral = full_referral()
    referral.follow_up.due = TODAY - timedelta(days=3)
    saved = ui_repository.save(referral)
    assert saved.id is not None
    view = open_view(qtbot, ui_repository, privacy, saved.id)
    assert view.due_tag.isVisible()
    assert view.due_tag.text() == "Overdue"
    assert view.follow_up_label.accessibleName().startswith("Next follow-up: Overdue")


def test_status_history_is_newest_first(
    qtbot: QtBot, ui_repository: Repository, privacy: PrivacyMode, stored: Referral
) -> None:
    assert stored.id is not None
    ui_repository.change_status(stored.id, Status.READY_TO_SEND, "Consent in writing")
    view = open_view(qtbot, ui_repository, privacy, stored.id)
    shown = texts(view.content)
    ready = next(i for i, t in enumerate(shown) if t.endswith(": Ready to send"))
    draft = next(i for i, t in enumerate(shown) if t.endswith(": Being prepared"))
    assert ready < draft
    assert "Consent in writing" in shown


def test_a_missing_record_says_so(
    qtbot: QtBot, ui_repository: Repository, privacy: PrivacyMode
) -> None:
    view = open_view(qtbot, ui_repository, privacy, 999)
    assert view.referral is None
    assert "Referral 999 is not in the database" in view.problem.text()
    assert view.problem.isVisible()


def test_back_to_the_list(qtbot: QtBot, view: RecordView) -> None:
    with qtbot.waitSignal(view.closed):
        click(qtbot, view.back_button)


# Editing: valid input is saved


def _edit_survivor(qtbot: QtBot, page: SurvivorPage) -> None:
    retype(qtbot, page.full_name, "Zelda Brightwater")


def _edit_contact(qtbot: QtBot, page: ContactPage) -> None:
    retype(qtbot, page.email, "z.q@example.org")
    click(qtbot, page.voicemail.radios["yes"])


def _edit_case(qtbot: QtBot, page: CasePage) -> None:
    edit = page.force.lineEdit()
    assert edit is not None
    retype(qtbot, edit, "Kent")
    retype(qtbot, page.count, "4")


def _edit_consent(qtbot: QtBot, page: ConsentPage) -> None:
    type_date(qtbot, page.withdrawn, TODAY)


def _edit_follow_up(qtbot: QtBot, page: FollowUpPage) -> None:
    click(qtbot, page.quick_picks[0])
    retype(qtbot, page.purpose, "Call the survivor")


EDITS = {
    Page.SURVIVOR: (_edit_survivor, lambda r: r.survivor.full_name == "Zelda Brightwater"),
    Page.CONTACT: (
        _edit_contact,
        lambda r: r.survivor.email == "z.q@example.org" and r.survivor.contact.voicemail_ok,
    ),
    Page.CASE: (
        _edit_case,
        lambda r: r.case.police_force == "Kent" and r.case.offender_count == 4,
    ),
    Page.CONSENT: (_edit_consent, lambda r: r.consent.withdrawn_on == TODAY),
    Page.FOLLOW_UP: (
        _edit_follow_up,
        lambda r: (
            r.follow_up.due == TODAY + timedelta(days=14)
            and r.follow_up.purpose == "Call the survivor"
        ),
    ),
}


@pytest.mark.parametrize("page", list(EDITS), ids=lambda p: p.value)
def test_editing_a_section_saves_it(
    qtbot: QtBot, view: RecordView, ui_repository: Repository, stored: Referral, page: Page
) -> None:
    assert stored.id is not None
    edit, saved = EDITS[page]
    dialog = open_editor(qtbot, view, page)
    edit(qtbot, dialog.page)  # type: ignore[operator]
    with qtbot.waitSignal(view.changed) as changed:
        click(qtbot, dialog.save_button)
    assert changed.args == [stored.id]
    assert not dialog.isVisible()
    after = ui_repository.get(stored.id)
    assert saved(after)  # type: ignore[no-untyped-call]
    assert after.status_history == stored.status_history
    assert audit_actions(ui_repository, stored.id)[-1] == AuditAction.UPDATE
    # The view shows the record as stored, and the focus is back on the section's Edit.
    assert view.referral == after
    assert view.edit_buttons[page].hasFocus()


def test_saving_keeps_the_place_in_the_record(
    qtbot: QtBot, view: RecordView, ui_repository: Repository
) -> None:
    settle()
    bar = view.scroller.verticalScrollBar()
    bar.setValue(bar.maximum() - 50)
    place = bar.value()
    dialog = open_editor(qtbot, view, Page.FOLLOW_UP)
    assert isinstance(dialog.page, FollowUpPage)
    retype(qtbot, dialog.page.purpose, "Call the survivor")
    click(qtbot, dialog.save_button)
    settle()
    assert bar.value() == place
    assert "Call the survivor" in texts(view.content)


def test_the_consent_editor_offers_the_advocate_as_recorder(
    qtbot: QtBot, ui_repository: Repository, privacy: PrivacyMode
) -> None:
    referral = full_referral()
    referral.consent = Consent()
    saved = ui_repository.save(referral)
    assert saved.id is not None
    view = open_view(qtbot, ui_repository, privacy, saved.id)
    dialog = open_editor(qtbot, view, Page.CONSENT)
    assert isinstance(dialog.page, ConsentPage)
    assert dialog.page.recorded_by.text() == ADVOCATE.name


# Editing: invalid input shows problems, keeps what was typed and saves nothing


def _bad_email(qtbot: QtBot, page: ContactPage) -> str:
    retype(qtbot, page.email, "zelda at example")
    return EMAIL_MESSAGE


def _no_force(qtbot: QtBot, page: CasePage) -> str:
    edit = page.force.lineEdit()
    assert edit is not None
    retype(qtbot, edit, "")
    retype(qtbot, page.location, "Cardiff")
    return FORCE_MISSING


def _no_name(qtbot: QtBot, page: SurvivorPage) -> str:
    retype(qtbot, page.full_name, "")
    retype(qtbot, page.pronouns, "they/them")
    return "Enter the survivor's full name"


def _withdrawn_before_given(qtbot: QtBot, page: ConsentPage) -> str:
    type_date(qtbot, page.withdrawn, TODAY - timedelta(days=30))
    return WITHDRAWN_ORDER_MESSAGE


def _date_without_purpose(qtbot: QtBot, page: FollowUpPage) -> str:
    type_date(qtbot, page.due, TODAY + timedelta(days=7))
    retype(qtbot, page.purpose, "")
    return PURPOSE_MESSAGE


INVALID = {
    "bad-email": (Page.CONTACT, _bad_email),
    "no-force": (Page.CASE, _no_force),
    "no-name": (Page.SURVIVOR, _no_name),
    "withdrawn-before-given": (Page.CONSENT, _withdrawn_before_given),
    "follow-up-without-purpose": (Page.FOLLOW_UP, _date_without_purpose),
}


@pytest.mark.parametrize("case", list(INVALID))
def test_invalid_input_shows_problems_and_saves_nothing(
    qtbot: QtBot, view: RecordView, ui_repository: Repository, stored: Referral, case: str
) -> None:
    assert stored.id is not None
    page, spoil = INVALID[case]
    dialog = open_editor(qtbot, view, page)
    message = spoil(qtbot, dialog.page)  # type: ignore[operator]
    typed = {
        box: box.text() for box in dialog.page.findChildren(QLineEdit) if box.isVisibleTo(dialog)
    }
    with qtbot.assertNotEmitted(view.changed):
        click(qtbot, dialog.save_button)
    assert dialog.isVisible()
    assert message in dialog.page.error_summary.messages()
    assert dialog.page.error_summary.isVisible()
    assert {box: box.text() for box in typed} == typed  # nothing typed is lost
    assert ui_repository.get(stored.id) == stored
    assert AuditAction.UPDATE not in audit_actions(ui_repository, stored.id)


def test_cps_area_is_needed_when_the_cps_decided(
    qtbot: QtBot, ui_repository: Repository, privacy: PrivacyMode
) -> None:
    referral = full_referral()
    referral.case.decided_by = DecisionMaker.POLICE
    referral.case.cps_area = None
    saved = ui_repository.save(referral)
    assert saved.id is not None
    view = open_view(qtbot, ui_repository, privacy, saved.id)
    dialog = open_editor(qtbot, view, Page.CASE)
    page = dialog.page
    assert isinstance(page, CasePage)
    click(qtbot, page.decided_by.radios["cps"])
    click(qtbot, dialog.save_button)
    assert page.error_summary.messages() == [AREA_MISSING]
    assert ui_repository.get(saved.id) == saved
    # Choosing the area then saves both answers.
    page.cps_area.setFocus()
    qtbot.keyClick(page.cps_area, Qt.Key.Key_Down)
    with qtbot.waitSignal(view.changed):
        click(qtbot, dialog.save_button)
    case = ui_repository.get(saved.id).case
    assert case.decided_by is DecisionMaker.CPS
    assert case.cps_area is not None


def test_cancel_discards_the_edits(
    qtbot: QtBot, view: RecordView, ui_repository: Repository, stored: Referral
) -> None:
    assert stored.id is not None
    dialog = open_editor(qtbot, view, Page.CONTACT)
    assert isinstance(dialog.page, ContactPage)
    retype(qtbot, dialog.page.phone, "01632 960 001")
    with qtbot.assertNotEmitted(view.changed):
        click(qtbot, dialog.cancel_button)
    assert not dialog.isVisible()
    assert ui_repository.get(stored.id) == stored
    assert "01632 960 001" not in texts(view.content)
    # Opening it again starts from the record, not from the discarded typing.
    again = open_editor(qtbot, view, Page.CONTACT)
    assert isinstance(again.page, ContactPage)
    assert again.page.phone.text() == "07700 900123"
    qtbot.keyClick(again, Qt.Key.Key_Escape)
    assert not again.isVisible()


# Status changes


def _path_to(status: Status) -> list[Status]:
    """The shortest series of allowed changes from a new referral (a draft) to ``status``."""
    paths: deque[list[Status]] = deque([[Status.DRAFT]])
    while paths:
        path = paths.popleft()
        if path[-1] is status:
            return path[1:]
        paths.extend([*path, step] for step in allowed_changes(path[-1]) if step not in path)
    raise AssertionError(f"{status} cannot be reached")


ALL_CHANGES = [(start, end) for start, ends in ALLOWED_CHANGES.items() for end in sorted(ends)]


@pytest.mark.parametrize(
    ("start", "end"), ALL_CHANGES, ids=[f"{a.value}->{b.value}" for a, b in ALL_CHANGES]
)
def test_each_allowed_status_change(
    qtbot: QtBot,
    ui_repository: Repository,
    privacy: PrivacyMode,
    stored: Referral,
    start: Status,
    end: Status,
) -> None:
    assert stored.id is not None
    for step in _path_to(start):
        ui_repository.change_status(stored.id, step)
    view = open_view(qtbot, ui_repository, privacy, stored.id)
    assert view.status_tag.text() == start.label
    dialog = open_status(qtbot, view)
    assert list(dialog.radios) == allowed_changes(start)
    assert [radio.text() for radio in dialog.radios.values()] == [
        status.label for status in allowed_changes(start)
    ]
    click(qtbot, dialog.radios[end])
    qtbot.keyClicks(dialog.note, "Letter of 3 March")
    with qtbot.waitSignal(view.changed):
        click(qtbot, dialog.ok_button)
    assert not dialog.isVisible()
    after = ui_repository.get(stored.id)
    assert after.status is end
    change = after.status_history[-1]
    assert (change.note, change.changed_by) == ("Letter of 3 March", ADVOCATE.name)
    assert change.changed_at.astimezone().date() == TODAY
    assert view.status_tag.text() == end.label
    assert audit_actions(ui_repository, stored.id)[-1] == AuditAction.STATUS_CHANGE
    assert view.change_status_button.isEnabled() == bool(allowed_changes(end))


def test_ready_to_send_is_refused_without_consent(
    qtbot: QtBot, ui_repository: Repository, privacy: PrivacyMode
) -> None:
    referral = full_referral()
    referral.consent = Consent()
    saved = ui_repository.save(referral)
    assert saved.id is not None
    view = open_view(qtbot, ui_repository, privacy, saved.id)
    dialog = open_status(qtbot, view)
    click(qtbot, dialog.radios[Status.READY_TO_SEND])
    with qtbot.assertNotEmitted(view.changed):
        click(qtbot, dialog.ok_button)
    assert dialog.isVisible()
    expected = str(StatusChangeError(Status.DRAFT, Status.READY_TO_SEND, "x")).split(":")[0]
    [message] = dialog.error_summary.messages()
    assert message.startswith(expected)
    assert "consent" in message
    assert dialog.error_summary.isVisible()
    assert ui_repository.get(saved.id).status_history == saved.status_history
    assert view.status_tag.text() == Status.DRAFT.label
    # Recording the consent through the consent section then lets it go.
    dialog.reject()
    editor = open_editor(qtbot, view, Page.CONSENT)
    page = editor.page
    assert isinstance(page, ConsentPage)
    for box in page.parts.values():
        click(qtbot, box)
    type_date(qtbot, page.given, TODAY)
    click(qtbot, page.method.radios["verbal"])
    with qtbot.waitSignal(view.changed):
        click(qtbot, editor.save_button)
    dialog = open_status(qtbot, view)
    click(qtbot, dialog.radios[Status.READY_TO_SEND])
    with qtbot.waitSignal(view.changed):
        click(qtbot, dialog.ok_button)
    assert ui_repository.get(saved.id).status is Status.READY_TO_SEND


def test_sending_is_refused_once_consent_is_withdrawn(
    qtbot: QtBot, view: RecordView, ui_repository: Repository, stored: Referral
) -> None:
    assert stored.id is not None
    dialog = open_status(qtbot, view)
    click(qtbot, dialog.radios[Status.READY_TO_SEND])
    click(qtbot, dialog.ok_button)
    editor = open_editor(qtbot, view, Page.CONSENT)
    assert isinstance(editor.page, ConsentPage)
    type_date(qtbot, editor.page.withdrawn, TODAY)
    click(qtbot, editor.save_button)
    dialog = open_status(qtbot, view)
    click(qtbot, dialog.radios[Status.SENT])
    click(qtbot, dialog.ok_button)
    assert dialog.isVisible()
    assert "consent" in dialog.error_summary.messages()[0]
    assert ui_repository.get(stored.id).status is Status.READY_TO_SEND


def test_the_status_dialog_checks_its_answers(
    qtbot: QtBot, view: RecordView, ui_repository: Repository, stored: Referral
) -> None:
    assert stored.id is not None
    dialog = open_status(qtbot, view)
    type_date(qtbot, dialog.when, TODAY + timedelta(days=1))
    click(qtbot, dialog.ok_button)
    assert dialog.error_summary.messages() == [
        "Select the referral's new status",
        "The date of the change must be today or in the past",
    ]
    click(qtbot, dialog.radios[Status.WITHDRAWN])
    type_date(qtbot, dialog.when, TODAY - timedelta(days=400))
    click(qtbot, dialog.ok_button)
    [message] = dialog.error_summary.messages()
    assert message.startswith("The date of the change must be the same as or after")
    retype(qtbot, dialog.when.day_box, "")
    click(qtbot, dialog.ok_button)
    assert dialog.error_summary.messages() == ["Enter the date of the change, including the day"]
    assert ui_repository.get(stored.id).status_history == stored.status_history


def test_a_back_dated_change_is_kept_at_midday_utc_on_that_day() -> None:
    assert moment_on(date(2026, 3, 3)) == datetime(2026, 3, 3, 12, tzinfo=UTC)
    assert moment_on(TODAY).astimezone().date() == TODAY


def test_closed_cannot_change_and_says_why(
    qtbot: QtBot, ui_repository: Repository, privacy: PrivacyMode, stored: Referral
) -> None:
    assert stored.id is not None
    ui_repository.change_status(stored.id, Status.CLOSED)
    view = open_view(qtbot, ui_repository, privacy, stored.id)
    assert not view.change_status_button.isEnabled()
    assert view.change_status_button.toolTip() == CLOSED_REASON
    assert view.closed_note.isVisible()
    assert CLOSED_REASON in texts(view.content)
    assert view.change_status() is None


# Deletion


def test_deletion_needs_the_reference_typed_and_removes_the_record(
    qtbot: QtBot, view: RecordView, ui_repository: Repository, stored: Referral
) -> None:
    assert stored.id is not None
    click(qtbot, view.delete_button)
    dialog = view.dialog
    assert isinstance(dialog, DeleteDialog)
    assert QApplication.activeModalWidget() is dialog
    text = dialog.message.text()
    assert text.startswith(f"The referral {stored.reference} for Zelda Quartermaine, with its ")
    assert "1 assessment, 1 status change and consent record" in text
    assert not dialog.delete_button.isEnabled()
    qtbot.keyClicks(dialog.confirm, "CSARP")
    assert not dialog.delete_button.isEnabled()
    qtbot.keyClick(dialog.confirm, Qt.Key.Key_Return)  # Enter is Cancel's, never Delete's
    assert not dialog.isVisible()
    assert ui_repository.get(stored.id) == stored

    click(qtbot, view.delete_button)
    dialog = view.dialog
    assert isinstance(dialog, DeleteDialog)
    qtbot.keyClicks(dialog.confirm, stored.reference.lower())
    assert dialog.delete_button.isEnabled()
    with qtbot.waitSignal(view.deleted) as deleted:
        click(qtbot, dialog.delete_button)
    assert deleted.args == [stored.id]
    with pytest.raises(RecordNotFoundError):
        ui_repository.get(stored.id)
    assert audit_actions(ui_repository, stored.id)[-1] == AuditAction.DELETE
    assert view.referral is None
    assert "Zelda Quartermaine" not in texts(view)


def test_cancelling_deletion_keeps_the_record(
    qtbot: QtBot, view: RecordView, ui_repository: Repository, stored: Referral
) -> None:
    assert stored.id is not None
    click(qtbot, view.delete_button)
    dialog = view.dialog
    assert isinstance(dialog, DeleteDialog)
    qtbot.keyClicks(dialog.confirm, stored.reference)
    with qtbot.assertNotEmitted(view.deleted):
        click(qtbot, dialog.cancel_button)
    assert ui_repository.get(stored.id) == stored


# Privacy mode


def test_privacy_mode_masks_name_and_contact_details(
    view: RecordView, privacy: PrivacyMode, stored: Referral
) -> None:
    secrets = [
        "Zelda Quartermaine",
        "Zelda Brightwater",
        "07700 900123",
        "zelda@example.net",
        "Exampletown",
    ]
    privacy.set_masked(True)
    shown = "\n".join(texts(view.content))
    assert [secret for secret in secrets if secret in shown] == []
    assert view.name_label.text() == "Z. Q."
    assert shown.count(MASK) == 3
    assert "Z. B.\nZ. Q." in shown
    view.delete_referral()
    dialog = view.dialog
    assert isinstance(dialog, DeleteDialog)
    assert "for Z. Q., with" in dialog.message.text()
    assert "Zelda" not in dialog.message.text()
    dialog.reject()
    privacy.set_masked(False)
    assert "Zelda Quartermaine" in texts(view.content)


def _answer(view: RecordView, text: str) -> QLabel:
    [label] = [label for label in view.content.findChildren(QLabel) if label.text() == text]
    return label


def test_an_answer_can_be_selected_with_the_mouse_and_copied(
    qtbot: QtBot, view: RecordView
) -> None:
    settle()
    label = _answer(view, "14 March 2009")
    selectable = Qt.TextInteractionFlag.TextSelectableByMouse
    # Until the pointer comes onto it, the label is drawn the plain (cheaper) way.
    assert not label.textInteractionFlags() & selectable
    qtbot.mouseMove(label, label.rect().center())
    qtbot.waitUntil(lambda: bool(label.textInteractionFlags() & selectable))
    word = label.fontMetrics().horizontalAdvance("14 March ")
    qtbot.mouseDClick(label, Qt.MouseButton.LeftButton, pos=QPoint(word + 4, 4))
    assert label.selectedText() == "2009"
    qtbot.keyClick(label, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.clipboard().text() == "2009"


def test_the_place_and_the_focus_stay_when_the_record_is_shown_again(
    qtbot: QtBot, view: RecordView, privacy: PrivacyMode
) -> None:
    view.activateWindow()
    qtbot.waitActive(view)
    settle()
    bar = view.scroller.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    place = bar.value()
    assert place > 0
    button = view.edit_buttons[Page.CONTACT]
    button.setFocus()
    moves: list[object] = []
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    app.focusChanged.connect(lambda old, new: moves.append(new))
    for masked in (True, False):
        privacy.set_masked(masked)
        settle()
        assert QApplication.focusWidget() is button
        assert bar.value() == place
    assert moves == []  # not even for a moment: a screen reader would say each move


# Accessibility and the keyboard


def test_tab_goes_through_the_record_in_reading_order(qtbot: QtBot, view: RecordView) -> None:
    view.activateWindow()
    qtbot.waitActive(view)
    view.back_button.setFocus()
    expected = [
        view.change_status_button,
        view.print_button,
        view.letter_button,
        view.export_button,
        view.edit_buttons[Page.OUTCOME],  # Change answers, for the eligibility section
        *(view.edit_buttons[page] for page in EDITS),
        view.delete_button,
    ]
    for button in expected:
        focused = QApplication.focusWidget()
        assert focused is not None
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is button
    # Space on a focused Edit opens its dialog; Esc closes it and the focus comes back.
    view.edit_buttons[Page.CASE].setFocus()
    qtbot.keyClick(view.edit_buttons[Page.CASE], Qt.Key.Key_Space)
    dialog = view.dialog
    assert isinstance(dialog, EditDialog)
    assert dialog.section is Page.CASE
    assert isinstance(dialog.page, CasePage)
    assert dialog.focusWidget() in (dialog.page.force, dialog.page.force.lineEdit())
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_every_control_has_an_accessible_name(qtbot: QtBot, view: RecordView) -> None:
    dialogs: list[QWidget] = [view]
    for page in EDITS:
        dialog = open_editor(qtbot, view, page)
        dialogs.append(dialog)
        dialog.reject()
    answers = view.edit_eligibility()
    assert answers is not None
    for page in answers.pages:  # every question page, and the result
        answers._show(page)
        dialogs.append(answers.pages[page])
    answers.reject()
    dialogs.append(open_status(qtbot, view))
    view.dialog.reject()  # type: ignore[union-attr]
    view.delete_referral()
    dialogs.append(view.dialog)  # type: ignore[arg-type]
    controls = (QAbstractButton, QLineEdit, QPlainTextEdit, QComboBox)
    unnamed = [
        f"{type(widget).__name__} in {type(owner).__name__}"
        for owner in dialogs
        for widget in owner.findChildren(QWidget)
        if isinstance(widget, controls)
        and not isinstance(widget.parent(), QComboBox)
        and not widget.accessibleName()
        and not (isinstance(widget, QAbstractButton) and widget.text())
    ]
    assert unnamed == []


# Rendering: the record and its dialogs, nothing cut off


@pytest.fixture(params=[1.0, 2.0], ids=["default-text", "200%-text"])
def text_scale(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[float]:
    original = qapp.font()
    bigger = qapp.font()
    bigger.setPointSizeF(original.pointSizeF() * request.param)
    qapp.setFont(bigger)
    qapp.setStyleSheet(resources.stylesheet())
    yield request.param
    qapp.setFont(original)
    qapp.setStyleSheet("")


def _check_nothing_cut_off(widget: QWidget, name: str) -> None:
    for label in widget.findChildren(QLabel):
        if label.isVisibleTo(widget) and label.wordWrap() and label.text():
            needed = label.heightForWidth(label.width())
            assert label.height() >= needed, f"{name}: '{label.text()[:40]}' is cut off"


@pytest.mark.parametrize("masked", [False, True], ids=["names", "privacy"])
def test_record_and_dialogs_render_whole(
    qtbot: QtBot,
    ui_repository: Repository,
    privacy: PrivacyMode,
    tmp_path: Path,
    text_scale: float,
    masked: bool,
) -> None:
    chosen = os.environ.get("REFERRAL_APP_SCREENSHOTS")
    folder = Path(chosen) if chosen else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    referral = full_referral()
    referral.follow_up.due = TODAY - timedelta(days=3)
    saved = ui_repository.save(referral)
    assert saved.id is not None
    ui_repository.change_status(saved.id, Status.READY_TO_SEND, "Consent given in writing")
    privacy.set_masked(masked)
    view = open_view(qtbot, ui_repository, privacy, saved.id)
    settle()
    tag = f"{text_scale:g}x" + ("_privacy" if masked else "")
    assert view.scroller.horizontalScrollBar().maximum() == 0, "the record scrolls sideways"
    _check_nothing_cut_off(view, "record")
    view.grab().save(str(folder / f"record_view_{tag}.png"))
    view.content.grab().save(str(folder / f"record_whole_{tag}.png"))
    openers = {
        "edit_case": lambda: view.edit_section(Page.CASE),
        "answers": view.edit_eligibility,
        "status": view.change_status,
        "delete": view.delete_referral,
    }
    for name, opener in openers.items():
        dialog = opener()
        assert dialog is not None
        settle()
        _check_nothing_cut_off(dialog, name)
        dialog.grab().save(str(folder / f"record_{name}_{tag}.png"))
        dialog.reject()
    # With problems shown: the error summary at the top, a message by each field.
    editor = view.edit_section(Page.CONTACT)
    assert editor is not None
    assert isinstance(editor.page, ContactPage)
    retype(qtbot, editor.page.email, "zelda at example")
    retype(qtbot, editor.page.phone, "call me")
    click(qtbot, editor.save_button)
    status = view.change_status()
    assert status is not None
    type_date(qtbot, status.when, TODAY + timedelta(days=2))
    click(qtbot, status.ok_button)
    for name, dialog in (("edit_contact_errors", editor), ("status_errors", status)):
        settle()
        _check_nothing_cut_off(dialog, name)
        dialog.grab().save(str(folder / f"record_{name}_{tag}.png"))
        dialog.reject()


def test_print_letter_and_export_are_one_click_from_the_record(
    qtbot: QtBot, view: RecordView, stored: Referral
) -> None:
    click(qtbot, view.print_button)
    assert isinstance(view.dialog, PrintDialog)
    assert QApplication.activeModalWidget() is view.dialog
    view.dialog.reject()
    click(qtbot, view.letter_button)
    assert isinstance(view.dialog, LetterDialog)
    view.dialog.reject()
    assert view.export_button.menu() is not None
    with qtbot.waitSignal(view.export_requested) as asked:
        view.export_this_action.trigger()
    assert asked.args == [stored.id]
    with qtbot.waitSignal(view.subject_access_requested) as asked:
        view.subject_access_action.trigger()
    assert asked.args == [stored.id]
