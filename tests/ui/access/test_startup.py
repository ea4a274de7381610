"""The start-up screens with real widgets (offscreen) and real SQLCipher files in tmp_path."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QLabel,
    QLineEdit,
    QScrollArea,
    QWidget,
)
from pytestqt.qtbot import QtBot

from referral_app.domain.referral import Advocate
from referral_app.storage.access import FailedAttempts, create_database, open_database
from referral_app.storage.db import Database
from referral_app.storage.errors import (
    DatabaseExistsError,
    DatabaseInUseError,
    NotADatabaseError,
    WrongPassphraseError,
)
from referral_app.storage.repository import Repository
from referral_app.ui.access.create_database import CreateDatabaseDialog
from referral_app.ui.access.start import open_or_create
from referral_app.ui.access.unlock import TextField, UnlockDialog
from referral_app.ui.access.where import WhereDialog
from referral_app.ui.common.settings import Settings
from tests.storage.conftest import ADVOCATE, PASSPHRASE

D = TypeVar("D", bound=QDialog)
WRONG = "orbit tiger lamp violet drop"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "referrals.db"


@pytest.fixture
def existing(db_path: Path) -> Path:
    create_database(db_path, PASSPHRASE, ADVOCATE).close()
    return db_path


@pytest.fixture
def opened() -> Iterator[list[Database]]:
    """Databases a test opens; all closed at the end so their files and locks are released."""
    databases: list[Database] = []
    yield databases
    for database in databases:
        database.close()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def shown(qtbot: QtBot, dialog: D) -> D:
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def click(qtbot: QtBot, button: QAbstractButton) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def fill(qtbot: QtBot, field: TextField, text: str) -> None:
    field.edit.clear()
    qtbot.keyClicks(field.edit, text)


def fill_create(
    qtbot: QtBot,
    dialog: CreateDatabaseDialog,
    passphrase: str = PASSPHRASE,
    confirm: str | None = None,
    advocate: Advocate = ADVOCATE,
) -> None:
    fill(qtbot, dialog.passphrase, passphrase)
    fill(qtbot, dialog.confirm, passphrase if confirm is None else confirm)
    fill(qtbot, dialog.name, advocate.name)
    fill(qtbot, dialog.organisation, advocate.organisation)
    fill(qtbot, dialog.phone, advocate.phone)
    fill(qtbot, dialog.email, advocate.email)


def field_message(field: TextField) -> str | None:
    return field.error.text() if field.error.isVisible() else None


def when_modals(*acts: Callable[[QDialog], None]) -> None:
    """Run each of ``acts`` in turn on the next modal dialog shown (each a new one)."""
    remaining = list(acts)
    done: list[QDialog] = []

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QDialog) or (done and dialog is done[-1]):
            QTimer.singleShot(10, poll)
            return
        done.append(dialog)
        act = remaining.pop(0)
        try:
            act(dialog)
        finally:
            if dialog.isVisible() and not remaining:
                dialog.reject()
        if remaining:
            QTimer.singleShot(0, poll)

    QTimer.singleShot(0, poll)


@pytest.fixture
def on_computer(tmp_path: Path) -> Settings:
    """Settings of the test's own, where this computer has been chosen for the records."""
    settings = Settings(QSettings(str(tmp_path / "where.ini"), QSettings.Format.IniFormat))
    settings.use_computer()
    return settings


def when_modal(act: Callable[[QDialog], None]) -> None:
    """Run ``act`` on the modal dialog once ``exec()`` has shown it; close it if ``act`` fails."""

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QDialog):
            QTimer.singleShot(10, poll)
            return
        try:
            act(dialog)
        finally:
            if dialog.isVisible():
                dialog.reject()

    QTimer.singleShot(0, poll)


# Creating the database


def test_creating_a_database_by_typing_and_clicking(
    qtbot: QtBot, db_path: Path, opened: list[Database]
) -> None:
    dialog = shown(qtbot, CreateDatabaseDialog(db_path))
    assert dialog.windowTitle() == "CSARP Referrals — Create database"
    fill_create(qtbot, dialog)
    click(qtbot, dialog.create_button)

    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.database is not None
    opened.append(dialog.database)
    assert db_path.stat().st_size > 0
    assert Repository(dialog.database).advocate() == ADVOCATE
    assert dialog.passphrase.text() == ""  # not left lying about in the widget


