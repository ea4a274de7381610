"""Back up now: a checked, encrypted copy of the database in a folder the advocate chooses,
such as another drive, so the records survive the loss of this computer.

The copy is encrypted with the database passphrase, which is asked for (the app keeps none in
memory) and proved before anything is written. The file's name carries the database's name,
the time and a random identity, nothing about anyone.
"""

from __future__ import annotations

import errno
from pathlib import Path

import sqlcipher3
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLineEdit, QVBoxLayout, QWidget
from sqlalchemy.exc import DBAPIError

from referral_app.storage import backup
from referral_app.storage.db import Database
from referral_app.storage.errors import StorageError, WrongPassphraseError
from referral_app.ui.access.unlock import StartupDialog, TextField, show_passphrase_box, wait_cursor
from referral_app.ui.widgets.error_summary import Problem
from referral_app.ui.widgets.text import body_text, button, em, field_label, heading, hint

#: Seen by anyone in the room and by screen-sharing tools: never personal data.
TITLE = "CSARP Referrals — Back up now"
INTRO = (
    "A backup is a copy of every referral, encrypted with the database passphrase. Keep one "
    "on another drive, such as an encrypted USB stick, so the records survive if this "
    "computer is lost or breaks."
)
FOLDER_HINT = "Another drive or folder. Only someone with the passphrase can open the copy."
KEY_HINT = "The database passphrase: the copy is encrypted with it."
CHOOSE_FOLDER = "Choose a folder to save the backup in"
CANNOT_WRITE = (
    "The backup could not be saved in that folder ({reason}). Nothing was left there. Check "
    "that the drive is connected, has free space and can be written to, or choose another."
)


def breakable(text: str) -> str:
    """``text`` with a zero-width space after each separator, so a long path or file name
    wraps at large text sizes instead of widening the window past the screen."""
    for separator in ("/", "\\", "-", "_"):
        text = text.replace(separator, separator + "\u200b")
    return text


class BackUpNowDialog(StartupDialog):
    """Folder, passphrase, Back up; then where the copy is."""

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(TITLE, parent)
        self._database = database
        self.saved: Path | None = None
        self.folder = QLineEdit()
        self.folder.setAccessibleName("Folder")
        self.folder.setAccessibleDescription(FOLDER_HINT)
        self.choose_button = button("C&hoose folder…")
        self.passphrase = TextField("&Passphrase", KEY_HINT, password=True)
        self.show_passphrase = show_passphrase_box([self.passphrase.edit])
        self.outcome = body_text("", bold=True)
        self.outcome.hide()
        self.back_up_button = button("&Back up", primary=True)
        self.close_button = button("&Close")

        layout = self.page_layout
        layout.addWidget(heading("Back up now"))
        layout.addWidget(body_text(INTRO))
        layout.addWidget(self._folder_field())
        layout.addWidget(self.passphrase)
        layout.addWidget(self.show_passphrase, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.outcome)
        layout.addStretch(1)
        self.set_buttons(self.back_up_button, self.close_button)
        self.choose_button.clicked.connect(self.choose_folder)
        self.back_up_button.clicked.connect(self.submit)
        self.close_button.clicked.connect(self.accept)
        self.set_tab_order(
            self.folder,
            self.choose_button,
            self.passphrase.edit,
            self.show_passphrase,
            self.back_up_button,
            self.close_button,
        )
        self.fit_width()
        self.fit_height()
        self.folder.setFocus(Qt.FocusReason.OtherFocusReason)

    def _folder_field(self) -> QWidget:
        """Label, hint, then the folder and its button, spaced as the passphrase field is."""
        field = QWidget(self.page)
        column = QVBoxLayout(field)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(em(self) // 4)
        column.addWidget(field_label("&Folder", self.folder, field))
        column.addWidget(hint(FOLDER_HINT, field))
        row = QHBoxLayout()
        row.setSpacing(em(self) // 2)
        row.addWidget(self.folder, 1)
        row.addWidget(self.choose_button)
        column.addLayout(row)
        return field

    def choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, CHOOSE_FOLDER, self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    def submit(self) -> None:
        folder_text = self.folder.text().strip()
        passphrase = self.passphrase.text()
        problems = []
        if not folder_text:
            problems.append(Problem(CHOOSE_FOLDER, self.folder))
        elif not Path(folder_text).is_dir():
            problems.append(Problem("That folder does not exist: choose another", self.folder))
        self.passphrase.set_error(None if passphrase else "Enter the passphrase")
        if not passphrase:
            problems.append(Problem("Enter the passphrase", self.passphrase.edit))
        self.show_problems(problems)
        if problems:
            return
        try:
            with wait_cursor():
                saved = backup.back_up_to(self._database, passphrase, Path(folder_text))
        except WrongPassphraseError:
            message = "That is not the database passphrase"
            self.passphrase.set_error(message)
            self.show_problems([Problem(message, self.passphrase.edit)])
            self.passphrase.edit.selectAll()
            return
        except StorageError as error:
            self.show_problems([Problem(str(error))])
            return
        except (OSError, sqlcipher3.Error, DBAPIError) as error:
            full = getattr(error, "errno", None) == errno.ENOSPC or str(
                getattr(error, "sqlite_errorname", "")
            ).startswith("SQLITE_FULL")
            reason = "the disk is full" if full else "it cannot be written"
            self.show_problems([Problem(CANNOT_WRITE.format(reason=reason))])
            return
        self.saved = saved
        self.passphrase.edit.clear()
        self.passphrase.set_error(None)
        text = f"Backed up, in {saved.parent}, as {saved.name}."
        self.outcome.setText(breakable(text))
        self.outcome.setAccessibleName(text)
        self.outcome.show()
        self.close_button.setFocus(Qt.FocusReason.OtherFocusReason)
        self.fit_height(shrink=False)
