"""A record's edit kept when the app locked: handed back for its own referral only, once,
with the unfinished new referrals and other records' edits left as they were."""

from __future__ import annotations

from referral_app.domain.flow import Draft, Page
from referral_app.domain.referral import Referral
from referral_app.storage.repository import Repository
from referral_app.ui.record import pending


def test_the_kept_edit_of_this_record_is_handed_back_once(
    ui_repository: Repository, stored: Referral
) -> None:
    assert stored.id is not None
    draft = Draft(referral=stored.clone())
    draft.referral.case.location = "Exampletown library"
    form = ui_repository.save_draft({"page": "where"})  # an unfinished new referral
    other = ui_repository.save_draft(
        {"kind": pending.KIND, "referral_id": stored.id + 1, "page": "case", "draft": {}}
    )
    assert pending.keep(ui_repository, stored.id, Page.CASE, draft)
    assert pending.take(ui_repository, stored.id + 2) is None
    kept = pending.take(ui_repository, stored.id)
    assert kept is not None
    page, restored = kept
    assert page is Page.CASE
    assert restored.referral.case.location == "Exampletown library"
    assert pending.take(ui_repository, stored.id) is None
    assert sorted(summary.id for summary in ui_repository.drafts()) == [form, other]
    assert [summary.id for summary in pending.new_referral_drafts(ui_repository)] == [form]


def test_a_kept_edit_that_cannot_be_read_is_dropped(
    ui_repository: Repository, stored: Referral
) -> None:
    assert stored.id is not None
    ui_repository.save_draft({"kind": pending.KIND, "referral_id": stored.id, "page": "nowhere"})
    assert pending.take(ui_repository, stored.id) is None
    assert ui_repository.drafts() == []
