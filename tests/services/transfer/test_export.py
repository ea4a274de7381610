"""Export: every field goes out, nothing personal shows outside the encryption, and the file
appears whole and private or not at all."""

from __future__ import annotations

import hashlib
import io
import json
import stat
from pathlib import Path

import pytest

from referral_app.domain.audit import AuditAction
from referral_app.domain.record_format import SCHEMA_VERSION, referral_to_dict
from referral_app.domain.referral import Referral, Status
from referral_app.services.transfer import files
from referral_app.services.transfer.archive import MANIFEST, README, RECORDS
from referral_app.services.transfer.export import (
    default_file_name,
    summary_names,
    write_export,
)
from referral_app.services.transfer.problems import Cancelled, Problem, TransferError
from referral_app.services.transfer.progress import Progress
from referral_app.storage.repository import Repository
from referral_app.storage.transfer import load_referrals, record_export
from tests.services.transfer.conftest import EXPORT_PASSPHRASE, entries, export, fake_pdf, names_in
from tests.storage.conftest import ADVOCATE, full_referral

#: Personal data of full_referral() that must never show outside the encryption.
CANARIES = (
    "Zelda",
    "Quartermaine",
    "Brightwater",
    "ZQ987/65",
    "zq 987",
    "zelda@example.net",
    "07700 900123",
    "Aberystwyth",
    "Example Street",
)


def stored_referral(repository: Repository) -> Referral:
    """full_referral() with a status history and two assessments, as the app keeps them."""
    referral = repository.save(full_referral())
    assert referral.id is not None
    repository.change_status(referral.id, Status.READY_TO_SEND, "Consent checked")
    return repository.change_status(referral.id, Status.SENT, "Posted")


def test_the_records_carry_every_field_and_the_schema_version(
    source: Repository, out: Path
) -> None:
    referral = stored_referral(source)
    other = source.save(full_referral("Other Person", "xx 1/2"))
    archive = export(source, out / "export.zip")
    document = json.loads(entries(archive)[RECORDS])
    assert document["format"] == "csarp-referrals-export"
    assert document["schema_version"] == SCHEMA_VERSION
    assert document["referral_count"] == 2
    assert document["exported_by"]["organisation"] == ADVOCATE.organisation
    assert document["referrals"] == [referral_to_dict(referral), referral_to_dict(other)]
    assert document["referrals"][0]["eligibility"]["answers"]["decision"] == "cps_nfa"
    assert len(document["referrals"][0]["status_history"]) == 3


def test_layout_readme_and_manifest(source: Repository, out: Path) -> None:
    first = source.save(full_referral())
    second = source.save(full_referral("Other Person", "xx 1/2"))
    archive = export(source, out / "export.zip")
    contents = entries(archive)
    summaries = {f"summaries/{first.reference}.pdf", f"summaries/{second.reference}.pdf"}
    assert set(contents) == {README, RECORDS, MANIFEST, *summaries}
    assert contents[f"summaries/{first.reference}.pdf"] == fake_pdf(first)
    manifest = json.loads(contents[MANIFEST])
    assert manifest["format_version"] == 1
    assert manifest["schema_version"] == SCHEMA_VERSION
    assert manifest["referral_count"] == 2
    listed = {entry["name"]: entry for entry in manifest["entries"]}
    assert set(listed) == set(contents) - {MANIFEST}
    for name, entry in listed.items():
        assert entry["size"] == len(contents[name])
        assert entry["sha256"] == hashlib.sha256(contents[name]).hexdigest()
    readme = contents[README].decode("utf-8")
    assert ADVOCATE.organisation in readme
    assert "2 referrals" in readme
    assert "SENSITIVE PERSONAL DATA" in readme
    assert "by phone" in readme
    assert not any(canary in readme for canary in CANARIES)


def test_no_personal_data_outside_the_encryption(source: Repository, out: Path) -> None:
    stored_referral(source)
    archive = export(source, out / "export.zip")
    names = list(entries(archive))
    raw = archive.read_bytes()
    for canary in CANARIES:
        assert not any(canary.lower() in name.lower() for name in names), canary
        assert canary.encode() not in raw, canary
        assert canary.lower().encode() not in raw.lower(), canary
    assert EXPORT_PASSPHRASE.encode() not in raw
    assert default_file_name().startswith("referrals-export-")


def test_a_reference_the_app_did_not_make_is_not_used_as_a_name() -> None:
    made = Referral(reference="CSARP-2026-00012")
    odd = Referral(reference="Zelda Quartermaine")
    assert summary_names([made, odd]) == [
        "summaries/CSARP-2026-00012.pdf",
        "summaries/referral-00002.pdf",
    ]


