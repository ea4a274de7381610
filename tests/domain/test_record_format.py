from __future__ import annotations

import json

import pytest

from referral_app.domain.record_format import (
    RecordFormatError,
    referral_from_dict,
    referral_to_dict,
)
from referral_app.domain.referral import Referral, Status
from tests.storage.conftest import full_referral


def test_every_field_survives_json() -> None:
    original = full_referral()
    original.change_status(Status.READY_TO_SEND, by="Ann", note="checked")
    text = json.dumps(referral_to_dict(original), ensure_ascii=False)
    assert referral_from_dict(json.loads(text)) == original


def test_an_empty_referral_survives_json() -> None:
    assert referral_from_dict(json.loads(json.dumps(referral_to_dict(Referral())))) == Referral()


def test_partial_dates_keep_their_precision_in_text() -> None:
    data = referral_to_dict(full_referral())
    assert data["survivor"]["date_of_birth"] == "1990-05"
    assert data["case"]["offence_start"] == "2003"
    assert data["eligibility"]["answers"]["decision"] == "cps_nfa"


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (lambda d: d["survivor"].update(full_name=5), "survivor.full_name"),
        (lambda d: d["survivor"].update(date_of_birth="1990-13"), "survivor.date_of_birth"),
        (lambda d: d["case"].update(decided_by="the judge"), "case.decided_by"),
        (lambda d: d["case"].update(offender_count=True), "case.offender_count"),
        (lambda d: d["case"]["earlier_reviews"][0].update(kind=None), "earlier_reviews"),
        (lambda d: d.update(created_at="2026-01-01T10:00:00"), "created_at"),
        (lambda d: d["eligibility"].update(answers={"decision": 1}), "eligibility.answers"),
        (lambda d: d.update(survivor=[]), "survivor"),
        (lambda d: d["status_history"].append({"status": "lost"}), "status"),
    ],
)
def test_a_wrong_field_is_named(change, named: str) -> None:  # type: ignore[no-untyped-def]
    data = referral_to_dict(full_referral())
    data["created_at"] = "2026-01-01T10:00:00+00:00"
    change(data)
    with pytest.raises(RecordFormatError, match=named.replace("[", r"\[")):
        referral_from_dict(data)


def test_unknown_and_misspelt_fields_are_refused() -> None:
    data = referral_to_dict(full_referral())
    data["survivor"]["fullname"] = "typo"
    with pytest.raises(RecordFormatError, match=r"survivor\.fullname is not a field"):
        referral_from_dict(data)
    data = referral_to_dict(full_referral())
    data["case"]["earlier_reviews"][0]["outcome"] = "?"
    with pytest.raises(RecordFormatError, match=r"earlier_reviews\[0\]\.outcome"):
        referral_from_dict(data)


def test_a_record_from_a_newer_format_is_refused() -> None:
    data = referral_to_dict(full_referral())
    data["schema_version"] = 99
    with pytest.raises(RecordFormatError, match="newer version"):
        referral_from_dict(data)


def test_an_impossible_status_history_is_refused() -> None:
    referral = full_referral()
    referral.change_status(Status.READY_TO_SEND, by="Ann")
    data = referral_to_dict(referral)
    data["status_history"][0]["status"] = "panel_upheld_nfa"
    with pytest.raises(RecordFormatError, match="not a possible history"):
        referral_from_dict(data)


def test_a_record_that_is_not_an_object_is_refused() -> None:
    with pytest.raises(RecordFormatError, match="the record must be an object"):
        referral_from_dict(["not", "a", "record"])


def test_format_3_carries_the_v2_keys_in_the_answers() -> None:
    referral = full_referral()
    referral.answers.update(decision="discontinued", suspect_interviewed="no", group_based="yes")
    data = referral_to_dict(referral)
    assert data["schema_version"] == 3
    assert "group_based" not in data["case"]
    assert data["eligibility"]["answers"]["group_based"] == "yes"
    assert referral_from_dict(json.loads(json.dumps(data))) == referral


@pytest.mark.parametrize("version", [1, 2, None])
def test_an_older_record_keeps_its_group_based_answer(version: int | None) -> None:
    data = referral_to_dict(full_referral())
    data["eligibility"]["answers"].pop("group_based")
    data["case"]["group_based"] = "unsure"
    data["schema_version"] = version
    before = json.dumps(data, sort_keys=True)
    referral = referral_from_dict(data)
    assert referral.answers["group_based"] == "unsure"
    assert json.dumps(data, sort_keys=True) == before  # the caller's record is left alone
    data["case"]["group_based"] = "often"
    with pytest.raises(RecordFormatError, match="group_based"):
        referral_from_dict(data)


def test_a_format_3_record_may_not_put_group_based_in_the_case() -> None:
    data = referral_to_dict(full_referral())
    data["case"]["group_based"] = "yes"
    with pytest.raises(RecordFormatError, match=r"case\.group_based"):
        referral_from_dict(data)
