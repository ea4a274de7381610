"""One referral as a record: everything it holds, where it stands, and what to do next.

The answers are shown in the check-answers page's sections, in the guided form's own words:
each row comes from the form page's ``summary()``, so the record and the form can never
describe the same answer differently. Names and contact details go through privacy mode.
Opening a record is an audited event; refreshing it after a change made here is not.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QMenu,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from referral_app.domain.advice import vrr_window
from referral_app.domain.dates import describe_day
from referral_app.domain.flow import Draft, Page
from referral_app.domain.next_steps import next_step, offered_follow_up
from referral_app.domain.referral import FINISHED, FollowUp, Referral, Status, allowed_changes
from referral_app.storage.errors import StorageError
from referral_app.storage.repository import Repository
from referral_app.ui.common.privacy import PrivacyMode
from referral_app.ui.printing.dialog import PrintDialog
from referral_app.ui.printing.letter import LetterDialog
from referral_app.ui.record import pending
from referral_app.ui.record.edit import EditDialog, RecordWording
from referral_app.ui.record.eligibility import EligibilityDialog
from referral_app.ui.record.sections import RecordSheet, cell
from referral_app.ui.record.status import WARNING_BUTTON, DeleteDialog, StatusDialog, local_day
from referral_app.ui.widgets.text import heading, hint
from referral_app.ui.wizard.survivor import NOT_GIVEN

if TYPE_CHECKING:
    from referral_app.ui.common.team import Team
    from referral_app.ui.record.sharing import SharingRow

CLOSED_REASON = "A closed referral cannot change status: closing is the end of a referral."
STYLE = (
    WARNING_BUTTON + " QLabel#statusTag { background: #bbd4ea; color: #0c2d4a;"
    " padding: 0.15em 0.5em; font-weight: bold; }"
    ' QLabel#statusTag[final="true"] { background: #dee0e2; color: #282d30; }'
    " QLabel#overdueTag { background: #f4cdc6; color: #2a0b06; padding: 0.15em 0.5em;"
    " font-weight: bold; }"
    " QLabel#dueTodayTag { background: #fff7bf; color: #594d00; padding: 0.15em 0.5em;"
    " font-weight: bold; }"
)
RecordDialog = (
    EditDialog | EligibilityDialog | StatusDialog | DeleteDialog | PrintDialog | LetterDialog
)
#: The record is easier to read in a column of about this many characters.
READING_WIDTH_CHARS = 140


#: Said when the suggested follow-up was not set because another was saved meanwhile.
FOLLOW_UP_CHANGED = (
    "Someone else changed the next follow-up after this record was shown, so yours was not "
    "set. The record now shows theirs; set yours again if it is still needed."
)

class RecordView(QWidget):
    """The record of one referral, with Edit per section, Change status and Delete."""

    changed = Signal(int)  # the referral's id, after anything about it was saved
    deleted = Signal(int)
    closed = Signal()  # "Back to the list"
    export_requested = Signal(int)  # the main window knows how to export
    subject_access_requested = Signal(int)

    def __init__(
        self,
        repository: Repository,
        privacy: PrivacyMode,
        today: Callable[[], date] = date.today,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("recordView")
        self.setAccessibleName("Referral record")
        self.setStyleSheet(STYLE)
        self._repository = repository
        self._privacy = privacy
        self._today = today
        self.referral: Referral | None = None
        self._next_follow_up: tuple[date, str] | None = None
        #: The dialog open now (or last), for tests and for the main window to close.
        self.dialog: RecordDialog | None = None
        self.edit_buttons: dict[Page, QPushButton] = {}
        #: On a team's server, who can see the referral (see :meth:`set_team`).
        self.sharing: SharingRow | None = None
        self._wording = RecordWording(privacy, today, self)
        self._build()
        privacy.changed.connect(self._render)

    # Building

    def _build(self) -> None:
        self.back_button = QPushButton("&Back to the list", self)
        self.back_button.setObjectName("secondaryButton")
        self.back_button.setAccessibleName("Back to the list")
        self.back_button.clicked.connect(self._back)
        top = QHBoxLayout()
        top.setContentsMargins(32, 12, 32, 0)
        top.addWidget(self.back_button)
        top.addStretch(1)

        self.content = QWidget(self)
        self.content.setObjectName("recordContent")
        self.content.setMaximumWidth(self.fontMetrics().averageCharWidth() * READING_WIDTH_CHARS)
        column = QVBoxLayout(self.content)
        column.setContentsMargins(32, 16, 32, 32)
        column.setSpacing(round(self.fontMetrics().height() * 0.9))
        self._build_header(column)
        # The sections are built on a sheet of their own, swapped in whole when it is ready:
        # widgets added one by one to a showing layout appear only on the next event.
        self.sheet = RecordSheet(None, self._wording, self._edit_page, 0, self.content)
        column.addWidget(self.sheet)
        self._column = column
        self._build_delete(column)
        column.addStretch(1)
        outer = QWidget(self)
        row = QHBoxLayout(outer)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.content, 1)
        row.addStretch(0)
        self.scroller = QScrollArea(self)
        self.scroller.setWidgetResizable(True)
        self.scroller.setFrameShape(QFrame.Shape.NoFrame)
        self.scroller.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.scroller.setWidget(outer)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.scroller, 1)
        self.content.hide()

    def _build_header(self, column: QVBoxLayout) -> None:
        self.problem = cell("", self.content, "fieldError")
        self.problem.hide()
        column.addWidget(self.problem)
        self.reference_label = heading("", self.content)
        self.name_label = heading("", self.content, level=2)
        column.addWidget(self.reference_label)
        column.addWidget(self.name_label)
        facts = QGridLayout()
        facts.setHorizontalSpacing(self.fontMetrics().horizontalAdvance("0000"))
        facts.setVerticalSpacing(8)
        facts.addWidget(cell("Status", self.content, "fieldLabel"), 0, 0)
        self.status_tag = cell("", self.content, "statusTag")
        self.change_status_button = QPushButton("Change &status", self.content)
        self.change_status_button.setObjectName("secondaryButton")
        self.change_status_button.setAccessibleName("Change status")
        self.change_status_button.clicked.connect(self.change_status)
        self.closed_note = hint(CLOSED_REASON, self.content)
        status_row = QHBoxLayout()
        status_row.setSpacing(12)
        status_row.addWidget(self.status_tag, 0, Qt.AlignmentFlag.AlignVCenter)
        status_row.addWidget(self.change_status_button)
        status_row.addStretch(1)
        status_cell = QVBoxLayout()
        status_cell.addLayout(status_row)
        status_cell.addWidget(self.closed_note)

        facts.addLayout(status_cell, 0, 1)
        follow_up = cell("Next follow-up", self.content, "fieldLabel")
        facts.addWidget(follow_up, 1, 0, Qt.AlignmentFlag.AlignTop)
        self.due_tag = cell("", self.content, "overdueTag")
        self.follow_up_label = cell("", self.content)
        due_row = QHBoxLayout()
        due_row.setSpacing(12)
        due_row.addWidget(self.due_tag, 0, Qt.AlignmentFlag.AlignTop)
        due_row.addWidget(self.follow_up_label, 1)
        facts.addLayout(due_row, 1, 1)
        self._build_vrr(facts)
        self._build_next_step(facts)
        facts.setColumnStretch(1, 1)
        column.addLayout(facts)
        self._facts = facts
        self.dates_label = hint("", self.content)
        column.addWidget(self.dates_label)
        column.addLayout(self._build_actions())

    def _build_next_step(self, facts: QGridLayout) -> None:
        """What happens after this status, and a button for the follow-up it suggests."""
        self.next_step_heading = cell("What happens next", self.content, "fieldLabel")
        facts.addWidget(self.next_step_heading, 3, 0, Qt.AlignmentFlag.AlignTop)
        self.next_step_label = cell("", self.content, "nextStep")
        self.next_step_button = QPushButton("Set the next follow-up", self.content)
        self.next_step_button.setAccessibleName("Set the next follow-up")
        self.next_step_button.setObjectName("secondaryButton")
        self.next_step_button.clicked.connect(self.use_next_step)
        next_row = QHBoxLayout()
        next_row.addWidget(self.next_step_button)
        next_row.addStretch(1)
        next_cell = QVBoxLayout()
        next_cell.setSpacing(6)
        next_cell.addWidget(self.next_step_label)
        next_cell.addLayout(next_row)
        facts.addLayout(next_cell, 3, 1)

    def _build_vrr(self, facts: QGridLayout) -> None:
        self.vrr_heading = cell("Victims' Right to Review", self.content, "fieldLabel")
        facts.addWidget(self.vrr_heading, 2, 0, Qt.AlignmentFlag.AlignTop)
        self.vrr_label = cell("", self.content)
        self.vrr_label.setObjectName("vrrWindow")
        facts.addWidget(self.vrr_label, 2, 1)

    def _build_actions(self) -> QHBoxLayout:
        """What the referral can be turned into: paper or PDF, the letter, an export."""
        self.print_button = QPushButton("&Print or save as PDF…", self.content)
        self.print_button.setToolTip("The referral summary, in full or redacted (Ctrl+P)")
        self.print_button.clicked.connect(self.print_referral)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Print), self, self.print_referral)
        self.letter_button = QPushButton("Request &letter…", self.content)
        self.letter_button.setToolTip(
            "The letter asking the force or CPS Area to reconsider its decision"
        )
        self.letter_button.clicked.connect(self.edit_letter)
        self.export_button = QPushButton("E&xport", self.content)
        self.export_button.setToolTip("Referrals in an encrypted file, to send")
        menu = QMenu(self.export_button)
        self.export_this_action = menu.addAction("This referral…")
        self.export_this_action.triggered.connect(self._export)
        self.subject_access_action = menu.addAction(
            "Everything about this survivor (subject access)…"
        )
        self.subject_access_action.triggered.connect(self._subject_access)
        self.export_button.setMenu(menu)
        row = QHBoxLayout()
        row.setSpacing(12)
        for button in (self.print_button, self.letter_button, self.export_button):
            button.setObjectName("secondaryButton")
            button.setAccessibleName(button.text().replace("&", "").rstrip("…"))
            row.addWidget(button)
        row.addStretch(1)
        return row

    def _build_delete(self, column: QVBoxLayout) -> None:
        line = QFrame(self.content)
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Plain)
        column.addSpacing(self.fontMetrics().height())
        column.addWidget(line)
        note = hint(
            "Delete a referral only when it must not be kept, for example when the "
            "survivor asks for their information to be erased.",
            self.content,
        )
        column.addWidget(note)
        self.delete_button = QPushButton("&Delete referral", self.content)
        #: On a team's server only a manager deletes for good: for others these are hidden.
        self._delete_parts: tuple[QWidget, ...] = (line, note, self.delete_button)
        self.delete_button.setObjectName("warningButton")
        self.delete_button.setAccessibleName("Delete referral")
        self.delete_button.clicked.connect(self.delete_referral)
        column.addWidget(self.delete_button, 0, Qt.AlignmentFlag.AlignLeft)

    # Showing a referral

    def show_referral(self, referral_id: int) -> None:
        """Open the referral for the advocate to see (recorded in the audit trail)."""
        try:
            self.referral = self._repository.open_record(referral_id)
        except StorageError as error:
            self.referral = None
            self._render()
            self.problem.setText(str(error))
            self.problem.setAccessibleName(str(error))
            self.problem.show()
            self.content.show()
            return
        self._render()
        if self.sharing is not None:
            self.sharing.show_for(referral_id, self.referral.reference)
        self.scroller.verticalScrollBar().setValue(0)
        self.back_button.setFocus(Qt.FocusReason.OtherFocusReason)
        self._resume_kept_edit(referral_id)

    def _resume_kept_edit(self, referral_id: int) -> None:
        """An edit of this record kept when the app locked: open it again as it was left."""
        try:
            kept = pending.take(self._repository, referral_id)
        except StorageError:
            return
        if kept is None:
            return
        page, draft = kept
        if page is Page.OUTCOME:
            self.edit_eligibility(draft.page, restored=draft)
        else:
            self.edit_section(page, restored=draft)

    def set_team(self, team: Team) -> None:
        """On a team's server: whose referral it is and who else has it, with Sharing…;
        only a manager is offered Delete referral."""
        from referral_app.ui.record.sharing import SharingRow

        self.allow_deleting(team.is_manager)
        self.sharing = SharingRow(self._repository, team, self.content)
        self.sharing.changed.connect(self.changed)
        heading = cell("Who can see it", self.content, "fieldLabel")
        self._facts.addWidget(heading, 4, 0, Qt.AlignmentFlag.AlignTop)
        self._facts.addWidget(self.sharing, 4, 1)

    def allow_deleting(self, allowed: bool) -> None:
        """Offer Delete referral or not (the server refuses it to an advocate either way)."""
        for part in self._delete_parts:
            part.setVisible(allowed)

    def clear(self) -> None:
        """Forget the referral, so nothing about it stays in hidden widgets."""
        self.referral = None
        if self.sharing is not None:
            self.sharing.show_for(None)
        self._render()

    def _render(self) -> None:
        """Show the referral in the page's labels, reusing the sheet's when it has them.

        The page is hidden while its labels change and shown again once: a label shown inside
        a page on screen has Qt lay the whole page out again there and then, so a record
        whose rows come and go would be laid out dozens of times instead of once. Not when
        the focus is in the page (after an edit, or privacy mode switched from a button in
        it): hiding would move the focus away, and a screen reader would say so."""
        referral = self.referral
        focused = QApplication.focusWidget()
        if focused is None or not self.content.isAncestorOf(focused):
            self.content.hide()
        self.problem.hide()
        if referral is None:
            for label in (self.reference_label, self.name_label, self.follow_up_label):
                label.clear()
        else:
            self._show_header(referral)
        # Only the parts of another shape are made anew; no referral, no widgets for one.
        if referral is None or not self.sheet.refill(referral):
            old = self.sheet
            self.sheet = RecordSheet(
                referral, self._wording, self._edit_page, self._column.spacing(), self.content
            )
            self._column.replaceWidget(old, self.sheet)
            old.hide()
            old.deleteLater()
        self.edit_buttons = self.sheet.edit_buttons
        self._chain_tabs()
        self.content.setVisible(referral is not None)

    def _chain_tabs(self) -> None:
        """The sections are made after the buttons around them: Tab goes in reading order."""
        chain = [
            self.back_button,
            self.change_status_button,
            self.print_button,
            self.letter_button,
            self.export_button,
            *self.edit_buttons.values(),
        ]
        for first, second in itertools.pairwise([*chain, self.delete_button]):
            QWidget.setTabOrder(first, second)

    def _show_header(self, referral: Referral) -> None:
        self.reference_label.setText(referral.reference)
        self.reference_label.setAccessibleName(f"Referral {referral.reference}")
        name = self._privacy.name(referral.survivor.full_name) or NOT_GIVEN
        self.name_label.setText(name)
        self.name_label.setAccessibleName(f"Survivor: {name}")
        status = referral.status
        self.status_tag.setText(status.label)
        self.status_tag.setAccessibleName(f"Status: {status.label}")
        self.status_tag.setProperty("final", status in (Status.CLOSED, Status.WITHDRAWN))
        self.status_tag.style().unpolish(self.status_tag)
        self.status_tag.style().polish(self.status_tag)
        can_change = bool(allowed_changes(status))
        self.change_status_button.setEnabled(can_change)
        self.change_status_button.setToolTip("" if can_change else CLOSED_REASON)
        self.closed_note.setVisible(not can_change)
        self._show_follow_up(referral)
        self._show_vrr(referral)
        self._show_next_step(referral)
        started = describe_day(local_day(referral.created_at)) if referral.created_at else ""
        changed = describe_day(local_day(referral.updated_at)) if referral.updated_at else ""
        self.dates_label.setText(f"Started on {started}. Last changed on {changed}.")
        self.dates_label.setVisible(bool(started and changed))

    def _show_next_step(self, referral: Referral) -> None:
        step = next_step(referral.status)
        self._next_follow_up = None if step is None else offered_follow_up(step, self._today())
        self.next_step_heading.setVisible(step is not None)
        self.next_step_label.setVisible(step is not None)
        self.next_step_button.setVisible(step is not None)
        if step is None or self._next_follow_up is None:
            return
        due, purpose = self._next_follow_up
        self.next_step_label.setText(step.text)
        self.next_step_label.setAccessibleName(f"What happens next: {step.text}")
        text = f"Set the next follow-up for {describe_day(due)}"
        self.next_step_button.setText(text)
        self.next_step_button.setAccessibleName(f"{text}: {purpose}")
        self.next_step_button.setToolTip(purpose)
        already = referral.follow_up.due == due and referral.follow_up.purpose == purpose
        self.next_step_button.setEnabled(not already)

    def use_next_step(self) -> None:
        """Save the suggested follow-up over a fresh copy of the record, and show it."""
        if self.referral is None or self.referral.id is None or self._next_follow_up is None:
            return
        due, purpose = self._next_follow_up
        try:
            fresh = self._repository.get(self.referral.id)
            if fresh.follow_up != self.referral.follow_up:
                # Someone else set a follow-up since this record was shown (on a team's
                # server): show theirs rather than replace it unseen.
                self._saved(fresh, None)
                self.problem.setText(FOLLOW_UP_CHANGED)
                self.problem.setAccessibleName(FOLLOW_UP_CHANGED)
                self.problem.show()
                return
            fresh.follow_up = FollowUp(due, purpose)
            stored = self._repository.save(fresh)
        except StorageError as error:
            self.problem.setText(str(error))
            self.problem.show()
            return
        self._saved(stored, None)

    def _show_vrr(self, referral: Referral) -> None:
        """The VRR window of the recorded decision, open, on its last day, or closed."""
        window = vrr_window(Draft(referral=referral).eligibility_answers(), self._today())
        shown = window is not None and referral.status not in FINISHED
        self.vrr_heading.setVisible(shown)
        self.vrr_label.setVisible(shown)
        if window is not None:
            self.vrr_label.setText(window.words)
            self.vrr_label.setAccessibleName(f"Victims' Right to Review: {window.words}")
            self.vrr_label.setProperty("state", window.state)

    def _show_follow_up(self, referral: Referral) -> None:
        follow_up = referral.follow_up
        due = follow_up.due
        if due is None:
            text = "None set"
        else:
            text = describe_day(due)
            if follow_up.purpose:
                text += f": {follow_up.purpose}"
        self.follow_up_label.setText(text)
        today = self._today()
        tag = ""
        if due is not None and due < today:
            tag, name = "Overdue", "overdueTag"
        elif due == today:
            tag, name = "Due today", "dueTodayTag"
        if tag:
            self.due_tag.setText(tag)
            self.due_tag.setObjectName(name)
            self.due_tag.style().unpolish(self.due_tag)
            self.due_tag.style().polish(self.due_tag)
        self.due_tag.setVisible(bool(tag))
        spoken = f"{tag}: {text}" if tag else text
        self.due_tag.setAccessibleName(spoken)
        self.follow_up_label.setAccessibleName(f"Next follow-up: {spoken}")

    # Actions

    def _open(self, dialog: RecordDialog) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = dialog
        dialog.open()

    def _edit_page(self, page: Page) -> None:
        """A section's Edit button: Change answers for eligibility, else the section's form."""
        if page is Page.OUTCOME:
            self.edit_eligibility()
        else:
            self.edit_section(page)

    def edit_section(self, page: Page, restored: Draft | None = None) -> EditDialog | None:
        """Open the form's page for ``page`` in a dialog; saving refreshes the record."""
        if self.referral is None:
            return None
        advocate = self._repository.advocate() if page is Page.CONSENT else None
        dialog = EditDialog(
            self._repository,
            self.referral,
            page,
            today=self._today,
            advocate_name=advocate.name if advocate else "",
            parent=self,
            restored=restored,
        )
        dialog.accepted.connect(lambda: self._saved(dialog.saved, page))
        self._open(dialog)
        return dialog

    def edit_eligibility(
        self, start: Page = Page.WHERE, restored: Draft | None = None
    ) -> EligibilityDialog | None:
        """Go through the eligibility questions again; saving adds a new assessment."""
        if self.referral is None:
            return None
        dialog = EligibilityDialog(
            self._repository,
            self.referral,
            start=start,
            today=self._today,
            parent=self,
            restored=restored,
        )
        dialog.accepted.connect(lambda: self._saved(dialog.saved, Page.OUTCOME))
        self._open(dialog)
        return dialog

    def print_referral(self) -> PrintDialog | None:
        """Preview, print or save the summary (or the letter) of this referral."""
        if self.referral is None or self.referral.id is None:
            return None
        dialog = PrintDialog(self._repository, [self.referral.id], self, today=self._today)
        self._open(dialog)
        return dialog

    def edit_letter(self) -> LetterDialog | None:
        """The request letter, filled in from the referral, to edit, save and print."""
        if self.referral is None or self.referral.id is None:
            return None
        dialog = LetterDialog(self._repository, self.referral.id, self, today=self._today)
        dialog.saved.connect(self._letter_saved)
        self._open(dialog)
        return dialog

    def _letter_saved(self, referral_id: int) -> None:
        if self.referral is not None and self.referral.id == referral_id:
            self.referral = self._repository.get(referral_id)
            self._show_header(self.referral)
            self.changed.emit(referral_id)

    def _export(self) -> None:
        if self.referral is not None and self.referral.id is not None:
            self.export_requested.emit(self.referral.id)

    def _subject_access(self) -> None:
        if self.referral is not None and self.referral.id is not None:
            self.subject_access_requested.emit(self.referral.id)

    def change_status(self) -> StatusDialog | None:
        if self.referral is None or not allowed_changes(self.referral.status):
            return None
        dialog = StatusDialog(self._repository, self.referral, today=self._today, parent=self)
        dialog.accepted.connect(lambda: self._saved(dialog.saved, None))
        self._open(dialog)
        return dialog

    def delete_referral(self) -> DeleteDialog | None:
        if self.referral is None or self.referral.id is None:
            return None
        referral_id = self.referral.id
        dialog = DeleteDialog(self._repository, self.referral, self._privacy, parent=self)
        dialog.accepted.connect(lambda: self._deleted(referral_id))
        self._open(dialog)
        return dialog

    def _saved(self, stored: Referral | None, section: Page | None) -> None:
        """Show the record as stored, where the advocate was, with the focus back on the
        button that opened the dialog (the old one is gone with the old rows)."""
        if stored is None or stored.id is None:
            return
        position = self.scroller.verticalScrollBar().value()
        self.referral = stored
        self._render()
        target = self.edit_buttons.get(section) if section is not None else None
        if target is None and self.change_status_button.isEnabled():
            target = self.change_status_button
        (target or self.back_button).setFocus(Qt.FocusReason.OtherFocusReason)
        # The new rows are laid out on the next turn of the event loop; keep the place then.
        bar = self.scroller.verticalScrollBar()
        QTimer.singleShot(0, bar, lambda: bar.setValue(position))
        self.changed.emit(stored.id)

    def _deleted(self, referral_id: int) -> None:
        self.clear()
        self.deleted.emit(referral_id)

    def _back(self) -> None:
        self.closed.emit()