def test_optional_details_may_be_left_out_and_spaces_are_trimmed(
    qtbot: QtBot, db_path: Path, opened: list[Database]
) -> None:
    dialog = shown(qtbot, CreateDatabaseDialog(db_path))
    fill_create(qtbot, dialog, advocate=Advocate("  Ann Advocate ", "Safe Space Charity  "))
    click(qtbot, dialog.create_button)
    assert dialog.database is not None
    opened.append(dialog.database)
    assert Repository(dialog.database).advocate() == Advocate("Ann Advocate", "Safe Space Charity")


def test_an_empty_form_lists_each_problem_beside_its_field_and_in_the_summary(
    qtbot: QtBot, db_path: Path
) -> None:
    dialog = shown(qtbot, CreateDatabaseDialog(db_path))
    click(qtbot, dialog.create_button)

    expected = ["Enter a passphrase", "Enter your name", "Enter your organisation"]
    assert dialog.summary.isVisible()
    assert dialog.summary.messages() == expected
    assert field_message(dialog.passphrase) == "Error: Enter a passphrase"
    assert field_message(dialog.name) == "Error: Enter your name"
    assert field_message(dialog.organisation) == "Error: Enter your organisation"
    assert field_message(dialog.phone) is None
    assert field_message(dialog.email) is None
    assert dialog.passphrase.edit.property("invalid") is True
    assert "Enter your name" in dialog.name.edit.accessibleDescription()
    qtbot.waitUntil(dialog.summary.hasFocus)
    assert dialog.isVisible()
    assert not db_path.exists()


def test_following_a_summary_link_goes_to_the_field(qtbot: QtBot, db_path: Path) -> None:
    dialog = shown(qtbot, CreateDatabaseDialog(db_path))
    click(qtbot, dialog.create_button)
    dialog.summary.follow(1)
    qtbot.waitUntil(dialog.name.edit.hasFocus)


def test_a_weak_passphrase_is_refused_with_the_strength_summary(
    qtbot: QtBot, db_path: Path
) -> None:
    dialog = shown(qtbot, CreateDatabaseDialog(db_path))
    fill_create(qtbot, dialog, passphrase="password")
    assert dialog.strength.label.text() == "Strength: Very weak"
    click(qtbot, dialog.create_button)

    message = (
        "The passphrase is too easy to guess: this is one of the 10 most common passwords. "
        "Add another word or two. Uncommon words are better."
    )
    assert dialog.summary.messages() == [message]
    assert field_message(dialog.passphrase) == f"Error: {message}"
    assert not db_path.exists()
    # Nothing typed is thrown away.
    assert dialog.passphrase.text() == "password"
    assert dialog.name.text() == ADVOCATE.name
    assert dialog.email.text() == ADVOCATE.email


def test_the_meter_counts_the_advocates_own_name_as_easy_to_guess(
    qtbot: QtBot, db_path: Path
) -> None:
    dialog = shown(qtbot, CreateDatabaseDialog(db_path))
    assert dialog.strength.label.text() == "Strength: not known yet"
    fill(qtbot, dialog.passphrase, "Zelda Quartermaine!")
    assert dialog.strength.label.text() == "Strength: Strong"
    assert dialog.strength.bar.value() == 4
    assert dialog.strength.bar.accessibleDescription() == "Strong, 4 out of 4"

    fill(qtbot, dialog.name, "Zelda Quartermaine")
    assert dialog.strength.label.text() == "Strength: Good"
    assert dialog.strength.bar.value() == 3
    assert dialog.strength.advice.text().endswith("It needs to be Strong.")

    fill(qtbot, dialog.confirm, "Zelda Quartermaine!")
    fill(qtbot, dialog.organisation, "Brightwater Trust")
    click(qtbot, dialog.create_button)
    assert dialog.summary.messages() == [
        "The passphrase is too easy to guess: use four or more unrelated words, or a longer phrase."
    ]


def test_passphrases_that_do_not_match(qtbot: QtBot, db_path: Path) -> None:
    dialog = shown(qtbot, CreateDatabaseDialog(db_path))
    fill_create(qtbot, dialog, confirm=PASSPHRASE + "x")
    click(qtbot, dialog.create_button)
    assert dialog.summary.messages() == ["The passphrases do not match"]
    assert field_message(dialog.confirm) == "Error: The passphrases do not match"
    assert field_message(dialog.passphrase) is None
    assert not db_path.exists()


