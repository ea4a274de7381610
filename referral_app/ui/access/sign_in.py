"""Signing in to the team's server: at start, and again after the app has locked.

Each advocate signs in as their own user on the server, so the server itself decides what
they may see, and the audit log names who did what. The password goes to the server once, over
a connection whose certificate has been checked, and is forgotten at once: it is never kept
in the settings, the log or a file. The user name is remembered, as it is on any sign-in page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QWidget

from referral_app.storage.errors import StorageError
from referral_app.ui.access.unlock import (
    StartupDialog,
    TextField,
    inset_text,
    show_passphrase_box,
    wait_cursor,
)
from referral_app.ui.common.settings import ServerAddress, Settings
from referral_app.ui.widgets.error_summary import Problem
from referral_app.ui.widgets.text import body_text, button, heading

if TYPE_CHECKING:
    from referral_app.storage.db import Database

TITLE = "CSARP Referrals — Sign in"
LOCKED_TITLE = "CSARP Referrals — Locked"
#: Signs in and returns the open database; raises StorageError with one plain sentence.
Connect = Callable[[ServerAddress, str, str], "Database"]


class SignInDialog(StartupDialog):
    """The sign-in page; on success ``database`` holds the open connection to the server."""

    #: The advocate wants to choose another server, or this computer, instead.
    change_server = Signal()

    def __init__(
        self,
        address: ServerAddress,
        settings: Settings,
        connect: Connect,
        parent: QWidget | None = None,
        *,
        locked: bool = False,
        note: str = "",
        user: str = "",
    ) -> None:
        super().__init__(LOCKED_TITLE if locked else TITLE, parent)
        self._address = address
        self._settings = settings
        self._connect = connect
        self.user = TextField("Your &user name", "As your team's server knows you.")
        self.user.edit.setText(user or settings.server_user())
        # After locking, the advocate who locked signs in again: whoever else sits down
        # quits and starts the app as themselves.
        self.user.edit.setReadOnly(bool(user))
        self.password = TextField("&Password", password=True)
        self.show_password = show_passphrase_box([self.password.edit])
        self.show_password.setText("&Show password")
        self.show_password.setAccessibleName("Show password")
        self.sign_in_button = button("&Sign in", primary=True)
        self.change_button = button("C&hange server…")
        self.cancel_button = button("&Quit" if locked else "&Cancel")
        layout = self.page_layout
        layout.addWidget(heading("Locked" if locked else "Sign in to your team's server"))
        layout.addWidget(
            body_text(
                f"The referrals are kept on {address.host}, in the database {address.database}."
            )
        )
        if note:
            layout.addWidget(inset_text([note]))
        layout.addWidget(self.user)
        layout.addWidget(self.password)
        layout.addWidget(self.show_password, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        self.set_buttons(self.sign_in_button, self.change_button, self.cancel_button)
        self.change_button.setVisible(not locked)
        self.sign_in_button.clicked.connect(self.submit)
        self.change_button.clicked.connect(self._change)
        self.cancel_button.clicked.connect(self.reject)
        self.set_tab_order(
            self.user.edit,
            self.password.edit,
            self.show_password,
            self.sign_in_button,
            self.change_button,
            self.cancel_button,
        )
        self.fit_width()
        self.fit_height()
        first = self.password if self.user.text() else self.user
        first.edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def _change(self) -> None:
        self.change_server.emit()
        self.reject()

    def submit(self) -> None:
        user = self.user.text().strip()
        password = self.password.text()
        problems: list[Problem] = []
        self.user.set_error(None if user else "Enter your user name")
        self.password.set_error(None if password else "Enter your password")
        if not user:
            problems.append(Problem("Enter your user name", self.user.edit))
        if not password:
            problems.append(Problem("Enter your password", self.password.edit))
        if problems:
            self.show_problems(problems)
            return
        try:
            with wait_cursor():
                database = self._connect(self._address, user, password)
        except StorageError as error:
            self.password.edit.clear()
            message = str(error)
            self.password.set_error(message)
            self.show_problems([Problem(message, self.password.edit)])
            self.password.edit.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self.password.edit.clear()
        self._settings.set_server_user(user)
        self.database = database
        self.accept()
