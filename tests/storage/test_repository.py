from __future__ import annotations

import dataclasses

import pytest

from referral_app.domain.dates import PartialDate, Precision
from referral_app.domain.referral import Advocate, AssessmentRecord, Status, utc_now
from referral_app.storage.db import Database
from referral_app.storage.errors import RecordNotFoundError
from referral_app.storage.repository import Repository
from tests.storage.conftest import ADVOCATE, PASSPHRASE, full_referral


def _comparable(referral):  # type: ignore[no-untyped-def]
    """Everything a referral holds except what storage assigns."""
    return dataclasses.replace(
        referral,
        id=None,
        reference="",
        uid="",
        created_at=None,
        updated_at=None,
        version=0,
        status_history=[],
        survivor=dataclasses.replace(referral.survivor, id=None),
    )


def test_every_field_survives_a_round_trip_through_the_file(db_path, database) -> None:  # type: ignore[no-untyped-def]
    original = full_referral()
    saved = Repository(database).save(original)
    database.close()

    with Database.unlock(db_path, PASSPHRASE) as reopened:
        loaded = Repository(reopened).get(saved.id)

    assert _comparable(loaded) == _comparable(original)
    assert loaded.reference == saved.reference
    assert loaded.created_at == saved.created_at
    assert [c.status for c in loaded.status_history] == [Status.DRAFT]


def test_each_referral_gets_its_own_identity_and_keeps_one_it_was_given(
    repository: Repository,
) -> None:
    first, second = repository.save(full_referral()), repository.save(full_referral())
    assert len({first.uid, second.uid}) == 2
    assert all(len(uid) == 36 for uid in (first.uid, second.uid))
    given = dataclasses.replace(full_referral(), uid="0b7c3f9e-1111-4222-8333-444455556666")
    assert repository.save(given).uid == given.uid
    (bulk_id,) = repository.create_many([dataclasses.replace(given, uid="")])
    bulk = repository.get(bulk_id)
    assert bulk.uid not in {"", first.uid, second.uid, given.uid}
    # Updating keeps the identity whatever the form sends back.
    assert repository.save(dataclasses.replace(first, uid="")).uid == first.uid


def test_the_request_letter_is_saved_with_the_referral_and_audited(
    repository: Repository,
) -> None:
    saved = repository.save(full_referral())
    updated = repository.save(dataclasses.replace(saved, request_letter="Dear Sir or Madam"))
    assert repository.get(updated.id).request_letter == "Dear Sir or Madam"
    assert repository.audit_events()[-1].detail == "request_letter"


def test_partial_dates_keep_their_precision(repository: Repository) -> None:
    referral = full_referral()
    referral.case.offence_start = PartialDate.parse("2003")
    referral.survivor.date_of_birth = PartialDate.parse("1990-05")
    referral.case.decision_date = PartialDate.parse("2009-03-14")
    loaded = repository.get(repository.save(referral).id)  # type: ignore[arg-type]
    assert loaded.case.offence_start is not None
    assert loaded.case.offence_start.precision is Precision.YEAR
    assert str(loaded.survivor.date_of_birth) == "1990-05"
    assert str(loaded.case.decision_date) == "2009-03-14"


def test_crime_references_are_stored_normalised(repository: Repository) -> None:
    saved = repository.save(full_referral(crime_ref="ab 123/45"))
    assert repository.get(saved.id).case.crime_references[0] == "AB123/45"  # type: ignore[arg-type]


def test_references_are_unique_and_carry_no_personal_data(repository: Repository) -> None:
    first = repository.save(full_referral("Alice Example"))
    second = repository.save(full_referral("Bob Example"))
    assert first.reference != second.reference
    assert "Alice" not in first.reference
    assert first.reference.startswith("CSARP-")


def test_update_changes_fields_and_keeps_history(repository: Repository) -> None:
    saved = repository.save(full_referral())
    saved.survivor.phone = "07700 900999"
    saved.case.account = "Updated account"
    updated = repository.save(saved)
    loaded = repository.get(updated.id)  # type: ignore[arg-type]
    assert loaded.survivor.phone == "07700 900999"
    assert loaded.case.account == "Updated account"
    assert loaded.updated_at is not None and loaded.created_at is not None
    assert loaded.updated_at >= loaded.created_at
    update_events = [e for e in repository.audit_events() if e.action == "update"]
    assert update_events[-1].detail == "survivor, case"


def test_status_changes_follow_the_domain_rules(repository: Repository) -> None:
    saved = repository.save(full_referral())
    moved = repository.change_status(saved.id, Status.READY_TO_SEND, "Checked with survivor")  # type: ignore[arg-type]
    assert moved.status is Status.READY_TO_SEND
    assert moved.status_history[-1].note == "Checked with survivor"
    assert moved.status_history[-1].changed_by == ADVOCATE.name
    from referral_app.domain.referral import StatusChangeError

    with pytest.raises(StatusChangeError):
        repository.change_status(saved.id, Status.PANEL_UPHELD_NFA)  # type: ignore[arg-type]
    assert repository.get(saved.id).status is Status.READY_TO_SEND  # type: ignore[arg-type]


def test_assessments_are_kept_as_history(repository: Repository) -> None:
    saved = repository.save(full_referral())
    record = AssessmentRecord(
        "csarp-2013", "not_eligible", ["decision_after_cutoff"], [], utc_now()
    )
    updated = repository.add_assessment(saved.id, record)  # type: ignore[arg-type]
    assert [a.ruleset for a in updated.assessments] == ["csarp-2025", "csarp-2013"]
    assert updated.assessments[-1].reasons == ["decision_after_cutoff"]


