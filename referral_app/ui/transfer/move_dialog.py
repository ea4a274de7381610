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
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QVBoxLayout, QWidget

from referral_app.services.transfer.import_ import ImportPreview, preview_import
from referral_app.services.transfer.problems import TransferError
from referral_app.services.transfer.progress import Progress
from referral_app.services.transfer.tasks import BackgroundTask
from referral_app.storage.errors import StorageError, TooManyAttemptsError, WrongPassphraseError
from referral_app.storage.repository import Repository
from referral_app.ui.common.privacy import PrivacyMode
from referral_app.ui.transfer.import_dialog import ENTER_PASSPHRASE, ImportDialog
from referral_app.ui.widgets.error_summary import Problem as PageProblem
from referral_app.ui.widgets.text import body_text, em, field_label, heading

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
        self.passphrase.label.setText("&Passphrase")
        self.passphrase.edit.setAccessibleDescription(
            "The passphrase you used to open the app on this computer."
        )
        if local_file is not None and local_file.is_file():
            self._use(local_file)

    def _build(self) -> None:
        layout = QVBoxLayout(self.choose)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(self.page_layout.spacing())
        layout.addWidget(heading("Move this computer's referrals to the server", self.choose))
        layout.addWidget(body_text(INTRO, self.choose))
        self.file_edit.setReadOnly(True)
        self.file_edit.setPlaceholderText("No file chosen")
        field = QVBoxLayout()
        field.setSpacing(em(self) // 4)
        field.addWidget(field_label("Records on this computer", self.file_edit, self.choose))
        field.addWidget(self.file_error)
        row = QHBoxLayout()
        row.setSpacing(em(self) // 2)
        row.addWidget(self.file_edit, 1)
        row.addWidget(self.choose_button)
        field.addLayout(row)
        layout.addLayout(field)
        layout.addWidget(self.passphrase)
        layout.addWidget(self.show_passphrase, 0, Qt.AlignmentFlag.AlignLeft)
        for widget in (
            self.choose,
            self.cancelled_note,
            self.preview_panel,
            self.confirmation,
            self.progress,
        ):
            self.page_layout.addWidget(widget)
        self.page_layout.addStretch(1)

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

    def check(self) -> None:
        """Read the file on a worker thread, then compare it with the server."""
        if self._task is not None:
            return
        problems: list[PageProblem] = []
        self._file_problem(CHOOSE_DATABASE if self.file_path is None else None)
        if self.file_path is None:
            problems.append(PageProblem(CHOOSE_DATABASE, self.choose_button))
        passphrase = self.passphrase.text()
        self.passphrase.set_error(None if passphrase else ENTER_PASSPHRASE)
        if not passphrase:
            problems.append(PageProblem(ENTER_PASSPHRASE, self.passphrase.edit))
        if problems or self.file_path is None:
            self._set_state("failed")
            self.show_problems(problems)
            return
        from referral_app.services.transfer.move import read_local_database

        path, repository = self.file_path, self._repository

        def work(progress: Progress) -> ImportPreview:
            contents = read_local_database(path, passphrase, progress)
            progress.check()
            return preview_import(repository, contents)

        self._task = BackgroundTask(work, self)
        self._task.progressed.connect(self._show_progress)
        self._task.finished.connect(self._checked)
        self.progress.show_step("Reading the records on this computer…", 0, 1)
        self._set_state("checking")
        self._task.start()

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
