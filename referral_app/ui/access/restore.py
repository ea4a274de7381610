"""Restore a backup: choose one (from the list beside the database or any file), see when it
was made and how many referrals it holds, then put it in place of the database.

The database as it is now is never lost: storage keeps it beside the restored one, renamed and
still encrypted, so a restore can itself be undone the same way. Nothing changes until the
passphrase has opened the chosen backup. The screen shows no personal data (dates and counts).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QListWidget, QListWidgetItem, QWidget

from referral_app.storage import backup
from referral_app.storage.backup_files import BackupFile, parse
from referral_app.storage.errors import StorageError, WrongPassphraseError
from referral_app.ui.access.damaged import when_text
from referral_app.ui.access.unlock import (
    StartupDialog,
    TextField,
    inset_text,
    show_passphrase_box,
    wait_cursor,
)
from referral_app.ui.widgets.error_summary import Problem
from referral_app.ui.widgets.text import body_text, button, em, field_label, heading

#: Seen by anyone in the room and by screen-sharing tools: never personal data.
TITLE = "CSARP Referrals — Restore a backup"
INTRO = (
    "Restoring puts the backup you choose in place of the database. The database as it is "
    "now is kept beside it, still encrypted, so you can go back to it the same way. "
    "Anything saved after the backup was made is not in the backup."
)
WHICH_KEY_HINT = (
    "The database passphrase when the backup was made. Backups are re-encrypted when the "
    "passphrase changes, so this is usually the current one."
)
CHOOSE_FIRST = "Choose a backup from the list, or a backup file"
#: Restores ``backup`` with ``passphrase``; raises StorageError with a plain message.
Restorer = Callable[[Path, str], None]


def describe(item: BackupFile | None, path: Path, own: str | None) -> str:
    """One line of the list: when, and whose (no file names, which mean nothing to a reader)."""
    if item is None:
        return f"{path.name} (a file you chose)"
    text = when_text(item.made_at)
    if own is not None and item.identity not in (None, own):
        text += " (from another database)"
    return text


class RestoreDialog(StartupDialog):
    """Choose, check and restore. ``restore`` does the restoring, so that the main window can
    close the open database first and the first-run screen can open the restored one."""

    def __init__(
        self,
        database_path: Path,
        restore: Restorer,
        parent: QWidget | None = None,
        *,
        identity: str | None = None,
    ) -> None:
        super().__init__(TITLE, parent)
        self._database_path = database_path
        self._restore = restore
        self._identity = identity
        self.restored = False
        self.backups = QListWidget()
        self.backups.setAccessibleName("Backups, newest first")
        self.backups.setMaximumHeight(em(self) * 8)  # grows with the text; the page scrolls
        for item in backup.list_backup_files(database_path):
            self._add(item.path, item)
        self.choose_file_button = button("Choose a &file…")
        self.passphrase = TextField("&Passphrase", WHICH_KEY_HINT, password=True)
        self.show_passphrase = show_passphrase_box([self.passphrase.edit])
        self.check_button = button("Chec&k backup")
        self.details = body_text("")
        self.details.hide()
        self.restore_button = button("&Restore", primary=True)
        self.cancel_button = button("&Cancel")

        layout = self.page_layout
        layout.addWidget(heading("Restore a backup"))
        layout.addWidget(body_text(INTRO))
        layout.addWidget(field_label("&Backups", self.backups))
        if self.backups.count() == 0:
            layout.addWidget(inset_text(["There are no backups beside the database."]))
        layout.addWidget(self.backups)
        layout.addWidget(self.choose_file_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.passphrase)
        layout.addWidget(self.show_passphrase, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.check_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.details)
        layout.addStretch(1)
        self.set_buttons(self.restore_button, self.cancel_button)
        self.choose_file_button.clicked.connect(self.choose_file)
        self.check_button.clicked.connect(self.check)
        self.restore_button.clicked.connect(self.submit)
        self.cancel_button.clicked.connect(self.reject)
        self.backups.currentRowChanged.connect(lambda _row: self.details.hide())
        if self.backups.count():
            self.backups.setCurrentRow(0)
        self.set_tab_order(
            self.backups,
            self.choose_file_button,
            self.passphrase.edit,
            self.show_passphrase,
            self.check_button,
            self.restore_button,
            self.cancel_button,
        )
        self.fit_width()
        self.fit_height()
        self.backups.setFocus(Qt.FocusReason.OtherFocusReason)

    def _add(self, path: Path, item: BackupFile | None) -> QListWidgetItem:
        entry = QListWidgetItem(describe(item, path, self._identity))
        entry.setData(Qt.ItemDataRole.UserRole, str(path))
        self.backups.addItem(entry)
        return entry

    def add_file(self, path: Path) -> None:
        """Put a file chosen by the advocate on the list, chosen."""
        entry = self._add(path, parse(self._database_path, path))
        self.backups.setCurrentItem(entry)

    def choose_file(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(
            self,
            "Choose a backup file",
            str(self._database_path.parent),
            "Backups (*.backup);;All files (*)",
        )
        if chosen:
            self.add_file(Path(chosen))

    def chosen(self) -> Path | None:
        entry = self.backups.currentItem()
        return None if entry is None else Path(str(entry.data(Qt.ItemDataRole.UserRole)))

    def _problems(self) -> tuple[Path, str] | None:
        chosen = self.chosen()
        problems: list[Problem] = []
        if chosen is None:
            problems.append(Problem(CHOOSE_FIRST, self.backups))
        passphrase = self.passphrase.text()
        self.passphrase.set_error(None if passphrase else "Enter the passphrase")
        if not passphrase:
            problems.append(Problem("Enter the passphrase", self.passphrase.edit))
        self.show_problems(problems)
        return None if problems or chosen is None else (chosen, passphrase)

    def _refused(self, error: StorageError) -> None:
        if isinstance(error, WrongPassphraseError):
            message = "That passphrase does not open this backup"
            self.passphrase.set_error(message)
            self.show_problems([Problem(message, self.passphrase.edit)])
            self.passphrase.edit.selectAll()
            self.passphrase.edit.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.show_problems([Problem(str(error))])

    def check(self) -> bool:
        """Open the chosen backup, check it whole, and say when it was made and what it holds."""
        wanted = self._problems()
        if wanted is None:
            return False
        chosen, passphrase = wanted
        try:
            with wait_cursor():
                backup.check_backup(chosen, passphrase)
                count = backup.count_referrals(chosen, passphrase)
        except StorageError as error:
            self.details.hide()
            self._refused(error)
            return False
        except OSError:
            self.details.hide()
            self.show_problems([Problem("That file could not be read. Nothing was changed.")])
            return False
        item = parse(self._database_path, chosen)
        made = f"Made on {when_text(item.made_at)}. " if item is not None else ""
        referrals = "1 referral" if count == 1 else f"{count} referrals"
        text = f"{made}It opens with this passphrase, passes its check, and holds {referrals}."
        self.details.setText(text)
        self.details.setAccessibleName(text)
        self.details.show()
        self.fit_height(shrink=False)
        return True

    def submit(self) -> None:
        if not self.check():
            return
        chosen = self.chosen()
        if chosen is None:
            return
        try:
            with wait_cursor():
                self._restore(chosen, self.passphrase.text())
        except StorageError as error:
            self._refused(error)
            return
        except OSError:
            self.show_problems(
                [
                    Problem(
                        "The backup could not be put in place (is the disk full or read-only?). "
                        "The database is as it was."
                    )
                ]
            )
            return
        self.restored = True
        self.passphrase.edit.clear()
        self.accept()
