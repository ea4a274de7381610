"""Locking the app: after a short idle time, on Lock now and on Hide now. A locked app shows
nothing personal anywhere, holds no open database, and unlocking goes back to the same place
with the form's draft intact. Wrong passphrases in a row make the next try wait."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QSettings, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from referral_app.domain.audit import AuditAction
from referral_app.domain.flow import Page
from referral_app.storage.db import Database
from referral_app.storage.errors import TooManyAttemptsError
from referral_app.storage.repository import Repository
from referral_app.ui.access.unlock import UnlockDialog
from referral_app.ui.common.preferences import PreferencesDialog
from referral_app.ui.common.privacy import PrivacyMode
from referral_app.ui.common.settings import Settings
from referral_app.ui.record.edit import EditDialog
from referral_app.ui.window.main_window import MainWindow
from referral_app.ui.wizard.wizard import ReferralWizard
from tests.storage.conftest import PASSPHRASE, full_referral
from tests.ui.wizard_driver import Driver

CANARY = "Wilhelmina Canarybright"
CANARY_REF = "CAN 4242/77"
WRONG = "not the passphrase at all"


@pytest.fixture
def window(
    qtbot: QtBot, ui_repository: Repository, ui_database: Database, tmp_path: Path
) -> Iterator[MainWindow]:
    settings = Settings(QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    privacy = PrivacyMode(QSettings(str(tmp_path / "privacy.ini"), QSettings.Format.IniFormat))
    main = MainWindow(settings=settings, repository=ui_repository, privacy=privacy)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    yield main
    if main.repository is not None and main.repository.database is not ui_database:
        main.repository.database.close()


def _texts(widget: QWidget) -> list[str]:
    """Everything a widget could show or say: its text, title, accessible name, model rows."""
    found = [widget.windowTitle(), widget.accessibleName(), widget.toolTip()]
    if isinstance(widget, QLabel | QAbstractButton | QLineEdit):
        found.append(widget.text())
    if isinstance(widget, QPlainTextEdit):
        found.append(widget.toPlainText())
    if isinstance(widget, QAbstractItemView) and widget.model() is not None:
        model = widget.model()
        for row in range(model.rowCount()):
            for column in range(model.columnCount()):
                found.append(str(model.index(row, column).data()))
    return found


def assert_nothing_personal_anywhere() -> None:
    # What the event loop would do next: widgets dropped with deleteLater() are destroyed.
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    shown = [text for widget in QApplication.allWidgets() for text in _texts(widget)]
    leaks = [text for text in shown if "Canarybright" in text or "4242/77" in text]
    assert leaks == []


def _unlock(qtbot: QtBot, window: MainWindow, passphrase: str = PASSPHRASE) -> None:
    dialog = window.unlock_dialog
    assert isinstance(dialog, UnlockDialog)
    assert dialog.isVisible()
    dialog.passphrase.edit.setText(passphrase)
    with qtbot.waitSignal(window.unlocked, timeout=10_000):
        qtbot.mouseClick(dialog.unlock_button, Qt.MouseButton.LeftButton)


def test_the_app_locks_after_the_idle_time_and_then_shows_and_holds_nothing(
    qtbot: QtBot, window: MainWindow, ui_repository: Repository, ui_database: Database
) -> None:
    saved = ui_repository.save(full_referral(CANARY, CANARY_REF))
    assert saved.id is not None
    window.show_list()
    window.open_record(saved.id)
    assert CANARY in [text for w in QApplication.allWidgets() for text in _texts(w)]
    editor = window.record_view.edit_section(Page.SURVIVOR)  # type: ignore[union-attr]
    assert isinstance(editor, EditDialog)
    assert editor.isVisible()

    window.idle.timer.setInterval(100)  # minutes in real use; the timer is the same
    window.idle.timer.start()
    with qtbot.waitSignal(window.locked, timeout=5_000):
        pass

    assert window.is_locked
    assert not ui_database.is_open
    assert not editor.isVisible()
    assert window.pages.currentWidget() is window.locked_page
    assert not window.nav_actions["list"].isEnabled()
    assert_nothing_personal_anywhere()
    assert window.unlock_dialog is not None
    assert window.unlock_dialog.windowTitle() == "CSARP Referrals — Locked"


def test_input_keeps_the_app_unlocked(qtbot: QtBot, window: MainWindow) -> None:
    window.idle.timer.setInterval(60_000)
    window.idle.timer.start()
    window.idle.timer.setInterval(400)
    for _ in range(3):  # keys pressed more often than the idle time keep restarting it
        qtbot.keyClick(window.home.new_button, Qt.Key.Key_Shift)
        assert window.idle.timer.remainingTime() > 300
    assert not window.is_locked


def test_lock_now_and_unlock_return_to_the_record(
    qtbot: QtBot, window: MainWindow, ui_repository: Repository
) -> None:
    saved = ui_repository.save(full_referral(CANARY, CANARY_REF))
    assert saved.id is not None
    window.open_record(saved.id)
    with qtbot.waitSignal(window.locked):
        qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert_nothing_personal_anywhere()

    _unlock(qtbot, window)
    assert window.repository is not None
    assert window.repository.database.is_open
    assert window.record_view is not None
    assert window.pages.currentWidget() is window.record_view
    assert window.record_view.referral is not None
    assert window.record_view.referral.id == saved.id
    actions = [event.action for event in window.repository.audit_events()]
    assert actions[-2:] == [AuditAction.UNLOCK, AuditAction.OPEN]
    assert window.nav_actions["list"].isEnabled()


def test_hide_now_locks_and_minimises_at_one_keystroke(
    qtbot: QtBot, window: MainWindow, ui_repository: Repository
) -> None:
    ui_repository.save(full_referral(CANARY, CANARY_REF))
    window.show_list()
    assert window.hide_action.shortcut().toString() == "F12"
    assert window.hide_action in window.navigation.actions()  # a visible button too
    with qtbot.waitSignal(window.locked):
        qtbot.keyClick(window, Qt.Key.Key_F12)
    assert window.isMinimized()
    assert_nothing_personal_anywhere()
    _unlock(qtbot, window)
    assert not window.isMinimized()
    assert window.pages.currentWidget() is window.list_page


def test_the_form_in_progress_is_kept_as_a_draft_and_comes_back(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.new_referral()
    wizard = window.wizard
    assert isinstance(wizard, ReferralWizard)
    driver = Driver(qtbot, wizard)
    for _ in range(2):
        driver.choose("yes")
        driver.cont()
    assert wizard.draft.page is Page.AGE
    age = wizard.current
    qtbot.keyClicks(age.birth.year_box, "1988")  # type: ignore[attr-defined]  # not saved yet

    with qtbot.waitSignal(window.locked):
        window.lock_action.trigger()
    assert window.wizard is None
    _unlock(qtbot, window)

    wizard = window.wizard
    assert isinstance(wizard, ReferralWizard)
    assert window.pages.currentWidget() is wizard
    assert wizard.draft.page is Page.AGE
    assert wizard.current.birth.year_box.text() == "1988"  # type: ignore[attr-defined]
    assert wizard.draft.history == [Page.WHERE, Page.AGAINST_SURVIVOR]


def test_after_five_wrong_passphrases_the_next_try_waits_and_says_so(
    qtbot: QtBot, ui_db_path: Path, ui_database: Database
) -> None:
    ui_database.close()
    clock = [datetime(2026, 11, 21, 9, 0, tzinfo=UTC)]
    dialog = UnlockDialog(ui_db_path, locked=True, now=lambda: clock[0])
    qtbot.addWidget(dialog)
    dialog.show()
    for _ in range(5):
        assert dialog.unlock_button.isEnabled()
        dialog.passphrase.edit.setText(WRONG)
        qtbot.mouseClick(dialog.unlock_button, Qt.MouseButton.LeftButton)
    assert not dialog.unlock_button.isEnabled()
    assert dialog.wait_label.isVisible()
    assert dialog.wait_label.text() == "You can try again in 30 seconds."
    assert dialog.summary.messages() == [TooManyAttemptsError.REASON]
    assert dialog.passphrase.edit.text() == WRONG  # what was typed stays, to be corrected

    clock[0] += timedelta(seconds=12)
    with qtbot.waitSignal(dialog._wait.timeout, timeout=3_000):
        pass
    assert dialog.wait_label.text() == "You can try again in 18 seconds."
    clock[0] += timedelta(seconds=18)
    with qtbot.waitSignal(dialog._wait.timeout, timeout=3_000):
        pass
    assert dialog.unlock_button.isEnabled()
    assert not dialog.wait_label.isVisible()

    dialog.passphrase.edit.setText(PASSPHRASE)
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        qtbot.mouseClick(dialog.unlock_button, Qt.MouseButton.LeftButton)
    assert dialog.database is not None
    try:
        events = Repository(dialog.database).audit_events()
    finally:
        dialog.database.close()
    failed = [event for event in events if event.action == AuditAction.UNLOCK_FAILED]
    assert len(failed) == 5  # each wrong passphrase is in the audit log


def test_a_wait_left_from_before_a_restart_still_applies(
    qtbot: QtBot, ui_db_path: Path, ui_database: Database
) -> None:
    ui_database.close()
    clock = [datetime(2026, 11, 21, 9, 0, tzinfo=UTC)]
    first = UnlockDialog(ui_db_path, now=lambda: clock[0])
    qtbot.addWidget(first)
    for _ in range(6):  # the sixth is refused without being tried: the wait has begun
        first.passphrase.edit.setText(WRONG)
        first.unlock()
    first.close()
    clock[0] += timedelta(seconds=20)
    again = UnlockDialog(ui_db_path, now=lambda: clock[0])  # the app started again
    qtbot.addWidget(again)
    assert not again.unlock_button.isEnabled()
    assert again.wait_label.text() == "You can try again in 10 seconds."


def test_the_lock_time_is_chosen_from_one_to_fifteen_minutes_and_kept(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    assert window.idle.timer.interval() == 5 * 60_000  # the default
    window.settings_action.trigger()
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, PreferencesDialog))
    assert dialog.isVisible()
    assert (dialog.minutes.minimum(), dialog.minutes.maximum()) == (1, 15)  # never off
    dialog.minutes.setFocus()
    qtbot.keyClick(dialog.minutes, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(dialog.minutes, "12")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert window.idle.timer.interval() == 12 * 60_000
    stored = Settings(QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    assert stored.lock_minutes() == 12
    stored.set_lock_minutes(0)
    assert stored.lock_minutes() == 1
    stored.set_lock_minutes(99)
    assert stored.lock_minutes() == 15


def test_the_lock_keys_work_while_a_dialog_is_open_and_the_edit_comes_back(
    qtbot: QtBot, window: MainWindow, ui_repository: Repository
) -> None:
    saved = ui_repository.save(full_referral(CANARY, CANARY_REF))
    assert saved.id is not None
    window.open_record(saved.id)
    view = window.record_view
    assert view is not None
    editor = view.edit_section(Page.SURVIVOR)
    assert isinstance(editor, EditDialog)
    editor.page.full_name.setText("Wilhelmina Canarybright-Jones")  # type: ignore[attr-defined]
    assert QApplication.activeModalWidget() is editor
    with qtbot.waitSignal(window.locked):
        qtbot.keyClick(editor.page.full_name, Qt.Key.Key_F12)  # type: ignore[attr-defined]
    assert window.isMinimized()
    assert_nothing_personal_anywhere()
    _unlock(qtbot, window)

    view = window.record_view
    assert view is not None
    editor = view.dialog
    assert isinstance(editor, EditDialog)
    assert editor.isVisible()
    assert editor.page.full_name.text() == "Wilhelmina Canarybright-Jones"  # type: ignore[attr-defined]
    assert ui_repository_of(window).get(saved.id).survivor.full_name == CANARY  # not saved
    assert ui_repository_of(window).drafts() == []  # handed back, not kept twice


def ui_repository_of(window: MainWindow) -> Repository:
    assert window.repository is not None
    return window.repository


def test_ctrl_l_locks_over_a_dialog_too(qtbot: QtBot, window: MainWindow) -> None:
    window.show_preferences()
    dialog = QApplication.activeModalWidget()
    assert dialog is not None
    with qtbot.waitSignal(window.locked):
        qtbot.keyClick(dialog, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert not window.isMinimized()


def test_an_unsaved_letter_is_saved_without_a_question_when_the_app_locks(
    qtbot: QtBot, window: MainWindow, ui_repository: Repository
) -> None:
    saved = ui_repository.save(full_referral(CANARY, CANARY_REF))
    assert saved.id is not None
    window.open_record(saved.id)
    letter = window.record_view.edit_letter()  # type: ignore[union-attr]
    assert letter is not None
    letter.editor.setPlainText("Dear Chief Constable, a letter typed just now.")
    with qtbot.waitSignal(window.locked, timeout=5_000):
        window.lock_action.trigger()
    assert_nothing_personal_anywhere()
    _unlock(qtbot, window)
    stored = ui_repository_of(window).get(saved.id)
    assert stored.request_letter == "Dear Chief Constable, a letter typed just now."


def test_the_app_locks_even_if_the_draft_cannot_be_saved_and_says_so(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.new_referral()
    assert window.wizard is not None

    def broken() -> bool:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(window.wizard, "save_draft", broken)
    with qtbot.waitSignal(window.locked):
        window.lock_action.trigger()
    assert window.is_locked
    dialog = window.unlock_dialog
    assert dialog is not None
    assert any("could not be saved as a draft" in text for text in _all_texts(dialog))


def _all_texts(widget: QWidget) -> list[str]:
    return [text for child in widget.findChildren(QWidget) for text in _texts(child)]


def test_locking_empties_a_clipboard_the_app_filled(qtbot: QtBot, window: MainWindow) -> None:
    QApplication.clipboard().setText(CANARY)
    with qtbot.waitSignal(window.locked):
        window.lock_action.trigger()
    assert QApplication.clipboard().text() == ""
