"""What each status is called, where an advocate reads it."""

from __future__ import annotations

from referral_app.domain.referral import STATUS_LABELS, Status


def test_a_saved_referrals_first_status_is_not_called_a_draft() -> None:
    """The start page lists unfinished forms as drafts; a saved referral is not one."""
    assert "draft" not in Status.DRAFT.label.lower()
    assert Status.DRAFT.label == "Being prepared"


def test_every_status_has_its_own_name() -> None:
    assert len(set(STATUS_LABELS.values())) == len(Status)
