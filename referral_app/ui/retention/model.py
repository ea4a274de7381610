"""The retention list's table: the referrals past the period, each with a tick box.

Kept apart from the page so that what is ticked (and stays ticked when the list is read again)
can be read without the period setting and the buttons around it. The table names referrals
by reference only, never by name.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QTableView

from referral_app.domain.dates import describe_day
from referral_app.storage.retention import RetentionItem
from referral_app.ui.widgets.paged_model import TableModel


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


class RetentionModel(TableModel[RetentionItem]):
    """The referrals past the period, each with a tick box in its reference column."""

    ticks_changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__([HEADINGS[column] for column in Column], parent)
        self._ticked: set[int] = set()

    @property
    def items(self) -> list[RetentionItem]:
        return list(self._rows)

    def set_items(self, items: list[RetentionItem]) -> None:
        """Show ``items``; ticks stay on the referrals still listed."""
        self.beginResetModel()
        self._rows = list(items)
        self._ticked &= {item.referral_id for item in items}
        self.endResetModel()
        self.ticks_changed.emit()

    def ticked(self) -> list[RetentionItem]:
        return [item for item in self._rows if item.referral_id in self._ticked]

    def is_ticked(self, row: int) -> bool:
        return self._rows[row].referral_id in self._ticked

    def set_ticked(self, row: int, ticked: bool) -> None:
        referral_id = self._rows[row].referral_id
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
        self._ticked = {item.referral_id for item in self._rows} if ticked else set()
        self.endResetModel()
        self.ticks_changed.emit()

    # Qt's model interface (with the rows and headings of TableModel)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == Column.REFERENCE:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not self._shown(index):
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
        item = self._rows[row]
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
