"""Changing the passphrase: the current one, the new one twice, and how strong it is.

A passphrase is changed when someone else may have learnt it, so the new one is held to the
same rules as the first (zxcvbn's top score, no names of the advocate or the organisation).
The change derives keys several times over and re-encrypts every backup, which takes seconds:
it runs on a worker thread so the window keeps drawing, and the dialog cannot be dismissed
while it runs. Passphrases never reach a log or a message: errors are reported by kind.

Opened from the menu: ``ChangePassphraseDialog(repository.database, parent=window).open()``.
"""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import QFrame, QProgressBar, QVBoxLayout, QWidget

from referral_app.storage.access import change_passphrase
from referral_app.storage.db import Database
from referral_app.storage.errors import StorageError, WeakPassphraseError, WrongPassphraseError
from referral_app.storage.passphrase import estimate
from referral_app.storage.repository import Repository
from referral_app.ui.access.create_database import (
    StrengthMeter,
    clear_weak_error,
    warning_text,
    weak_message,
)
from referral_app.ui.access.unlock import StartupDialog, TextField, show_passphrase_box
from referral_app.ui.widgets.error_summary import Problem
from referral_app.ui.widgets.text import body_text, button, em, heading

log = logging.getLogger(__name__)

#: Seen by anyone in the room and by screen-sharing tools: never personal data.
TITLE = "CSARP Referrals — Change passphrase"
WRONG_CURRENT = "The current passphrase is not right"
NEW_HINT = (
    "Use four or more words that do not go together. Avoid names, places and dates linked to you."
)
WARNING = (
    "If you forget the new passphrase, the records cannot be recovered. Keep it somewhere "
    "safe, such as your organisation's password manager, before you change it."
)
WORKING = "Changing the passphrase and re-encrypting your backups. This takes a few seconds."
DONE = (
    "Use the new passphrase from now on. Your backups have been re-encrypted with it too, so "
    "the old passphrase no longer opens anything.",
    "If your organisation keeps a copy of the passphrase, for example in a password manager, "
    "update it now.",
)
#: When the database took the new key but a later step (the audit event, the backups) failed.
PARTLY_DONE = (
    "Use the new passphrase from now on. Something went wrong after the change, so some "
    "backups may still open only with the old passphrase. None has been deleted: the app "
    "finishes re-encrypting them the next time it is unlocked."
)
UNEXPECTED = (
    "The passphrase could not be changed because of an unexpected problem. Your current "
    "passphrase still works. Try again; if it happens again, contact IT support."
)


class _Relay(QObject):
    """Carries the worker's outcome back to the dialog's thread (a queued signal)."""

    done = Signal(object)


