"""The audit log page: what was done to which record and when, checked and exported.

The log is how an organisation shows who looked at a survivor's record, so this page answers
the questions an auditor asks: what happened in a period, to one record, of one kind; is the
log as it was written; and can I have it as a file. It shows references only, never names,
so it is safe in privacy mode and on a shared screen.

The main window shows it as a page: ``AuditLogPage(repository, parent=pages)``, with
``refresh()`` each time it is shown so that events written since appear.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from referral_app.domain.audit import AuditAction, ChainCheck
from referral_app.storage import audit_query
from referral_app.storage.audit_query import AuditFilter
from referral_app.storage.errors import StorageError
from referral_app.ui.audit.model import (
    ACTION_WORDS,
    HEADINGS,
    PAGE_SIZE,
    TEAM_ACTIONS,
    AuditTableModel,
    Column,
    when_words,
)
from referral_app.ui.caseload.dashboard import Paragraph
from referral_app.ui.common.settings import Settings
from referral_app.ui.widgets.error_summary import ErrorSummary, Problem
from referral_app.ui.widgets.page import (
    Banner,
    page_button,
    scrolling_page,
    set_up_list_table,
    stacked,
)
from referral_app.ui.widgets.partial_date import PartialDateEdit
from referral_app.ui.widgets.text import (
    field_error,
    field_label,
    heading,
    hint,
    mark_invalid,
    show_field_error,
)

if TYPE_CHECKING:
    from referral_app.storage.repository import Repository

# With the table's names that users of the page import from here (the table is model.py).
__all__ = [
    "ALTERED_ADVICE",
    "DATES_HINT",
    "INTRO",
    "ORDER_MESSAGE",
    "PAGE_SIZE",
    "RECORD_MESSAGE",
    "AuditLogPage",
    "Column",
    "local_start",
    "when_words",
]

INTRO = (
    "Every time a referral is created, opened, changed, printed, exported or deleted, and "
    "every time the app is unlocked, it is written here with the date and time. Each entry "
    "is sealed to the one before it, so a change to the log afterwards can be found by "
    "checking it. The log holds references and actions, never a survivor's details."
)
DATES_HINT = "For example, 27 3 2026. A month and year, or just a year, is enough."
RECORD_MESSAGE = "Enter a reference like CSARP-2026-00001, or a record number like 17"
ORDER_MESSAGE = "The date to show up to must be the same as or after the date to show from"
ALTERED_ADVICE = (
    "Do not change anything else. Tell your organisation's data protection lead: the backups "
    "made before the change still hold the log as it was."
)


def local_start(day: date) -> datetime:
    """The first moment of ``day`` here, as an aware time."""
    return datetime.combine(day, time()).astimezone()


class AuditLogPage(QWidget):
    """Filters, checking, export, and the table of events."""

    def __init__(
        self,
        repository: Repository,
        parent: QWidget | None = None,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("auditLogPage")
        self._repository = repository
        self._database = repository.database
        self._today = today
        self.model = AuditTableModel(repository, self)
        # The whole page scrolls when the window is too short for it (large text), so the
        # filters are never squashed and the table keeps room for a screenful of events.
        self.scroller, content, layout = scrolling_page(self)
        self.error_summary = ErrorSummary(content)
        self.error_summary.linkActivated.connect(self.scroller.ensureWidgetVisible)
        layout.addWidget(self.error_summary)
        layout.addWidget(heading("Audit log", content))
        layout.addWidget(Paragraph(INTRO, content, chars=90))
        layout.addLayout(self._build_actions(content))
        self.result = Banner(content)
        layout.addWidget(self.result)
        layout.addWidget(heading("Show only", content, level=2))
        layout.addLayout(self._build_filters(content))
        self.count_label = QLabel(content)
        self.count_label.setObjectName("sectionHeading")
        self.count_label.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.count_label)
        self.table = QTableView(content)
        self._set_up_table()
        layout.addWidget(self.table, 1)
        self.model.modelReset.connect(self._show_count)
        self.refresh()

    def _build_actions(self, content: QWidget) -> QHBoxLayout:
        self.verify_button = page_button("&Verify the audit log", content)
        self.verify_button.clicked.connect(self.verify)
        self.export_button = page_button("E&xport as CSV…", content)
        self.export_button.clicked.connect(self.export)
        return _button_row(self.verify_button, self.export_button)

    def _build_filters(self, content: QWidget) -> QVBoxLayout:
        self.date_from = PartialDateEdit("&From", "to show from", parent=content)
        self.date_to = PartialDateEdit("&To", "to show up to", parent=content)
        self.action = QComboBox(content)
        self.action.addItem("All actions", None)
        team = self._repository.database.is_team
        for action, words in ACTION_WORDS.items():
            if action in TEAM_ACTIONS and not team:
                continue  # sharing happens on a team's server only
            self.action.addItem(words, str(action))
        self.record = QLineEdit(content)
        self.record.setPlaceholderText("CSARP-2026-00001")
        self.record.setClearButtonEnabled(True)
        self.record.setAccessibleDescription("A reference, or a record number")
        self.record.returnPressed.connect(self.apply_filters)
        self.record_error = field_error(content)
        bottom = Qt.AlignmentFlag.AlignBottom
        grid = QGridLayout()
        grid.setHorizontalSpacing(32)
        grid.setVerticalSpacing(16)
        grid.addWidget(self.date_from, 0, 0, bottom)
        grid.addWidget(self.date_to, 0, 1, bottom)
        action_label = field_label("Actio&n", self.action, content)
        grid.addLayout(stacked(action_label, self.action), 1, 0, bottom)
        record_label = field_label("&Record: a reference or number", self.record, content)
        grid.addLayout(stacked(record_label, self.record_error, self.record), 1, 1, bottom)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        self.apply_button = page_button("A&pply filters", content, "primaryButton")
        self.apply_button.clicked.connect(self.apply_filters)
        self.clear_button = page_button("C&lear filters", content)
        self.clear_button.clicked.connect(self.clear_filters)
        block = QVBoxLayout()
        block.setSpacing(12)
        block.addWidget(hint(DATES_HINT, content))
        block.addLayout(grid)
        block.addLayout(_button_row(self.apply_button, self.clear_button))
        return block

    def _set_up_table(self) -> None:
        table = self.table
        set_up_list_table(table, self.model, "Audit log events, newest first")
        table.setWordWrap(False)
        metrics = table.fontMetrics()
        # Room for a screenful of events however large the text: the page scrolls instead.
        table.setMinimumHeight(table.verticalHeader().defaultSectionSize() * 9)
        header = table.horizontalHeader()
        header.setStretchLastSection(True)
        room = metrics.averageCharWidth() * 2 + 6
        for column, sample in (
            (Column.WHEN, "30 September 2026, 23:59:59"),
            (Column.ACTION, ACTION_WORDS[AuditAction.PRINT]),
            (Column.RECORD, "deleted record #00000"),
        ):
            table.setColumnWidth(column, metrics.horizontalAdvance(sample) + room)
        header.setMinimumSectionSize(metrics.horizontalAdvance(HEADINGS[Column.DETAIL]) + room)

    # Showing

    def refresh(self) -> None:
        """Read the log again with the filters as they were last applied."""
        try:
            self.model.reload()
        except StorageError as error:
            self._problem(f"The audit log could not be read. {error}")

    def _show_count(self) -> None:
        total = self.model.total
        narrowed = self.model.filter != AuditFilter()
        if total:
            text = f"{total:,} event{'s' if total != 1 else ''}, newest first"
        else:
            text = "No events match these filters" if narrowed else "No events yet"
        self.count_label.setText(text)
        self.count_label.setAccessibleName(text)
        self.table.setAccessibleDescription(text)

    # Filtering

    def read_filter(self) -> AuditFilter | None:
        """The filter as typed, or None after showing what is wrong with it."""
        problems: list[Problem] = []
        dates = []
        for widget in (self.date_from, self.date_to):
            message = widget.check(date.max)  # a date still to come is no mistake here
            if message:
                problems.append(Problem(message, widget))
            dates.append(None if message else widget.value())
        first, last = dates
        if first is not None and last is not None and last.last < first.first:
            self.date_to.set_error(ORDER_MESSAGE)
            problems.append(Problem(ORDER_MESSAGE, self.date_to))
        referral_id = None
        typed = self.record.text().strip()
        if typed:
            referral_id = audit_query.find_record(self._database, typed)
            if referral_id is None:
                problems.append(Problem(RECORD_MESSAGE, self.record))
        record_wrong = bool(typed) and referral_id is None
        show_field_error(self.record_error, RECORD_MESSAGE if record_wrong else None)
        mark_invalid(self.record, record_wrong)
        if problems:
            self._show_problems(problems)
            return None
        self.error_summary.show_problems([])
        return AuditFilter(
            since=None if first is None else local_start(first.first),
            before=None if last is None else local_start(last.last + timedelta(days=1)),
            action=self.action.currentData(),
            referral_id=referral_id,
        )

    def apply_filters(self) -> None:
        try:
            wanted = self.read_filter()
            if wanted is not None:
                self.model.set_filter(wanted)
        except StorageError as error:
            self._problem(f"The audit log could not be read. {error}")

    def clear_filters(self) -> None:
        for widget in (self.date_from, self.date_to):
            widget.setValue(None)
        self.action.setCurrentIndex(0)
        self.record.clear()
        show_field_error(self.record_error, None)
        mark_invalid(self.record, False)
        self.error_summary.show_problems([])
        self.model.set_filter(AuditFilter())

    # Checking and exporting

    def verify(self) -> ChainCheck | None:
        """Walk the whole chain and say plainly whether it holds."""
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            check = self._repository.verify_audit()
        except StorageError as error:
            self._problem(f"The audit log could not be checked. {error}")
            return None
        finally:
            QApplication.restoreOverrideCursor()
        if check.intact:
            count = check.events_checked
            self.result.show_text(
                f"The audit log is intact: {count:,} event{'s' if count != 1 else ''} checked.",
                good=True,
            )
            return check
        broken = check.first_broken_id or 0
        moment = audit_query.occurred_at(self._database, broken)
        when = f" ({when_words(moment)})" if moment is not None else ""
        reason = check.problem[:1].upper() + check.problem[1:]
        self.result.show_text(
            f"The audit log has been altered: the chain breaks at event {broken}{when}.\n"
            f"{reason}.\n{ALTERED_ADVICE}",
            good=False,
        )
        return check

    def default_export_path(self) -> Path:
        return Settings().save_folder("audit") / f"audit-log-{self._today():%Y-%m-%d}.csv"

    def export(self) -> Path | None:
        """Ask where, then write the events the filters show (all of them, not just those
        scrolled to) as CSV."""
        chosen, _ = QFileDialog.getSaveFileName(
            self, "Export the audit log", str(self.default_export_path()), "CSV files (*.csv)"
        )
        if not chosen:
            return None
        path = Path(chosen)
        Settings().set_save_folder("audit", path.parent)
        if path.suffix.lower() != ".csv":
            path = path.with_name(path.name + ".csv")
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            count = audit_query.write_csv(self._database, self.model.filter, path)
        except OSError as error:
            reason = error.strerror or "the file could not be written"
            self._problem(
                f"The audit log was not exported: {reason}. Choose another folder, or check "
                "that the disk has space."
            )
            return None
        except StorageError as error:
            self._problem(f"The audit log was not exported. {error}")
            return None
        finally:
            QApplication.restoreOverrideCursor()
        self.result.show_text(
            f"Exported {count:,} event{'s' if count != 1 else ''} to {path.name} in {path.parent}.",
            good=True,
        )
        return path

    def _problem(self, message: str) -> None:
        self._show_problems([Problem(message)])

    def _show_problems(self, problems: list[Problem]) -> None:
        self.error_summary.show_problems(problems)
        self.scroller.verticalScrollBar().setValue(0)


def _button_row(*buttons: QPushButton) -> QHBoxLayout:
    """Buttons side by side from the left, at their own width, as the page's actions are."""
    row = QHBoxLayout()
    row.setSpacing(12)
    for button in buttons:
        row.addWidget(button)
    row.addStretch(1)
    return row
