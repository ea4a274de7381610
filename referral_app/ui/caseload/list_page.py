"""The caseload page: every referral in one searchable, sortable table.

The table's model (``model.py``) holds one page of referrals at a time and goes back to
the database to search, filter and sort; this page gives the advocate the search box, the
filters and the table, and makes typing in the search box wait for a pause before asking, so
a quick typist costs one query, not one per key.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontMetrics, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from referral_app.domain.referral import Status
from referral_app.ui.caseload.model import (
    HEADINGS,
    OUTCOME_LABELS,
    OVERDUE_COLOUR,
    PAGE_SIZE,
    SORT_KEYS,
    Column,
    ListFilters,
    ReferralTableModel,
)
from referral_app.ui.common.privacy import PrivacyMode
from referral_app.ui.common.team import Team
from referral_app.ui.widgets.page import page_button, set_up_list_table
from referral_app.ui.widgets.text import field_label, heading

if TYPE_CHECKING:  # the list is built after unlocking; SQLAlchemy is loaded by then anyway
    from referral_app.storage.repository import Repository

# With the table model's names that users of the page import from here (the model is
# model.py).
__all__ = [
    "HEADINGS",
    "OUTCOME_LABELS",
    "OVERDUE_COLOUR",
    "PAGE_SIZE",
    "SEARCH_DELAY_MS",
    "SEARCH_PLACEHOLDER",
    "SORT_KEYS",
    "CaseloadTable",
    "Column",
    "ListFilters",
    "ReferralListPage",
    "ReferralTableModel",
]

SEARCH_DELAY_MS = 150
SEARCH_PLACEHOLDER = "Search by name, previous name, crime reference or force"


def whose_choices(team: Team | None) -> list[tuple[str, str | None, str | None]]:
    """The "Whose" choices: (label, owner, shared with). A manager sees the whole team's
    caseload and can narrow it to one advocate's; an advocate sees their own and those
    shared with them (the server shows nothing else either way)."""
    if team is None:
        return [("All", None, None)]
    choices: list[tuple[str, str | None, str | None]] = [
        ("Everyone's" if team.is_manager else "Mine and shared with me", None, None),
        ("Mine", team.me, None),
        ("Shared with me", None, team.me),
    ]
    if team.is_manager:
        choices += [
            (f"By advocate: {name}", name, None) for name in team.advocates if name != team.me
        ]
    return choices


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
        team: Team | None = None,
    ) -> None:
        super().__init__(parent)
        self._team = team
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
        self.whose_filter.currentIndexChanged.connect(self._apply_filters)
        self.model.modelReset.connect(self._show_count)
        self.table.open_current.connect(self._open_current)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.model.modelReset.connect(self._selection_changed)
        self.table.doubleClicked.connect(self._open_index)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self, self.search.setFocus)
        QWidget.setTabOrder(self.search, self.whose_filter)
        QWidget.setTabOrder(self.whose_filter, self.status_filter)
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
        self.print_button = page_button("&Print selected…", self)
        self.export_button = page_button("E&xport selected…", self)
        for button, signal, tip in (
            (self.print_button, self.print_selected, "Preview, print or save as PDF"),
            (self.export_button, self.export_selected, "Save in an encrypted file to send"),
        ):
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
        self.whose_filter = QComboBox(self)
        for label, owner, shared in whose_choices(self._team):
            self.whose_filter.addItem(label, (owner, shared))
        self.whose_filter.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.whose_filter.setMinimumContentsLength(12)
        grid = QGridLayout()
        grid.setHorizontalSpacing(24)
        grid.setVerticalSpacing(4)
        column = 0
        if self._team is not None:  # on the team's server: whose referrals, first
            grid.addWidget(field_label("&Whose", self.whose_filter, self), 0, 0)
            grid.addWidget(self.whose_filter, 1, 0)
            grid.setColumnStretch(0, 2)
            column = 1
        else:
            self.whose_filter.hide()
        grid.addWidget(field_label("S&tatus", self.status_filter, self), 0, column)
        grid.addWidget(self.status_filter, 1, column)
        grid.addWidget(field_label("&Eligibility", self.outcome_filter, self), 0, column + 1)
        grid.addWidget(self.outcome_filter, 1, column + 1)
        grid.addWidget(self.overdue_only, 1, column + 2)
        grid.setColumnStretch(column, 3)
        grid.setColumnStretch(column + 1, 2)
        grid.setColumnStretch(column + 2, 2)
        return grid

    def _set_up_table(self) -> None:
        table = self.table
        # Two lines a row: long statuses, places and names wrap instead of being cut short,
        # and the table still shows a screenful of referrals.
        set_up_list_table(
            table,
            self.model,
            "Referrals",
            lines=2,
            selection=QAbstractItemView.SelectionMode.ExtendedSelection,
        )
        table.setWordWrap(True)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        metrics = table.fontMetrics()
        table.verticalHeader().setMinimumSectionSize(metrics.height())
        header = table.horizontalHeader()
        header.setSectionsClickable(True)
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
        table.setColumnWidth(Column.ADVOCATE, metrics.horizontalAdvance("Advocate") + room + arrow)
        table.setColumnHidden(Column.ADVOCATE, self._team is None)

    # Use

    def filters(self) -> ListFilters:
        status = self.status_filter.currentData()
        outcome = self.outcome_filter.currentData()
        owner, shared = self.whose_filter.currentData() or (None, None)
        return ListFilters(
            query=self.search.text(),
            statuses=() if status is None else (Status(status),),
            outcomes=() if outcome is None else (str(outcome),),
            overdue_only=self.overdue_only.isChecked(),
            owner=owner,
            shared_with=shared,
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
