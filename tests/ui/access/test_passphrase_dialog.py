"""Changing the passphrase, on real encrypted files, with the dialog's buttons clicked."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QWidget
from pytestqt.qtbot import QtBot

from referral_app.domain.audit import AuditAction
from referral_app.storage import backup
from referral_app.storage.db import Database
from referral_app.storage.errors import WrongPassphraseError
from referral_app.storage.repository import Repository
from referral_app.ui.access.change_passphrase import (
    PARTLY_DONE,
    UNEXPECTED,
    WRONG_CURRENT,
    ChangePassphraseDialog,
)
from tests.storage.conftest import PASSPHRASE, full_referral
from tests.ui.conftest import screenshot_folder
from tests.ui.record_helpers import click, settle

NEW = "quartz lantern bicycle orchard fjord"
#: The change derives several keys and re-encrypts backups: seconds, not milliseconds.
WORK_TIMEOUT_MS = 60_000


def make_dialog(qtbot: QtBot, database: Database) -> ChangePassphraseDialog:
    dialog = ChangePassphraseDialog(database)
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitExposed(dialog)
    return dialog


def fill(qtbot: QtBot, dialog: ChangePassphraseDialog, current: str, new: str, again: str) -> None:
    for field, text in ((dialog.current, current), (dialog.new, new), (dialog.confirm, again)):
        field.edit.clear()
        qtbot.keyClicks(field.edit, text)


def change(qtbot: QtBot, dialog: ChangePassphraseDialog) -> None:
    with qtbot.waitSignal(dialog.work_done, timeout=WORK_TIMEOUT_MS):
        click(qtbot, dialog.change_button)
        assert dialog.busy
        assert not dialog.change_button.isEnabled()
        assert dialog.working.isVisible()
    assert not dialog.busy


def cut_off(widget: QWidget) -> list[str]:
    """Wrapped labels shown shorter than their text needs: text a reader would lose."""
    return [
        label.text()[:40]
        for label in widget.findChildren(QLabel)
        if label.isVisible()
        and label.wordWrap()
        and label.text()
        and label.height() < label.heightForWidth(label.width())
    ]


def test_after_a_change_only_the_new_passphrase_opens_the_database_and_its_backups(
    qtbot: QtBot,
    ui_database: Database,
    ui_db_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    Repository(ui_database).save(full_referral())
    made = backup.make_backup(ui_database, PASSPHRASE)
    dialog = make_dialog(qtbot, ui_database)
    fill(qtbot, dialog, PASSPHRASE, NEW, NEW)
    assert dialog.strength.label.text() == "Strength: Strong"
    with qtbot.waitSignal(dialog.changed, timeout=WORK_TIMEOUT_MS):
        click(qtbot, dialog.change_button)
    assert dialog.done_panel.isVisible()
    assert not dialog.form.isVisible()
    assert [field.text() for field in (dialog.current, dialog.new, dialog.confirm)] == [""] * 3
    assert dialog.cancel_button.text() == "&Done"
    actions = [event.action for event in Repository(ui_database).audit_events()]
    assert actions[-1] == AuditAction.PASSPHRASE_CHANGE
    click(qtbot, dialog.cancel_button)
    assert not dialog.isVisible()
    assert dialog.result() == QDialog.DialogCode.Accepted
    ui_database.close()

    with pytest.raises(WrongPassphraseError):
        Database.unlock(ui_db_path, PASSPHRASE)
    with Database.unlock(ui_db_path, NEW) as reopened:
        assert Repository(reopened).count() == 1
    with pytest.raises(WrongPassphraseError):
        backup.check_backup(made, PASSPHRASE)
    assert backup.list_backups(ui_db_path)
    for path in backup.list_backups(ui_db_path):
        backup.check_backup(path, NEW)
    logged = caplog.text
    assert PASSPHRASE not in logged
    assert NEW not in logged


def test_a_wrong_current_passphrase_is_refused_and_changes_nothing(
    qtbot: QtBot, ui_database: Database, ui_db_path: Path
) -> None:
    dialog = make_dialog(qtbot, ui_database)
    fill(qtbot, dialog, "not the passphrase at all", NEW, NEW)
    with qtbot.assertNotEmitted(dialog.changed):
        change(qtbot, dialog)
    assert dialog.summary.messages() == [WRONG_CURRENT]
    assert dialog.current.error.text() == f"Error: {WRONG_CURRENT}"
    assert dialog.current.edit.hasFocus()
    assert dialog.current.edit.selectedText() == "not the passphrase at all"
    assert (dialog.new.text(), dialog.confirm.text()) == (NEW, NEW)  # nothing typed is lost
    assert dialog.form.isEnabled()
    assert dialog.change_button.isEnabled()
    assert Repository(ui_database).count() == 0  # still open with the old key
    ui_database.close()
    Database.unlock(ui_db_path, PASSPHRASE).close()
    with pytest.raises(WrongPassphraseError):
        Database.unlock(ui_db_path, NEW)


@pytest.mark.parametrize(
    ("current", "new", "again", "messages"),
    [
        ("", "", "", ["Enter your current passphrase", "Enter a new passphrase"]),
        (PASSPHRASE, NEW, NEW + " ", ["The new passphrases do not match"]),
        (PASSPHRASE, NEW, "", ["Type the new passphrase again to confirm it"]),
        (
            PASSPHRASE,
            PASSPHRASE,
            PASSPHRASE,
            ["The new passphrase must be different from the current one"],
        ),
        (
            PASSPHRASE,
            "password123",
            "password123",
            [
                "The passphrase is too easy to guess: this is a very common password. Add another "
                "word or two. Uncommon words are better."
            ],
        ),
        (PASSPHRASE, "Ann Advocate 1", "Ann Advocate 1", None),
    ],
    ids=["empty", "mismatch", "unconfirmed", "same", "weak", "personal"],
)
def test_problems_found_before_anything_is_tried(
    qtbot: QtBot,
    ui_database: Database,
    ui_db_path: Path,
    current: str,
    new: str,
    again: str,
    messages: list[str] | None,
) -> None:
    dialog = make_dialog(qtbot, ui_database)
    fill(qtbot, dialog, current, new, again)
    click(qtbot, dialog.change_button)
    assert not dialog.busy  # refused at once: the database was not touched
    found = dialog.summary.messages()
    if messages is None:
        assert len(found) == 1
        assert found[0].startswith("The passphrase is too easy to guess")
    else:
        assert found == messages
    assert [f.text() for f in (dialog.current, dialog.new, dialog.confirm)] == [current, new, again]
    ui_database.close()
    Database.unlock(ui_db_path, PASSPHRASE).close()


def test_a_failure_after_the_database_took_the_new_key_still_says_it_changed(
    qtbot: QtBot,
    ui_database: Database,
    ui_db_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def full_disk(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backup, "rekey_backups", full_disk)
    dialog = make_dialog(qtbot, ui_database)
    fill(qtbot, dialog, PASSPHRASE, NEW, NEW)
    with qtbot.waitSignal(dialog.changed, timeout=WORK_TIMEOUT_MS):
        click(qtbot, dialog.change_button)
    assert dialog.done_panel.isVisible()
    assert dialog.done_text[0].text() == PARTLY_DONE
    assert "OSError" in caplog.text
    assert NEW not in caplog.text
    ui_database.close()
    Database.unlock(ui_db_path, NEW).close()


def test_an_unexpected_failure_before_the_change_says_the_old_passphrase_still_works(
    qtbot: QtBot,
    ui_database: Database,
    ui_db_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError(f"a bug that quotes {NEW}")

    monkeypatch.setattr(Database, "rekey", broken)
    dialog = make_dialog(qtbot, ui_database)
    fill(qtbot, dialog, PASSPHRASE, NEW, NEW)
    with qtbot.assertNotEmitted(dialog.changed):
        change(qtbot, dialog)
    assert dialog.summary.messages() == [UNEXPECTED]
    assert "RuntimeError" in caplog.text
    assert NEW not in caplog.text
    monkeypatch.undo()
    ui_database.close()
    Database.unlock(ui_db_path, PASSPHRASE).close()


def test_the_dialog_cannot_be_dismissed_mid_change_and_locking_waits_for_it(
    qtbot: QtBot, ui_database: Database, ui_db_path: Path
) -> None:
    dialog = make_dialog(qtbot, ui_database)
    fill(qtbot, dialog, PASSPHRASE, NEW, NEW)
    click(qtbot, dialog.change_button)
    assert dialog.busy
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible()
    assert not dialog.close()
    dialog.reject()  # what locking the app does to every dialog: it waits for the change
    assert not dialog.busy
    assert not dialog.isVisible()
    ui_database.close()  # and then locking closes the database
    Database.unlock(ui_db_path, NEW).close()


def test_the_dialog_renders_whole(
    qtbot: QtBot, ui_database: Database, tmp_path: Path, text_scale: float
) -> None:
    folder = screenshot_folder(tmp_path)
    tag = f"{text_scale:g}x"
    dialog = make_dialog(qtbot, ui_database)
    settle()
    dialog.grab().save(str(folder / f"passphrase_{tag}.png"))
    assert cut_off(dialog) == []
    fill(qtbot, dialog, "wrong one", "password123", "password12")
    click(qtbot, dialog.change_button)
    settle()
    dialog.grab().save(str(folder / f"passphrase_errors_{tag}.png"))
    dialog.page.grab().save(str(folder / f"passphrase_errors_whole_{tag}.png"))
    fill(qtbot, dialog, PASSPHRASE, NEW, NEW)
    with qtbot.waitSignal(dialog.work_done, timeout=WORK_TIMEOUT_MS):
        click(qtbot, dialog.change_button)
        settle()
        dialog.grab().save(str(folder / f"passphrase_working_{tag}.png"))
    settle()
    dialog.grab().save(str(folder / f"passphrase_done_{tag}.png"))
    assert cut_off(dialog) == []
