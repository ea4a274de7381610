"""Check old cases again under the current rules, and re-assess the ones that would change.

Since January 2025 the Panel can look at decisions made on or after 5 June 2013, so referrals
screened out under the 2013 terms may now be in scope. The page only lists what would change;
each new assessment is added one referral at a time by the advocate, because it goes into the
referral's history and the audit trail.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from referral_app.domain.dates import describe_day
from referral_app.domain.eligibility import DEFAULT_RULESET, Flag, InvalidAnswers, Outcome
from referral_app.services.rescreen import (
    ANSWER_NAMES,
    Change,
    Rescreening,
    Unassessable,
    find_changes,
    outcome_words,
    ruleset_words,
)
from referral_app.services.rescreen import reassess as reassess_referral
from referral_app.storage.errors import StorageError
from referral_app.ui.caseload.dashboard import Paragraph
from referral_app.ui.common.privacy import PrivacyMode
from referral_app.ui.widgets.page import HOME_MARGINS, scrolling_page
from referral_app.ui.widgets.text import heading, hint

if TYPE_CHECKING:
    from referral_app.storage.repository import Repository

TITLE = "Check old cases again under the current rules"
EXPLANATION = (
    "In January 2025 the Panel's mandate was widened: it can now look at decisions made on or "
    "after 5 June 2013. Cases screened out under the 2013 terms because the decision came "
    "after that date may now be in scope. Checking lists the referrals whose result would "
    "change; nothing is changed until you re-assess one."
)
NOTHING_CHANGES = "Nothing would change: every referral's latest result still stands."


def _text(text: str, parent: QWidget, bold: bool = False) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setAccessibleName(text)
    if bold:
        font = label.font()
        font.setBold(True)
        label.setFont(font)
    return label


def was_words(change: Change) -> str:
    if change.previous_outcome is None or change.previous_ruleset is None:
        return f"Was: {outcome_words(None)}"
    previous = outcome_words(change.previous_outcome)
    return f"Was: {previous} ({ruleset_words(change.previous_ruleset)})"


def now_words(change: Change) -> str:
    return f"Now: {outcome_words(change.new_outcome)}"


def why_words(change: Change) -> str:
    """One line on why, when it helps: the widening, or what is still to find out."""
    if change.new_outcome == Outcome.ELIGIBLE and Flag.WIDENED_MANDATE in change.new_flags:
        return "In scope because of the January 2025 widening of the Panel's mandate."
    if change.new_outcome == Outcome.MORE_INFORMATION_NEEDED and change.new_reasons:
        keys = ", ".join(ANSWER_NAMES.get(key, key) for key in change.new_reasons)
        return f"Still to find out: {keys}."
    return ""


class RescreenPage(QWidget):
    open_record = Signal(int)
    changed = Signal(int)

    def __init__(
        self,
        repository: Repository,
        privacy: PrivacyMode,
        today: Callable[[], date] = date.today,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("rescreenPage")
        self._repository = repository
        self._privacy = privacy
        self._today = today
        self.ruleset = DEFAULT_RULESET
        self.result: Rescreening | None = None
        self.changes: dict[int, Change] = {}
        self.change_rows: dict[int, QFrame] = {}
        self.problem_rows: dict[int, QFrame] = {}
        self.open_buttons: dict[int, QPushButton] = {}
        self.reassess_buttons: dict[int, QPushButton] = {}
        self._names: dict[int, tuple[QLabel, str, str]] = {}

        self._build()
        privacy.changed.connect(self._show_names)

    def _build(self) -> None:
        """The page in reading order: heading, explanation, the button, then what was found."""
        self.scroller, content, layout = scrolling_page(self, HOME_MARGINS)

        layout.addWidget(heading(TITLE, content))
        layout.addWidget(Paragraph(EXPLANATION, content))

        self.check_button = QPushButton("&Check all referrals", content)
        self.check_button.setObjectName("primaryButton")
        self.check_button.setAccessibleName("Check all referrals")
        self.check_button.clicked.connect(self.check)
        row = QHBoxLayout()
        row.addWidget(self.check_button)
        row.addStretch(1)
        layout.addLayout(row)

        self.confirmation = QFrame(content)
        self.confirmation.setObjectName("confirmationPanel")
        self.confirmation.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        inner = QVBoxLayout(self.confirmation)
        self.confirmation_text = _text("", self.confirmation, bold=True)
        inner.addWidget(self.confirmation_text)
        self.confirmation.hide()
        layout.addWidget(self.confirmation)

        self.error = _text("", content, bold=True)
        self.error.setObjectName("fieldError")
        self.error.hide()
        layout.addWidget(self.error)

        self._build_results(content, layout)
        layout.addStretch(1)

    def _build_results(self, content: QWidget, layout: QVBoxLayout) -> None:
        self.summary = _text("", content)
        self.summary.hide()
        layout.addWidget(self.summary)
        self.changes_box = QVBoxLayout()
        self.changes_box.setSpacing(self.fontMetrics().height())
        layout.addLayout(self.changes_box)

        self.problems_heading = heading("Referrals that could not be checked", content, level=2)
        self.problems_heading.hide()
        layout.addSpacing(12)
        layout.addWidget(self.problems_heading)
        self.problems_hint = hint(
            "Some answers in these referrals do not fit together. Open each one, correct them "
            "with Change answers, then check again.",
            content,
        )
        self.problems_hint.hide()
        layout.addWidget(self.problems_hint)
        self.problems_box = QVBoxLayout()
        self.problems_box.setSpacing(self.fontMetrics().height())
        layout.addLayout(self.problems_box)

    # Checking

    def check(self) -> None:
        """Re-assess every referral in memory and list those whose result would change."""
        self.confirmation.hide()
        self.error.hide()
        QApplication.setOverrideCursor(QCursor(Qt.CursorShape.WaitCursor))
        try:
            self.result = find_changes(self._repository.all(), self.ruleset, self._today())
        except StorageError as error:
            self._show_error(f"Error: the referrals could not be read. {error}")
            return
        finally:
            QApplication.restoreOverrideCursor()
        self._clear()
        result = self.result
        self.changes = {change.referral_id: change for change in result.changes}
        for change in result.changes:
            row = self._change_row(change)
            self.changes_box.addWidget(row)
            row.show()  # now, not when the layout gets round to it: Tab must reach it at once
            self.change_rows[change.referral_id] = row
        for unassessable in result.problems:
            row = self._problem_row(unassessable)
            self.problems_box.addWidget(row)
            row.show()
            self.problem_rows[unassessable.referral_id] = row
        self.problems_heading.setVisible(bool(result.problems))
        self.problems_hint.setVisible(bool(result.problems))
        self._update_summary()
        self.summary.show()
        self.summary.setFocus(Qt.FocusReason.OtherFocusReason)

    def _update_summary(self) -> None:
        if self.result is None:
            return
        checked = self.result.checked
        when = describe_day(self.result.today)
        counted = f"{checked} referral{'s' if checked != 1 else ''}"
        remaining = len(self.change_rows)
        if checked == 0:
            text = "There are no referrals to check yet."
        elif remaining == 0 and self.result.changes:
            text = f"Checked {counted} on {when}. Every change has been re-assessed."
        elif remaining == 0:
            text = f"Checked {counted} on {when}. {NOTHING_CHANGES}"
        else:
            would = "1 would change" if remaining == 1 else f"{remaining} would change"
            text = f"Checked {counted} on {when} under the current rules: {would}."
        self.summary.setText(text)
        self.summary.setAccessibleName(text)
        self.summary.setFocusPolicy(Qt.FocusPolicy.TabFocus)

    def _clear(self) -> None:
        for rows, box in (
            (self.change_rows, self.changes_box),
            (self.problem_rows, self.problems_box),
        ):
            for row in rows.values():
                box.removeWidget(row)
                row.hide()  # at once: deleteLater waits for the event loop
                row.deleteLater()
            rows.clear()
        self._names.clear()
        self.open_buttons.clear()
        self.reassess_buttons.clear()

    def _title(self, reference: str, name: str) -> str:
        return f"{reference} · {self._privacy.name(name) or 'no name recorded'}"

    def _frame(
        self, referral_id: int, reference: str, name: str, style: str
    ) -> tuple[QFrame, QVBoxLayout]:
        frame = QFrame(self.scroller.widget())
        frame.setObjectName(style)
        layout = QVBoxLayout(frame)
        layout.setContentsMargins(0, 0, 0, 0)
        title = _text(self._title(reference, name), frame, bold=True)
        layout.addWidget(title)
        self._names[referral_id] = (title, reference, name)
        return frame, layout

    def _buttons(
        self, frame: QFrame, referral_id: int, reference: str, first: QPushButton | None = None
    ) -> QHBoxLayout:
        """``first`` (made before Open, so Tab reaches it first too), then Open."""
        row = QHBoxLayout()
        if first is not None:
            row.addWidget(first)
        open_button = QPushButton("Open", frame)
        open_button.setObjectName("secondaryButton")
        open_button.setAccessibleName(f"Open referral {reference}")
        open_button.clicked.connect(lambda _=False, i=referral_id: self.open_record.emit(i))
        row.addWidget(open_button)
        row.addStretch(1)
        self.open_buttons[referral_id] = open_button
        return row

    def _change_row(self, change: Change) -> QFrame:
        frame, layout = self._frame(
            change.referral_id, change.reference, change.survivor_name, "insetText"
        )
        layout.addWidget(_text(was_words(change), frame))
        layout.addWidget(_text(now_words(change), frame, bold=True))
        why = why_words(change)
        if why:
            layout.addWidget(_text(why, frame))
        again = QPushButton("Re-assess", frame)
        again.setObjectName("secondaryButton")
        again.setAccessibleName(f"Re-assess referral {change.reference} under the current rules")
        again.clicked.connect(lambda _=False, i=change.referral_id: self.reassess(i))
        self.reassess_buttons[change.referral_id] = again
        layout.addLayout(self._buttons(frame, change.referral_id, change.reference, again))
        return frame

    def _problem_row(self, problem: Unassessable) -> QFrame:
        frame, layout = self._frame(
            problem.referral_id, problem.reference, problem.survivor_name, "warningText"
        )
        for text in problem.problems:
            sentence = text[:1].upper() + text[1:]
            layout.addWidget(_text(sentence if sentence.endswith(".") else f"{sentence}.", frame))
        layout.addLayout(self._buttons(frame, problem.referral_id, problem.reference))
        return frame

    # Re-assessing one referral

    def reassess(self, referral_id: int) -> None:
        """Add the new assessment to the referral's history, then take it off the list."""
        change = self.changes.get(referral_id)
        if change is None:
            return
        try:
            saved = reassess_referral(self._repository, referral_id, self.ruleset, self._today())
        except (InvalidAnswers, StorageError) as problem:
            message = (
                "The answers of this referral have changed and no longer fit together: "
                "open it and correct them with Change answers."
                if isinstance(problem, InvalidAnswers)
                else str(problem)
            )
            self._show_error(f"Error: {change.reference} was not re-assessed. {message}")
            return
        self.error.hide()
        row = self.change_rows.pop(referral_id)
        self.changes_box.removeWidget(row)
        row.hide()  # at once: deleteLater waits for the event loop
        row.deleteLater()
        self._names.pop(referral_id, None)
        self.open_buttons.pop(referral_id, None)
        self.reassess_buttons.pop(referral_id, None)
        latest = saved.latest_assessment
        outcome = outcome_words(None if latest is None else latest.outcome)
        text = (
            f"{change.reference} re-assessed under the current rules: {outcome}. "
            "The new result is in its history."
        )
        self.confirmation_text.setText(text)
        self.confirmation_text.setAccessibleName(text)
        self.confirmation.setAccessibleName(text)
        self.confirmation.show()
        self._update_summary()
        # The button pressed is gone: the focus goes to the confirmation, so that a screen
        # reader says what happened; Tab goes on from there to the referrals still listed.
        self.confirmation.setFocus(Qt.FocusReason.OtherFocusReason)
        self.changed.emit(referral_id)

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setAccessibleName(text)
        self.error.show()
        self.error.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.error.setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_names(self, _masked: bool = False) -> None:
        for label, reference, name in self._names.values():
            text = self._title(reference, name)
            label.setText(text)
            label.setAccessibleName(text)
