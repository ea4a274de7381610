"""The screens before the main window: create the database on the first run, unlock it later."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QWidget

from referral_app.ui.startup.create_database import CreateDatabaseDialog
from referral_app.ui.startup.unlock import UnlockDialog

if TYPE_CHECKING:
    from referral_app.storage.db import Database

__all__ = ["CreateDatabaseDialog", "UnlockDialog", "open_or_create"]


def open_or_create(path: Path, parent: QWidget | None = None) -> Database | None:
    """The open database, or None if the advocate cancels or quits.

    A missing or empty file means the first run (an empty file is what an interrupted
    creation leaves behind, and the storage layer creates over it).
    """
    dialog: CreateDatabaseDialog | UnlockDialog
    if path.is_file() and path.stat().st_size > 0:
        dialog = UnlockDialog(path, parent)
    else:
        dialog = CreateDatabaseDialog(path, parent)
    try:
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        return dialog.database if accepted else None
    finally:
        dialog.deleteLater()
