"""Printing referrals: what to print (the full summary, the redacted summary or the request
letter); how it goes out (preview, a printer, or a PDF file) is in ``outputs.py``.

Entry point for the rest of the UI: ``PrintDialog(repository, referral_ids, parent=None, *,
today=date.today)``: the record view passes its referral's id, the referral list the ids
selected; show it with ``open()``. The letter editor is opened from here and uses the same
outputs, so the printing folder's imports run one way: dialog -> letter -> outputs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from referral_app.services.redaction import Review
from referral_app.storage.errors import StorageError
from referral_app.storage.repository import Repository
from referral_app.ui.printing.letter import LetterDialog
from referral_app.ui.printing.outputs import (
    CHOICES,
    FULL,
    LETTER,
    LETTERS,
    REDACTED,
    Batch,
    Outputs,
    PreviewDialog,
    action_button,
    make_batch,
)
from referral_app.ui.redaction.review import ReviewSequence
from referral_app.ui.widgets.announce import announce
from referral_app.ui.widgets.text import heading, hint
from referral_app.ui.wizard.survivor import INDICATORS


class PrintDialog(QDialog):
    """Choose what to print for one referral or several, then preview, print or save a PDF."""

    def __init__(
        self,
        repository: Repository,
        referral_ids: Sequence[int],
        parent: QWidget | None = None,
        *,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(parent)
        if not referral_ids:
            raise ValueError("choose at least one referral to print")
        self._repository = repository
        self.referral_ids = list(referral_ids)
        self._today = today
        self.outputs = Outputs(repository, self, self.show_message)
        #: The letter editor open now (or last), for tests.
        self.letter_dialog: QDialog | None = None
        #: The redacted copy's review (ui/redaction) open now (or last), for tests.
        self.review: ReviewSequence | None = None
        several = len(self.referral_ids) > 1
        self.setWindowTitle("Print referrals" if several else "Print the referral")
        self.setAccessibleName(self.windowTitle())
        self.setStyleSheet(INDICATORS)
        self._build(several)

    def _build(self, several: bool) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 16)
        layout.setSpacing(round(self.fontMetrics().height() * 0.7))
        count = len(self.referral_ids)
        title = f"Print {count} referrals" if several else "Print the referral"
        layout.addWidget(heading(title, self))
        layout.addWidget(heading("What do you want to print?", self, level=2))
        self.choices = QButtonGroup(self)
        self.choice_buttons: dict[str, QRadioButton] = {}
        for what, label, help_text in CHOICES:
            shown = LETTERS if several and what == LETTER else label
            choice = QRadioButton(shown, self)
            choice.setAccessibleName(shown)
            choice.setAccessibleDescription(help_text)
            self.choices.addButton(choice)
            self.choice_buttons[what] = choice
            layout.addWidget(choice)
            note = hint(help_text, self)
            note.setContentsMargins(round(self.fontMetrics().height() * 1.6), 0, 0, 0)
            layout.addWidget(note)
        self.choice_buttons[FULL].setChecked(True)
        self.edit_letter_button = action_button("&Edit the letter…", "Edit the letter", self)
        self.edit_letter_button.clicked.connect(self.edit_letter)
        self.edit_letter_button.setVisible(not several)
        layout.addWidget(self.edit_letter_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.hide()
        layout.addWidget(self.message)
        layout.addStretch(1)
        self.preview_button = action_button("Pre&view…", "Preview", self)
        self.print_button = action_button("&Print…", "Print", self, secondary=False)
        self.print_button.setObjectName("primaryButton")
        self.pdf_button = action_button("&Save as PDF…", "Save as PDF", self)
        self.close_button = action_button("Close", "Close", self)
        self.preview_button.clicked.connect(self.preview)
        self.print_button.clicked.connect(self.print)
        self.pdf_button.clicked.connect(self.save_pdf)
        self.close_button.clicked.connect(self.reject)
        bar = QHBoxLayout()
        bar.setSpacing(self.fontMetrics().horizontalAdvance("00"))
        for button in (self.print_button, self.preview_button, self.pdf_button):
            bar.addWidget(button)
        bar.addStretch(1)
        bar.addWidget(self.close_button)
        layout.addLayout(bar)
        self.resize(self.fontMetrics().averageCharWidth() * 80, self.sizeHint().height())

    def chosen(self) -> str:
        return next(what for what, button in self.choice_buttons.items() if button.isChecked())

    def show_message(self, text: str, problem: bool) -> None:
        self.message.setObjectName("fieldError" if problem else "hint")
        self.message.setText(text)
        self.message.setAccessibleName(text)
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.message.show()
        self._fit_height()
        announce(self.message, text, urgent=problem)

    def _fit_height(self) -> None:
        """Grow to fit what is shown at the width the dialog has: a message that wraps
        (a long "Saved as …" file name, at a large text size) must not be squeezed into the
        option hints above it."""
        layout = self.layout()
        if layout is None:
            return
        layout.activate()
        needed = (
            layout.totalHeightForWidth(self.width())
            if layout.hasHeightForWidth()
            else layout.totalSizeHint().height()
        )
        self.setMinimumHeight(max(needed, layout.totalMinimumSize().height()))
        if self.height() < needed:
            self.resize(self.width(), needed)

    def batch(self) -> Batch | None:
        """The chosen documents, read afresh from the database (None, with a message, if a
        referral cannot be read)."""
        self.message.hide()
        try:
            referrals = [self._repository.get(referral_id) for referral_id in self.referral_ids]
        except StorageError as error:
            self.show_message(str(error), True)
            return None
        return make_batch(referrals, self.chosen(), self._repository, self._today())

    def reviewed_first(self, go: Callable[[Batch], object]) -> bool:
        """A redacted summary is reviewed before anything goes out: True if the review page
        opened, and ``go`` gets the batch once every referral's copy is confirmed."""
        if self.chosen() != REDACTED:
            return False
        self.message.hide()
        try:
            referrals = [self._repository.get(referral_id) for referral_id in self.referral_ids]
        except StorageError as error:
            self.show_message(str(error), True)
            return True

        def finish(reviews: list[Review]) -> None:
            go(make_batch(referrals, REDACTED, self._repository, self._today(), reviews))

        self.review = ReviewSequence(self._repository, referrals, finish, self)
        return True

    def preview(self) -> PreviewDialog | None:
        if self.reviewed_first(self.outputs.preview):
            return None
        batch = self.batch()
        return self.outputs.preview(batch) if batch else None

    def print(self) -> bool:
        if self.reviewed_first(self.outputs.print):
            return False
        batch = self.batch()
        return self.outputs.print(batch) if batch else False

    def save_pdf(self) -> Path | None:
        if self.reviewed_first(self.outputs.save_pdf):
            return None
        batch = self.batch()
        return self.outputs.save_pdf(batch) if batch else None

    def edit_letter(self) -> QDialog:
        if self.letter_dialog is not None:
            self.letter_dialog.deleteLater()
        self.letter_dialog = LetterDialog(
            self._repository, self.referral_ids[0], self, today=self._today
        )
        self.choice_buttons[LETTER].setChecked(True)
        self.letter_dialog.open()
        return self.letter_dialog
