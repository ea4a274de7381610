"""Export: every field goes out, nothing personal shows outside the encryption, the file
appears whole and private or not at all, and a caseload is read a chunk at a time as it goes."""

from __future__ import annotations

import hashlib
import io
import json
import weakref
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from referral_app.domain.audit import AuditAction
from referral_app.domain.record_format import SCHEMA_VERSION, referral_to_dict
from referral_app.domain.referral import Referral, Status, utc_now
from referral_app.services.transfer.archive import MANIFEST, README, RECORDS, ArchiveWriter
from referral_app.services.transfer.export import (
    ExportStage,
    StoredReferrals,
    default_file_name,
    summary_names,
    write_export,
)
from referral_app.services.transfer.problems import Cancelled, Problem, TransferError
from referral_app.services.transfer.progress import Progress
from referral_app.storage import files
from referral_app.storage.db import Database
from referral_app.storage.errors import RecordNotFoundError
from referral_app.storage.exporting import load_referrals, read_referrals, record_export
from referral_app.storage.repository import Repository
from tests.permissions import assert_owner_only
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


def test_a_reference_given_twice_names_one_summary() -> None:
    made = Referral(reference="CSARP-2026-00012")
    after = Referral(reference="CSARP-2026-00013")
    assert summary_names([made, made, after]) == [
        "summaries/CSARP-2026-00012.pdf",
        "summaries/referral-00002.pdf",
        "summaries/CSARP-2026-00013.pdf",
    ]


def test_the_file_is_the_owners_alone_and_nothing_else_is_left(
    source: Repository, out: Path
) -> None:
    source.save(full_referral())
    archive = export(source, out / "export.zip")
    assert_owner_only(archive)
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
    stages: list[str] = []
    steps: list[int] = []
    asked: list[int] = []

    def report(done: int, _total: int) -> None:
        if stages[-1] == ExportStage.SUMMARIES:
            steps.append(done)

    def cancelled() -> bool:
        """Cancel pressed just as the archive is complete, before it takes the name."""
        if stages and stages[-1] == ExportStage.SUMMARIES:
            asked.append(len(steps))
        return len(asked) == 4

    progress = Progress(report, cancelled, stages.append)
    with pytest.raises(Cancelled):
        write_export(
            out / "x.zip", referrals, ADVOCATE, EXPORT_PASSPHRASE, render_pdf=fake_pdf,
            progress=progress,
        )  # fmt: skip
    assert stages == [ExportStage.RECORDS, ExportStage.SUMMARIES]
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


# Reading from the database as the export goes


def saved(repository: Repository, count: int) -> list[int]:
    return [
        repository.save(full_referral(f"Person {n}", f"pp {n}/1")).id or 0 for n in range(count)
    ]


class WatchedReader:
    """The export's own reader, a few referrals at a time, watched: how often the export reads
    the referrals, how many chunks it takes, and how many referrals of chunks older than the one
    before are still alive when it asks for the next (the export may still hold the chunk it
    has just finished, in its loop, but never one before that)."""

    def __init__(self, chunk_size: int = 2) -> None:
        self.chunk_size = chunk_size
        self.passes = 0
        self.chunks = 0
        self.held: list[int] = []

    def __call__(self, database: Database, ids: Sequence[int]) -> Iterator[list[Referral]]:
        self.passes += 1
        handed: list[list[weakref.ref[Referral]]] = []
        for chunk in read_referrals(database, ids, self.chunk_size):
            self.held.append(sum(ref() is not None for refs in handed[:-1] for ref in refs))
            handed.append([weakref.ref(referral) for referral in chunk])
            self.chunks += 1
            yield chunk


def test_reading_gives_every_field_as_the_record_view_does(source: Repository) -> None:
    first = stored_referral(source)
    other = source.save(full_referral("Other Person", "xx 1/2"))
    ids = [other.id or 0, first.id or 0]
    expected = [source.get(id_) for id_ in ids]  # read through the ORM, as a record is opened
    assert len(expected[1].status_history) == 3
    assert expected[1].case.earlier_reviews and expected[1].assessments
    assert load_referrals(source.database, ids) == expected
    chunks = list(read_referrals(source.database, ids, chunk_size=1))
    assert [referral for chunk in chunks for referral in chunk] == expected


def test_reading_goes_a_chunk_at_a_time_in_the_order_asked(source: Repository) -> None:
    ids = saved(source, 5)[::-1]
    chunks = list(read_referrals(source.database, ids, chunk_size=2))
    assert [len(chunk) for chunk in chunks] == [2, 2, 1]
    assert [referral.id for chunk in chunks for referral in chunk] == ids


