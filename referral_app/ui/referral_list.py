"""The caseload: every referral in one searchable, sortable table.

A caseload can run to many thousands of referrals, so the table model holds one page at a time
and asks the repository for the next only when the view needs it (``canFetchMore`` and
``fetchMore``, as the advocate scrolls). Searching, filtering and sorting go back to the
database, which answers from its indexes: each costs one count and one page, whatever the size
of the caseload, and typing in the search box waits for a pause before asking.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import IntEnum
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from referral_app.domain.dates import describe_day
from referral_app.domain.referral import FINISHED, Status
from referral_app.ui.privacy import PrivacyMode
from referral_app.ui.widgets.text import field_label, heading

if TYPE_CHECKING:  # the list is built after unlocking; SQLAlchemy is loaded by then anyway
    from referral_app.storage.repository import ReferralSummary, Repository

PAGE_SIZE = 200
SEARCH_DELAY_MS = 150
SEARCH_PLACEHOLDER = "Search by name, previous name, crime reference or force"
OUTCOME_LABELS = {
    "eligible": "Eligible",
    "not_eligible": "Not eligible",
    "more_information_needed": "More information needed",
}
#: GOV.UK's error red: 4.5:1 on white, so it passes as text colour. Never the only signal.
OVERDUE_COLOUR = "#d4351c"


class Column(IntEnum):
    REFERENCE = 0
    SURVIVOR = 1
    STATUS = 2
    FORCE = 3
    DECISION_DATE = 4
    ELIGIBILITY = 5
    FOLLOW_UP = 6


HEADINGS = {
    Column.REFERENCE: "Reference",
    Column.SURVIVOR: "Survivor",
    Column.STATUS: "Status",
    Column.FORCE: "Force or CPS Area",
    Column.DECISION_DATE: "Decision date",
    Column.ELIGIBILITY: "Eligibility",
    Column.FOLLOW_UP: "Next follow-up",
}
#: Each column's sort order, by the name the repository knows it by.
SORT_KEYS = {
    Column.REFERENCE: "reference",
    Column.SURVIVOR: "name",
    Column.STATUS: "status",
    Column.FORCE: "force",
    Column.DECISION_DATE: "decision_date",
    Column.ELIGIBILITY: "outcome",
    Column.FOLLOW_UP: "follow_up",
}


@dataclass(frozen=True)
class ListFilters:
    """What the advocate has asked the list to show."""

    query: str = ""
    statuses: tuple[Status, ...] = ()
    outcomes: tuple[str, ...] = ()
    overdue_only: bool = False

    @property
    def narrowed(self) -> bool:
        return bool(self.query.strip() or self.statuses or self.outcomes or self.overdue_only)


class ReferralTableModel(QAbstractTableModel):
    """Referral summaries, a page at a time, in the order and with the filters asked for."""

    def __init__(
        self,
        repository: Repository,
        privacy: PrivacyMode,
        today: Callable[[], date] = date.today,
        page_size: int = PAGE_SIZE,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._repository = repository
        self._privacy = privacy
        self._today = today
        self._page_size = page_size
        self._filters = ListFilters()
        self._sort = Column.REFERENCE
        self._descending = False
        self._rows: list[ReferralSummary] = []
        self._total = 0
        self._loaded = False
        privacy.changed.connect(self._names_changed)

    # What is shown

    @property
    def filters(self) -> ListFilters:
        return self._filters

    @property
    def total(self) -> int:
        """How many referrals match, loaded or not."""
        return self._total

    def set_filters(self, filters: ListFilters) -> None:
        self._filters = filters
        self.reload()

    def summary(self, row: int) -> ReferralSummary:
        return self._rows[row]

    def row_of(self, referral_id: int) -> int | None:
        """Where a referral is among the rows loaded so far."""
        for row, summary in enumerate(self._rows):
            if summary.id == referral_id:
                return row
        return None

    def reload(self) -> None:
        """Count the matches and load the first page: the one place queries start over."""
        f = self._filters
        overdue_on = self._today() if f.overdue_only else None
        self.beginResetModel()
        self._total = self._repository.count_summaries(
            f.query, statuses=f.statuses, outcomes=f.outcomes, overdue_on=overdue_on
        )
        self._rows = self._page(0) if self._total else []
        self._loaded = True
        self.endResetModel()

    def _page(self, offset: int) -> list[ReferralSummary]:
        f = self._filters
        return self._repository.list_summaries(
            f.query,
            statuses=f.statuses,
            outcomes=f.outcomes,
            overdue_on=self._today() if f.overdue_only else None,
            sort=SORT_KEYS[self._sort],
            descending=self._descending,
            offset=offset,
            limit=self._page_size,
        )

    # Qt's model interface

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(Column)

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> bool:
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> None:
        if not self.canFetchMore(parent):
            return
        page = self._page(len(self._rows))
        if not page:  # referrals were deleted elsewhere since the count
            self._total = len(self._rows)
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        self._rows.extend(page)
        self.endInsertRows()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        wanted = Column(column)
        descending = order == Qt.SortOrder.DescendingOrder
        if self._loaded and (wanted, descending) == (self._sort, self._descending):
            return
        self._sort, self._descending = wanted, descending
        self.reload()

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADINGS[Column(section)]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        summary = self._rows[index.row()]
        column = Column(index.column())
        overdue = column is Column.FOLLOW_UP and self.overdue(summary)
        if role == Qt.ItemDataRole.DisplayRole:
            text = self._text(summary, column)
            # The marker on a line of its own: the date below it then fits a narrow column.
            return text.replace(": ", "\n", 1) if overdue else text
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._text(summary, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column is Column.FOLLOW_UP and summary.follow_up_purpose:
                return summary.follow_up_purpose
            return self._text(summary, column) if column is not Column.SURVIVOR else None
        if role == Qt.ItemDataRole.ForegroundRole and overdue:
            return QBrush(QColor(OVERDUE_COLOUR))
        if role == Qt.ItemDataRole.FontRole and overdue:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.UserRole:
            return summary.id
        return None

    # Helpers

    def overdue(self, summary: ReferralSummary) -> bool:
        """A follow-up date passed on a referral still open (closed ones need no follow-up)."""
        if summary.status in FINISHED or summary.follow_up_due is None:
            return False
        return summary.follow_up_due < self._today()

    def _text(self, summary: ReferralSummary, column: Column) -> str:
        if column is Column.REFERENCE:
            return summary.reference
        if column is Column.SURVIVOR:
            return self._privacy.name(summary.survivor_name)
        if column is Column.STATUS:
            return summary.status.label
        if column is Column.FORCE:
            return summary.force_or_area or ""
        if column is Column.DECISION_DATE:
            return "" if summary.decision_date is None else summary.decision_date.describe()
        if column is Column.ELIGIBILITY:
            if summary.latest_outcome is None:
                return "Not assessed"
            return OUTCOME_LABELS.get(summary.latest_outcome, summary.latest_outcome)
        if summary.follow_up_due is None:
            return ""
        day = describe_day(summary.follow_up_due)
        return f"Overdue: {day}" if self.overdue(summary) else day

    def _names_changed(self, _masked: bool) -> None:
        if self._rows:
            top = self.index(0, Column.SURVIVOR)
            bottom = self.index(len(self._rows) - 1, Column.SURVIVOR)
            self.dataChanged.emit(top, bottom, [Qt.ItemDataRole.DisplayRole])


class CaseloadTable(QTableView):
    """The table, with Enter opening the current referral on every platform (Qt leaves that
    to the platform: on macOS Enter would otherwise do nothing)."""

    open_current = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.open_current.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class ReferralListPage(QWidget):
    """The caseload page: search, filters, the count, the table, and what to do with the
    referrals selected in it (print their summaries, export them)."""

    open_record = Signal(int)
    print_selected = Signal(list)  # the selected referrals' ids, in the table's order
    export_selected = Signal(list)

    def __init__(
        self,
        repository: Repository,
        privacy: PrivacyMode,
        today: Callable[[], date] = date.today,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("referralListPage")
        self.model = ReferralTableModel(repository, privacy, today, parent=self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.setSpacing(12)
        layout.addWidget(heading("Referrals", self))

        self.search = QLineEdit(self)
        self.search.setPlaceholderText(SEARCH_PLACEHOLDER)
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search referrals")
        self.search.setAccessibleDescription(SEARCH_PLACEHOLDER)
        layout.addWidget(field_label("&Search referrals", self.search, self))
        layout.addWidget(self.search)
        layout.addLayout(self._build_filters())

        self.count_label = QLabel(self)
        self.count_label.setObjectName("sectionHeading")
        self.count_label.setTextFormat(Qt.TextFormat.PlainText)
        layout.addLayout(self._build_actions())

        self.table = CaseloadTable(self)
        self._set_up_table()
        layout.addWidget(self.table, 1)

        # Typing waits for a pause, so a quick typist costs one query, not one per key.
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._apply_filters)
        self.search.textChanged.connect(self._search_timer.start)
        self.search.returnPressed.connect(self._go_to_results)
        self.status_filter.currentIndexChanged.connect(self._apply_filters)
        self.outcome_filter.currentIndexChanged.connect(self._apply_filters)
        self.overdue_only.toggled.connect(self._apply_filters)
        self.model.modelReset.connect(self._show_count)
        self.table.open_current.connect(self._open_current)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.model.modelReset.connect(self._selection_changed)
        self.table.doubleClicked.connect(self._open_index)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self, self.search.setFocus)
        QWidget.setTabOrder(self.search, self.status_filter)
        QWidget.setTabOrder(self.status_filter, self.outcome_filter)
        QWidget.setTabOrder(self.outcome_filter, self.overdue_only)
        QWidget.setTabOrder(self.overdue_only, self.table)
        # Sorting is switched on last: that asks the model for its first page, once.
        self.table.horizontalHeader().setSortIndicator(
            Column.REFERENCE, Qt.SortOrder.AscendingOrder
        )
        self.table.setSortingEnabled(True)

    def _build_actions(self) -> QHBoxLayout:
        """The count, then what can be done with the referrals selected in the table."""
        self.print_button = QPushButton("&Print selected…", self)
        self.export_button = QPushButton("E&xport selected…", self)
        for button, signal, tip in (
            (self.print_button, self.print_selected, "Preview, print or save as PDF"),
            (self.export_button, self.export_selected, "Save in an encrypted file to send"),
        ):
            button.setObjectName("secondaryButton")
            button.setAccessibleName(button.text().replace("&", "").rstrip("…"))
            button.setToolTip(
                f"{tip}: the referrals selected in the list (Ctrl+click or "
                "Shift+click selects several)"
            )
            button.setEnabled(False)
            button.clicked.connect(lambda _=False, s=signal: s.emit(self.selected_ids()))
        above_table = QHBoxLayout()
        above_table.addWidget(self.count_label, 1)
        above_table.addWidget(self.print_button)
        above_table.addWidget(self.export_button)
        return above_table

    def _build_filters(self) -> QGridLayout:
        self.status_filter = QComboBox(self)
        self.status_filter.addItem("All statuses", None)
        for status in Status:
            self.status_filter.addItem(status.label, status)
        self.outcome_filter = QComboBox(self)
        self.outcome_filter.addItem("All", None)
        for outcome, label in OUTCOME_LABELS.items():
            self.outcome_filter.addItem(label, outcome)
        for combo in (self.status_filter, self.outcome_filter):
            # Long labels must not make the page wider than the window at 200% text.
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(14)
        self.overdue_only = QCheckBox("&Overdue follow-ups only", self)
        self.overdue_only.setAccessibleName("Overdue follow-ups only")
        grid = QGridLayout()
        grid.setHorizontalSpacing(24)
        grid.setVerticalSpacing(4)
        grid.addWidget(field_label("S&tatus", self.status_filter, self), 0, 0)
        grid.addWidget(self.status_filter, 1, 0)
        grid.addWidget(field_label("&Eligibility", self.outcome_filter, self), 0, 1)
        grid.addWidget(self.outcome_filter, 1, 1)
        grid.addWidget(self.overdue_only, 1, 2)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        grid.setColumnStretch(2, 2)
        return grid

    def _set_up_table(self) -> None:
        table = self.table
        table.setModel(self.model)
        table.setAccessibleName("Referrals")
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setTabKeyNavigation(False)  # Tab leaves the table; the arrow keys move in it
        table.setAlternatingRowColors(True)
        # Two lines a row: long statuses, places and names wrap instead of being cut short,
        # and the table still shows a screenful of referrals.
        table.setWordWrap(True)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        table.setCornerButtonEnabled(False)
        table.verticalHeader().hide()
        metrics = table.fontMetrics()
        rows = table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setMinimumSectionSize(metrics.height())
        rows.setDefaultSectionSize(2 * metrics.lineSpacing() + metrics.height() // 2 + 4)
        header = table.horizontalHeader()
        header.setSectionsClickable(True)
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setStretchLastSection(False)  # stretched, it is squeezed to nothing at 200%
        header.setMinimumSectionSize(4 * metrics.averageCharWidth())
        # Widths from the text they must hold, so they follow the text size; anything longer
        # wraps onto the second line.
        room = metrics.averageCharWidth() + 6
        arrow = metrics.height()
        samples = {
            Column.REFERENCE: ("CSARP-0000-00000", arrow),
            Column.SURVIVOR: ("Gwenllïan Jackson", 0),
            Column.STATUS: ("Being reconsidered by", 0),
            Column.FORCE: (HEADINGS[Column.FORCE], arrow),
            Column.DECISION_DATE: (HEADINGS[Column.DECISION_DATE], arrow),
            Column.ELIGIBILITY: ("More information", 0),
        }
        for column, (sample, extra) in samples.items():
            table.setColumnWidth(column, metrics.horizontalAdvance(sample) + room + extra)
        bold = QFont(table.font())
        bold.setBold(True)  # an overdue date is bold, on the line under "Overdue"
        widest_date = QFontMetrics(bold).horizontalAdvance("30 September 0000")
        heading_room = metrics.horizontalAdvance(HEADINGS[Column.FOLLOW_UP]) + arrow
        table.setColumnWidth(Column.FOLLOW_UP, max(widest_date, heading_room) + room)

    # Use

    def filters(self) -> ListFilters:
        status = self.status_filter.currentData()
        outcome = self.outcome_filter.currentData()
        return ListFilters(
            query=self.search.text(),
            statuses=() if status is None else (Status(status),),
            outcomes=() if outcome is None else (str(outcome),),
            overdue_only=self.overdue_only.isChecked(),
        )

    def refresh(self) -> None:
        """Show the caseload as it is now (after a change elsewhere), keeping the selection."""
        selected = self.selected_id()
        self.model.set_filters(self.filters())
        if selected is not None:
            self.select(selected)

    def selected_id(self) -> int | None:
        index = self.table.currentIndex()
        return self.model.summary(index.row()).id if index.isValid() else None

    def selected_ids(self) -> list[int]:
        """The referrals selected in the table, top to bottom."""
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [self.model.summary(row).id for row in rows]

    def _selection_changed(self) -> None:
        count = len(self.table.selectionModel().selectedRows())
        for button in (self.print_button, self.export_button):
            button.setEnabled(count > 0)
        noun = "referral" if count == 1 else f"{count} referrals"
        self.print_button.setAccessibleDescription(f"Print the selected {noun}")
        self.export_button.setAccessibleDescription(f"Export the selected {noun}")

    def select(self, referral_id: int) -> bool:
        row = self.model.row_of(referral_id)
        if row is None:
            return False
        self.table.selectRow(row)
        return True

    def _apply_filters(self) -> None:
        self._search_timer.stop()
        wanted = self.filters()
        if wanted != self.model.filters:
            self.model.set_filters(wanted)

    def _go_to_results(self) -> None:
        """Enter in the search box: search now, and move to the first result."""
        self._apply_filters()
        if self.model.rowCount():
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)
            self.table.selectRow(0)

    def _show_count(self) -> None:
        total = self.model.total
        if total:
            text = f"{total:,} referral" + ("" if total == 1 else "s")
        elif self.model.filters.narrowed:
            text = "No referrals match"
        else:
            text = "No referrals yet"
        self.count_label.setText(text)
        self.count_label.setAccessibleName(text)
        self.table.setAccessibleDescription(text)

    def _open_current(self) -> None:
        self._open_index(self.table.currentIndex())

    def _open_index(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_record.emit(self.model.summary(index.row()).id)