class ChangePassphraseDialog(StartupDialog):
    """Old passphrase, new one twice, strength shown; the change itself off the UI thread.

    ``changed`` is emitted once the new passphrase is in force; ``work_done`` after every
    attempt that reached the database, whatever came of it.
    """

    changed = Signal()
    work_done = Signal()

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(TITLE, parent)
        self._database = database
        advocate = Repository(database).advocate()
        # The same words storage refuses in a passphrase, so the meter agrees with it.
        words = (advocate.name, advocate.organisation) if advocate else ()
        self._personal = [word for word in words if word]
        self._thread: threading.Thread | None = None
        self._outcome: BaseException | None = None
        #: Whether the database itself took the new key, whatever happened afterwards.
        self._rekeyed = False
        #: The "too easy to guess" message shown, until the new passphrase is strong enough.
        self._weak: str | None = None
        self._relay = _Relay(self)
        self._relay.done.connect(self._finish)
        self.current = TextField("&Current passphrase", password=True)
        self.new = TextField("&New passphrase", NEW_HINT, password=True)
        self.strength = StrengthMeter()
        self.confirm = TextField(
            "Con&firm new passphrase", "Type the new passphrase again.", password=True
        )
        fields = [self.current.edit, self.new.edit, self.confirm.edit]
        self.show_passphrase = show_passphrase_box(fields)
        self.change_button = button("C&hange passphrase", primary=True)
        self.cancel_button = button("&Cancel")
        self._build_page()
        self.set_buttons(self.change_button, self.cancel_button)
        self.new.edit.textChanged.connect(self._update_strength)
        self.change_button.clicked.connect(self.submit)
        self.cancel_button.clicked.connect(self.reject)
        self.set_tab_order(*fields, self.show_passphrase, self.change_button, self.cancel_button)
        self.fit_width()
        self.fit_height()
        self.current.edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def _build_page(self) -> None:
        layout = self.page_layout
        self.form = QWidget(self.page)
        form = QVBoxLayout(self.form)
        form.setContentsMargins(0, 0, 0, 0)
        form.setSpacing(em(self.page))
        form.addWidget(heading("Change your passphrase"))
        form.addWidget(warning_text(WARNING))
        for widget in (self.current, self.new, self.strength, self.confirm):
            form.addWidget(widget)
        form.addWidget(self.show_passphrase, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.form)
        self.working = QWidget(self.page)
        working = QVBoxLayout(self.working)
        working.setContentsMargins(0, 0, 0, 0)
        working.addWidget(body_text(WORKING, bold=True))
        bar = QProgressBar(self.working)
        bar.setRange(0, 0)  # moving to and fro: the work has no steps to count
        bar.setTextVisible(False)
        bar.setAccessibleName("Working")
        working.addWidget(bar)
        self.working.hide()
        layout.addWidget(self.working)
        self.done_panel = QFrame(self.page)
        self.done_panel.setObjectName("confirmationPanel")
        self.done_panel.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.done_panel.setAccessibleName("Your passphrase has been changed")
        done = QVBoxLayout(self.done_panel)
        title = heading("Your passphrase has been changed", self.done_panel)
        title.setObjectName("")  # white on green, from the panel's style
        done.addWidget(title)
        self.done_panel.hide()
        layout.addWidget(self.done_panel)
        self.done_text = [body_text(paragraph) for paragraph in DONE]
        for label in self.done_text:
            label.hide()
            layout.addWidget(label)
        layout.addStretch(1)

    @property
    def busy(self) -> bool:
        """The change is running: the database must not be closed or locked under it."""
        return self._thread is not None

    def _update_strength(self) -> None:
        text = self.new.text()
        strength = estimate(text, self._personal) if text else None
        self.strength.show_strength(strength)
        if strength is not None and strength.acceptable:
            clear_weak_error(self, self.new, self._weak)
            self._weak = None

    def _check(self) -> list[Problem]:
        """Every problem that can be found without the database, in page order."""
        current, new, again = self.current.text(), self.new.text(), self.confirm.text()
        messages: dict[TextField, str] = {}
        if not current:
            messages[self.current] = "Enter your current passphrase"
        if not new:
            messages[self.new] = "Enter a new passphrase"
        else:
            strength = estimate(new, self._personal)
            if new == current:
                messages[self.new] = "The new passphrase must be different from the current one"
            elif not strength.acceptable:
                messages[self.new] = self._weak = weak_message(strength)
            if not again:
                messages[self.confirm] = "Type the new passphrase again to confirm it"
            elif again != new:
                messages[self.confirm] = "The new passphrases do not match"
        problems = []
        for field in (self.current, self.new, self.confirm):
            message = messages.get(field)
            field.set_error(message)
            if message:
                problems.append(Problem(message, field.edit))
        return problems

    def submit(self) -> None:
        """What "Change passphrase" does: check, then change on the worker thread."""
        if self.busy or self.done_panel.isVisible():
            return
        problems = self._check()
        if problems:
            self.show_problems(problems)
            return
        self.show_problems([])
        current, new = self.current.text(), self.new.text()
        self._show_working(True)
        self._thread = threading.Thread(
            target=self._work, args=(current, new), name="passphrase-change"
        )
        self._thread.start()

    def _work(self, current: str, new: str) -> None:
        outcome: BaseException | None = None
        before = self._database.engine
        try:
            change_passphrase(self._database, current, new)
        except Exception as error:  # every failure must reach the dialog, bugs too
            outcome = error
        # Rekeying replaces the engine, and nothing else does: a failure after it must not
        # be reported as "nothing changed", or the advocate would be locked out.
        self._rekeyed = self._database.is_open and self._database.engine is not before
        self._outcome = outcome
        self._relay.done.emit(outcome)

    def _finish(self, _outcome: object = None) -> None:
        """Back on the UI thread: say how it went (once, however it was called)."""
        thread, self._thread = self._thread, None
        if thread is None:
            return
        thread.join()
        outcome, self._outcome = self._outcome, None
        self._show_working(False)
        if outcome is None or self._rekeyed:
            if outcome is not None:
                log.error("after the passphrase change: %s", type(outcome).__name__)
            self._succeeded(partly=outcome is not None)
        elif isinstance(outcome, WrongPassphraseError):
            self.current.set_error(WRONG_CURRENT)
            self.show_problems([Problem(WRONG_CURRENT, self.current.edit)])
            self.current.edit.setFocus(Qt.FocusReason.OtherFocusReason)
            self.current.edit.selectAll()
        elif isinstance(outcome, WeakPassphraseError):
            self.new.set_error(str(outcome))
            self.show_problems([Problem(str(outcome), self.new.edit)])
        elif isinstance(outcome, StorageError):
            self.show_problems([Problem(str(outcome))])
        else:
            log.error("passphrase change failed: %s", type(outcome).__name__)
            self.show_problems([Problem(UNEXPECTED)])
        self.work_done.emit()

    def _succeeded(self, *, partly: bool = False) -> None:
        for field in (self.current, self.new, self.confirm):
            field.edit.clear()
        self.form.hide()
        self.done_panel.show()
        self.done_text[0].setText(PARTLY_DONE if partly else DONE[0])
        self.done_text[0].setAccessibleName(self.done_text[0].text())
        for label in self.done_text:
            label.show()
        self.change_button.hide()
        self.cancel_button.setText("&Done")
        self.cancel_button.setAccessibleName("Done")
        self.cancel_button.setObjectName("primaryButton")
        self.cancel_button.style().unpolish(self.cancel_button)
        self.cancel_button.style().polish(self.cancel_button)
        self.cancel_button.setDefault(True)
        self.cancel_button.clicked.disconnect(self.reject)
        self.cancel_button.clicked.connect(self.accept)  # nothing to cancel any more
        self.fit_height()
        self.done_panel.setFocus(Qt.FocusReason.OtherFocusReason)
        self.changed.emit()

    def _show_working(self, working: bool) -> None:
        self.form.setEnabled(not working)
        self.working.setVisible(working)
        self.change_button.setEnabled(not working)
        self.cancel_button.setEnabled(not working)
        if working:
            self.setCursor(Qt.CursorShape.BusyCursor)
        else:
            self.unsetCursor()
        self.fit_height(shrink=False)

    # While the change runs, nothing may close the dialog or the database under it.

    def reject(self) -> None:
        """Cancel, Esc and the app locking itself all come here. While the change runs, wait
        for it (seconds at most): locking must not close the database in the middle of it."""
        if self.busy:
            self._finish()
        super().reject()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.busy and event.key() == Qt.Key.Key_Escape:
            event.ignore()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.busy:
            event.ignore()
            return
        super().closeEvent(event)
