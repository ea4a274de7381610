"""At a glance: referrals by status, follow-ups due, and Victims' Right to Review windows closing.

The page answers "what needs me this week?" without opening every record. Everything on it
is worded so that it reads the same without colour and to a screen reader: the chart writes
each count beside its bar and lists them all in its accessible description, and each item
that needs action is a row that opens the record by click or keyboard.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QKeyEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from referral_app.domain.advice import VRR_SUMMARY
from referral_app.domain.dates import describe_day
from referral_app.domain.referral import Status
from referral_app.storage import overview
from referral_app.storage.db import Database
from referral_app.ui.common.privacy import PrivacyMode
from referral_app.ui.widgets.page import HOME_MARGINS, scrolling_page
from referral_app.ui.widgets.text import heading, hint

FOLLOW_UP_DAYS = 7
VRR_DAYS = 14

TITLE = "At a glance"
FOLLOW_UPS_TITLE = "Follow-ups due or overdue"
VRR_TITLE = f"Victims' Right to Review windows closing within {VRR_DAYS} days"
VRR_HINT = VRR_SUMMARY

# GOV.UK colours: text, secondary text, link, focus, and a light grey for tracks and hover.
TEXT = QColor("#0b0c0c")
SECONDARY = QColor("#484949")
LINK = QColor("#1d70b8")
FOCUS = QColor("#ffdd00")
LIGHT = QColor("#f3f2f1")
TRACK = QColor("#dcdcdc")


def days_words(days: int) -> str:
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days > 0:
        return f"in {days} days"
    return "yesterday" if days == -1 else f"{-days} days ago"


class Paragraph(QLabel):
    """Wrapped plain text at most ``chars`` average characters wide, for easy reading.

    A layout asks for the height at the full width it offers, not at the label's maximum
    width, so without the clamp below the lines beneath would overlap a capped paragraph.
    """

    def __init__(self, text: str, parent: QWidget | None = None, chars: int = 80) -> None:
        super().__init__(text, parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setAccessibleName(text)
        self.setMaximumWidth(self.fontMetrics().averageCharWidth() * chars)

    def heightForWidth(self, width: int) -> int:
        return super().heightForWidth(min(width, self.maximumWidth()))


class StatusChart(QWidget):
    """Horizontal bars, one per status, each with its label and its count written out.

    Sizes come from the font, so the chart grows with the system text size; when the window
    is too narrow for labels beside the bars, each label goes above its bar instead.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[str, int]] = []
        # Preferred, not Fixed: a fixed height would stop at the size hint when a narrow
        # window needs more for wrapped text.
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setAccessibleName("Referrals by status")

    @property
    def rows(self) -> list[tuple[str, int]]:
        return list(self._rows)

    def set_counts(self, counts: Mapping[Status, int]) -> None:
        self._rows = [(status.label, counts.get(status, 0)) for status in Status]
        self.setAccessibleDescription("; ".join(f"{label}: {count}" for label, count in self._rows))
        self.updateGeometry()
        self.update()

    # Geometry, all from font metrics

    def _label_width(self) -> int:
        metrics = self.fontMetrics()
        widest = max((metrics.horizontalAdvance(label) for label, _ in self._rows), default=0)
        return widest + metrics.averageCharWidth() * 3

    def _count_width(self) -> int:
        metrics = self.fontMetrics()
        widest = max((metrics.horizontalAdvance(str(n)) for _, n in self._rows), default=0)
        return widest + metrics.averageCharWidth()

    def _min_bar(self) -> int:
        return self.fontMetrics().averageCharWidth() * 12

    def side_by_side(self, width: int) -> bool:
        return width >= self._label_width() + self._min_bar() + self._count_width()

    def _label_heights(self, width: int) -> list[int]:
        """Each label's height: one line beside its bar, or wrapped to the width above it."""
        metrics = self.fontMetrics()
        if self.side_by_side(width):
            return [metrics.height()] * len(self._rows)
        flags = int(Qt.TextFlag.TextWordWrap)
        area = QRect(0, 0, max(width, 1), 100_000)
        return [metrics.boundingRect(area, flags, label).height() for label, _ in self._rows]

    def _gap(self) -> int:
        return self.fontMetrics().height() // 2

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        labels = self._label_heights(width)
        if self.side_by_side(width):
            return sum(labels) + self._gap() * len(labels)
        return sum(labels) + (self.fontMetrics().height() + self._gap()) * len(labels)

    def sizeHint(self) -> QSize:
        width = self._label_width() + self.fontMetrics().averageCharWidth() * 30
        width += self._count_width()
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:
        # Narrow, but with the height of labels beside bars: a layout takes the larger of this
        # and the size hint as the minimum; height-for-width gives the stacked layout its height.
        width = self._min_bar() + self._count_width()
        return QSize(width, self.heightForWidth(self.sizeHint().width()))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        metrics = self.fontMetrics()
        width = self.width()
        beside = self.side_by_side(width)
        line = metrics.height()
        bar_left = self._label_width() if beside else 0
        longest = metrics.averageCharWidth() * 40  # wider bars only make the eye travel
        bar_space = max(min(width - bar_left - self._count_width(), longest), 1)
        most = max((count for _, count in self._rows), default=0) or 1
        bar_height = max(int(line * 0.7), 4)
        inset = (line - bar_height) // 2
        left = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        top = 0
        for (label, count), label_height in zip(
            self._rows, self._label_heights(width), strict=True
        ):
            painter.setPen(TEXT)
            if beside:
                painter.drawText(QRect(0, top, bar_left, line), left, label)
                bar_top = top
            else:
                wrap = int(Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap)
                painter.drawText(QRect(0, top, width, label_height), wrap, label)
                bar_top = top + label_height
            painter.fillRect(QRect(bar_left, bar_top + inset, bar_space, bar_height), TRACK)
            length = round(bar_space * count / most)
            if count:
                length = max(length, 3)
                painter.fillRect(QRect(bar_left, bar_top + inset, length, bar_height), LINK)
            count_left = bar_left + length + metrics.averageCharWidth() // 2
            painter.drawText(QRect(count_left, bar_top, width - count_left, line), left, str(count))
            top = bar_top + line + self._gap()
        painter.end()


