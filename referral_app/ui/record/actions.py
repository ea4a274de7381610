"""What the main window does with referrals besides showing them: print, export, import, and
change the passphrase. Each opens its dialog over the window; the dialogs themselves (and what
they load, SQLAlchemy included) are imported only when first asked for.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QMainWindow

from referral_app.ui.common.privacy import PrivacyMode

if TYPE_CHECKING:
    from referral_app.storage.repository import Repository


class RecordActions(QObject):
    """The File menu's Export, Import and Change passphrase, and the dialogs for printing or
    exporting chosen referrals. ``repository`` is asked for each time: it changes on unlock."""

    imported = Signal(list)  # ids of referrals added or replaced by an import

    def __init__(
        self,
        window: QMainWindow,
        repository: Callable[[], Repository | None],
        privacy: PrivacyMode,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._repository = repository
        self._privacy = privacy
        #: The dialog open now (or last), for tests.
        self.dialog: QDialog | None = None
        self.export_all_action = QAction("&Export all referrals…", self)
        self.export_all_action.setToolTip("Every referral, in an encrypted file (a new computer)")
        self.export_all_action.triggered.connect(self.export_all)
        self.import_action = QAction("&Import referrals…", self)
        self.import_action.setToolTip("Referrals from an encrypted export file")
        self.import_action.triggered.connect(self.import_referrals)
        self.passphrase_action = QAction("Change &passphrase…", self)
        self.passphrase_action.triggered.connect(self.change_passphrase)
        self.actions = [self.export_all_action, self.import_action, self.passphrase_action]

    def _show(self, dialog: QDialog) -> QDialog:
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = dialog
        dialog.open()
        return dialog

    def print_referrals(self, referral_ids: Sequence[int]) -> None:
        repository = self._repository()
        if repository is None or not referral_ids:
            return
        from referral_app.ui.printing.dialog import PrintDialog

        self._show(PrintDialog(repository, list(referral_ids), self._window))

    def export_referrals(self, referral_ids: Sequence[int]) -> None:
        repository = self._repository()
        if repository is None or not referral_ids:
            return
        from referral_app.ui.transfer import ExportDialog

        dialog = ExportDialog.for_referrals(
            repository, list(referral_ids), self._window, privacy=self._privacy
        )
        self._show(dialog)

    def export_survivor(self, referral_id: int) -> None:
        """Subject access: everything about the survivor of this referral."""
        repository = self._repository()
        if repository is None:
            return
        from referral_app.ui.transfer import ExportDialog

        dialog = ExportDialog.for_survivor(
            repository, referral_id, self._window, privacy=self._privacy
        )
        self._show(dialog)

    def export_all(self) -> None:
        repository = self._repository()
        if repository is None:
            return
        from referral_app.ui.transfer import ExportDialog

        self._show(ExportDialog.for_everything(repository, self._window, privacy=self._privacy))

    def import_referrals(self) -> None:
        repository = self._repository()
        if repository is None:
            return
        from referral_app.ui.transfer import ImportDialog

        dialog = ImportDialog(repository, self._window, privacy=self._privacy)
        dialog.imported.connect(self.imported)
        self._show(dialog)

    def change_passphrase(self) -> None:
        repository = self._repository()
        if repository is None:
            return
        from referral_app.ui.access.change_passphrase import ChangePassphraseDialog

        self._show(ChangePassphraseDialog(repository.database, self._window))
