"""The request letter to the force or CPS Area: a first draft filled in from the referral,
edited by the advocate, saved with the referral, and printed from here.

Entry point: ``LetterDialog(repository, referral_id, parent=None, *, today=date.today)``, shown
with ``open()``; it emits ``saved(referral_id)`` after each save, so a record view can refresh.

What is printed is always what is saved: Print, Preview and Save as PDF save the letter first
when it has changed, so the record keeps the letter as it was sent. Closing with changes not
saved asks whether to save them, so nothing typed is lost by a slip.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from referral_app.domain.referral import Referral
from referral_app.services.letter import addressee, default_letter
from referral_app.services.pdf import letter_text_document
from referral_app.storage.errors import StorageError
from referral_app.storage.repository import Repository
from referral_app.ui.printing.outputs import LETTER, Batch, Outputs, PreviewDialog, safe_reference
from referral_app.ui.widgets.conflict import Choice, Difference, ask
from referral_app.ui.widgets.text import heading, hint

#: Between the letter someone else saved and this one, when the app locked before anyone
#: could choose: both are kept, so nothing is lost.
KEPT_AT_LOCK = "--- The letter below was being written here when the app locked ---"
UNSAVED = "This is a first draft filled in from the referral. It is not saved yet."
REFILL_QUESTION = (
    "Replace the letter with a new first draft from the referral as it is now? What you have "
    "written in the letter will be lost."
)


def ask_to_save(parent: QWidget) -> QMessageBox.StandardButton:
    """Save, Discard or Cancel, for a letter with changes that are not saved."""
    return QMessageBox.question(
        parent,
        "Save the letter?",
        "The letter has changes that are not saved. Save them before closing?",
        QMessageBox.StandardButton.Save
        | QMessageBox.StandardButton.Discard
        | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Save,
    )


def ask_to_refill(parent: QWidget) -> bool:
    answer = QMessageBox.question(
        parent,
        "Start the letter again?",
        REFILL_QUESTION,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Yes


class LetterDialog(QDialog):
    """Write, save and print the letter asking the force or CPS Area to reconsider."""

    saved = Signal(int)

    def __init__(
        self,
        repository: Repository,
        referral_id: int,
        parent: QWidget | None = None,
        *,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(parent)
        self._repository = repository
        self.referral_id = referral_id
        self._today = today
        self.referral: Referral = repository.get(referral_id)
        self.outputs = Outputs(repository, self, self.show_message)
        stored = self.referral.request_letter
        #: The text as last saved (empty until the letter is first saved).
        self._saved_text = stored
        #: The text as loaded or last saved: anything else is a change not saved yet.
        self._loaded_text = ""
        self.setWindowTitle(f"Request letter: {self.referral.reference}")
        self.setAccessibleName("Request letter")
        self._build()
        self.editor.setPlainText(stored if stored.strip() else self._first_draft())
        self._loaded_text = self.editor.toPlainText()
        self._show_state()

    def _first_draft(self) -> str:
        return default_letter(self.referral, self._repository.advocate(), self._today())

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 16)
        layout.setSpacing(round(self.fontMetrics().height() * 0.6))
        to = addressee(self.referral.case)
        layout.addWidget(heading("Request letter", self))
        layout.addWidget(
            hint(
                f"This letter asks {to} to reconsider the decision and, if it stands by it, "
                "to refer the case to the Child Sexual Abuse Review Panel. Change anything you "
                "need to; the letter is saved with the referral.",
                self,
            )
        )
        self.state = hint("", self)
        layout.addWidget(self.state)
        self.editor = QPlainTextEdit(self)
        self.editor.setAccessibleName("Letter text")
        self.editor.setTabChangesFocus(True)
        self.editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.editor.textChanged.connect(self._show_state)
        layout.addWidget(self.editor, 1)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.hide()
        layout.addWidget(self.message)
        self.save_button = self._button("&Save letter", "Save letter", primary=True)
        self.refill_button = self._button("Start &again from the referral", "Start again")
        self.preview_button = self._button("Pre&view…", "Preview")
        self.print_button = self._button("&Print…", "Print")
        self.pdf_button = self._button("Save as P&DF…", "Save as PDF")
        self.close_button = self._button("Close", "Close")
        self.save_button.clicked.connect(self.save)
        self.refill_button.clicked.connect(self.refill)
        self.preview_button.clicked.connect(self.preview)
        self.print_button.clicked.connect(self.print)
        self.pdf_button.clicked.connect(self.save_pdf)
        self.close_button.clicked.connect(self.close)
        for button in (self.preview_button, self.print_button, self.pdf_button):
            button.setToolTip("Saves the letter first, so the referral keeps what was sent")
        first = QHBoxLayout()
        first.addWidget(self.save_button)
        first.addWidget(self.refill_button)
        first.addStretch(1)
        second = QHBoxLayout()
        for button in (self.print_button, self.preview_button, self.pdf_button):
            second.addWidget(button)
        second.addStretch(1)
        second.addWidget(self.close_button)
        layout.addLayout(first)
        layout.addLayout(second)
        width = self.fontMetrics().averageCharWidth() * 96
        self.resize(width, round(width * 0.95))

    def _button(self, text: str, name: str, primary: bool = False) -> QPushButton:
        button = QPushButton(text, self)
        button.setAccessibleName(name)
        button.setObjectName("primaryButton" if primary else "secondaryButton")
        return button

    # State

    def text(self) -> str:
        return self.editor.toPlainText()

    def has_unsaved_changes(self) -> bool:
        return self.text() != self._loaded_text

    def _show_state(self) -> None:
        if self.has_unsaved_changes():
            state = "You have changes that are not saved."
        elif not self._saved_text.strip():
            state = UNSAVED
        else:
            state = "The letter is saved with the referral."
        self.state.setText(state)
        self.state.setAccessibleName(state)

    def show_message(self, text: str, problem: bool) -> None:
        self.message.setObjectName("fieldError" if problem else "hint")
        self.message.setText(text)
        self.message.setAccessibleName(text)
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.message.show()

    # Actions

    def save(self, *, asking: bool = True) -> bool:
        """Store the letter over a fresh copy of the referral, so nothing else is overwritten.

        If someone else saved a different letter since this one was loaded (on a team's
        server), both are shown and the advocate chooses; when the app is locking and nobody
        can be asked, both are kept, the other first, so nothing is lost."""
        text = self.text()
        if not text.strip():
            self.show_message("Write the letter before saving it.", True)
            return False
        try:
            fresh = self._repository.get(self.referral_id)
            theirs = fresh.request_letter
            if theirs not in (self._saved_text, text):
                if not asking:
                    text = f"{theirs}\n\n{KEPT_AT_LOCK}\n\n{text}"
                else:
                    choice = self._choose(text, fresh)
                    if choice is Choice.BACK:
                        self._saved_text = theirs  # seen: Save now keeps this letter
                        return False
                    if choice is Choice.THEIRS:
                        self.editor.setPlainText(theirs)
                        text = theirs
                        self.referral = fresh
                        self._saved_text = self._loaded_text = text
                        self._show_state()
                        return True
            self.referral = self._repository.save(replace(fresh, request_letter=text))
        except StorageError as error:
            self.show_message(str(error), True)
            return False
        self._saved_text = self._loaded_text = text
        self._show_state()
        self.show_message("The letter is saved.", False)
        self.saved.emit(self.referral_id)
        return True

    def _choose(self, mine: str, fresh: Referral) -> Choice:
        from referral_app.storage.audit_query import last_change

        shown = [Difference("Request letter", mine, fresh.request_letter)]
        who = last_change(self._repository.database, self.referral_id)
        return ask(self, shown, who, fresh.updated_at)

    def refill(self) -> None:
        if self.text() != self._first_draft() and not ask_to_refill(self):
            return
        self.editor.setPlainText(self._first_draft())

    def _batch(self) -> Batch | None:
        """The letter as saved, saving it first when it has changed or was never saved."""
        if (self.has_unsaved_changes() or not self._saved_text.strip()) and not self.save():
            return None
        document = letter_text_document(self._saved_text, self.referral.reference)
        reference = safe_reference(self.referral.reference)
        name, title = f"referral-{reference}-letter.pdf", f"Request letter {reference}"
        return Batch([document], [self.referral_id], LETTER, name, title)

    def preview(self) -> PreviewDialog | None:
        batch = self._batch()
        return self.outputs.preview(batch) if batch else None

    def print(self) -> bool:
        batch = self._batch()
        return self.outputs.print(batch) if batch else False

    def save_pdf(self) -> Path | None:
        batch = self._batch()
        return self.outputs.save_pdf(batch) if batch else None

    # Leaving

    def prepare_for_lock(self) -> None:
        """The app is locking: save the letter without asking, so no question holds the lock
        up and nothing typed is lost (an empty letter has nothing to keep)."""
        if self.has_unsaved_changes() and self.text().strip():
            self.save(asking=False)
        self._loaded_text = self.text()  # nothing left to ask about

    def reject(self) -> None:
        """Esc and Close come here: ask first when there are changes that are not saved."""
        if self.has_unsaved_changes():
            answer = ask_to_save(self)
            if answer == QMessageBox.StandardButton.Cancel:
                return
            if answer == QMessageBox.StandardButton.Save and not self.save():
                return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.has_unsaved_changes():
            event.ignore()
            self.reject()
            return
        super().closeEvent(event)