class RecordRow(QPushButton):
    """A row that opens a record: a link-styled title over a line of detail, both wrapped.

    A button underneath, so screen readers announce it as one and Enter or Space presses it;
    painted by hand because a plain button cannot wrap its text.
    """

    def __init__(self, title: str, detail: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._title = ""
        self._detail = ""
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        # Preferred, not Fixed: a fixed height would stop at the size hint when a narrow
        # window needs more for wrapped text.
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.set_text(title, detail)

    @property
    def title(self) -> str:
        return self._title

    @property
    def detail(self) -> str:
        return self._detail

    def set_text(self, title: str, detail: str) -> None:
        self._title, self._detail = title, detail
        self.setAccessibleName(f"Open {title}")
        self.setAccessibleDescription(detail)
        self.updateGeometry()
        self.update()

    def _title_font(self) -> QFont:
        font = QFont(self.font())
        font.setBold(True)
        font.setUnderline(True)
        return font

    def _padding(self) -> int:
        return max(self.fontMetrics().height() // 3, 3)

    def _heights(self, width: int) -> tuple[int, int]:
        inner = max(width - 2 * self._padding(), 1)
        flags = int(Qt.TextFlag.TextWordWrap)
        title = QFontMetrics(self._title_font()).boundingRect(
            QRect(0, 0, inner, 100_000), flags, self._title
        )
        detail = self.fontMetrics().boundingRect(QRect(0, 0, inner, 100_000), flags, self._detail)
        return title.height(), detail.height() if self._detail else 0

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        title, detail = self._heights(width)
        return title + detail + 2 * self._padding() + 3  # 3: the focus underline

    def sizeHint(self) -> QSize:
        metrics = self.fontMetrics()
        natural = max(
            QFontMetrics(self._title_font()).horizontalAdvance(self._title),
            metrics.horizontalAdvance(self._detail),
        )
        width = min(natural, metrics.averageCharWidth() * 70) + 2 * self._padding()
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:
        # Narrow, but only as tall as the text laid out at its natural width (as QLabel does):
        # height-for-width gives the row the height it needs once its width is known.
        width = self.fontMetrics().averageCharWidth() * 16
        return QSize(width, self.sizeHint().height())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # A plain button ignores Enter outside dialogs; a row that opens something should not.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.isAutoRepeat():
            self.click()
            return
        super().keyPressEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        focused = self.hasFocus()
        if focused:
            painter.fillRect(self.rect(), FOCUS)
            painter.fillRect(QRect(0, self.height() - 3, self.width(), 3), TEXT)
        elif self.underMouse() or self.isDown():
            painter.fillRect(self.rect(), LIGHT)
        pad = self._padding()
        inner = self.width() - 2 * pad
        title_height, detail_height = self._heights(self.width())
        flags = int(Qt.TextFlag.TextWordWrap)
        painter.setFont(self._title_font())
        painter.setPen(TEXT if focused else LINK)
        painter.drawText(QRect(pad, pad, inner, title_height), flags, self._title)
        painter.setFont(self.font())
        painter.setPen(TEXT if focused else SECONDARY)
        painter.drawText(QRect(pad, pad + title_height, inner, detail_height), flags, self._detail)
        painter.end()


@dataclass(frozen=True)
class _Shown:
    """What a row shows, kept so names can be re-masked without asking the database again."""

    referral_id: int
    reference: str
    survivor_name: str
    detail: str


class DashboardPage(QWidget):
    open_record = Signal(int)

    def __init__(
        self,
        database: Database,
        privacy: PrivacyMode,
        today: Callable[[], date] = date.today,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("dashboardPage")
        self._db = database
        self._privacy = privacy
        self._today = today
        self.rows: dict[str, list[RecordRow]] = {"follow_ups": [], "vrr": []}
        self._shown: dict[str, list[_Shown]] = {"follow_ups": [], "vrr": []}

        self.scroller, content, layout = scrolling_page(self, HOME_MARGINS)
        content.setObjectName("dashboardContent")

        layout.addWidget(heading(TITLE, content))
        self.as_of = hint("", content)
        layout.addWidget(self.as_of)

        layout.addSpacing(8)
        layout.addWidget(heading("Referrals by status", content, level=2))
        self.chart = StatusChart(content)
        layout.addWidget(self.chart)
        self.total = hint("", content)
        layout.addWidget(self.total)

        layout.addSpacing(8)
        layout.addWidget(heading(FOLLOW_UPS_TITLE, content, level=2))
        self.follow_ups_empty = hint(f"Nothing due in the next {FOLLOW_UP_DAYS} days.", content)
        layout.addWidget(self.follow_ups_empty)
        self._boxes: dict[str, QVBoxLayout] = {"follow_ups": QVBoxLayout()}
        layout.addLayout(self._boxes["follow_ups"])

        layout.addSpacing(8)
        layout.addWidget(heading(VRR_TITLE, content, level=2))
        vrr_hint = Paragraph(VRR_HINT, content)
        vrr_hint.setObjectName("hint")
        layout.addWidget(vrr_hint)
        self.vrr_empty = hint(
            f"No Victims' Right to Review windows close in the next {VRR_DAYS} days.", content
        )
        layout.addWidget(self.vrr_empty)
        self._boxes["vrr"] = QVBoxLayout()
        layout.addLayout(self._boxes["vrr"])
        layout.addStretch(1)
        for box in self._boxes.values():
            box.setSpacing(4)

        privacy.changed.connect(self._show_names)
        self.refresh()

    def refresh(self) -> None:
        """Read the figures again (cheap: a few queries, only the columns shown)."""
        today = self._today()
        self.as_of.setText(f"As of {describe_day(today)}.")
        self.as_of.setAccessibleName(self.as_of.text())
        counts = overview.status_counts(self._db)
        total = sum(counts.values())
        self.chart.set_counts(counts)
        self.chart.setVisible(total > 0)
        self.total.setText(
            "There are no referrals yet."
            if total == 0
            else f"{total} referral{'s' if total != 1 else ''} in all."
        )
        self.total.setAccessibleName(self.total.text())
        self._shown["follow_ups"] = [
            _Shown(
                item.referral_id, item.reference, item.survivor_name, _follow_up_words(item, today)
            )
            for item in overview.follow_ups(self._db, today, FOLLOW_UP_DAYS)
        ]
        self._shown["vrr"] = [
            _Shown(item.referral_id, item.reference, item.survivor_name, _vrr_words(item, today))
            for item in overview.vrr_windows_closing(self._db, today, VRR_DAYS)
        ]
        for key in self._boxes:
            self._build(key)
        self.follow_ups_empty.setVisible(not self._shown["follow_ups"])
        self.vrr_empty.setVisible(not self._shown["vrr"])

    def _title(self, shown: _Shown) -> str:
        name = self._privacy.name(shown.survivor_name) or "no name recorded"
        return f"{shown.reference} · {name}"

    def _build(self, key: str) -> None:
        box = self._boxes[key]
        for row in self.rows[key]:
            box.removeWidget(row)
            row.hide()  # at once: deleteLater waits for the event loop
            row.deleteLater()
        self.rows[key] = []
        for shown in self._shown[key]:
            row = RecordRow(self._title(shown), shown.detail, box.parentWidget())
            row.clicked.connect(lambda _=False, i=shown.referral_id: self.open_record.emit(i))
            box.addWidget(row)
            row.show()  # now, not when the layout gets round to it: Tab must reach it at once
            self.rows[key].append(row)

    def _show_names(self, _masked: bool = False) -> None:
        for key, rows in self.rows.items():
            for row, shown in zip(rows, self._shown[key], strict=True):
                row.set_text(self._title(shown), shown.detail)


def _follow_up_words(item: overview.FollowUpItem, today: date) -> str:
    days = (item.due - today).days
    if item.overdue:
        when = f"Overdue: was due on {describe_day(item.due)} ({days_words(days)})"
    else:
        when = f"Due {days_words(days)}, {describe_day(item.due)}"
    return f"{when}. {item.purpose}" if item.purpose else f"{when}."


def _vrr_words(item: overview.VrrItem, today: date) -> str:
    days = (item.closes - today).days
    return (
        f"Decision of {item.decision_date.describe()}: the last day is "
        f"{describe_day(item.closes)} ({days_words(days)})."
    )