def test_a_missing_confirmation_is_asked_for(qtbot: QtBot, db_path: Path) -> None:
    dialog = shown(qtbot, CreateDatabaseDialog(db_path))
    fill_create(qtbot, dialog, confirm="")
    click(qtbot, dialog.create_button)
    assert dialog.summary.messages() == ["Type the passphrase again to confirm it"]


@pytest.mark.parametrize("email", ["ann at example.org", "ann@example", "ann@@example.org"])
def test_an_email_address_in_the_wrong_format(qtbot: QtBot, db_path: Path, email: str) -> None:
    dialog = shown(qtbot, CreateDatabaseDialog(db_path))
    fill_create(qtbot, dialog, advocate=Advocate("Ann", "Safe Space Charity", "", email))
    click(qtbot, dialog.create_button)
    message = "Enter an email address in the correct format, like name@example.org"
    assert dialog.summary.messages() == [message]
    assert field_message(dialog.email) == f"Error: {message}"


def test_problems_fixed_are_no_longer_shown(
    qtbot: QtBot, db_path: Path, opened: list[Database]
) -> None:
    dialog = shown(qtbot, CreateDatabaseDialog(db_path))
    fill_create(qtbot, dialog, advocate=Advocate("", "Safe Space Charity"))
    click(qtbot, dialog.create_button)
    assert dialog.summary.messages() == ["Enter your name"]
    fill(qtbot, dialog.name, "Ann Advocate")
    click(qtbot, dialog.create_button)
    assert dialog.database is not None
    opened.append(dialog.database)


def test_show_passphrase_shows_both_fields(qtbot: QtBot, db_path: Path) -> None:
    dialog = shown(qtbot, CreateDatabaseDialog(db_path))
    edits = (dialog.passphrase.edit, dialog.confirm.edit)
    assert all(edit.echoMode() == QLineEdit.EchoMode.Password for edit in edits)
    click(qtbot, dialog.show_passphrase)
    assert all(edit.echoMode() == QLineEdit.EchoMode.Normal for edit in edits)
    click(qtbot, dialog.show_passphrase)
    assert all(edit.echoMode() == QLineEdit.EchoMode.Password for edit in edits)


def test_a_storage_error_is_shown_plainly_and_nothing_else_changes(
    qtbot: QtBot, existing: Path
) -> None:
    before = sha256(existing)
    dialog = shown(qtbot, CreateDatabaseDialog(existing))
    fill_create(qtbot, dialog)
    click(qtbot, dialog.create_button)
    assert dialog.summary.messages() == [str(DatabaseExistsError(existing))]
    assert dialog.isVisible()
    assert dialog.database is None
    assert dialog.passphrase.text() == PASSPHRASE
    assert sha256(existing) == before


def test_a_pasted_control_character_is_refused_beside_the_field(
    qtbot: QtBot, db_path: Path
) -> None:
    dialog = shown(qtbot, CreateDatabaseDialog(db_path))
    fill_create(qtbot, dialog)
    pasted = "orbit\ttiger lamp violet drop"
    dialog.passphrase.edit.setText(pasted)
    dialog.confirm.edit.setText(pasted)
    click(qtbot, dialog.create_button)
    [message] = dialog.summary.messages()
    assert "cannot contain control characters" in message
    assert field_message(dialog.passphrase) == f"Error: {message}"
    assert dialog.summary.problems[0].field is dialog.passphrase.edit
    assert not db_path.exists()


def test_cancel_creates_nothing(qtbot: QtBot, db_path: Path) -> None:
    dialog = shown(qtbot, CreateDatabaseDialog(db_path))
    fill_create(qtbot, dialog)
    click(qtbot, dialog.cancel_button)
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert dialog.database is None
    assert not db_path.parent.exists()


def test_the_first_run_page_warns_that_a_forgotten_passphrase_loses_the_records(
    qtbot: QtBot, db_path: Path
) -> None:
    dialog = shown(qtbot, CreateDatabaseDialog(db_path))
    warning = dialog.findChild(QWidget, "warningText")
    assert warning is not None
    assert warning.accessibleName().startswith("Warning: If you forget this passphrase")
    assert "cannot be recovered" in warning.accessibleName()


