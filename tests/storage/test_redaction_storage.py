"""The redacted copy's data with the referral: the other people to keep out of it, and the
confirmed choices, stored encrypted, audited by counts, and never overwritten by a later save
of a form opened before them."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from referral_app.domain.audit import AuditAction
from referral_app.domain.record_format import referral_from_dict, referral_to_dict
from referral_app.domain.redaction import Mark, RedactionChoices
from referral_app.storage.repository import Repository
from tests.storage.conftest import full_referral

CONFIRMED = datetime(2026, 12, 3, 17, 0, tzinfo=UTC)


def choices() -> RedactionChoices:
    return RedactionChoices(
        [
            Mark("account", 0, 5, "Zelda", hidden=False),
            Mark("account", 10, 22, "the red door", hidden=True, chosen=True),
        ],
        keep_crime_references=False,
        keep_force=True,
        confirmed_at=CONFIRMED,
    )


def test_the_other_people_and_the_choices_come_back_as_saved(repository: Repository) -> None:
    referral = full_referral()
    referral.others_to_keep_out = ["Rhys O'Brien", "Gareth Hughes"]
    saved = repository.save(referral)
    assert saved.id is not None
    assert repository.get(saved.id).others_to_keep_out == ["Rhys O'Brien", "Gareth Hughes"]
    assert repository.get(saved.id).redaction is None
    repository.save_redaction(saved.id, choices(), "2 hidden, 1 shown, 1 chosen")
    assert repository.get(saved.id).redaction == choices()


def test_the_review_is_audited_by_counts_never_the_text(repository: Repository) -> None:
    saved = repository.save(full_referral())
    assert saved.id is not None
    repository.save_redaction(saved.id, choices(), "2 hidden, 1 shown, 1 chosen")
    events = [e for e in repository.audit_events() if e.action == AuditAction.REDACTION_REVIEW]
    assert [(e.referral_id, e.detail) for e in events] == [
        (saved.id, "2 hidden, 1 shown, 1 chosen")
    ]
    assert repository.verify_audit().intact


def test_saving_a_form_opened_before_the_review_keeps_the_choices(
    repository: Repository,
) -> None:
    saved = repository.save(full_referral())
    assert saved.id is not None
    opened_earlier = repository.get(saved.id)
    repository.save_redaction(saved.id, choices(), "counts")
    opened_earlier.case.account = "Changed since."
    opened_earlier.others_to_keep_out = ["Aoife Kelly"]
    repository.save(opened_earlier)
    stored = repository.get(saved.id)
    assert stored.redaction == choices()
    assert stored.others_to_keep_out == ["Aoife Kelly"]
    changed = [e.detail for e in repository.audit_events() if e.action == AuditAction.UPDATE]
    assert changed[-1] == "case, others_to_keep_out"


def test_the_text_is_encrypted_on_disk(repository: Repository, db_path: Path) -> None:
    referral = full_referral()
    referral.others_to_keep_out = ["Gwenllian Canary-Person"]
    saved = repository.save(referral)
    assert saved.id is not None
    repository.save_redaction(
        saved.id,
        RedactionChoices([Mark("account", 0, 9, "Canarybird", True, True)], confirmed_at=CONFIRMED),
        "counts",
    )
    for path in db_path.parent.glob(db_path.name + "*"):
        raw = path.read_bytes()
        assert b"Canary" not in raw and b"Gwenllian" not in raw, path.name


def test_the_record_format_carries_the_other_people_and_reads_older_records() -> None:
    referral = full_referral()
    referral.others_to_keep_out = ["Rhys O'Brien"]
    document = referral_to_dict(referral)
    assert referral_from_dict(document).others_to_keep_out == ["Rhys O'Brien"]
    del document["others_to_keep_out"]
    assert referral_from_dict(document).others_to_keep_out == []
