"""The parts of a table model that every list of records in the app answers the same way.

The caseload, the audit log and the retention list are flat tables of rows under fixed
headings; the caseload and the audit log also grow without limit, so they hold one page of
rows at a time and fetch the next as the view scrolls to it. Qt asks each of them the same
questions (how many rows and columns, what heading, can more be fetched); answering those in
one place keeps the paging the same for every list, including what happens when rows are
deleted elsewhere after they were counted.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

Row = TypeVar("Row")


class TableModel(QAbstractTableModel, Generic[Row]):
    """Rows under fixed headings, one column a heading (in column order); no row has rows of
    its own."""

    def __init__(self, headings: Sequence[str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._headings = tuple(headings)
        self._rows: list[Row] = []

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self._headings)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        text = orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
        if text and 0 <= section < len(self._headings):
            return self._headings[section]
        return None

    def _shown(self, index: QModelIndex | QPersistentModelIndex) -> bool:
        """Whether ``index`` is a cell of a row held now (a view may ask about one just gone)."""
        return index.isValid() and 0 <= index.row() < len(self._rows)


class PagedTableModel(TableModel[Row]):
    """Rows counted once, then loaded a page at a time as the view scrolls to them.

    A subclass counts the matches and loads the first page when it starts over, setting
    ``_total`` and ``_rows``; ``next_page`` gives the rows after those loaded.
    """

    def __init__(
        self,
        headings: Sequence[str],
        next_page: Callable[[], list[Row]],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(headings, parent)
        self._total = 0
        self._fetch_next = next_page

    @property
    def total(self) -> int:
        """How many rows match, loaded or not."""
        return self._total

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> bool:
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> None:
        if not self.canFetchMore(parent):
            return
        page = self._fetch_next()
        if not page:  # rows were deleted elsewhere since the count
            self._total = len(self._rows)
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        self._rows.extend(page)
        self.endInsertRows()
