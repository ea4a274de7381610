"""Import: the file and its passphrase, what would happen, then all of it or nothing.

The file is checked, and compared with the database, on a worker thread (decrypting and
hashing a large caseload takes a while) with progress and Cancel; every refusal, a referral
over one of the record format's limits included, is said here before anything else happens.
Nothing in the database is touched until the advocate has seen the preview (new here, here and
the same, here but different) and pressed Import.
Referrals that differ are left as they are unless the advocate ticks them. The import itself
is one transaction on the window's thread, where the database's connections live.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from referral_app.services.transfer.archive import LIMITS, Limits
from referral_app.services.transfer.import_ import (
    ExportContents,
    ImportPreview,
    preview_import,
    read_export,
    run_import,
)
from referral_app.services.transfer.problems import Problem, TransferError
from referral_app.services.transfer.progress import Progress
from referral_app.services.transfer.tasks import BackgroundTask
from referral_app.storage.errors import StorageError
from referral_app.storage.repository import Repository
from referral_app.storage.transfer import ImportResult
from referral_app.ui.access.unlock import (
    StartupDialog,
    TextField,
    inset_text,
    show_passphrase_box,
    wait_cursor,
)
from referral_app.ui.common.privacy import PrivacyMode
from referral_app.ui.transfer.parts import (
    IMPORT_TITLE,
    ConfirmationPanel,
    ProgressPanel,
    plural,
)
from referral_app.ui.transfer.preview import RENUMBERED_ON_SERVER, PreviewPanel, result_lines
from referral_app.ui.widgets.error_summary import Problem as PageProblem
from referral_app.ui.widgets.text import (
    body_text,
    button,
    em,
    field_error,
    field_label,
    heading,
    show_field_error,
)

INTRO = (
    "Bring in referrals from an export file made by CSARP Referrals, for example when you move "
    "to a new computer. You will see what the file holds, and what would change here, before "
    "anything is imported."
)
CHOOSE_FILE = "Choose the export file"
ENTER_PASSPHRASE = "Enter the passphrase"  # noqa: S105 (a message, not a passphrase)
CANCELLED = "Checking the file was cancelled. Nothing was imported."
_FILE_PROBLEMS = frozenset(Problem) - {Problem.WRONG_PASSPHRASE, Problem.CHANGED_SINCE_CHECK}


class ImportDialog(StartupDialog):
    """Import referrals from an export file.

    What a variant reading another kind of file changes (moving this computer's referrals to
    a team's server) is in the class attributes and :meth:`_read`; the rest is the same.
    """

    HEADING = "Import referrals"
    INTRO = INTRO
    FILE_LABEL = "Export file"
    CHOOSE = CHOOSE_FILE
    STARTING = "Checking the file…"

    #: "choose", "checking", "preview", "imported", "cancelled" or "failed".
    state_changed = Signal(str)
    #: The ids of the referrals added or replaced, once the import has been committed.
    imported = Signal(list)

    def __init__(
        self,
        repository: Repository,
        parent: QWidget | None = None,
        *,
        privacy: PrivacyMode | None = None,
        limits: Limits = LIMITS,
    ) -> None:
        super().__init__(IMPORT_TITLE, parent)
        self._repository = repository
        self._privacy = privacy
        self._limits = limits
        self._task: BackgroundTask | None = None
        self.state = "choose"
        self.file_path: Path | None = None
        self.preview: ImportPreview | None = None
        self.outcome: ImportResult | None = None
        self.choose = QWidget(self.page)
        self.file_edit = QLineEdit(self.choose)
        self.file_error = field_error(self.choose)
        self.choose_button = button("C&hoose file…", self.choose)
        self.passphrase = TextField(
            "&Passphrase",
            "The passphrase the person who made the file gave you.",
            self.choose,
            password=True,
        )
        self.show_passphrase = show_passphrase_box([self.passphrase.edit], self.choose)
        self.cancelled_note = inset_text([CANCELLED], self.page)
        self.preview_panel = PreviewPanel(self.page, privacy=privacy)
        if repository.database.is_team:
            self.preview_panel.renumber_reason = RENUMBERED_ON_SERVER
        self.confirmation = ConfirmationPanel("Import complete", self.page)
        self.progress = ProgressPanel(self.page)
        self.check_button = button("&Check the file", primary=True)
        self.import_button = button("&Import", primary=True)
        self.back_button = button("&Back")
        self.cancel_button = button("Cancel")
        self.close_button = button("&Close", primary=True)
        self._build()
        self.set_buttons(
            self.check_button,
            self.import_button,
            self.close_button,
            self.back_button,
            self.cancel_button,
        )
        self.preview_panel.changed.connect(self._update_import_button)
        self.choose_button.clicked.connect(self.choose_file)
        self.check_button.clicked.connect(self.check)
        self.import_button.clicked.connect(self.run)
        self.back_button.clicked.connect(lambda: self._set_state("choose"))
        self.cancel_button.clicked.connect(self._cancel_clicked)
        self.close_button.clicked.connect(self.accept)
        self.fit_width()
        self._set_state("choose")
        self.choose_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _build(self) -> None:
        layout = QVBoxLayout(self.choose)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(self.page_layout.spacing())
        layout.addWidget(heading(self.HEADING, self.choose))
        layout.addWidget(body_text(self.INTRO, self.choose))
        self.file_edit.setReadOnly(True)
        self.file_edit.setPlaceholderText("No file chosen")
        field = QVBoxLayout()
        field.setSpacing(em(self) // 4)
        field.addWidget(field_label(self.FILE_LABEL, self.file_edit, self.choose))
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

    def _name(self, full_name: str) -> str:
        return self._privacy.name(full_name) if self._privacy is not None else full_name

    def _set_state(self, state: str) -> None:
        self.state = state
        choosing = state in ("choose", "checking", "cancelled", "failed")
        self.choose.setVisible(choosing)
        self.choose.setEnabled(state != "checking")
        self.cancelled_note.setVisible(state == "cancelled")
        self.progress.setVisible(state == "checking")
        self.preview_panel.setVisible(state == "preview")
        self.confirmation.setVisible(state == "imported")
        self.check_button.setVisible(choosing)
        self.check_button.setEnabled(state != "checking")
        self.import_button.setVisible(state == "preview")
        self.back_button.setVisible(state == "preview")
        # Back and Import are enough beside the preview (Esc still closes): three buttons do
        # not fit side by side at large text sizes.
        self.cancel_button.setVisible(state not in ("imported", "preview"))
        self.cancel_button.setText("Stop checking" if state == "checking" else "Cancel")
        self.cancel_button.setAccessibleName(self.cancel_button.text())
        self.close_button.setVisible(state == "imported")
        if state != "failed":
            self.summary.show_problems([])
        self.fit_height()
        self.state_changed.emit(state)

    # Choosing and checking the file

    def choose_file(self) -> None:
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        chosen, _ = QFileDialog.getOpenFileName(
            self, "Choose the export file", folder, "Export files (*.zip);;All files (*)"
        )
        if chosen:
            self.file_path = Path(chosen)
            self.file_edit.setText(self.file_path.name)
            self.file_edit.setToolTip(str(self.file_path))
            self._file_problem(None)
            self.passphrase.edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def _file_problem(self, message: str | None) -> None:
        show_field_error(self.file_error, message)

    def check(self) -> None:
        """What "Check the file" does: read and verify it on the worker thread."""
        if self._task is not None:
            return
        problems: list[PageProblem] = []
        self._file_problem(self.CHOOSE if self.file_path is None else None)
        if self.file_path is None:
            problems.append(PageProblem(self.CHOOSE, self.choose_button))
        passphrase = self.passphrase.text()
        self.passphrase.set_error(None if passphrase else ENTER_PASSPHRASE)
        if not passphrase:
            problems.append(PageProblem(ENTER_PASSPHRASE, self.passphrase.edit))
        if problems or self.file_path is None:
            self._set_state("failed")
            self.show_problems(problems)
            return
        path, repository, read = self.file_path, self._repository, self._read

        def work(progress: Progress) -> ImportPreview:
            contents = read(path, passphrase, progress)
            progress.check()
            return preview_import(repository, contents)

        self._task = BackgroundTask(work, self)
        self._task.progressed.connect(self._show_progress)
        self._task.finished.connect(self._checked)
        self.progress.show_step(self.STARTING, 0, 1)
        self._set_state("checking")
        self._task.start()

    def _read(self, path: Path, passphrase: str, progress: Progress) -> ExportContents:
        """What the file holds, checked (on the worker thread)."""
        return read_export(path, passphrase, limits=self._limits, progress=progress)

    def _show_progress(self, done: int, total: int) -> None:
        percent = 100 if total <= 0 else done * 100 // total
        self.progress.show_step(f"Checking the file: {percent}%", done, total)

    def _cancel_clicked(self) -> None:
        if self._task is not None:
            self._task.cancel()
        else:
            self.reject()

    def _checked(self) -> None:
        task, self._task = self._task, None
        if task is None:
            return
        task.wait()
        task.deleteLater()
        if task.cancelled:
            self._set_state("cancelled")
        elif task.error is not None:
            self._failed(task.error)
        elif isinstance(task.result, ImportPreview):
            self._show_preview(task.result)

    def _failed(self, error: TransferError | StorageError) -> None:
        message = str(error)
        field: QWidget | None = None
        problem = error.problem if isinstance(error, TransferError) else None
        if problem is Problem.WRONG_PASSPHRASE:
            self.passphrase.set_error(message)
            field = self.passphrase.edit
        elif problem in _FILE_PROBLEMS:
            self._file_problem(message)
            field = self.choose_button
        self._set_state("failed")
        self.show_problems([PageProblem(message, field)])
        if field is self.passphrase.edit:
            self.passphrase.edit.selectAll()

    # The preview

    def _show_preview(self, preview: ImportPreview) -> None:
        self.preview = preview
        self.preview_panel.show_preview(preview)
        self._update_import_button()
        self._set_state("preview")
        self.import_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def replacing(self) -> list[str]:
        """The uids of the differing referrals the advocate ticked to be replaced."""
        return self.preview_panel.replacing()

    def _update_import_button(self) -> None:
        count = len(self.preview.new) + len(self.replacing()) if self.preview else 0
        text = f"&Import {plural(count)}" if count else "Nothing to import"
        self.import_button.setText(text)
        self.import_button.setAccessibleName(text.replace("&", ""))
        self.import_button.setEnabled(count > 0)

    # Importing

    def run(self) -> None:
        """What "Import" does: everything previewed and ticked, in one transaction."""
        if self.preview is None or self.state != "preview":
            return
        try:
            with wait_cursor():
                outcome = run_import(self._repository, self.preview, self.replacing())
        except (TransferError, StorageError) as error:
            self._failed(error)
            return
        self.outcome = outcome
        self.confirmation.set_detail(" ".join(result_lines(outcome)))
        self.passphrase.edit.clear()
        self._set_state("imported")
        self.close_button.setFocus(Qt.FocusReason.OtherFocusReason)
        self.imported.emit([*outcome.added, *outcome.replaced])

    def done(self, result: int) -> None:
        """However the dialog closes, stop any checking first."""
        task = self._task
        if task is not None:
            task.cancel()
            task.wait()
            self._checked()
        self.passphrase.edit.clear()
        super().done(result)
