"""A record's edit in progress, kept when the app locks and offered again when it is opened.

Kept where unfinished referrals are kept (the encrypted database's drafts), marked so that the
start page does not offer it as a new referral. Only the dialog's own form is kept: the page
it edits, what was typed (valid or not), and which referral it belongs to.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from referral_app.domain.flow import Draft, Page
from referral_app.domain.record_format import RecordFormatError
from referral_app.storage.errors import StorageError

if TYPE_CHECKING:
    from referral_app.storage.repository import DraftSummary, Repository

log = logging.getLogger(__name__)

KIND = "record_edit"


def is_pending_edit(document: Mapping[str, Any] | None) -> bool:
    return bool(document) and document.get("kind") == KIND  # type: ignore[union-attr]


def keep(repository: Repository, referral_id: int, page: Page, draft: Draft) -> bool:
    """Keep the edit of ``page`` (``Page.OUTCOME`` for the eligibility answers)."""
    document = {"kind": KIND, "referral_id": referral_id, "page": page.value}
    document["draft"] = draft.to_dict()
    try:
        repository.save_draft(document)
    except (StorageError, OSError, RuntimeError):
        log.warning("a record's edit could not be kept")
        return False
    return True


def take(repository: Repository, referral_id: int) -> tuple[Page, Draft] | None:
    """The edit kept for this referral, if any, removed from the drafts as it is handed back."""
    for draft_id, document in repository.find_drafts(kind=KIND, referral_id=referral_id):
        repository.discard_draft(draft_id)
        try:
            return Page(document["page"]), Draft.from_dict(document["draft"])
        except (KeyError, ValueError, TypeError, RecordFormatError):
            log.warning("a kept edit could not be read")
            return None
    return None


def new_referral_drafts(repository: Repository) -> list[DraftSummary]:
    """The unfinished referrals, without the kept edits of saved ones."""
    return [
        summary
        for summary in repository.drafts()
        if not is_pending_edit(repository.load_draft(summary.id))
    ]
