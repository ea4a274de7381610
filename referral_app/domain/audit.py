"""What the audit trail records: which action, when, by whom, on which record; never the
personal data itself, so the trail can be shown, exported and checked by anyone entitled."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class AuditAction(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    STATUS_CHANGE = "status_change"
    ASSESS = "assess"
    OPEN = "open"
    DELETE = "delete"
    EXPORT = "export"
    PRINT = "print"
    UNLOCK = "unlock"
    UNLOCK_FAILED = "unlock_failed"
    PASSPHRASE_CHANGE = "passphrase_change"  # noqa: S105 (an action name)
    ADVOCATE_UPDATE = "advocate_update"
    #: The redacted copy's choices confirmed (counts only, never the text).
    REDACTION_REVIEW = "redaction_review"
    #: On a team's server: shared with, or no longer shared with, another advocate (by role),
    #: and given to another advocate by a manager.
    SHARE = "share"
    UNSHARE = "unshare"
    REASSIGN = "reassign"


@dataclass(frozen=True)
class AuditEvent:
    id: int
    occurred_at: datetime
    action: str
    actor: str
    referral_id: int | None
    detail: str
    previous_hash: str
    hash: str


@dataclass(frozen=True)
class ChainCheck:
    intact: bool
    events_checked: int
    first_broken_id: int | None = None
    problem: str = ""

    def describe(self) -> str:
        if self.intact:
            return f"The audit log is intact ({self.events_checked} events checked)."
        return f"The audit log is broken at event {self.first_broken_id}: {self.problem}"
