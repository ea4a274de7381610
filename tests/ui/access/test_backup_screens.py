"""The screens of the backup safety net: the damage page at unlock, and what the first run
offers beside another database's backups. Screenshots go to ``$REFERRAL_APP_SCREENSHOTS``."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QDialog, QLabel
from pytestqt.qtbot import QtBot

from referral_app.storage import backup
from referral_app.storage.access import create_database
from referral_app.storage.attempts import UNSAVED_NOTE
from referral_app.storage.backup_files import parse
from referral_app.storage.db import Database
from referral_app.storage.repository import Repository
from referral_app.ui.access.backup_now import BackUpNowDialog
from referral_app.ui.access.create_database import CreateDatabaseDialog
from referral_app.ui.access.damaged import when_text
from referral_app.ui.access.restore import RestoreDialog
from referral_app.ui.access.unlock import UnlockDialog
from referral_app.ui.common.privacy import PrivacyMode
from referral_app.ui.common.settings import Settings
from referral_app.ui.window.main_window import MainWindow
from tests.storage.conftest import ADVOCATE, PASSPHRASE, full_referral
from tests.ui.conftest import screenshot_folder

PAGE = 4096


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def damaged(tmp_path: Path) -> Path:
    path = tmp_path / "data" / "referrals.db"
    database = create_database(path, PASSPHRASE, ADVOCATE)
    repository = Repository(database)
    for number in range(30):
        repository.save(full_referral(f"Person Number {number}", f"CR {number}/1"))
    backup.make_backup(database, PASSPHRASE)  # the newest good backup, with all 30
    database.close()
    page = path.stat().st_size // PAGE // 2
    with path.open("r+b") as handle:
        handle.seek((page - 1) * PAGE + 200)
        handle.write(b"\xff" * 16)
    return path


def test_a_damaged_database_gets_a_plain_page_and_its_newest_good_backup_back(
    qtbot: QtBot, damaged: Path, tmp_path: Path, text_scale: float
) -> None:
    before = _sha256(damaged)
    dialog = UnlockDialog(damaged)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.passphrase.edit, PASSPHRASE)
    qtbot.mouseClick(dialog.unlock_button, Qt.MouseButton.LeftButton)

    assert dialog.database is None
    assert _sha256(damaged) == before  # nothing changed
    assert dialog.restore_button.isVisible()
    assert not dialog.passphrase.isVisible()
    shown = " ".join(w.text() for w in dialog.page.findChildren(QLabel) if w.isVisible())
    assert "The database file is damaged" in shown
    assert "Nothing has been changed" in shown
    today = datetime.now().astimezone()
    assert f"{today.day} {today:%B %Y} at" in shown
    name = "damage-page" if text_scale == 1.0 else "damage-page-200"
    dialog.grab().save(str(screenshot_folder(tmp_path) / f"{name}.png"))

    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.database is not None
    try:
        assert dialog.database.integrity_ok()
        assert Repository(dialog.database).count() == 30
    finally:
        dialog.database.close()
    kept = [p for p in damaged.parent.iterdir() if ".damaged-" in p.name]
    assert len(kept) == 1 and _sha256(kept[0]) == before
    QApplication.processEvents()


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


def test_back_up_now_saves_a_checked_encrypted_copy_in_the_chosen_folder(
    qtbot: QtBot, window: MainWindow, ui_repository: Repository, tmp_path: Path, text_scale: float
) -> None:
    ui_repository.save(full_referral())
    drive = tmp_path / "usb stick"
    drive.mkdir()
    window.backup_now_action.trigger()
    dialog = window.backup_dialog
    assert isinstance(dialog, BackUpNowDialog)
    qtbot.waitExposed(dialog)
    dialog.folder.setText(str(drive))
    qtbot.keyClicks(dialog.passphrase.edit, "not the passphrase")
    qtbot.mouseClick(dialog.back_up_button, Qt.MouseButton.LeftButton)
    assert dialog.summary.messages() == ["That is not the database passphrase"]
    assert list(drive.iterdir()) == []

    dialog.passphrase.edit.clear()
    qtbot.keyClicks(dialog.passphrase.edit, PASSPHRASE)
    qtbot.mouseClick(dialog.back_up_button, Qt.MouseButton.LeftButton)
    (made,) = drive.iterdir()
    backup.check_backup(made, PASSPHRASE)
    assert backup.count_referrals(made, PASSPHRASE) == 1
    assert dialog.outcome.isVisible() and made.name in dialog.outcome.accessibleName()
    name = "back-up-now" if text_scale == 1.0 else "back-up-now-200"
    QApplication.processEvents()  # the page is laid out again for the new text
    dialog.grab().save(str(screenshot_folder(tmp_path) / f"{name}.png"))
    dialog.close()


def test_restore_a_backup_shows_its_date_and_count_and_keeps_the_current_database(
    qtbot: QtBot,
    window: MainWindow,
    ui_repository: Repository,
    ui_db_path: Path,
    tmp_path: Path,
    text_scale: float,
) -> None:
    ui_repository.save(full_referral("Kept Person"))
    made = backup.make_backup(ui_repository.database, PASSPHRASE)
    ui_repository.save(full_referral("Later Person"))
    window.restore_action.trigger()
    dialog = window.backup_dialog
    assert isinstance(dialog, RestoreDialog)
    qtbot.waitExposed(dialog)
    assert dialog.chosen() == made
    qtbot.keyClicks(dialog.passphrase.edit, PASSPHRASE)
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    made_at = parse(ui_db_path, made)
    assert made_at is not None
    assert dialog.details.text() == (
        f"Made on {when_text(made_at.made_at)}. It opens with this passphrase, passes its "
        "check, and holds 1 referral."
    )
    name = "restore-dialog" if text_scale == 1.0 else "restore-dialog-200"
    dialog.grab().save(str(screenshot_folder(tmp_path) / f"{name}.png"))

    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert dialog.restored
    assert window.repository is not None
    names = [r.survivor.full_name for r in window.repository.all()]
    assert names == ["Kept Person"]
    kept = [p for p in ui_db_path.parent.iterdir() if ".before-restore-" in p.name]
    assert len(kept) == 1


def test_first_run_beside_a_lost_databases_backups_offers_to_restore_first(
    qtbot: QtBot, tmp_path: Path
) -> None:
    path = tmp_path / "data" / "referrals.db"
    database = create_database(path, PASSPHRASE, ADVOCATE)
    Repository(database).save(full_referral("Lost Person"))
    backup.make_backup(database, PASSPHRASE)
    database.close()
    path.unlink()  # lost

    dialog = CreateDatabaseDialog(path)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.restore_button.isVisible() and dialog.restore_button.isDefault()
    assert dialog.restore_button.x() < dialog.create_button.x()
    shown = " ".join(w.text() for w in dialog.page.findChildren(QLabel) if w.isVisible())
    assert "Backups of earlier records were found" in shown
    dialog.grab().save(str(screenshot_folder(tmp_path) / "first-run-with-backups.png"))

    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    restore = dialog.restore_dialog
    assert isinstance(restore, RestoreDialog)
    qtbot.waitExposed(restore)
    qtbot.keyClicks(restore.passphrase.edit, PASSPHRASE)
    qtbot.mouseClick(restore.restore_button, Qt.MouseButton.LeftButton)

    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.database is not None
    try:
        assert [r.survivor.full_name for r in Repository(dialog.database).all()] == ["Lost Person"]
    finally:
        dialog.database.close()


def test_an_unwritable_attempts_file_is_said_on_the_unlock_screen(
    qtbot: QtBot, tmp_path: Path
) -> None:
    path = tmp_path / "data" / "referrals.db"
    create_database(path, PASSPHRASE, ADVOCATE).close()
    path.with_name(path.name + ".attempts").mkdir()
    dialog = UnlockDialog(path)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.passphrase.edit, "not the passphrase at all")
    qtbot.mouseClick(dialog.unlock_button, Qt.MouseButton.LeftButton)
    (message,) = dialog.summary.messages()
    assert message.startswith("That passphrase does not open this database")
    assert UNSAVED_NOTE in message
