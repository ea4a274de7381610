"""What locking does, and unlocking undoes.

When to lock is decided elsewhere: ``lock.IdleWatcher`` (no input for a while, Ctrl+L, F12)
and ``session_events.SessionWatcher`` (the computer sleeps, locks its screen or switches
session). Each of them, and the window's Lock now and Hide now, ask a ``Locker`` to lock. The
locker keeps the form in progress, closes every dialog, has the window let go of every page
that showed a record, empties the clipboard, closes the database and asks for the passphrase;
once it is given, it has the window open the database again and go back to where the
advocate was. The window tells it what it holds through ``LockHost``, so this folder never
imports the window.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from referral_app.ui.access.integrity_watch import IntegrityWatch
from referral_app.ui.access.lock import IdleWatcher, clear_clipboard, close_dialogs
from referral_app.ui.access.session_events import SessionWatcher

if TYPE_CHECKING:
    from referral_app.storage.db import Database
    from referral_app.ui.access.unlock import StartupDialog

#: Makes the screen that opens the records again, given the note to show on it: the unlock
#: screen for the file on this computer, or the sign-in for the team's server.
UnlockScreen = Callable[[str], "StartupDialog"]

log = logging.getLogger(__name__)

#: Said on the lock screen when the form in progress could not be kept as a draft.
NOT_KEPT = (
    "The referral you were filling in could not be saved as a draft when the app locked: "
    "check it once you are back."
)
#: Where the advocate was when the app locked: a page, and the record or draft on it.
Place = tuple[str, int | None]


class LockHost(Protocol):
    """What the locker asks of the window it locks."""

    def has_database(self) -> bool:
        """Whether a database is open: with none, there is nothing to lock."""
        ...

    def place(self) -> Place:
        """Where the advocate is now, to come back to."""
        ...

    def keep_form(self) -> bool:
        """Keep the form in progress as a draft; False if there was one and it was not kept."""
        ...

    def let_go(self) -> None:
        """Drop every page that has shown a record, and forget the dialogs that did."""
        ...

    def take_database(self) -> Database | None:
        """Stop using the open database (its actions off) and hand it over, or None."""
        ...

    def show_locked(self) -> None:
        """Show the page that shows nobody's details."""
        ...

    def reopen(self, database: Database) -> None:
        """Use this newly unlocked database: its actions on, its notices said."""
        ...

    def return_to(self, place: Place) -> None:
        """Go back to the page, record or draft the advocate was on."""
        ...

    def quit(self) -> None:
        """The advocate closed the unlock screen instead of unlocking."""
        ...


class Locker(QObject):
    """Locks the window it is given, and unlocks it with the passphrase."""

    locked = Signal()
    unlocked = Signal()

    def __init__(
        self,
        host: LockHost,
        window: QWidget,
        database_path: Path | None,
        minutes: int,
        integrity: IntegrityWatch,
        *,
        unlock_screen: UnlockScreen | None = None,
    ) -> None:
        super().__init__(window)
        self._host = host
        self._window = window
        self.database_path = database_path
        self._unlock_screen = unlock_screen
        self.integrity = integrity
        self.idle = IdleWatcher(minutes, self)
        self.idle.idle.connect(self.lock)
        self.idle.lock_pressed.connect(self.lock)
        self.idle.hide_pressed.connect(self.hide_now)
        self.session_events = SessionWatcher(self)
        self.session_events.lock_requested.connect(self._computer_locked)
        self.session_events.start()
        self.session_events.register_window(window)
        self.unlock_dialog: StartupDialog | None = None
        self._note = ""
        self._locked = False

    @property
    def is_locked(self) -> bool:
        return self._locked

    def opened(self) -> None:
        """The database is open (at start or after a restore): start counting idle time."""
        self._locked = False
        self.idle.start()

    def stop(self) -> None:
        """The window is closing: nothing more to watch."""
        self.idle.stop()
        self.integrity.stop()

    def _computer_locked(self, reason: str) -> None:
        """The computer is going to sleep, locking its screen or switching session."""
        log.info("locking with the computer: %s", reason)
        self.lock()

    def hide_now(self) -> None:
        """Lock at once and get the window out of sight."""
        self.lock()
        self._window.showMinimized()

    def lock(self) -> None:
        """Keep the form in progress, close everything that shows a record, close the
        database, then ask for the passphrase.

        Whatever goes wrong keeping the work, the app still locks: a screen left unlocked in
        a shared room is the worse failure, and what was saved before stays saved.
        """
        self.integrity.stop()
        if self._locked or not self._host.has_database():
            return
        self._locked = True
        self.idle.stop()
        place = self._host.place()
        try:
            if not self._host.keep_form():
                self._note = NOT_KEPT
        except Exception as failure:
            log.error("draft not kept at lock: %s", type(failure).__name__)
            self._note = NOT_KEPT
        try:
            close_dialogs(keep=self._window)
        except Exception as failure:
            log.error("a dialog did not close at lock: %s", type(failure).__name__)
        self._host.let_go()
        clear_clipboard()
        database = self._host.take_database()
        if database is not None:
            database.close()
        self._host.show_locked()
        self.locked.emit()
        self.ask_for_passphrase(place)

    def ask_for_passphrase(self, place: Place) -> None:
        """The unlock screen, over the locked page; back to ``place`` once unlocked."""
        dialog: StartupDialog
        if self._unlock_screen is not None:
            dialog = self._unlock_screen(self._note)
        elif self.database_path is not None:
            from referral_app.ui.access.unlock import UnlockDialog

            dialog = UnlockDialog(self.database_path, self._window, locked=True, note=self._note)
        else:
            return
        self._locked = True
        self._note = ""
        dialog.accepted.connect(lambda: self._unlocked(dialog.database, place))
        dialog.rejected.connect(self._host.quit)
        self.unlock_dialog = dialog
        dialog.open()

    def _unlocked(self, database: Database | None, place: Place) -> None:
        if self.unlock_dialog is not None:
            self.unlock_dialog.deleteLater()
            self.unlock_dialog = None
        if database is None:
            return
        self._locked = False
        self._host.reopen(database)
        if self._window.isMinimized():
            self._window.showNormal()
        self.idle.start()
        self.unlocked.emit()
        self._host.return_to(place)
