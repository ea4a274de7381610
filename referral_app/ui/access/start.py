"""Before the main window: where the records live, then create, unlock or sign in.

On this computer, the encrypted file is created on the first run and unlocked later. On the
team's server, the advocate signs in. The first run asks which, unless a database file is
already here (it was made before the choice existed, or ``--db`` names one). Each start shows
only the dialogs it needs, so each is imported only when it is shown.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QWidget

from referral_app.ui.common.settings import ServerAddress, Settings

if TYPE_CHECKING:
    from referral_app.storage.db import Database
    from referral_app.ui.access.create_database import CreateDatabaseDialog
    from referral_app.ui.access.unlock import UnlockDialog


def sign_in_to(address: ServerAddress, user: str, password: str) -> Database:
    """Sign in to the team's server as ``user``; raises StorageError with one plain sentence."""
    from referral_app.storage.team import TeamDatabase, TeamSettings

    settings = TeamSettings(
        address.host, address.port, address.database, address.ca_certificate, user
    )
    return TeamDatabase.sign_in(settings, password)


def open_or_create(
    path: Path,
    parent: QWidget | None = None,
    settings: Settings | None = None,
    *,
    chosen_file: bool = False,
) -> Database | None:
    """The open database, or None if the advocate cancels or quits.

    A missing or empty file means the first run (an empty file is what an interrupted
    creation leaves behind, and the storage layer creates over it). ``chosen_file``: the
    file was named on the command line, so it is used whatever the settings say.
    """
    settings = settings if settings is not None else Settings()
    has_file = path.is_file() and path.stat().st_size > 0
    if not chosen_file and not has_file:
        while True:
            if settings.where() is None and not _choose_where(settings, parent):
                return None
            address = settings.server_address()
            if settings.where() != "server" or address is None:
                break
            database, change = _sign_in(address, settings, parent)
            if not change:
                return database
            if not _choose_where(settings, parent):
                return None
    return _open_file(path, parent, has_file)


def _choose_where(settings: Settings, parent: QWidget | None) -> bool:
    from referral_app.ui.access.where import WhereDialog

    dialog = WhereDialog(settings, parent)
    try:
        return dialog.exec() == QDialog.DialogCode.Accepted
    finally:
        dialog.deleteLater()


def _sign_in(
    address: ServerAddress, settings: Settings, parent: QWidget | None
) -> tuple[Database | None, bool]:
    """The signed-in database (or None), and whether the advocate asked to change server."""
    from referral_app.ui.access.sign_in import SignInDialog

    dialog = SignInDialog(address, settings, sign_in_to, parent)
    change: list[bool] = []
    dialog.change_server.connect(lambda: change.append(True))
    try:
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        return (dialog.database if accepted else None), bool(change)
    finally:
        dialog.deleteLater()


def _open_file(path: Path, parent: QWidget | None, has_file: bool) -> Database | None:
    dialog: CreateDatabaseDialog | UnlockDialog
    if has_file:
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
