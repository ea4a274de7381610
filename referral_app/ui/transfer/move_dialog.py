"""Move this computer's referrals to the team's server: the import, from the encrypted file.

An advocate who kept referrals on this computer before the team had a server brings them
across once: the file and its passphrase, what would happen (new on the server, already there
and the same, there but different), then all of it in one transaction or nothing. The file on
this computer is left as it was; the advocate can delete it once they have checked the
referrals on the server.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QWidget

from referral_app.services.transfer.import_ import ExportContents
from referral_app.services.transfer.problems import TransferError
from referral_app.services.transfer.progress import Progress
from referral_app.storage.errors import StorageError, TooManyAttemptsError, WrongPassphraseError
from referral_app.storage.repository import Repository
from referral_app.ui.common.privacy import PrivacyMode
from referral_app.ui.transfer.import_dialog import ImportDialog

TITLE = "CSARP Referrals — Move to the team's server"
INTRO = (
    "Bring the referrals kept on this computer to your team's server, once. You will see what "
    "would change on the server before anything is moved, and then all of them move or none. "
    "The file on this computer is left as it is."
)
CHOOSE_DATABASE = "Choose the file the referrals are kept in on this computer"
AFTERWARDS = (
    "The file on this computer has not been changed. Once you have checked the referrals on "
    "the server, ask whoever looks after your computer to delete it securely."
)


class MoveDialog(ImportDialog):
    """The import dialog, reading this computer's encrypted file instead of an export."""

    HEADING = "Move this computer's referrals to the server"
    INTRO = INTRO
    FILE_LABEL = "Records on this computer"
    CHOOSE = CHOOSE_DATABASE
    STARTING = "Reading the records on this computer…"

    def __init__(
        self,
        repository: Repository,
        local_file: Path | None,
        parent: QWidget | None = None,
        *,
        privacy: PrivacyMode | None = None,
    ) -> None:
        self._local_file = local_file
        super().__init__(repository, parent, privacy=privacy)
        self.setWindowTitle(TITLE)
        self.passphrase.edit.setAccessibleDescription(
            "The passphrase you used to open the app on this computer."
        )
        if local_file is not None and local_file.is_file():
            self._use(local_file)

    def _use(self, path: Path) -> None:
        self.file_path = path
        self.file_edit.setText(str(path))
        self.file_edit.setToolTip(str(path))
        self._file_problem(None)

    def choose_file(self) -> None:
        start = str(self._local_file.parent) if self._local_file is not None else ""
        chosen, _ = QFileDialog.getOpenFileName(
            self, CHOOSE_DATABASE, start, "CSARP Referrals records (*.db);;All files (*)"
        )
        if chosen:
            self._use(Path(chosen))
            self.passphrase.edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def _read(self, path: Path, passphrase: str, progress: Progress) -> ExportContents:
        """Every referral in this computer's encrypted file (on the worker thread)."""
        from referral_app.services.transfer.move import read_local_database

        return read_local_database(path, passphrase, progress)

    def _show_progress(self, done: int, total: int) -> None:
        self.progress.show_step(f"Reading the records: {done:,} of {total:,}", done, total)

    def _failed(self, error: TransferError | StorageError) -> None:
        super()._failed(error)
        if isinstance(error, WrongPassphraseError | TooManyAttemptsError):
            self.passphrase.set_error(str(error))
            self.passphrase.edit.selectAll()
            self.passphrase.edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def run(self) -> None:
        super().run()
        if self.state == "imported":
            self.confirmation.set_detail(f"{self.confirmation.detail.text()} {AFTERWARDS}")
