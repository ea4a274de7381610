"""The body of a record: the answers section by section, the status history and the
eligibility checks, each history newest first.

Built whole on a sheet of its own, which the record view swaps in for the old one when it is
ready: widgets added one by one to a layout on show appear only on the next event.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QEnterEvent
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


class SelectableText(QLabel):
    """Read-only text that can be selected with the mouse and copied.

    A selectable label keeps a text document of its own, which Qt lays out again each time
    the label is measured or drawn: with a hundred of them that was more than half the time
    a record took to show. Only a pointer can select, and it is over the label before it
    presses, so each label becomes selectable when the pointer first comes onto it; until
    then it is drawn the plain way, which looks the same and lays out the same.
    """

    def enterEvent(self, event: QEnterEvent) -> None:
        if not self.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse:
            self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        super().enterEvent(event)


def cell(text: str, parent: QWidget, name: str = "") -> QLabel:
    """Read-only text that can be selected and copied, and is read out as it is."""
    label = SelectableText(text, parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setAccessibleName(text)
    if name:
        label.setObjectName(name)
    return label


#: One line of a history entry: its text and its style ("bold", "hint" or "").
Line = tuple[str, str]


@dataclass(frozen=True)
class Section:
    title: str
    page: Page
    rows: Sequence[tuple[str, str]]
    note: str = ""


@dataclass(frozen=True)
class Content:
    """What a sheet shows for one referral, before any widget is made."""

    sections: list[Section]
    history: list[list[Line]]
    checks: list[list[Line]]


def content_of(referral: Referral, wording: RecordWording) -> Content:
    draft = Draft(referral=referral.clone())
    sections = []
    for title, pages in SECTIONS:
        if Page.OUTCOME in pages:
            rows = wording.eligibility_rows(draft)
            sections.append(Section(title, Page.OUTCOME, rows, ELIGIBILITY_NOTE))
        else:
            sections.append(Section(title, pages[0], wording.rows(pages[0], draft)))
    history = []
    for change in reversed(referral.status_history):
        lines: list[Line] = [
            (f"{describe_day(local_day(change.changed_at))}: {change.status.label}", "bold")
        ]
        if change.note:
            lines.append((change.note, ""))
        if change.changed_by:
            lines.append((f"Recorded by {change.changed_by}", "hint"))
        history.append(lines)
    checks = []
    for record in reversed(referral.assessments):
        ruleset = RULESETS.get(record.ruleset)
        title = ruleset.title if ruleset else record.ruleset
        when = describe_day(local_day(record.assessed_at))
        checks.append(
            [
                (f"{when}: {OUTCOME_SENTENCES.get(record.outcome, record.outcome)}", "bold"),
                (f"Checked under the {title}.", "hint"),
            ]
        )
    return Content(sections, history, checks)


def _put(label: QLabel, text: str) -> None:
    """Show ``text`` in a reused label, or hide it (emptied: no old text stays behind)."""
    label.setText(text)
    label.setAccessibleName(text)
    label.setVisible(bool(text))


class _Section(QWidget):
    """One section of answers, with its Edit (or Change answers) button. Its rows are kept
    and reused for the next referral shown: rows it needs no more are emptied and hidden."""

    def __init__(
        self, section: Section, edit: Callable[[Page], object], spacing: int, parent: QWidget
    ) -> None:
        super().__init__(parent)
        body = QVBoxLayout(self)
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(spacing)
        title, page = section.title, section.page
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
        button.clicked.connect(lambda _=False, page=page: edit(page))
        button.setObjectName("secondaryButton")
        top.addWidget(button, 0, Qt.AlignmentFlag.AlignBottom)
        self.edit_button = button
        body.addSpacing(self.fontMetrics().height() // 2)
        body.addLayout(top)
        if section.note:
            body.addWidget(hint(section.note, self))
        self._grid = QGridLayout()
        self._grid.setHorizontalSpacing(18)
        self._grid.setVerticalSpacing(8)
        self._grid.setColumnStretch(0, 2)
        self._grid.setColumnStretch(1, 3)
        body.addLayout(self._grid)
        self._rows: list[tuple[QLabel, QLabel]] = []
        self.show_section(section)

    def show_section(self, section: Section) -> None:
        top_aligned = Qt.AlignmentFlag.AlignTop
        for index, (question, answer) in enumerate(section.rows):
            if index == len(self._rows):
                pair = (cell("", self, "fieldLabel"), cell("", self))
                self._grid.addWidget(pair[0], index, 0, top_aligned)
                self._grid.addWidget(pair[1], index, 1, top_aligned)
                self._rows.append(pair)
            label, value = self._rows[index]
            _put(label, question)
            _put(value, answer or NOT_GIVEN)
        for label, value in self._rows[len(section.rows) :]:
            _put(label, "")
            _put(value, "")


#: The label names for the styles of a history entry's lines, in the order they are shown.
_SLOTS = (("bold", "fieldLabel"), ("", ""), ("hint", "hint"))


class _Entries(QWidget):
    """A history (status changes, or eligibility checks), newest first: one framed entry per
    change, each with a bold line, a plain one and a grey one. Entries are kept and reused
    like a section's rows."""

    def __init__(
        self, title: str, latest_first: str, empty: str, spacing: int, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self._body = QVBoxLayout(self)
        self._body.setContentsMargins(0, 0, 0, 0)
        self._body.setSpacing(spacing)
        self._body.addSpacing(self.fontMetrics().height() // 2)
        self._body.addWidget(heading(title, self, level=2))
        self._latest_first = latest_first
        self._empty_text = empty
        self._hint = hint(latest_first, self)
        self._body.addWidget(self._hint)
        self._empty = cell(empty, self)
        self._body.addWidget(self._empty)
        self._frames: list[tuple[QFrame, dict[str, QLabel]]] = []

    def show_entries(self, entries: Sequence[list[Line]]) -> None:
        self._hint.setVisible(bool(entries) or not self._empty_text)
        self._empty.setVisible(not entries and bool(self._empty_text))
        for index, lines in enumerate(entries):
            if index == len(self._frames):
                self._frames.append(self._new_frame())
            frame, slots = self._frames[index]
            texts = dict.fromkeys(slots, "")
            for text, style in lines:
                texts[style] = text
            for style, label in slots.items():
                _put(label, texts[style])
            frame.setAccessibleName(" ".join(text for text, _ in lines))
            frame.show()
        for frame, slots in self._frames[len(entries) :]:
            for label in slots.values():
                _put(label, "")
            frame.setAccessibleName("")
            frame.hide()

    def _new_frame(self) -> tuple[QFrame, dict[str, QLabel]]:
        frame = QFrame(self)
        frame.setObjectName("insetText")
        inner = QVBoxLayout(frame)
        inner.setContentsMargins(12, 2, 0, 2)
        inner.setSpacing(2)
        slots = {}
        for style, name in _SLOTS:
            label = cell("", frame, name)
            inner.addWidget(label)
            slots[style] = label
        self._body.addWidget(frame)
        return frame, slots


class RecordSheet(QWidget):
    """One referral's sections, histories and checks, with an Edit button per section
    (``edit_buttons``, in reading order) that calls ``edit(page)``.

    Opening another referral reuses the labels already made and styled (:meth:`refill`):
    making and styling a hundred labels is most of the time it takes to show a record. Labels
    a referral does not need are emptied and hidden, so nothing of the last one stays.
    """

    def __init__(
        self,
        referral: Referral | None,
        wording: RecordWording,
        edit: Callable[[Page], object],
        spacing: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._wording = wording
        self.edit_buttons: dict[Page, QPushButton] = {}
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(0, 0, 0, 0)
        self.body.setSpacing(spacing)
        self._sections: list[_Section] = []
        self._history: _Entries | None = None
        self._checks: _Entries | None = None
        if referral is None:
            return
        content = content_of(referral, wording)
        for section in content.sections:
            part = _Section(section, edit, spacing, self)
            self._sections.append(part)
            self.edit_buttons[section.page] = part.edit_button
            self.body.addWidget(part)
        self._history = _Entries("Status history", "The latest change first.", "", spacing, self)
        self._checks = _Entries(
            "Eligibility checks",
            "The latest check first.",
            "The case has not been checked yet.",
            spacing,
            self,
        )
        self.body.addWidget(self._history)
        self.body.addWidget(self._checks)
        self._history.show_entries(content.history)
        self._checks.show_entries(content.checks)

    def refill(self, referral: Referral) -> bool:
        """Show ``referral`` in these widgets; False if this sheet was made for no referral."""
        if self._history is None or self._checks is None:
            return False
        content = content_of(referral, self._wording)
        for part, section in zip(self._sections, content.sections, strict=True):
            part.show_section(section)
        self._history.show_entries(content.history)
        self._checks.show_entries(content.checks)
        return True
