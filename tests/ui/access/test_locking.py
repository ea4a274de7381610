"""The locker on its own, with a small window of the test's making: what locking does, in what
order, and that unlocking hands back a newly opened database and the place the advocate was.

The main window's own locking (pages, drafts, dialogs, canaries) is tested in test_lock.py and
test_lock_leaves_nothing.py; this shows the locker needs nothing of the main window but the
``LockHost`` it is given.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QLabel, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from referral_app.storage.db import Database
from referral_app.ui.access.integrity_watch import IntegrityWatch
from referral_app.ui.access.locking import NOT_KEPT, Locker, Place
from referral_app.ui.access.unlock import UnlockDialog
from tests.storage.conftest import PASSPHRASE

SECRET = "Ottoline Lockwood-Canary"


class Host(QWidget):
    """A window that holds one database and one label, and notes what the locker asks of it."""

    def __init__(self, database: Database, keeps_form: bool = True) -> None:
        super().__init__()
        self.database: Database | None = database
        self.calls: list[str] = []
        self.keeps_form = keeps_form
        self.label = QLabel(SECRET, self)
        QVBoxLayout(self).addWidget(self.label)
        self.returned_to: Place | None = None
        self.locker = Locker(self, self, database.path, 5, IntegrityWatch(self, lambda: None))
        self.locker.opened()

    def has_database(self) -> bool:
        return self.database is not None

    def place(self) -> Place:
        self.calls.append("place")
        return ("record", 7)

    def keep_form(self) -> bool:
        self.calls.append("keep_form")
        return self.keeps_form

    def let_go(self) -> None:
        self.calls.append("let_go")
        self.label.clear()

    def take_database(self) -> Database | None:
        self.calls.append("take_database")
        database, self.database = self.database, None
        return database

    def show_locked(self) -> None:
        self.calls.append("show_locked")

    def reopen(self, database: Database) -> None:
        self.calls.append("reopen")
        self.database = database

    def return_to(self, place: Place) -> None:
        self.calls.append("return_to")
        self.returned_to = place

    def quit(self) -> None:
        self.calls.append("quit")


def _unlock(qtbot: QtBot, host: Host) -> None:
    dialog = host.locker.unlock_dialog
    assert isinstance(dialog, UnlockDialog)
    dialog.passphrase.edit.setText(PASSPHRASE)
    with qtbot.waitSignal(host.locker.unlocked, timeout=10_000):
        qtbot.mouseClick(dialog.unlock_button, Qt.MouseButton.LeftButton)


def test_locking_keeps_the_form_closes_dialogs_lets_go_and_closes_the_database(
    qtbot: QtBot, ui_db_path: Path
) -> None:
    database = Database.unlock(ui_db_path, PASSPHRASE)
    host = Host(database)
    qtbot.addWidget(host)
    host.show()
    other = QDialog()
    other.setWindowTitle("A dialog that showed a record")
    other.show()
    QGuiApplication.clipboard().setText(SECRET)

    with qtbot.waitSignal(host.locker.locked, timeout=5_000):
        host.locker.lock()

    assert host.calls == ["place", "keep_form", "let_go", "take_database", "show_locked"]
    assert host.locker.is_locked
    assert not database.is_open
    assert not other.isVisible()
    assert QGuiApplication.clipboard().text() == ""
    assert host.label.text() == ""
    assert not host.locker.idle.timer.isActive()
    host.locker.lock()  # locking again while locked does nothing more
    assert host.calls.count("take_database") == 1

    _unlock(qtbot, host)
    assert not host.locker.is_locked
    assert host.calls[-2:] == ["reopen", "return_to"]
    assert host.returned_to == ("record", 7)
    assert host.database is not None and host.database.is_open
    assert host.locker.idle.timer.isActive()
    host.database.close()


def test_a_form_that_could_not_be_kept_is_said_on_the_unlock_screen(
    qtbot: QtBot, ui_db_path: Path
) -> None:
    database = Database.unlock(ui_db_path, PASSPHRASE)
    host = Host(database, keeps_form=False)
    qtbot.addWidget(host)
    host.locker.lock()
    dialog = host.locker.unlock_dialog
    assert isinstance(dialog, UnlockDialog)
    texts = [label.text() for label in dialog.findChildren(QLabel)]
    assert NOT_KEPT in texts
    _unlock(qtbot, host)
    assert host.database is not None
    host.database.close()


def test_with_no_database_open_there_is_nothing_to_lock(qtbot: QtBot, ui_db_path: Path) -> None:
    database = Database.unlock(ui_db_path, PASSPHRASE)
    host = Host(database)
    qtbot.addWidget(host)
    host.database = None
    database.close()
    host.locker.lock()
    assert host.calls == []
    assert not host.locker.is_locked
    assert host.locker.unlock_dialog is None


def test_closing_the_unlock_screen_asks_the_window_to_quit(
    qtbot: QtBot, ui_db_path: Path
) -> None:
    database = Database.unlock(ui_db_path, PASSPHRASE)
    host = Host(database)
    qtbot.addWidget(host)
    host.locker.lock()
    dialog = host.locker.unlock_dialog
    assert dialog is not None
    dialog.reject()
    assert host.calls[-1] == "quit"
    assert not database.is_open
