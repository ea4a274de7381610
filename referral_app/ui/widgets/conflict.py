"""When two people changed the same referral: both versions side by side, and a choice.

On a team's server two advocates can have the same record open. A save that would overwrite
a change saved since the record was opened is stopped by the storage layer; this dialog then
shows, for every part that differs, what the advocate typed and what was saved meanwhile (and
by whom, and when), and lets them choose. Nothing is lost without a choice: going back keeps
their edit open as it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import Enum
from typing import NamedTuple

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from referral_app.ui.widgets.text import body_text, button, em, heading

TITLE = "CSARP Referrals — Changed by someone else"
#: Said where a part was left empty, so an empty cell is never mistaken for a missing one.
EMPTY = "(empty)"


class Choice(Enum):
    MINE = "mine"
    THEIRS = "theirs"
    BACK = "back"


class Difference(NamedTuple):
    """One part of the referral that differs: its name, then each version as text."""

    label: str
    mine: str
    theirs: str


def when_text(moment: datetime) -> str:
    local = moment.astimezone()
    return f"{local.day} {local:%B %Y} at {local:%H:%M}"


class ConflictDialog(QDialog):
    """Both versions of what differs; ``choice`` says what the advocate chose."""

    def __init__(
        self,
        differences: Sequence[Difference],
        saved_by: str,
        saved_at: datetime | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.setModal(True)
        self.choice = Choice.BACK
        unit = em(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(unit * 2, unit * 3 // 2, unit * 2, unit)
        layout.setSpacing(unit)
        layout.addWidget(heading("Someone else changed this referral"))
        layout.addWidget(
            body_text(
                f"{saved_by[:1].upper()}{saved_by[1:]} saved a change"
                + (f" on {when_text(saved_at)}" if saved_at is not None else "")
                + ", after you opened it. "
                "Choose which version to keep. Nothing is saved until you choose."
            )
        )
        table, grid = self._table(differences, saved_by)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(table)
        layout.addWidget(scroll, 1)
        self.mine_button = button("Save &my version", primary=True)
        self.theirs_button = button(f"&Keep the version {saved_by} saved")
        self.back_button = button("&Go back to my changes")
        buttons = QHBoxLayout()
        buttons.setSpacing(unit)
        for widget in (self.mine_button, self.theirs_button, self.back_button):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.mine_button.clicked.connect(lambda: self._chose(Choice.MINE))
        self.theirs_button.clicked.connect(lambda: self._chose(Choice.THEIRS))
        self.back_button.clicked.connect(self.reject)
        # Tall enough to show every difference without scrolling, if the screen allows.
        x = self.fontMetrics().horizontalAdvance("x")
        width = min(x * 100, int(self.screen().availableGeometry().width() * 0.9))
        grid.activate()
        inner = width - unit * 4 - scroll.verticalScrollBar().sizeHint().width()
        needed = table.heightForWidth(inner) if table.hasHeightForWidth() else -1
        needed = needed if needed > 0 else table.sizeHint().height()
        half_screen = self.screen().availableGeometry().height() // 2
        scroll.setMinimumHeight(min(needed + unit // 2, half_screen))
        self.resize(width, self.sizeHint().height())

    def _table(
        self, differences: Sequence[Difference], saved_by: str
    ) -> tuple[QWidget, QGridLayout]:
        """A row per difference: its name, your version, the version saved meanwhile."""
        unit = em(self)
        table = QWidget()
        grid = QGridLayout(table)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(unit * 3 // 2)
        grid.setVerticalSpacing(unit // 2)
        bold = QFont(self.font())
        bold.setBold(True)
        for column, text in enumerate(("", "Your version", f"Saved by {saved_by}")):
            label = QLabel(text, table)
            label.setFont(bold)
            grid.addWidget(label, 0, column)
        for row, difference in enumerate(differences, start=1):
            name = QLabel(difference.label, table)
            name.setFont(bold)
            name.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            grid.addWidget(name, row, 0)
            for column, text in ((1, difference.mine), (2, difference.theirs)):
                cell = QLabel(text or EMPTY, table)
                cell.setTextFormat(Qt.TextFormat.PlainText)
                cell.setWordWrap(True)
                cell.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                cell.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
                cell.setAccessibleName(
                    f"{difference.label}, "
                    f"{'your version' if column == 1 else 'saved by ' + saved_by}: {text or EMPTY}"
                )
                grid.addWidget(cell, row, column)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)
        grid.setRowStretch(len(differences) + 1, 1)
        return table, grid

    def _chose(self, choice: Choice) -> None:
        self.choice = choice
        self.accept()


def differences(
    mine: Sequence[tuple[str, str]], theirs: Sequence[tuple[str, str]]
) -> list[Difference]:
    """The rows (label, text) whose text differs between two versions, in reading order."""
    mine_rows, their_rows = dict(mine), dict(theirs)
    labels = list(dict.fromkeys([*mine_rows, *their_rows]))
    return [
        Difference(label, mine_rows.get(label, ""), their_rows.get(label, ""))
        for label in labels
        if mine_rows.get(label, "") != their_rows.get(label, "")
    ]


def ask(
    parent: QWidget,
    shown: Sequence[Difference],
    last_change: tuple[str, datetime] | None,
    updated_at: datetime | None,
) -> Choice:
    """Show both versions and wait for the advocate's choice (Back if the dialog is closed,
    or closed by locking)."""
    saved_by, saved_at = last_change or ("someone else", updated_at)
    dialog = ConflictDialog(shown, saved_by, saved_at, parent=parent)
    try:
        dialog.exec()
        return dialog.choice
    finally:
        dialog.deleteLater()