def test_create_keyboard_order_and_names(qtbot: QtBot, db_path: Path) -> None:
    dialog = shown(qtbot, CreateDatabaseDialog(db_path))
    assert tab_order(qtbot, dialog.passphrase.edit, 9) == [
        dialog.passphrase.edit,
        dialog.confirm.edit,
        dialog.show_passphrase,
        dialog.name.edit,
        dialog.organisation.edit,
        dialog.phone.edit,
        dialog.email.edit,
        dialog.create_button,
        dialog.cancel_button,
    ]
    assert dialog.phone.edit.accessibleName() == "Work phone number (optional)"
    qtbot.keyClick(dialog.passphrase.edit, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    assert dialog.name.edit.hasFocus()  # the label's mnemonic
    qtbot.keyClick(dialog.name.edit, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(dialog.show_passphrase.isChecked)  # buttons "animate" a mnemonic press
    assert dialog.create_button.isDefault()
    assert_keyboard_ready(dialog)


# Unlocking


def test_unlocking_with_the_right_passphrase_and_enter(
    qtbot: QtBot, existing: Path, opened: list[Database]
) -> None:
    dialog = shown(qtbot, UnlockDialog(existing))
    assert dialog.windowTitle() == "CSARP Referrals — Unlock"
    qtbot.keyClicks(dialog.passphrase.edit, PASSPHRASE)
    qtbot.keyClick(dialog.passphrase.edit, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.database is not None
    opened.append(dialog.database)
    assert Repository(dialog.database).advocate() == ADVOCATE


def test_a_wrong_passphrase_is_met_plainly_and_the_right_one_then_works(
    qtbot: QtBot, existing: Path, opened: list[Database]
) -> None:
    before = sha256(existing)
    dialog = shown(qtbot, UnlockDialog(existing))
    qtbot.keyClicks(dialog.passphrase.edit, WRONG)
    click(qtbot, dialog.unlock_button)

    message = str(WrongPassphraseError())
    assert message.startswith("That passphrase does not open this database")
    assert dialog.isVisible()
    assert dialog.database is None
    assert dialog.summary.messages() == [message]
    assert field_message(dialog.passphrase) == f"Error: {message}"
    qtbot.waitUntil(dialog.passphrase.edit.hasFocus)
    assert dialog.passphrase.edit.selectedText() == WRONG
    assert sha256(existing) == before

    qtbot.keyClicks(dialog.passphrase.edit, PASSPHRASE)  # replaces the selected text
    click(qtbot, dialog.unlock_button)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.database is not None
    opened.append(dialog.database)


def test_an_empty_passphrase_is_not_counted_as_a_failed_unlock(
    qtbot: QtBot, existing: Path
) -> None:
    dialog = shown(qtbot, UnlockDialog(existing))
    click(qtbot, dialog.unlock_button)
    assert dialog.summary.messages() == ["Enter your passphrase"]
    assert FailedAttempts.beside(existing).times() == []


def test_a_database_open_elsewhere_is_explained(
    qtbot: QtBot, existing: Path, opened: list[Database]
) -> None:
    opened.append(open_database(existing, PASSPHRASE))
    dialog = shown(qtbot, UnlockDialog(existing))
    qtbot.keyClicks(dialog.passphrase.edit, PASSPHRASE)
    click(qtbot, dialog.unlock_button)
    assert dialog.summary.messages() == [str(DatabaseInUseError(existing))]
    assert "already open in another copy" in dialog.summary.messages()[0]
    assert field_message(dialog.passphrase) is None
    assert dialog.isVisible()
    assert dialog.database is None


def test_a_file_that_is_not_a_database_is_explained(qtbot: QtBot, db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(b"not a database")
    dialog = shown(qtbot, UnlockDialog(db_path))
    qtbot.keyClicks(dialog.passphrase.edit, PASSPHRASE)
    click(qtbot, dialog.unlock_button)
    assert dialog.summary.messages() == [str(NotADatabaseError(db_path))]
    assert dialog.isVisible()


def test_the_unlock_screen_shows_nothing_personal(qtbot: QtBot, existing: Path) -> None:
    dialog = shown(qtbot, UnlockDialog(existing))
    click(qtbot, dialog.forgotten_button)
    shown_text = " ".join(
        [dialog.windowTitle()] + [label.text() for label in dialog.findChildren(QLabel)]
    )
    for private in (ADVOCATE.name, ADVOCATE.organisation, ADVOCATE.email, str(existing.parent)):
        assert private not in shown_text


def test_forgotten_passphrase_explains_there_is_no_recovery(qtbot: QtBot, existing: Path) -> None:
    dialog = shown(qtbot, UnlockDialog(existing))
    assert not dialog.forgotten_text.isVisible()
    click(qtbot, dialog.forgotten_button)
    assert dialog.forgotten_text.isVisible()
    text = " ".join(label.text() for label in dialog.forgotten_text.findChildren(QLabel))
    assert "Nobody can reset or recover the passphrase" in text
    assert "start afresh with a new, empty database" in text
    click(qtbot, dialog.forgotten_button)
    assert not dialog.forgotten_text.isVisible()


def test_unlock_keyboard_order_names_and_no_cut_off_text(qtbot: QtBot, existing: Path) -> None:
    dialog = shown(qtbot, UnlockDialog(existing))
    assert tab_order(qtbot, dialog.passphrase.edit, 5) == [
        dialog.passphrase.edit,
        dialog.show_passphrase,
        dialog.forgotten_button,
        dialog.unlock_button,
        dialog.quit_button,
    ]
    assert dialog.unlock_button.isDefault()
    assert dialog.passphrase.edit.accessibleName() == "Passphrase"
    assert dialog.passphrase.edit.echoMode() == QLineEdit.EchoMode.Password
    scroll = dialog.findChild(QScrollArea)
    assert scroll is not None
    # Text that appears makes the window grow (it scrolls only when the screen is too small).
    click(qtbot, dialog.unlock_button)
    settle()
    assert scroll.verticalScrollBar().maximum() == 0
    click(qtbot, dialog.forgotten_button)
    settle()
    assert scroll.verticalScrollBar().maximum() == 0
    assert_keyboard_ready(dialog)


def test_quit_closes_without_opening(qtbot: QtBot, existing: Path) -> None:
    dialog = shown(qtbot, UnlockDialog(existing))
    click(qtbot, dialog.quit_button)
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert dialog.database is None


@pytest.mark.parametrize("kind", [CreateDatabaseDialog, UnlockDialog])
def test_double_size_text_fits_the_screen_and_is_not_cut_off(
    qtbot: QtBot, existing: Path, kind: type[CreateDatabaseDialog | UnlockDialog]
) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    normal_width = shown(qtbot, kind(existing)).minimumWidth()
    normal = app.font()
    big = app.font()
    big.setPointSizeF(normal.pointSizeF() * 2)
    app.setFont(big)
    try:
        dialog = shown(qtbot, kind(existing))
        if isinstance(dialog, CreateDatabaseDialog):
            click(qtbot, dialog.create_button)  # shows the error messages
        else:
            click(qtbot, dialog.unlock_button)
        assert dialog.minimumWidth() > normal_width  # widths follow the text size
        screen = dialog.screen().availableGeometry()
        assert dialog.width() <= screen.width()
        assert dialog.height() <= screen.height()
        assert_keyboard_ready(dialog)
    finally:
        app.setFont(normal)


# Choosing the screen


def test_open_or_create_creates_when_there_is_no_database(
    qtbot: QtBot, db_path: Path, opened: list[Database], on_computer: Settings
) -> None:
    seen: list[QDialog] = []

    def create(dialog: QDialog) -> None:
        seen.append(dialog)
        assert isinstance(dialog, CreateDatabaseDialog)
        fill_create(qtbot, dialog)
        click(qtbot, dialog.create_button)

    when_modal(create)
    database = open_or_create(db_path, settings=on_computer)
    assert database is not None
    opened.append(database)
    assert len(seen) == 1
    assert Repository(database).advocate() == ADVOCATE


def test_the_first_run_asks_where_the_records_live_then_creates_the_file(
    qtbot: QtBot, db_path: Path, opened: list[Database], tmp_path: Path
) -> None:
    settings = Settings(QSettings(str(tmp_path / "first.ini"), QSettings.Format.IniFormat))
    kinds: list[type[QDialog]] = []

    def where(dialog: QDialog) -> None:
        kinds.append(type(dialog))
        assert isinstance(dialog, WhereDialog)
        assert dialog.computer.isChecked()
        click(qtbot, dialog.continue_button)

    def create(dialog: QDialog) -> None:
        kinds.append(type(dialog))
        assert isinstance(dialog, CreateDatabaseDialog)
        fill_create(qtbot, dialog)
        click(qtbot, dialog.create_button)

    when_modals(where, create)
    database = open_or_create(db_path, settings=settings)
    assert database is not None
    opened.append(database)
    assert kinds == [WhereDialog, CreateDatabaseDialog]
    assert settings.where() == "computer"


def test_leaving_the_first_question_creates_nothing_and_keeps_no_choice(
    qtbot: QtBot, db_path: Path, tmp_path: Path
) -> None:
    settings = Settings(QSettings(str(tmp_path / "first.ini"), QSettings.Format.IniFormat))
    when_modal(lambda dialog: click(qtbot, dialog.cancel_button))  # type: ignore[attr-defined]
    assert open_or_create(db_path, settings=settings) is None
    assert settings.where() is None
    assert not db_path.exists()


def test_open_or_create_treats_an_empty_file_as_no_database(
    qtbot: QtBot, db_path: Path, on_computer: Settings
) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.touch()
    kinds: list[type[QDialog]] = []
    when_modal(lambda dialog: kinds.append(type(dialog)))
    assert open_or_create(db_path, settings=on_computer) is None
    assert kinds == [CreateDatabaseDialog]


def test_open_or_create_unlocks_an_existing_database(
    qtbot: QtBot, existing: Path, opened: list[Database]
) -> None:
    def unlock(dialog: QDialog) -> None:
        assert isinstance(dialog, UnlockDialog)
        qtbot.keyClicks(dialog.passphrase.edit, PASSPHRASE)
        click(qtbot, dialog.unlock_button)

    when_modal(unlock)
    database = open_or_create(existing)
    assert database is not None
    opened.append(database)
    assert Repository(database).advocate() == ADVOCATE


@pytest.mark.parametrize("exists", [False, True], ids=["create", "unlock"])
def test_open_or_create_returns_none_when_the_advocate_leaves(
    qtbot: QtBot, db_path: Path, exists: bool, on_computer: Settings
) -> None:
    if exists:
        create_database(db_path, PASSPHRASE, ADVOCATE).close()

    def leave(dialog: QDialog) -> None:
        button = dialog.quit_button if isinstance(dialog, UnlockDialog) else None
        if isinstance(dialog, CreateDatabaseDialog):
            button = dialog.cancel_button
        assert button is not None
        click(qtbot, button)

    when_modal(leave)
    assert open_or_create(db_path, settings=on_computer) is None
    assert db_path.exists() is exists


# Helpers for the keyboard and large-text checks


def tab_order(qtbot: QtBot, start: QWidget, count: int) -> list[QWidget | None]:
    """The widgets pressing Tab visits, starting with the focus in ``start``."""
    start.setFocus(Qt.FocusReason.OtherFocusReason)
    order = [QApplication.focusWidget()]
    while len(order) < count:
        qtbot.keyClick(order[-1] or start, Qt.Key.Key_Tab)
        order.append(QApplication.focusWidget())
    return order


def settle() -> None:
    """Let Qt finish the layout changes it has queued (no waiting on a clock)."""
    for _ in range(3):
        QApplication.processEvents()


def assert_keyboard_ready(dialog: QDialog) -> None:
    """Every control has a name a screen reader can say, every field label a mnemonic that
    takes the keyboard to its field, and no wrapped text is cut short."""
    settle()
    for control in dialog.findChildren(QWidget):
        if isinstance(control, QLineEdit | QAbstractButton) and control.isVisible():
            assert control.accessibleName(), control
    for label in dialog.findChildren(QLabel):
        if label.objectName() == "fieldLabel" and label.buddy() is not None:
            assert "&" in label.text(), label.text()
        if label.isVisible() and label.wordWrap() and label.text():
            assert label.height() >= label.heightForWidth(label.width()), label.text()
