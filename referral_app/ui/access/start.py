"""Before the main window: create the database on the first run, unlock it later.

Each start shows only one of the two dialogs, so each is imported only when it is shown."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QWidget

if TYPE_CHECKING:
    from referral_app.storage.db import Database
    from referral_app.ui.access.create_database import CreateDatabaseDialog
    from referral_app.ui.access.unlock import UnlockDialog


def open_or_create(path: Path, parent: QWidget | None = None) -> Database | None:
    """The open database, or None if the advocate cancels or quits.

    A missing or empty file means the first run (an empty file is what an interrupted
    creation leaves behind, and the storage layer creates over it).
    """
    dialog: CreateDatabaseDialog | UnlockDialog
    if path.is_file() and path.stat().st_size > 0:
        from referral_app.ui.access.unlock import UnlockDialog

        dialog = UnlockDialog(path, parent)
    else:
        from referral_app.ui.access.create_database import CreateDatabaseDialog

        dialog = CreateDatabaseDialog(path, parent)
    try:
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        return dialog.database if accepted else None
    finally:
        dialog.deleteLater()
