"""The full check of the database after it is unlocked, off the window's thread.

Unlocking runs SQLite's ``quick_check``, which reads every page and its HMAC but does not
compare indexes with their tables; ``integrity_check`` does, and takes seconds on a large
caseload, so it runs in the background once the records are open. If it finds damage, the
advocate is told at once, in plain words, that nothing has been changed and how to put back
the newest good backup (the restore keeps the damaged file aside, encrypted). A check that
ends after the database was locked or closed says nothing: a closed file cannot be judged.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from referral_app.storage.db import Database

DAMAGED = (
    "A full check of the database, made after it was unlocked, found damaged pages. Nothing "
    "has been changed. To be safe, put back the newest good backup now: File > Restore a "
    "backup… keeps this file aside, still encrypted, for your IT support to look at."
)


class IntegrityWatch(QObject):
    """Runs the full check once per unlock; ``damaged`` carries the database it failed on."""

    damaged = Signal(object)

    def __init__(self, parent: QWidget, restore: Callable[[], None]) -> None:
        super().__init__(parent)
        self._parent = parent
        self._restore = restore
        self._checked: set[int] = set()
        self._thread: threading.Thread | None = None
        self._interrupt: Callable[[], None] = lambda: None
        #: The last check's result (True, False, or None when it did not finish), for tests.
        self.result: bool | None = None
        self.box: QMessageBox | None = None
        self.damaged.connect(self._tell, Qt.ConnectionType.QueuedConnection)

    def check(self, database: Database) -> threading.Thread | None:
        """Start the check in the background, once for each opened database."""
        if id(database) in self._checked or not database.is_open:
            return None
        self.stop()
        self._checked.add(id(database))
        self._thread = threading.Thread(target=self._run, args=(database,), daemon=True)
        self._thread.start()
        return self._thread

    def stop(self) -> None:
        """Interrupt a check in progress and wait for it: locking closes the database next."""
        thread = self._thread
        if thread is None:
            return
        self._interrupt()
        thread.join(timeout=10)
        self._thread = None

    def _keep_interrupt(self, interrupt: Callable[[], None]) -> None:
        self._interrupt = interrupt

    def _run(self, database: Database) -> None:
        self.result = database.full_check(self._keep_interrupt)
        if self.result is False:
            self.damaged.emit(database)

    def _tell(self, database: Database) -> None:
        if not database.is_open:  # locked since: the file is closed
            return
        box = QMessageBox(QMessageBox.Icon.Warning, "The database is damaged", DAMAGED)
        box.setParent(self._parent, box.windowFlags())
        restore = box.addButton("Restore a backup…", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Not now", QMessageBox.ButtonRole.RejectRole)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        restore.clicked.connect(self._restore)
        self.box = box
        box.open()
