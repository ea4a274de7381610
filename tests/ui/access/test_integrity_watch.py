"""The background full check after unlocking, as the advocate meets it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from referral_app.storage.db import Database
from referral_app.storage.repository import Repository
from referral_app.ui.access.integrity_watch import DAMAGED
from referral_app.ui.window.main_window import MainWindow
from tests.storage.conftest import PASSPHRASE
from tests.storage.test_full_check import index_out_of_step
from tests.ui.conftest import screenshot_folder


def test_damage_found_after_unlocking_is_told_at_once_with_the_way_back(
    qtbot: QtBot, tmp_path: Path
) -> None:
    path = tmp_path / "data" / "referrals.db"
    index_out_of_step(path)
    database = Database.unlock(path, PASSPHRASE)  # the quick check at unlock passes
    window = MainWindow(repository=Repository(database))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.integrity.box is not None, timeout=20_000)
    box = window.integrity.box
    assert isinstance(box, QMessageBox)
    assert box.text() == DAMAGED
    assert "Nothing has been changed" in box.text()
    assert [b.text() for b in box.buttons()] == ["Restore a backup…", "Not now"]
    assert box.grab().save(str(screenshot_folder(tmp_path) / "full-check-damaged.png"))
    box.close()
    window.lock()  # stops any check, then closes the database
    assert not database.is_open


def test_an_intact_database_says_nothing(qtbot: QtBot, ui_repository: Repository) -> None:
    window = MainWindow(repository=ui_repository)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.integrity.result is not None, timeout=20_000)
    assert window.integrity.result is True
    assert window.integrity.box is None
