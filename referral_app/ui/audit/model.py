"""The audit log's table: matching events, newest first, in words an auditor reads.

Kept apart from the page so that the wording of events (actions, status changes, local times)
and the paging through a log that grows with every action can be read on their own, without the
filters and buttons around them. The table shows references only, never names.
"""

from __future__ import annotations

from datetime import datetime
from enum import IntEnum
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt

from referral_app.domain.audit import AuditAction, AuditEvent
from referral_app.domain.dates import describe_day
from referral_app.domain.referral import Status
from referral_app.storage import audit_query
from referral_app.storage.audit_query import AuditFilter
from referral_app.ui.widgets.paged_model import PagedTableModel

if TYPE_CHECKING:
    from referral_app.storage.repository import Repository

PAGE_SIZE = 500
ACTION_WORDS: dict[str, str] = {
    AuditAction.CREATE: "Referral created",
    AuditAction.UPDATE: "Referral changed",
    AuditAction.STATUS_CHANGE: "Status changed",
    AuditAction.ASSESS: "Eligibility assessed",
    AuditAction.OPEN: "Record opened",
    AuditAction.DELETE: "Referral deleted",
    AuditAction.EXPORT: "Exported",
    AuditAction.PRINT: "Printed or saved as PDF",
    AuditAction.UNLOCK: "App unlocked",
    AuditAction.UNLOCK_FAILED: "Wrong passphrase entered",
    AuditAction.PASSPHRASE_CHANGE: "Passphrase changed",
    AuditAction.ADVOCATE_UPDATE: "Your details changed",
    AuditAction.REDACTION_REVIEW: "Redacted copy reviewed",
    AuditAction.SHARE: "Shared with a colleague",
    AuditAction.UNSHARE: "Sharing stopped",
    AuditAction.REASSIGN: "Given to another advocate",
}

#: What only happens on a team's server: offered in the filter there alone.
TEAM_ACTIONS = frozenset({AuditAction.SHARE, AuditAction.UNSHARE, AuditAction.REASSIGN})


class Column(IntEnum):
    WHEN = 0
    ACTION = 1
    RECORD = 2
    DETAIL = 3


HEADINGS = {
    Column.WHEN: "Date and time",
    Column.ACTION: "What happened",
    Column.RECORD: "Record",
    Column.DETAIL: "Details",
}


def action_words(action: str) -> str:
    return ACTION_WORDS.get(action, action.replace("_", " ").capitalize())


def _status_words(value: str) -> str:
    try:
        return Status(value.strip()).label
    except ValueError:
        return value.strip()


def detail_words(action: str, detail: str) -> str:
    """The stored detail in words: status names as the app shows them, section names plain."""
    if action == AuditAction.STATUS_CHANGE and " -> " in detail:
        before, after = detail.split(" -> ", 1)
        return f"{_status_words(before)} → {_status_words(after)}"
    if action == AuditAction.UPDATE and detail:
        return "Changed: " + detail.replace("_", " ")
    return detail


def when_words(moment: datetime) -> str:
    """A stored (UTC) moment as the time here: ``3 March 2026, 14:05:09``."""
    local = moment.astimezone()
    return f"{describe_day(local.date())}, {local:%H:%M:%S}"


class AuditTableModel(PagedTableModel[AuditEvent]):
    """Matching events, newest first, a page at a time as the view scrolls."""

    def __init__(self, repository: Repository, parent: QObject | None = None) -> None:
        super().__init__([HEADINGS[column] for column in Column], self._next_page, parent)
        self._database = repository.database
        self.filter = AuditFilter()
        self._references: dict[int, str] = {}

    def set_filter(self, wanted: AuditFilter) -> None:
        self.filter = wanted
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        self._total = audit_query.count_events(self._database, self.filter)
        self._references = {}
        self._rows = self._page(None) if self._total else []
        self.endResetModel()

    def event_at(self, row: int) -> AuditEvent:
        return self._rows[row]

    def record_text(self, event: AuditEvent) -> str:
        return audit_query.reference_text(event.referral_id, self._references)

    def _page(self, before_id: int | None) -> list[AuditEvent]:
        page = audit_query.events_page(self._database, self.filter, before_id, PAGE_SIZE)
        new = {e.referral_id for e in page if e.referral_id is not None} - set(self._references)
        self._references.update(audit_query.references(self._database, new))
        return page

    def _next_page(self) -> list[AuditEvent]:
        return self._page(self._rows[-1].id if self._rows else None)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not self._shown(index):
            return None
        if role in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.AccessibleTextRole,
        ):
            return self.text(index.row(), Column(index.column()))
        if role == Qt.ItemDataRole.UserRole:
            return self._rows[index.row()].id
        return None

    def text(self, row: int, column: Column) -> str:
        event = self._rows[row]
        if column is Column.WHEN:
            return when_words(event.occurred_at)
        if column is Column.ACTION:
            return action_words(event.action)
        if column is Column.RECORD:
            return self.record_text(event)
        return detail_words(event.action, event.detail)
