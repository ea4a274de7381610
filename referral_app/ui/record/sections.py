"""The body of a record: the answers section by section, the status history and the
eligibility checks, each history newest first.

Built whole on a sheet of its own, which the record view swaps in for the old one when it is
ready: widgets added one by one to a layout on show appear only on the next event.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from referral_app.domain.advice import OUTCOME_SENTENCES
from referral_app.domain.dates import describe_day
from referral_app.domain.eligibility import RULESETS
from referral_app.domain.flow import Draft, Page
from referral_app.domain.referral import Referral
from referral_app.ui.record.edit import RecordWording
from referral_app.ui.record.status import local_day
from referral_app.ui.widgets.text import heading, hint
from referral_app.ui.wizard.check import SECTIONS
from referral_app.ui.wizard.survivor import NOT_GIVEN

ELIGIBILITY_NOTE = (
    "Changing these answers checks the case again under the current rules; the new result "
    "joins the eligibility checks below."
)


def cell(text: str, parent: QWidget, name: str = "") -> QLabel:
    """Read-only text that can be selected and copied, and is read out as it is."""
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setAccessibleName(text)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if name:
        label.setObjectName(name)
    return label


class RecordSheet(QWidget):
    """One referral's sections, histories and checks, with an Edit button per section
    (``edit_buttons``, in reading order) that calls ``edit(page)``."""

    def __init__(
        self,
        referral: Referral | None,
        wording: RecordWording,
        edit: Callable[[Page], object],
        spacing: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._edit = edit
        self.edit_buttons: dict[Page, QPushButton] = {}
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(0, 0, 0, 0)
        self.body.setSpacing(spacing)
        if referral is None:
            return
        draft = Draft(referral=referral.clone())
        for title, pages in SECTIONS:
            if Page.OUTCOME in pages:
                rows = wording.eligibility_rows(draft)
                self._add_section(title, Page.OUTCOME, rows, ELIGIBILITY_NOTE)
            else:
                self._add_section(title, pages[0], wording.rows(pages[0], draft))
        self._add_history(referral)
        self._add_assessments(referral)

    def _gap(self) -> None:
        self.body.addSpacing(self.fontMetrics().height() // 2)

    def _add_section(
        self, title: str, page: Page, rows: Sequence[tuple[str, str]], note: str = ""
    ) -> None:
        top = QHBoxLayout()
        top.addWidget(heading(title, self, level=2), 1)
        if page is Page.OUTCOME:
            button = QPushButton("Change answers", self)
            button.setAccessibleName("Change eligibility answers")
            button.setToolTip("Change the eligibility answers and check the case again")
        else:
            button = QPushButton("Edit", self)
            button.setAccessibleName(f"Edit {title.lower()}")
            button.setToolTip(f"Change the answers in {title.lower()}")
        button.clicked.connect(lambda _=False, page=page: self._edit(page))
        button.setObjectName("secondaryButton")
        top.addWidget(button, 0, Qt.AlignmentFlag.AlignBottom)
        self.edit_buttons[page] = button
        self._gap()
        self.body.addLayout(top)
        if note:
            self.body.addWidget(hint(note, self))
        grid = QGridLayout()
        grid.setHorizontalSpacing(18)
        grid.setVerticalSpacing(8)
        for row, (question, answer) in enumerate(rows):
            top_aligned = Qt.AlignmentFlag.AlignTop
            grid.addWidget(cell(question, self, "fieldLabel"), row, 0, top_aligned)
            grid.addWidget(cell(answer or NOT_GIVEN, self), row, 1, top_aligned)
        grid.setColumnStretch(0, 2)
        grid.setColumnStretch(1, 3)
        self.body.addLayout(grid)

    def _add_history(self, referral: Referral) -> None:
        """Status changes, newest first (as is the assessment history)."""
        self._gap()
        self.body.addWidget(heading("Status history", self, level=2))
        self.body.addWidget(hint("The latest change first.", self))
        for change in reversed(referral.status_history):
            lines = [
                (f"{describe_day(local_day(change.changed_at))}: {change.status.label}", "bold")
            ]
            if change.note:
                lines.append((change.note, ""))
            if change.changed_by:
                lines.append((f"Recorded by {change.changed_by}", "hint"))
            self._add_entry(lines)

    def _add_assessments(self, referral: Referral) -> None:
        self._gap()
        self.body.addWidget(heading("Eligibility checks", self, level=2))
        if not referral.assessments:
            self.body.addWidget(cell("The case has not been checked yet.", self))
            return
        self.body.addWidget(hint("The latest check first.", self))
        for record in reversed(referral.assessments):
            ruleset = RULESETS.get(record.ruleset)
            title = ruleset.title if ruleset else record.ruleset
            when = describe_day(local_day(record.assessed_at))
            self._add_entry(
                [
                    (f"{when}: {OUTCOME_SENTENCES.get(record.outcome, record.outcome)}", "bold"),
                    (f"Checked under the {title}.", "hint"),
                ]
            )

    def _add_entry(self, lines: Sequence[tuple[str, str]]) -> None:
        """One dated entry of a history: a grey bar down its left, lines one under another."""
        frame = QFrame(self)
        frame.setObjectName("insetText")
        inner = QVBoxLayout(frame)
        inner.setContentsMargins(12, 2, 0, 2)
        inner.setSpacing(2)
        for text, style in lines:
            name = {"bold": "fieldLabel", "hint": "hint"}.get(style, "")
            inner.addWidget(cell(text, frame, name))
        frame.setAccessibleName(" ".join(text for text, _ in lines))
        self.body.addWidget(frame)
