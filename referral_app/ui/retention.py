"""Retention: how long finished referrals are kept, and deleting them for good after that.

Keeping a survivor's details longer than the organisation's policy allows is a breach in
itself, so the page lists every closed or withdrawn referral past the period and lets the
advocate delete them. Deleting is for good, so it takes a deliberate step: tick the referrals,
read what will be lost, type DELETE. The list shows references only, never names, so it is
safe on a shared screen whatever privacy mode says.

The main window shows it as a page: ``RetentionPage(repository, parent=pages)``, with
``refresh()`` each time it is shown; its ``deleted`` signal (a list of ids) tells the other
pages which referrals are gone.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from enum import IntEnum
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from referral_app.domain.dates import describe_day
from referral_app.storage.errors import StorageError
from referral_app.storage.retention import MAX_YEARS, MIN_YEARS, RetentionItem, past_retention
from referral_app.ui.dashboard import Paragraph
from referral_app.ui.record.status import WARNING_BUTTON
from referral_app.ui.retention_dialog import DeleteForGoodDialog, referrals
from referral_app.ui.retention_settings import RetentionSettings
from referral_app.ui.widgets.text import field_label, heading, hint
from referral_app.ui.wizard.survivor import INDICATORS

if TYPE_CHECKING:
    from referral_app.storage.repository import Repository

POLICY = (
    "Closed and withdrawn referrals hold some of the most sensitive details there are, so "
    "they are kept only for a set time after they close, and then deleted. How long is your "
    "organisation's decision (its data retention policy); six years after closure is the "
    "default here. Nothing is deleted until you choose to delete it on this page."
)
PERIOD_HINT = (
    "Counted from the day the referral was closed or withdrawn. Ask your data protection "
    "lead if you are not sure what your organisation's policy says."
)


class Column(IntEnum):
    REFERENCE = 0
    STATUS = 1
    CLOSED_ON = 2
    DUE_ON = 3


HEADINGS = {
    Column.REFERENCE: "Reference",
    Column.STATUS: "Status",
    Column.CLOSED_ON: "Closed or withdrawn on",
    Column.DUE_ON: "Due for deletion since",
}


class RetentionModel(QAbstractTableModel):
    """The referrals past the period, each with a tick box in its reference column."""

    ticks_changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._items: list[RetentionItem] = []
        self._ticked: set[int] = set()

    @property
    def items(self) -> list[RetentionItem]:
        return list(self._items)

    def set_items(self, items: list[RetentionItem]) -> None:
        """Show ``items``; ticks stay on the referrals still listed."""
        self.beginResetModel()
        self._items = list(items)
        self._ticked &= {item.referral_id for item in items}
        self.endResetModel()
        self.ticks_changed.emit()

    def ticked(self) -> list[RetentionItem]:
        return [item for item in self._items if item.referral_id in self._ticked]

    def is_ticked(self, row: int) -> bool:
        return self._items[row].referral_id in self._ticked

    def set_ticked(self, row: int, ticked: bool) -> None:
        referral_id = self._items[row].referral_id
        if ticked == (referral_id in self._ticked):
            return
        if ticked:
            self._ticked.add(referral_id)
        else:
            self._ticked.discard(referral_id)
        cell = self.index(row, Column.REFERENCE)
        self.dataChanged.emit(cell, cell, [Qt.ItemDataRole.CheckStateRole])
        self.ticks_changed.emit()

    def toggle(self, row: int) -> None:
        self.set_ticked(row, not self.is_ticked(row))

    def tick_all(self, ticked: bool) -> None:
        self.beginResetModel()
        self._ticked = {item.referral_id for item in self._items} if ticked else set()
        self.endResetModel()
        self.ticks_changed.emit()

    # Qt's model interface

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self._items)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(Column)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADINGS[Column(section)]
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == Column.REFERENCE:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        column = Column(index.column())
        if role == Qt.ItemDataRole.CheckStateRole and column is Column.REFERENCE:
            ticked = self.is_ticked(index.row())
            return Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.text(index.row(), column)
        return None

    def setData(
        self, index: QModelIndex | QPersistentModelIndex, value: Any, role: int = 0
    ) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or index.column() != Column.REFERENCE:
            return False
        checked = Qt.CheckState(value) if isinstance(value, int) else value
        self.set_ticked(index.row(), checked == Qt.CheckState.Checked)
        return True

    def text(self, row: int, column: Column) -> str:
        item = self._items[row]
        if column is Column.REFERENCE:
            return item.reference
        if column is Column.STATUS:
            return item.status.label
        if column is Column.CLOSED_ON:
            return describe_day(item.closed_on)
        return describe_day(item.due_on)


class TickTable(QTableView):
    """Space ticks or unticks the current referral, whichever column the cursor is in."""

    toggle_row = Signal(int)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Space, Qt.Key.Key_Select) and self.currentIndex().isValid():
            self.toggle_row.emit(self.currentIndex().row())
            event.accept()
            return
        super().keyPressEvent(event)


class RetentionPage(QWidget):
    """The policy, the period, the referrals past it, and deleting them for good."""

    #: The ids of referrals just deleted, so other pages can let them go.
    deleted = Signal(list)

    def __init__(
        self,
        repository: Repository,
        parent: QWidget | None = None,
        *,
        settings: RetentionSettings | None = None,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("retentionPage")
        self.setStyleSheet(WARNING_BUTTON + INDICATORS)
        self._repository = repository
        self._settings = settings if settings is not None else RetentionSettings()
        self._today = today
        self._pressed_ticked: bool | None = None
        self.dialog: DeleteForGoodDialog | None = None
        self.model = RetentionModel(self)
        content, layout = self._scrolling_page()
        layout.addWidget(heading("Deleting old referrals", content))
        layout.addWidget(Paragraph(POLICY, content))
        layout.addLayout(self._build_period(content))
        self.message = QLabel(content)
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.message.hide()
        layout.addWidget(self.message)
        self.count_label = heading("", content, level=2)
        layout.addWidget(self.count_label)
        self.tick_all = QCheckBox("&Tick all", content)
        self.tick_all.clicked.connect(self.model.tick_all)
        layout.addWidget(self.tick_all, 0, Qt.AlignmentFlag.AlignLeft)
        self.table = TickTable(content)
        self._set_up_table()
        layout.addWidget(self.table, 1)
        self.delete_button = QPushButton("&Delete ticked referrals for good…", content)
        self.delete_button.setObjectName("warningButton")
        self.delete_button.setAccessibleName("Delete ticked referrals for good")
        self.delete_button.clicked.connect(self.delete_ticked)
        self.ticked_label = hint("", content)
        row = QHBoxLayout()
        row.setSpacing(16)
        row.addWidget(self.delete_button)
        row.addWidget(self.ticked_label, 1)
        layout.addLayout(row)
        layout.addStretch(0)  # takes the room only while there is no table to give it to
        self.model.ticks_changed.connect(self._show_ticks)
        self.refresh()

    def _scrolling_page(self) -> tuple[QWidget, QVBoxLayout]:
        """The page scrolls when the window is too short for it (large text), so nothing is
        squashed and the table keeps room for several referrals."""
        self.scroller = QScrollArea(self)
        self.scroller.setWidgetResizable(True)
        self.scroller.setFrameShape(QFrame.Shape.NoFrame)
        self.scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.scroller)
        content = QWidget(self.scroller)
        self.scroller.setWidget(content)
        layout = QVBoxLayout(content)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.setSpacing(12)
        return content, layout

    def _build_period(self, content: QWidget) -> QVBoxLayout:
        self.years = QSpinBox(content)
        self.years.setRange(MIN_YEARS, MAX_YEARS)
        self.years.setValue(self._settings.years())
        self.years.setSuffix(" years")
        self.years.setKeyboardTracking(False)  # saved when the advocate has finished typing
        self.years.setAccessibleDescription(PERIOD_HINT)
        self.years.setMinimumWidth(self.years.fontMetrics().horizontalAdvance("00 years") * 2)
        self.years.valueChanged.connect(self._period_changed)
        block = QVBoxLayout()
        block.setSpacing(4)
        label = "&How long to keep closed and withdrawn referrals"
        block.addWidget(field_label(label, self.years, content))
        period_hint = Paragraph(PERIOD_HINT, content)
        period_hint.setObjectName("hint")
        block.addWidget(period_hint)
        block.addWidget(self.years, 0, Qt.AlignmentFlag.AlignLeft)
        return block

    def _set_up_table(self) -> None:
        table = self.table
        table.setModel(self.model)
        table.setAccessibleName("Referrals past the retention period")
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setTabKeyNavigation(False)
        table.setAlternatingRowColors(True)
        table.setCornerButtonEnabled(False)
        table.setStyleSheet("QTableView::indicator { width: 0.9em; height: 0.9em; }")
        table.verticalHeader().hide()
        metrics = table.fontMetrics()
        rows = table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(metrics.lineSpacing() + metrics.height() // 2 + 4)
        table.setMinimumHeight(rows.defaultSectionSize() * 8)
        header = table.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setStretchLastSection(False)  # stretched, it is squeezed to nothing at 200%
        room = metrics.averageCharWidth() * 3
        for column, sample in (
            (Column.REFERENCE, "CSARP-0000-00000xxx"),  # and the tick box
            (Column.STATUS, "Withdrawn"),
            (Column.CLOSED_ON, "30 September 0000"),
            (Column.DUE_ON, "30 September 0000"),
        ):
            wanted = max(
                metrics.horizontalAdvance(sample), metrics.horizontalAdvance(HEADINGS[column])
            )
            table.setColumnWidth(column, wanted + room)
        # A click anywhere on a row ticks it; a click on the box itself is the delegate's.
        table.pressed.connect(self._pressed)
        table.clicked.connect(self._clicked)
        table.toggle_row.connect(self.model.toggle)

    # Showing

    def refresh(self) -> None:
        """List the referrals past the period as it is set now."""
        try:
            items = past_retention(self._repository, self.years.value(), self._today())
        except StorageError as error:
            self._say(f"The referrals could not be read. {error}", good=False)
            return
        self.model.set_items(items)
        if items:
            text = f"{referrals(len(items))} past the retention period, oldest first"
        else:
            text = "No referrals are past the retention period: nothing needs deleting."
        self.count_label.setText(text)
        self.count_label.setAccessibleName(text)
        self.table.setAccessibleDescription(text)
        for widget in (self.tick_all, self.table, self.delete_button, self.ticked_label):
            widget.setVisible(bool(items))

    def _show_ticks(self) -> None:
        ticked, total = len(self.model.ticked()), len(self.model.items)
        self.delete_button.setEnabled(ticked > 0)
        text = f"{ticked} of {total} ticked" if ticked else "Tick the referrals to delete."
        self.ticked_label.setText(text)
        self.ticked_label.setAccessibleName(text)
        self.tick_all.setChecked(total > 0 and ticked == total)

    def _period_changed(self, years: int) -> None:
        self._settings.set_years(years)
        self.message.hide()
        self.refresh()

    def _pressed(self, index: QModelIndex) -> None:
        self._pressed_ticked = self.model.is_ticked(index.row())

    def _clicked(self, index: QModelIndex) -> None:
        if self._pressed_ticked is not None and self.model.is_ticked(index.row()) is (
            self._pressed_ticked
        ):
            self.model.toggle(index.row())
        self._pressed_ticked = None

    # Deleting

    def delete_ticked(self) -> DeleteForGoodDialog | None:
        """Open the confirmation; nothing is deleted until the advocate confirms there."""
        items = self.model.ticked()
        if not items:
            return None
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = DeleteForGoodDialog(self._repository, items, parent=self)
        dialog = self.dialog
        dialog.accepted.connect(lambda: self._after_deleting(dialog))
        dialog.open()
        return dialog

    def _after_deleting(self, dialog: DeleteForGoodDialog) -> None:
        wanted = {item.referral_id for item in dialog.items}
        self.refresh()
        still_listed = {item.referral_id for item in self.model.items}
        gone = sorted(wanted - still_listed)
        if dialog.problem:
            self._say(
                f"{len(gone)} of {referrals(len(wanted))} deleted. {dialog.problem}", good=False
            )
        else:
            was = "was" if len(gone) == 1 else "were"
            self._say(f"{referrals(len(gone))} {was} deleted for good.", good=True)
        if gone:
            self.deleted.emit(gone)

    def _say(self, text: str, *, good: bool) -> None:
        style = (
            "QLabel { background: #00703c; color: #ffffff; padding: 0.6em; font-weight: bold; }"
            if good
            else "QLabel { border: 4px solid #d4351c; color: #0b0c0c; padding: 0.6em; }"
        )
        self.message.setStyleSheet(style)
        self.message.setText(text)
        self.message.setAccessibleName(text)
        self.message.show()
        self.message.setFocus(Qt.FocusReason.OtherFocusReason)
        self.scroller.ensureWidgetVisible(self.message)
