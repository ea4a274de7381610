"""The caseload's table model: referral summaries a page at a time, in words the list shows.

A caseload can run to many thousands of referrals, so the model holds one page at a time and
asks the repository for the next only when the view needs it (``canFetchMore`` and
``fetchMore``, as the advocate scrolls). Searching, filtering and sorting go back to the
database, which answers from its indexes: each costs one count and one page, whatever the size
of the caseload. Kept apart from the page so that what each column says (names masked in
privacy mode, overdue follow-ups marked) can be read without the widgets around it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import IntEnum
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from referral_app.domain.dates import describe_day
from referral_app.domain.referral import FINISHED, Status
from referral_app.ui.common.privacy import PrivacyMode
from referral_app.ui.widgets.paged_model import PagedTableModel

if TYPE_CHECKING:  # the list is built after unlocking; SQLAlchemy is loaded by then anyway
    from referral_app.storage.repository import ReferralSummary, Repository

PAGE_SIZE = 200
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
    #: On a team's server only: whose referral it is (hidden on this computer).
    ADVOCATE = 7


HEADINGS = {
    Column.REFERENCE: "Reference",
    Column.SURVIVOR: "Survivor",
    Column.STATUS: "Status",
    Column.FORCE: "Force or CPS Area",
    Column.DECISION_DATE: "Decision date",
    Column.ELIGIBILITY: "Eligibility",
    Column.FOLLOW_UP: "Next follow-up",
    Column.ADVOCATE: "Advocate",
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
    Column.ADVOCATE: "owner",
}


@dataclass(frozen=True)
class ListFilters:
    """What the advocate has asked the list to show."""

    query: str = ""
    statuses: tuple[Status, ...] = ()
    outcomes: tuple[str, ...] = ()
    overdue_only: bool = False
    #: On a team's server: only the referrals this advocate owns ("Mine", "By advocate")...
    owner: str | None = None
    #: ...or only those shared with this advocate ("Shared with me").
    shared_with: str | None = None

    @property
    def narrowed(self) -> bool:
        return bool(
            self.query.strip()
            or self.statuses
            or self.outcomes
            or self.overdue_only
            or self.owner
            or self.shared_with
        )


class ReferralTableModel(PagedTableModel["ReferralSummary"]):
    """Referral summaries, a page at a time, in the order and with the filters asked for."""

    def __init__(
        self,
        repository: Repository,
        privacy: PrivacyMode,
        today: Callable[[], date] = date.today,
        page_size: int = PAGE_SIZE,
        parent: QObject | None = None,
    ) -> None:
        super().__init__([HEADINGS[column] for column in Column], self._next_page, parent)
        self._repository = repository
        self._privacy = privacy
        self._today = today
        self._page_size = page_size
        self._filters = ListFilters()
        self._sort = Column.REFERENCE
        self._descending = False
        self._loaded = False
        privacy.changed.connect(self._names_changed)

    # What is shown

    @property
    def filters(self) -> ListFilters:
        return self._filters

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
        self._total, self._rows = self._repository.first_page(
            f.query,
            statuses=f.statuses,
            outcomes=f.outcomes,
            overdue_on=overdue_on,
            sort=SORT_KEYS[self._sort],
            descending=self._descending,
            limit=self._page_size,
            owner=f.owner,
            shared_with=f.shared_with,
        )
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
            owner=f.owner,
            shared_with=f.shared_with,
        )

    def _next_page(self) -> list[ReferralSummary]:
        return self._page(len(self._rows))

    # Qt's model interface (with the counting and paging of PagedTableModel)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        wanted = Column(column)
        descending = order == Qt.SortOrder.DescendingOrder
        if self._loaded and (wanted, descending) == (self._sort, self._descending):
            return
        self._sort, self._descending = wanted, descending
        self.reload()

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not self._shown(index):
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
        if column is Column.ADVOCATE:
            return summary.owner
        if summary.follow_up_due is None:
            return ""
        day = describe_day(summary.follow_up_due)
        return f"Overdue: {day}" if self.overdue(summary) else day

    def _names_changed(self, _masked: bool) -> None:
        if self._rows:
            top = self.index(0, Column.SURVIVOR)
            bottom = self.index(len(self._rows) - 1, Column.SURVIVOR)
            self.dataChanged.emit(top, bottom, [Qt.ItemDataRole.DisplayRole])
