"""Pieces the transfer dialogs share: progress, confirmation, and a row of buttons that folds."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QCheckBox,
    QFrame,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from referral_app.domain.dates import describe_day
from referral_app.ui.widgets.text import body_text, em, heading, hint

#: Seen by anyone in the room and by screen-sharing tools: never personal data.
EXPORT_TITLE = "CSARP Referrals — Export"
IMPORT_TITLE = "CSARP Referrals — Import"


def plural(count: int, word: str = "referral") -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


class ProgressPanel(QWidget):
    """What the work is doing, and how far it has got."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = body_text("", self, bold=True)
        self.bar = QProgressBar(self)
        self.bar.setAccessibleName("Progress")
        self.bar.setTextVisible(True)
        self.bar.setMinimumHeight(em(self) * 3 // 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(em(self) // 2)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)

    def show_step(self, text: str, done: int, total: int) -> None:
        self.label.setText(text)
        self.label.setAccessibleName(text)
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(min(done, max(total, 1)))


class ConfirmationPanel(QFrame):
    """GOV.UK's green panel: the one thing that happened, in large type."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("confirmationPanel")
        self.title = heading(title, self)
        self.detail = QLabel(self)
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setSpacing(em(self) // 2)
        layout.addWidget(self.title)
        layout.addWidget(self.detail)

    def set_detail(self, text: str) -> None:
        self.detail.setText(text)
        self.detail.setAccessibleName(text)


def long_date(moment: datetime | None, *, with_time: bool = False) -> str:
    """``3 November 2026`` (and ``at 14:05``), on this computer's clock."""
    if moment is None:
        return "an unknown date"
    local = moment.astimezone() if moment.tzinfo is not None else moment
    day = describe_day(local.date())
    return f"{day} at {local:%H:%M}" if with_time else day


class ButtonRow(QWidget):
    """Buttons side by side, or one under another when the window is too narrow for that
    (large text on a small screen), so that no button is ever cut off or pushes the page
    wider than the window."""

    def __init__(self, *buttons: QPushButton, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._buttons = buttons
        self._layout = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(em(self))
        for widget in buttons:
            self._layout.addWidget(widget, 0, Qt.AlignmentFlag.AlignLeft)
        self._layout.addStretch(1)

    def _shown(self) -> list[QPushButton]:
        return [widget for widget in self._buttons if widget.isVisibleTo(self)]

    def _side_by_side(self) -> int:
        shown = self._shown()
        widths = sum(widget.sizeHint().width() for widget in shown)
        return widths + self._layout.spacing() * max(len(shown) - 1, 0)

    def _height(self) -> int:
        heights = [widget.sizeHint().height() for widget in self._shown()]
        if self._layout.direction() is QBoxLayout.Direction.LeftToRight:
            return max(heights, default=0)
        return sum(heights) + self._layout.spacing() * max(len(heights) - 1, 0)

    def minimumSizeHint(self) -> QSize:
        width = max((widget.sizeHint().width() for widget in self._shown()), default=0)
        return QSize(width, self._height())

    def sizeHint(self) -> QSize:
        return QSize(self._side_by_side(), self._height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        wide = event.size().width() >= self._side_by_side()
        direction = QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom
        if self._layout.direction() != direction:
            self._layout.setDirection(direction)
            self.updateGeometry()  # taller or shorter now: the page makes room
        super().resizeEvent(event)


def box_with_hint(box: QCheckBox, text: str, parent: QWidget) -> QWidget:
    """A checkbox with its details under it, indented to its text. A checkbox's own text
    never wraps, so it holds only a short name and the details go in a label that does."""
    holder = QWidget(parent)
    details = hint(text, holder)
    details.setContentsMargins(em(holder) * 3 // 2, 0, 0, 0)
    box.setParent(holder)
    box.setAccessibleDescription(text)
    layout = QVBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(em(holder) // 4)
    layout.addWidget(box, 0, Qt.AlignmentFlag.AlignLeft)
    layout.addWidget(details)
    return holder