def test_the_file_is_the_owners_alone_and_nothing_else_is_left(
    source: Repository, out: Path
) -> None:
    source.save(full_referral())
    archive = export(source, out / "export.zip")
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    assert names_in(out) == ["export.zip"]


def test_cancel_leaves_no_file(source: Repository, out: Path) -> None:
    for number in range(3):
        source.save(full_referral(f"Person {number}"))
    referrals = load_referrals(source.database, source.list_ids())
    steps: list[int] = []
    progress = Progress(lambda done, _total: steps.append(done), lambda: len(steps) >= 2)
    with pytest.raises(Cancelled):
        write_export(
            out / "export.zip",
            referrals,
            ADVOCATE,
            EXPORT_PASSPHRASE,
            render_pdf=fake_pdf,
            progress=progress,
        )
    assert names_in(out) == []


def test_cancel_after_the_last_summary_still_leaves_no_file(source: Repository, out: Path) -> None:
    source.save(full_referral())
    referrals = load_referrals(source.database, source.list_ids())
    steps: list[int] = []
    asked: list[int] = []

    def cancelled() -> bool:
        """Cancel pressed just as the archive is complete, before it takes the name."""
        asked.append(len(steps))
        return len(asked) == 4

    progress = Progress(lambda done, _total: steps.append(done), cancelled)
    with pytest.raises(Cancelled):
        write_export(
            out / "x.zip", referrals, ADVOCATE, EXPORT_PASSPHRASE, render_pdf=fake_pdf,
            progress=progress,
        )  # fmt: skip
    assert steps == [0, 1]  # every summary was made
    assert asked == [0, 1, 2, 2]  # and the last question came after them
    assert names_in(out) == []


def test_a_summary_that_fails_leaves_no_file_and_an_older_one_untouched(
    source: Repository, out: Path
) -> None:
    for number in range(3):
        source.save(full_referral(f"Person {number}"))
    referrals = load_referrals(source.database, source.list_ids())
    older = out / "export.zip"
    older.write_bytes(b"the export from last week")

    def failing(referral: Referral) -> bytes:
        if referral.id == referrals[1].id:
            raise RuntimeError("the printer engine broke")
        return fake_pdf(referral)

    with pytest.raises(TransferError) as raised:
        write_export(older, referrals, ADVOCATE, EXPORT_PASSPHRASE, render_pdf=failing)
    assert raised.value.problem is Problem.SUMMARY_FAILED
    assert names_in(out) == ["export.zip"]
    assert older.read_bytes() == b"the export from last week"


def test_a_disk_that_fails_leaves_no_file(
    source: Repository, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source.save(full_referral())
    referrals = load_referrals(source.database, source.list_ids())

    def full_disk(_descriptor: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "fsync", full_disk)
    with pytest.raises(TransferError) as raised:
        write_export(out / "e.zip", referrals, ADVOCATE, EXPORT_PASSPHRASE, render_pdf=fake_pdf)
    assert raised.value.problem is Problem.CANNOT_WRITE
    assert names_in(out) == []


def test_a_folder_that_cannot_be_written_is_a_plain_error(source: Repository, out: Path) -> None:
    source.save(full_referral())
    referrals = load_referrals(source.database, source.list_ids())
    with pytest.raises(TransferError) as raised:
        write_export(
            out / "missing" / "e.zip", referrals, ADVOCATE, EXPORT_PASSPHRASE, render_pdf=fake_pdf
        )
    assert raised.value.problem is Problem.CANNOT_WRITE
    assert "missing" not in str(raised.value)


def test_an_export_is_audited_per_referral_without_personal_data(source: Repository) -> None:
    ids = [source.save(full_referral(f"Person {n}")).id for n in range(3)]
    before = len(source.audit_events())
    record_export(source.database, [id_ for id_ in ids if id_ is not None])
    events = source.audit_events()[before:]
    assert [event.action for event in events] == [AuditAction.EXPORT] * 3
    assert [event.referral_id for event in events] == ids
    assert {event.detail for event in events} == {"in an export file of 3 referrals"}
    assert source.verify_audit().intact


def test_the_real_summaries_are_pdfs_of_each_referral(
    qapp: object, source: Repository, out: Path
) -> None:
    import pypdf

    from referral_app.services.transfer.export import summary_renderer

    referral = source.save(full_referral())
    referrals = load_referrals(source.database, [referral.id or 0])
    write_export(
        out / "e.zip",
        referrals,
        ADVOCATE,
        EXPORT_PASSPHRASE,
        render_pdf=summary_renderer(ADVOCATE),
    )
    pdf = entries(out / "e.zip")[f"summaries/{referral.reference}.pdf"]
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert referral.reference in text
    assert "Quartermaine" in text
