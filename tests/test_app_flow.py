"""The whole start-up as a user meets it: create the database, use the app, quit; unlock."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from referral_app import app as app_module
from referral_app.storage.db import Database
from referral_app.storage.repository import Repository
from referral_app.ui.access.create_database import CreateDatabaseDialog
from referral_app.ui.access.unlock import UnlockDialog
from referral_app.ui.window.main_window import MainWindow
from tests.storage.conftest import PASSPHRASE


def _when_shown(kind: type, act: object) -> None:
    """Run ``act`` on the first visible top-level widget of ``kind``, polling the event loop."""
    timer = QTimer()
    timer.setInterval(20)

    def look() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, kind) and widget.isVisible():
                timer.stop()
                act(widget)  # type: ignore[operator]
                return

    timer.timeout.connect(look)
    timer.start()
    _when_shown.keep = timer  # type: ignore[attr-defined]  # alive until the next call


def test_first_run_creates_the_database_then_later_runs_unlock_it(
    qtbot: QtBot, qapp: QApplication, tmp_path: Path
) -> None:
    path = tmp_path / "fresh" / "referrals.db"

    def create(dialog: CreateDatabaseDialog) -> None:
        dialog.passphrase.edit.setText(PASSPHRASE)
        dialog.confirm.edit.setText(PASSPHRASE)
        dialog.name.edit.setText("Ann Advocate")
        dialog.organisation.edit.setText("Safe Space Charity")
        dialog.create_button.click()
        _when_shown(MainWindow, lambda window: window.close())

    _when_shown(CreateDatabaseDialog, create)
    assert app_module._run(qapp, path) == 0
    # The app closed the database on the way out: it opens again, with the profile in it.
    with Database.unlock(path, PASSPHRASE) as database:
        assert Repository(database).advocate().name == "Ann Advocate"  # type: ignore[union-attr]

    def unlock(dialog: UnlockDialog) -> None:
        dialog.passphrase.edit.setText(PASSPHRASE)
        dialog.unlock_button.click()
        _when_shown(MainWindow, lambda window: window.close())

    _when_shown(UnlockDialog, unlock)
    assert app_module._run(qapp, path) == 0
    with Database.unlock(path, PASSPHRASE) as database:
        actions = [event.action for event in Repository(database).audit_events()]
    assert actions.count("unlock") == 1


def test_quitting_at_the_unlock_screen_leaves_everything_as_it_was(
    qtbot: QtBot, qapp: QApplication, tmp_path: Path
) -> None:
    path = tmp_path / "referrals.db"
    from referral_app.storage.access import create_database
    from tests.storage.conftest import ADVOCATE

    create_database(path, PASSPHRASE, ADVOCATE).close()
    before = path.read_bytes()
    _when_shown(UnlockDialog, lambda dialog: dialog.reject())
    assert app_module._run(qapp, path) == 0
    assert path.read_bytes() == before
