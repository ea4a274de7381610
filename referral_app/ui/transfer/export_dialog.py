"""Export: what goes in the file, its passphrase, where to save it, and progress with Cancel.

Once the advocate has chosen where to save, everything slow runs on a worker thread: reading
the referrals from the database (a few hundred at a time, on the worker's own connection),
the PDF summaries, encryption and the disk. The window shows the progress bar at once and
stays responsive, and Cancel is heard between chunks of records and between summaries.
However the dialog closes (Close, Esc, or the app locking), it stops the worker and waits for
it first, so the database is never closed under a running read. A cancelled or failed export
leaves no file. A saved one is recorded in the audit log, one event per referral; if that
cannot be recorded, the file is removed again, so there is never an export the log does not
know about.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QCheckBox, QFileDialog, QVBoxLayout, QWidget

from referral_app.domain.referral import Advocate
from referral_app.services.transfer.export import (
    ExportResult,
    ExportStage,
    Reader,
    Renderer,
    StoredReferrals,
    default_file_name,
    summary_renderer,
    write_export,
)
from referral_app.services.transfer.passphrase import generate_passphrase
from referral_app.services.transfer.problems import MESSAGES, Problem
from referral_app.services.transfer.progress import Progress
from referral_app.services.transfer.tasks import BackgroundTask
from referral_app.storage.exporting import (
    SurvivorMatch,
    all_referral_ids,
    load_referrals,
    read_referrals,
    record_export,
    survivor_matches,
)
from referral_app.storage.repository import Repository
from referral_app.ui.access.unlock import StartupDialog, inset_text
from referral_app.ui.common.privacy import PrivacyMode
from referral_app.ui.common.save_location import confirm_save_location
from referral_app.ui.common.settings import Settings
from referral_app.ui.transfer.clipboard import CLEAR_AFTER_SECONDS, ClipboardGuard
from referral_app.ui.transfer.parts import (
    EXPORT_TITLE,
    ConfirmationPanel,
    ProgressPanel,
    box_with_hint,
    plural,
)
from referral_app.ui.transfer.passphrase_panel import PassphrasePanel
from referral_app.ui.widgets.error_summary import Problem as PageProblem
from referral_app.ui.widgets.text import body_text, button, heading, hint

#: Up to this many referrals are listed by reference; more are counted.
LISTED = 12
CANCELLED = "The export was cancelled. No file was saved."
NOTHING_TO_EXPORT = "There are no referrals to export"
SAVE_HINT = (
    "Next you choose where to save the file. The app suggests a name that does not identify "
    "anyone: keep it that way."
)
#: What the progress bar says the count is of, stage by stage.
STAGE_TEXT = {
    ExportStage.RECORDS: "Reading the records",
    ExportStage.SUMMARIES: "Making the PDF summaries",
}


class Scope(StrEnum):
    SELECTED = "selected"
    EVERYTHING = "everything"
    SURVIVOR = "survivor"


class ExportDialog(StartupDialog):
    """Export referrals to an encrypted file. Use the class methods to open one."""

    #: "ready", "working", "saved", "cancelled" or "failed", as the export moves on.
    state_changed = Signal(str)

    def __init__(
        self,
        repository: Repository,
        referral_ids: Sequence[int],
        parent: QWidget | None = None,
        *,
        scope: Scope = Scope.SELECTED,
        matches: Sequence[SurvivorMatch] = (),
        privacy: PrivacyMode | None = None,
        renderer: Callable[[Advocate], Renderer] = summary_renderer,
        reader: Reader = read_referrals,
        clipboard_seconds: float = CLEAR_AFTER_SECONDS,
        generate: Callable[[], str] = generate_passphrase,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(EXPORT_TITLE, parent)
        self._repository = repository
        self._ids = list(dict.fromkeys(referral_ids))
        self._scope = scope
        self._matches = list(matches)
        self._privacy = privacy
        self._renderer = renderer
        self._reader = reader
        self._today = today
        self._task: BackgroundTask | None = None
        self._stage = ExportStage.RECORDS
        self._exporting: list[int] = []
        self.state = "ready"
        self.saved: ExportResult | None = None
        self.guard = ClipboardGuard(clipboard_seconds, self)
        advocate = repository.advocate() or Advocate()
        self._advocate = advocate
        personal = [part for part in (advocate.name, advocate.organisation) if part]
        self.confirmation = ConfirmationPanel("Export saved", self.page)
        self.confirmation.hide()
        self.contents = QWidget(self.page)
        self.survivor_boxes: list[tuple[QCheckBox, int]] = []
        self.passphrase = PassphrasePanel(self.guard, personal, self.page, generate=generate)
        self.save_hint = hint(SAVE_HINT, self.page)
        self.cancelled_note = inset_text([CANCELLED], self.page)
        self.cancelled_note.hide()
        self.progress = ProgressPanel(self.page)
        self.progress.hide()
        self.save_button = button("&Save export file…", primary=True)
        self.cancel_button = button("Cancel")
        self.close_button = button("&Close", primary=True)
        self.close_button.hide()
        self._build()
        self.set_buttons(self.save_button, self.cancel_button, self.close_button)
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self._cancel_clicked)
        self.close_button.clicked.connect(self.accept)
        self.passphrase.changed.connect(lambda: self.fit_height(shrink=False))
        self.fit_width()
        self.fit_height()
        self.save_button.setFocus(Qt.FocusReason.OtherFocusReason)

    # Opening

    @classmethod
    def for_referrals(
        cls,
        repository: Repository,
        referral_ids: Sequence[int],
        parent: QWidget | None = None,
        **options: Any,
    ) -> ExportDialog:
        """One referral (the record view) or the ones selected in the list."""
        return cls(repository, referral_ids, parent, scope=Scope.SELECTED, **options)

    @classmethod
    def for_everything(
        cls, repository: Repository, parent: QWidget | None = None, **options: Any
    ) -> ExportDialog:
        """Every referral in the database: a whole caseload, for a new computer."""
        ids = all_referral_ids(repository.database)
        return cls(repository, ids, parent, scope=Scope.EVERYTHING, **options)

    @classmethod
    def for_survivor(
        cls,
        repository: Repository,
        referral_id: int,
        parent: QWidget | None = None,
        **options: Any,
    ) -> ExportDialog:
        """Everything about the survivor of ``referral_id``, for a subject access request."""
        matches = survivor_matches(repository.database, referral_id)
        ids = [match.referral_id for match in matches]
        return cls(repository, ids, parent, scope=Scope.SURVIVOR, matches=matches, **options)

    # Building

    def _name(self, full_name: str) -> str:
        return self._privacy.name(full_name) if self._privacy is not None else full_name

    def _build(self) -> None:
        layout = self.page_layout
        layout.addWidget(self.confirmation)
        layout.addWidget(self.contents)
        self._build_contents()
        layout.addWidget(self.passphrase)
        layout.addWidget(self.save_hint)
        layout.addWidget(self.cancelled_note)
        layout.addWidget(self.progress)
        layout.addStretch(1)

    def _build_contents(self) -> None:
        layout = QVBoxLayout(self.contents)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(self.page_layout.spacing())
        count = len(self._ids)
        what = (
            "For each referral the file holds a PDF summary to read or print, and the whole "
            "record, with its history, as data that CSARP Referrals can import."
        )
        if self._scope is Scope.SURVIVOR:
            layout.addWidget(heading("Export everything about one survivor", self.contents))
            layout.addWidget(
                body_text(
                    "For a subject access request. These referrals may be about the same "
                    "survivor: the name or a previous name matches, and the date of birth "
                    "could be the same. Check each one, and untick any that is about someone "
                    "else.",
                    self.contents,
                )
            )
            for match in self._matches:
                box = QCheckBox(match.reference)
                box.setChecked(True)
                box.setAccessibleName(match.reference)
                layout.addWidget(box_with_hint(box, self._match_text(match), self.contents))
                self.survivor_boxes.append((box, match.referral_id))
            layout.addWidget(body_text(what, self.contents))
            return
        if self._scope is Scope.EVERYTHING:
            layout.addWidget(heading("Export all referrals", self.contents))
            layout.addWidget(
                body_text(f"The file will hold all {plural(count)} in this app.", self.contents)
            )
        else:
            layout.addWidget(heading(f"Export {plural(count)}", self.contents))
            if count <= LISTED:
                referrals = load_referrals(self._repository.database, self._ids)
                lines = [f"{r.reference}: {self._name(r.survivor.full_name)}" for r in referrals]
                layout.addWidget(body_text("\n".join(lines), self.contents))
        layout.addWidget(body_text(what, self.contents))

    def _match_text(self, match: SurvivorMatch) -> str:
        born = match.date_of_birth.describe() if match.date_of_birth else "not recorded"
        return f"{self._name(match.full_name)}, born {born}. {match.status.label}."

    def chosen_ids(self) -> list[int]:
        if self._scope is Scope.SURVIVOR:
            return [id_ for box, id_ in self.survivor_boxes if box.isChecked()]
        return list(self._ids)

    # Exporting

    def _set_state(self, state: str) -> None:
        self.state = state
        working = state == "working"
        saved = state == "saved"
        self.contents.setEnabled(not working)
        self.contents.setVisible(not saved)
        self.save_hint.setVisible(state not in ("working", "saved"))
        self.passphrase.set_locked(working or saved)
        self.progress.setVisible(working)
        self.cancelled_note.setVisible(state == "cancelled")
        self.confirmation.setVisible(saved)
        self.save_button.setVisible(not saved)
        self.save_button.setEnabled(not working)
        self.cancel_button.setVisible(not saved)
        self.cancel_button.setText("Cancel export" if working else "Cancel")
        self.cancel_button.setAccessibleName(self.cancel_button.text())
        self.close_button.setVisible(saved)
        if saved:
            self.passphrase.set_finished()
        self.fit_height(shrink=saved)
        # Once laid out again, bring what just changed into view.
        if working:
            QTimer.singleShot(0, self, lambda: self.scroll_to(self.progress))
        elif saved:
            QTimer.singleShot(0, self, lambda: self.scroll_to(self.confirmation))
        self.state_changed.emit(state)

    def _ask_target(self) -> Path | None:
        settings = Settings()
        suggested = settings.save_folder("export") / default_file_name(self._today())
        chosen, _ = QFileDialog.getSaveFileName(
            self, "Save the export file", str(suggested), "Encrypted ZIP files (*.zip)"
        )
        if not chosen:
            return None
        path = Path(chosen)
        path = path if path.suffix.lower() == ".zip" else path.with_name(path.name + ".zip")
        if not confirm_save_location(self, path):
            return None
        settings.set_save_folder("export", path.parent)
        return path

    def save(self) -> None:
        """What "Save export file" does: check, ask where, then write on the worker thread."""
        if self._task is not None or self.state == "saved":
            return
        self.summary.show_problems([])
        message = self.passphrase.problem()
        if message is not None:
            self.show_problems([PageProblem(message, self.passphrase.own.edit)])
            return
        ids = self.chosen_ids()
        if not ids:
            self.show_problems([PageProblem(NOTHING_TO_EXPORT)])
            return
        target = self._ask_target()
        if target is None:
            return
        # Read on the worker, as the file is written: a caseload takes seconds to read.
        referrals = StoredReferrals(self._repository.database, ids, self._reader)
        render = self._renderer(self._advocate)
        advocate, passphrase = self._advocate, self.passphrase.passphrase()

        def work(progress: Progress) -> ExportResult:
            return write_export(
                target, referrals, advocate, passphrase, render_pdf=render, progress=progress
            )

        self._exporting = ids
        self._task = BackgroundTask(work, self)
        self._task.stage_began.connect(self._begin_stage)
        self._task.progressed.connect(self._show_progress)
        self._task.finished.connect(self._finished)
        self._stage = ExportStage.RECORDS
        self.progress.show_step(f"{STAGE_TEXT[self._stage]}…", 0, len(referrals))
        self._set_state("working")
        self._task.start()

    def _begin_stage(self, stage: str) -> None:
        self._stage = ExportStage(stage)

    def _show_progress(self, done: int, total: int) -> None:
        text = STAGE_TEXT[self._stage]
        self.progress.show_step(f"{text}: {done:,} of {total:,}", done, total)

    def _cancel_clicked(self) -> None:
        if self._task is not None:
            self._task.cancel()
        else:
            self.reject()

    def _finished(self) -> None:
        task, self._task = self._task, None
        if task is None:
            return
        task.wait()
        task.deleteLater()
        if task.cancelled:
            self._set_state("cancelled")
        elif task.error is not None:
            self.show_problems([PageProblem(str(task.error))])
            self._set_state("failed")
        elif isinstance(task.result, ExportResult):
            self._saved(task.result)

    def _saved(self, result: ExportResult) -> None:
        try:
            record_export(self._repository.database, self._exporting)
        except Exception:  # whatever stopped the audit, the file must not stay unrecorded
            result.path.unlink(missing_ok=True)
            self.show_problems([PageProblem(MESSAGES[Problem.NOT_RECORDED])])
            self._set_state("failed")
            return
        self.saved = result
        self.confirmation.set_detail(
            f"{plural(result.referral_count)} saved as {result.path.name}, in the folder "
            f"{result.path.parent}."
        )
        self._set_state("saved")
        self.close_button.setFocus(Qt.FocusReason.OtherFocusReason)

    # Closing

    def done(self, result: int) -> None:
        """However the dialog closes (Close, Esc, or the app locking, which rejects every
        dialog before it closes the database): stop the work and wait until the worker has
        finished, which it does at its next chunk of records or summary, so that nothing is
        still reading when the database closes and no file is left; then clear the clipboard
        of the passphrase."""
        task = self._task
        if task is not None:
            task.cancel()
            task.wait()
            self._finished()
        self.guard.clear()
        self.passphrase.forget()
        super().done(result)