def test_delete_removes_the_referral_and_its_survivor(repository: Repository, database) -> None:  # type: ignore[no-untyped-def]
    saved = repository.save(full_referral())
    repository.delete(saved.id)  # type: ignore[arg-type]
    with pytest.raises(RecordNotFoundError):
        repository.get(saved.id)  # type: ignore[arg-type]
    assert repository.count() == 0
    with database.engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM survivor").scalar() == 0
        assert connection.exec_driver_sql("SELECT count(*) FROM status_change").scalar() == 0
        assert connection.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
    assert repository.audit_events()[-1].action == "delete"
    assert repository.audit_events()[-1].referral_id == saved.id


def test_missing_record_is_a_plain_error(repository: Repository) -> None:
    with pytest.raises(RecordNotFoundError, match="not in the database"):
        repository.get(4242)


def test_advocate_is_set_once_and_used_on_records(repository: Repository) -> None:
    assert repository.advocate() == ADVOCATE
    repository.save_advocate(Advocate("Ann Advocate-Jones", "Safe Space Charity", "", ""))
    assert repository.advocate().name == "Ann Advocate-Jones"  # type: ignore[union-attr]
    saved = repository.save(full_referral())
    assert saved.status_history[0].changed_by == "Ann Advocate-Jones"


def test_every_change_is_audited_without_personal_data(repository: Repository) -> None:
    saved = repository.save(full_referral())
    repository.open_record(saved.id)  # type: ignore[arg-type]
    repository.change_status(saved.id, Status.READY_TO_SEND)  # type: ignore[arg-type]
    actions = [e.action for e in repository.audit_events()]
    assert actions[-3:] == ["create", "open", "status_change"]
    text = repr(repository.audit_events())
    for secret in ("Zelda", "Quartermaine", "07700", "ZQ987/65", "1990-05"):
        assert secret not in text


def test_status_changes_made_through_save_follow_the_rules_and_are_audited(
    repository: Repository,
) -> None:
    from referral_app.domain.referral import StatusChange, StatusChangeError

    saved = repository.save(full_referral())
    saved.change_status(Status.READY_TO_SEND, by="Ann", note="ready")
    saved.change_status(Status.SENT, by="Ann", note="posted")
    updated = repository.save(saved)
    assert [c.status for c in updated.status_history] == [
        Status.DRAFT,
        Status.READY_TO_SEND,
        Status.SENT,
    ]
    details = [e.detail for e in repository.audit_events() if e.action == "status_change"]
    assert details == ["draft -> ready_to_send", "ready_to_send -> sent"]

    updated.status_history.append(StatusChange(Status.PANEL_UPHELD_NFA, utc_now()))
    with pytest.raises(StatusChangeError):
        repository.save(updated)
    fresh = full_referral()
    fresh.status_history = [StatusChange(Status.PANEL_UPHELD_NFA, utc_now())]
    with pytest.raises(StatusChangeError):
        repository.save(fresh)
    assert repository.get(saved.id).status is Status.SENT  # type: ignore[arg-type]


def test_crime_references_added_later_are_normalised_too(repository: Repository) -> None:
    saved = repository.save(full_referral())
    saved.case.crime_references.append("xy 99/1")
    assert "XY99/1" in repository.save(saved).case.crime_references


def test_writers_in_several_threads_wait_for_each_other(repository: Repository) -> None:
    import threading

    failures: list[BaseException] = []

    def save_some(prefix: str) -> None:
        try:
            for number in range(15):
                repository.save(full_referral(f"{prefix} {number}"))
        except BaseException as error:  # collected and reported below
            failures.append(error)

    threads = [threading.Thread(target=save_some, args=(f"Thread{n}",)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert failures == []
    assert repository.count() == 45
    assert repository.verify_audit().intact


def test_drafts_are_kept_updated_listed_and_discarded(repository: Repository) -> None:
    first = repository.save_draft({"page": "where", "typed": "a"})
    second = repository.save_draft({"page": "age"})
    assert repository.save_draft({"page": "where", "typed": "ab"}, first) == first
    assert repository.load_draft(first) == {"page": "where", "typed": "ab"}
    assert [d.id for d in repository.drafts()] == [first, second]
    repository.discard_draft(second)
    assert [d.id for d in repository.drafts()] == [first]
    assert repository.load_draft(second) is None


def test_drafts_are_found_by_what_their_documents_hold(repository: Repository) -> None:
    form = repository.save_draft({"page": "where", "referral_id": 7})
    older = repository.save_draft({"kind": "edit", "referral_id": 7, "page": "case"})
    other = repository.save_draft({"kind": "edit", "referral_id": 8})
    text_id = repository.save_draft({"kind": "edit", "referral_id": "7"})
    newer = repository.save_draft({"kind": "edit", "referral_id": 7, "page": "contact"})
    found = repository.find_drafts(kind="edit", referral_id=7)
    assert [draft_id for draft_id, _document in found] == [newer, older]
    assert found[0][1] == {"kind": "edit", "referral_id": 7, "page": "contact"}
    assert {i for i, _ in repository.find_drafts(kind="edit")} == {older, other, text_id, newer}
    assert repository.find_drafts(kind="edit", referral_id=9) == []
    assert len(repository.drafts()) == 5  # finding takes nothing away
    assert form in [d.id for d in repository.drafts()]


def test_saving_from_a_draft_drops_the_draft_in_the_same_step(repository: Repository) -> None:
    draft_id = repository.save_draft({"page": "check"})
    saved = repository.save_from_draft(full_referral(), draft_id)
    assert repository.drafts() == []
    assert repository.get(saved.id).survivor.full_name == "Zelda Quartermaine"  # type: ignore[arg-type]
