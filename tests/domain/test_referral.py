from __future__ import annotations

import pytest

from referral_app.domain.referral import (
    ALLOWED_CHANGES,
    Case,
    Referral,
    Status,
    StatusChangeError,
    allowed_changes,
    normalise_crime_reference,
)


def test_a_new_referral_is_a_draft() -> None:
    assert Referral().status is Status.DRAFT


def _consented() -> Referral:
    from datetime import date

    from referral_app.domain.referral import Consent, ConsentMethod

    consent = Consent(True, True, False, True, date(2026, 11, 2), ConsentMethod.WRITTEN, "Ann")
    return Referral(consent=consent)


def test_the_usual_path_to_the_panel_is_allowed() -> None:
    referral = _consented()
    for status in (
        Status.READY_TO_SEND,
        Status.SENT,
        Status.RECONSIDERING,
        Status.REFERRED_TO_PANEL,
        Status.PANEL_ADVISED_REINVESTIGATION,
        Status.CLOSED,
    ):
        referral.change_status(status, by="Ann", note=f"to {status}")
    assert [c.status for c in referral.status_history][-1] is Status.CLOSED
    assert referral.status_history[0].note == "to ready_to_send"


def test_a_referral_cannot_skip_the_force() -> None:
    referral = Referral()
    with pytest.raises(StatusChangeError, match="cannot become 'Referred to the Panel'"):
        referral.change_status(Status.REFERRED_TO_PANEL, by="Ann")
    assert referral.status_history == []


def test_closed_is_final_and_withdrawn_can_be_taken_up_again() -> None:
    assert allowed_changes(Status.CLOSED) == []
    assert allowed_changes(Status.WITHDRAWN) == [Status.DRAFT]


def test_every_status_has_rules_and_a_label() -> None:
    assert set(ALLOWED_CHANGES) == set(Status)
    assert all(status.label for status in Status)


@pytest.mark.parametrize(
    ("given", "stored"),
    [("ab 123/45", "AB123/45"), (" AB123/45 ", "AB123/45"), ("ab\t12 3", "AB123")],
)
def test_crime_references_are_normalised(given: str, stored: str) -> None:
    assert normalise_crime_reference(given) == stored
    assert Case(crime_references=[given, "  "]).crime_references == [stored]


def test_a_referral_goes_out_only_with_consent() -> None:
    from datetime import date

    from referral_app.domain.referral import Consent, ConsentMethod

    referral = Referral()
    with pytest.raises(StatusChangeError, match="consent"):
        referral.change_status(Status.READY_TO_SEND, by="Ann")
    referral.consent = Consent(
        to_referral=True,
        share_with_force=True,
        share_with_panel=True,
        given_on=date(2026, 11, 2),
        method=ConsentMethod.VERBAL,
    )
    referral.change_status(Status.READY_TO_SEND, by="Ann")
    referral.consent.withdrawn_on = date(2026, 11, 3)
    with pytest.raises(StatusChangeError, match="consent"):
        referral.change_status(Status.SENT, by="Ann")
    assert referral.status is Status.READY_TO_SEND
