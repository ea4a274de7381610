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
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QSpinBox, QVBoxLayout, QWidget

from referral_app.storage.errors import StorageError
from referral_app.storage.retention import MAX_YEARS, MIN_YEARS, past_retention
from referral_app.ui.caseload.dashboard import Paragraph
from referral_app.ui.record.status import WARNING_BUTTON
from referral_app.ui.retention.delete_dialog import DeleteForGoodDialog, referrals
from referral_app.ui.retention.model import HEADINGS, Column, RetentionModel, TickTable
from referral_app.ui.retention.settings import RetentionSettings
from referral_app.ui.widgets.page import (
    Banner,
    page_button,
    scrolling_page,
    set_up_list_table,
    stacked,
)
from referral_app.ui.widgets.text import field_label, heading, hint
from referral_app.ui.wizard.survivor import INDICATORS

if TYPE_CHECKING:
    from referral_app.storage.repository import Repository

# With the table's names that users of the page import from here (the table is
# model.py), and the confirmation that the page opens.
__all__ = [
    "HEADINGS",
    "PERIOD_HINT",
    "POLICY",
    "Column",
    "DeleteForGoodDialog",
    "RetentionModel",
    "RetentionPage",
    "TickTable",
]

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
        # The page scrolls when the window is too short for it (large text), so nothing is
        # squashed and the table keeps room for several referrals.
        self.scroller, content, layout = scrolling_page(self)
        layout.addWidget(heading("Deleting old referrals", content))
        layout.addWidget(Paragraph(POLICY, content))
        layout.addLayout(self._build_period(content))
        self.message = Banner(content, selectable=False)
        layout.addWidget(self.message)
        self.count_label = heading("", content, level=2)
        layout.addWidget(self.count_label)
        self.tick_all = QCheckBox("&Tick all", content)
        self.tick_all.clicked.connect(self.model.tick_all)
        layout.addWidget(self.tick_all, 0, Qt.AlignmentFlag.AlignLeft)
        self.table = TickTable(content)
        self._set_up_table()
        layout.addWidget(self.table, 1)
        self.delete_button = page_button(
            "&Delete ticked referrals for good…", content, "warningButton"
        )
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

    def _build_period(self, content: QWidget) -> QVBoxLayout:
        self.years = QSpinBox(content)
        self.years.setRange(MIN_YEARS, MAX_YEARS)
        self.years.setValue(self._settings.years())
        self.years.setSuffix(" years")
        self.years.setKeyboardTracking(False)  # saved when the advocate has finished typing
        self.years.setAccessibleDescription(PERIOD_HINT)
        self.years.setMinimumWidth(self.years.fontMetrics().horizontalAdvance("00 years") * 2)
        self.years.valueChanged.connect(self._period_changed)
        label = "&How long to keep closed and withdrawn referrals"
        period_label = field_label(label, self.years, content)
        period_hint = Paragraph(PERIOD_HINT, content)
        period_hint.setObjectName("hint")
        return stacked(period_label, period_hint, self.years, narrow=True)

    def _set_up_table(self) -> None:
        table = self.table
        set_up_list_table(table, self.model, "Referrals past the retention period")
        table.setStyleSheet("QTableView::indicator { width: 0.9em; height: 0.9em; }")
        metrics = table.fontMetrics()
        table.setMinimumHeight(table.verticalHeader().defaultSectionSize() * 8)
        # Stretched, the last column is squeezed to nothing at 200%.
        table.horizontalHeader().setStretchLastSection(False)
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
        self.message.show_text(text, good=good)
        self.scroller.ensureWidgetVisible(self.message)
