"""The screens of the backup safety net: the damage page at unlock, and what the first run
offers beside another database's backups. Screenshots go to ``$REFERRAL_APP_SCREENSHOTS``."""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QLabel
from pytestqt.qtbot import QtBot

from referral_app.storage import backup
from referral_app.storage.access import create_database
from referral_app.storage.repository import Repository
from referral_app.ui.startup import UnlockDialog
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