def test_a_referral_deleted_before_its_chunk_is_read_stops_the_reading(source: Repository) -> None:
    ids = saved(source, 3)
    chunks = read_referrals(source.database, ids, chunk_size=1)
    assert [referral.id for referral in next(chunks)] == ids[:1]
    source.delete(ids[2])  # between chunks: no transaction of the reader's is open
    assert [referral.id for referral in next(chunks)] == ids[1:2]
    with pytest.raises(RecordNotFoundError) as raised:
        next(chunks)
    assert raised.value.referral_id == ids[2]


def test_an_export_from_the_database_is_the_export_of_the_same_referrals_read_first(
    source: Repository, out: Path
) -> None:
    ids = saved(source, 5)[::-1]
    when = utc_now()
    listed = load_referrals(source.database, ids)
    first = write_export(
        out / "listed.zip", listed, ADVOCATE, EXPORT_PASSPHRASE, render_pdf=fake_pdf, now=when
    )
    stored = StoredReferrals(source.database, [*ids, ids[0]], WatchedReader())  # once each
    second = write_export(
        out / "stored.zip", stored, ADVOCATE, EXPORT_PASSPHRASE, render_pdf=fake_pdf, now=when
    )
    assert second.referral_count == 5
    assert entries(second.path) == entries(first.path)


def test_an_export_from_the_database_reads_twice_and_lets_each_chunk_go(
    source: Repository, out: Path
) -> None:
    ids = saved(source, 7)
    reader = WatchedReader(chunk_size=2)
    stored = StoredReferrals(source.database, ids, reader)
    write_export(out / "e.zip", stored, ADVOCATE, EXPORT_PASSPHRASE, render_pdf=fake_pdf)
    assert reader.passes == 2  # once for records.json, once for the summaries
    assert reader.chunks == 8
    assert reader.held == [0] * 8


def test_progress_counts_the_records_by_chunk_then_the_summaries(
    source: Repository, out: Path
) -> None:
    ids = saved(source, 5)
    stages: list[str] = []
    steps: list[tuple[str, int]] = []
    progress = Progress(lambda done, _total: steps.append((stages[-1], done)), None, stages.append)
    stored = StoredReferrals(source.database, ids, WatchedReader(chunk_size=2))
    write_export(
        out / "e.zip", stored, ADVOCATE, EXPORT_PASSPHRASE, render_pdf=fake_pdf, progress=progress
    )
    records = [("records", done) for done in (2, 4, 5)]
    summaries = [("summaries", done) for done in range(6)]
    assert steps == records + summaries


def test_cancel_while_reading_stops_at_the_chunk_and_leaves_no_file(
    source: Repository, out: Path
) -> None:
    ids = saved(source, 6)
    reader = WatchedReader(chunk_size=2)
    reported: list[int] = []
    progress = Progress(lambda done, _total: reported.append(done), lambda: bool(reported))
    stored = StoredReferrals(source.database, ids, reader)
    with pytest.raises(Cancelled):
        write_export(
            out / "e.zip", stored, ADVOCATE, EXPORT_PASSPHRASE, render_pdf=fake_pdf,
            progress=progress,
        )  # fmt: skip
    assert reported == [2]
    assert reader.chunks == 1
    assert names_in(out) == []


def test_a_referral_deleted_while_exporting_stops_it_and_leaves_no_file(
    source: Repository, out: Path
) -> None:
    ids = saved(source, 4)

    def deleting_one(database: Database, wanted: Sequence[int]) -> Iterator[list[Referral]]:
        for number, chunk in enumerate(read_referrals(database, wanted, chunk_size=2)):
            if number == 0:
                source.delete(wanted[-1])
            yield chunk

    stored = StoredReferrals(source.database, ids, deleting_one)
    with pytest.raises(RecordNotFoundError):
        write_export(out / "e.zip", stored, ADVOCATE, EXPORT_PASSPHRASE, render_pdf=fake_pdf)
    assert names_in(out) == []


def test_an_archive_refuses_a_second_entry_of_the_same_name() -> None:
    with ArchiveWriter(io.BytesIO(), "a passphrase", utc_now()) as archive:
        archive.add("summaries/CSARP-2026-00001.pdf", b"%PDF")
        with pytest.raises(ValueError, match="only once"):
            archive.add("summaries/CSARP-2026-00001.pdf", b"%PDF again")
