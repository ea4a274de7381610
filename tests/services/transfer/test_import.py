"""Import: a round trip keeps everything, the preview is right, and it is all or nothing."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
import pyzipper  # type: ignore[import-untyped]

from referral_app.domain.audit import AuditAction
from referral_app.domain.dates import PartialDate
from referral_app.domain.record_format import referral_to_dict
from referral_app.domain.referral import Status
from referral_app.services.transfer.archive import MANIFEST, RECORDS, Limits
from referral_app.services.transfer.import_ import preview_import, read_export, run_import
from referral_app.services.transfer.problems import MESSAGES, Problem, TransferError
from referral_app.storage.exporting import survivor_matches
from referral_app.storage.repository import Repository
from referral_app.storage.transfer import IMPORTED, REPLACED
from tests.services.transfer.conftest import EXPORT_PASSPHRASE, entries, export, names_in, rebuild
from tests.storage.conftest import full_referral


def without_id(data: dict[str, object]) -> dict[str, object]:
    return {key: value for key, value in data.items() if key != "id"}


def state(repository: Repository) -> tuple[int, int, list[dict[str, object]]]:
    """Everything an import could change: the referrals, and the audit log."""
    referrals = [referral_to_dict(r) for r in repository.all()]
    return repository.count(), len(repository.audit_events()), referrals


def import_file(repository: Repository, path: Path | bytes, passphrase: str = EXPORT_PASSPHRASE,
                replace: tuple[str, ...] = ()) -> None:  # fmt: skip
    source = io.BytesIO(path) if isinstance(path, bytes) else path
    preview = preview_import(repository, read_export(source, passphrase))
    run_import(repository, preview, replace)


def test_round_trip_keeps_every_field(source: Repository, target: Repository, out: Path) -> None:
    first = source.save(full_referral())
    assert first.id is not None
    source.change_status(first.id, Status.READY_TO_SEND, "Consent checked")
    source.change_status(first.id, Status.SENT, "Posted")
    source.save(full_referral("Other Person", "xx 1/2"))
    import_file(target, export(source, out / "e.zip"))
    mine = [without_id(referral_to_dict(r)) for r in source.all()]
    theirs = [without_id(referral_to_dict(r)) for r in target.all()]
    assert theirs == mine  # uid, reference, created_at, history and assessments included
    assert target.verify_audit().intact


def test_preview_counts_and_a_second_import_duplicates_nothing(
    source: Repository, target: Repository, out: Path
) -> None:
    for number in range(3):
        source.save(full_referral(f"Person {number}"))
    archive = export(source, out / "e.zip")
    preview = preview_import(target, read_export(archive, EXPORT_PASSPHRASE))
    assert (len(preview.new), len(preview.same), len(preview.differing)) == (3, 0, 0)
    run_import(target, preview)
    before = state(target)
    again = preview_import(target, read_export(archive, EXPORT_PASSPHRASE))
    assert (len(again.new), len(again.same), len(again.differing)) == (0, 3, 0)
    result = run_import(target, again)
    assert (result.added, result.replaced, result.unchanged) == ((), (), 3)
    assert state(target) == before


def test_differing_referrals_are_left_unless_chosen(
    source: Repository, target: Repository, out: Path
) -> None:
    kept, changed, _new = (source.save(full_referral(f"Person {n}")) for n in range(3))
    import_file(target, export(source, out / "first.zip", [kept.id or 0, changed.id or 0]))
    edited = source.get(changed.id or 0)
    edited.survivor.full_name = "Person Renamed"
    edited.consent.share_with_cps = False
    source.save(edited)
    archive = export(source, out / "second.zip")
    preview = preview_import(target, read_export(archive, EXPORT_PASSPHRASE))
    assert [item.uid for item in preview.new] == [_new.uid]
    assert [item.uid for item in preview.same] == [kept.uid]
    [differing] = preview.differing
    assert differing.uid == changed.uid
    assert differing.differences == ("survivor", "consent")
    before = {r.uid: referral_to_dict(r) for r in target.all()}
    result = run_import(target, preview)
    assert len(result.added) == 1 and result.replaced == ()
    after = {r.uid: referral_to_dict(r) for r in target.all()}
    assert after[changed.uid] == before[changed.uid]  # left as it was

    again = preview_import(target, read_export(archive, EXPORT_PASSPHRASE))
    result = run_import(target, again, [changed.uid])
    [replaced_id] = result.replaced
    replaced = target.get(replaced_id)
    assert without_id(referral_to_dict(replaced)) == without_id(
        referral_to_dict(source.get(changed.id or 0))
    )
    assert [s.id for s in target.list_summaries("Renamed")] == [replaced_id]
    assert target.list_summaries("Person 1") == []
    events = target.audit_events()
    assert (events[-1].action, events[-1].detail) == (AuditAction.UPDATE, REPLACED)
    assert target.verify_audit().intact


def test_new_referrals_are_indexed_and_audited(
    source: Repository, target: Repository, out: Path
) -> None:
    source.save(full_referral())
    before = len(target.audit_events())
    import_file(target, export(source, out / "e.zip"))
    [summary] = target.list_summaries("artermai")
    events = target.audit_events()[before:]
    assert [(e.action, e.referral_id, e.detail) for e in events] == [
        (AuditAction.CREATE, summary.id, IMPORTED)
    ]


def test_a_reference_in_use_here_is_replaced_by_a_new_one(
    source: Repository, target: Repository, out: Path
) -> None:
    theirs = source.save(full_referral())
    ours = target.save(full_referral("Someone Else"))
    assert theirs.reference == ours.reference  # both databases made the same first reference
    archive = export(source, out / "e.zip")
    preview = preview_import(target, read_export(archive, EXPORT_PASSPHRASE))
    assert [item.file_reference for item in preview.renumbered] == [theirs.reference]
    run_import(target, preview)
    references = [r.reference for r in target.all()]
    assert len(set(references)) == 2
    # The app goes on making references of its own without meeting the imported ones.
    for number in range(3):
        target.save(full_referral(f"Later {number}"))
    assert len({r.reference for r in target.all()}) == 5


def test_a_free_reference_is_kept_and_never_made_again(
    source: Repository, target: Repository, out: Path
) -> None:
    for number in range(3):
        source.save(full_referral(f"Person {number}"))
    third = source.all()[2]
    import_file(target, export(source, out / "e.zip", [third.id or 0]))
    [imported] = target.all()
    assert imported.reference == third.reference  # CSARP-YYYY-00003, in an empty database
    for number in range(4):
        target.save(full_referral(f"Later {number}"))
    references = [r.reference for r in target.all()]
    assert len(set(references)) == 5


def test_the_same_survivor_is_found_for_a_subject_access_request(source: Repository) -> None:
    def survivor(name: str, born: str | None, previous: tuple[str, ...] = ()) -> int:
        referral = full_referral(name)
        referral.survivor.previous_names = list(previous)
        referral.survivor.date_of_birth = PartialDate.parse(born) if born else None
        return source.save(referral).id or 0

    chosen = survivor("Zelda Quartermaine", "1990-05", ("Zelda Brightwater",))
    same = [
        survivor("zelda  QUARTERMAINE", "1990-05-14"),  # case, spaces, a more precise date
        survivor("Zelda Brightwater", "1990"),  # her previous name
        survivor("Zélda Quartermaine", None),  # an accent, no date recorded
        survivor("Zoe Smith", "1990-05", ("Zelda Quartermaine",)),  # hers as a previous name
    ]
    survivor("Zelda Quartermaine", "1991")  # another woman of the same name
    survivor("Zelda Quartermaine", "1990-06")
    survivor("Someone Else", "1990-05")
    found = [match.referral_id for match in survivor_matches(source.database, chosen)]
    assert found == [chosen, *same]


# Refusals: one plain message each, and nothing changed


@pytest.fixture
def good(source: Repository, out: Path) -> bytes:
    source.save(full_referral())
    source.save(full_referral("Other Person", "xx 1/2"))
    return export(source, out / "e.zip").read_bytes()


def refused(target: Repository, data: bytes, passphrase: str = EXPORT_PASSPHRASE,
            limits: Limits | None = None) -> Problem:  # fmt: skip
    before = state(target)
    with pytest.raises(TransferError) as raised:
        contents = read_export(io.BytesIO(data), passphrase, limits=limits or Limits())
        run_import(target, preview_import(target, contents))
    assert state(target) == before
    assert str(raised.value) == MESSAGES[raised.value.problem]
    assert EXPORT_PASSPHRASE not in str(raised.value) + raised.value.detail
    return raised.value.problem


def altered(good: bytes, change: Callable[[dict[str, bytes]], None]) -> bytes:
    contents = entries(good)
    change(contents)
    return rebuild(contents)


def test_wrong_passphrase(target: Repository, good: bytes) -> None:
    assert refused(target, good, "orbit lantern velvet quarry maple hollows") == (
        Problem.WRONG_PASSPHRASE
    )


def test_passphrase_spaces_and_capitals_are_forgiven(target: Repository, good: bytes) -> None:
    import_file(target, good, "  Orbit lantern  velvet quarry maple hollow ")
    assert target.count() == 2


@pytest.mark.parametrize(
    "data",
    [b"", b"%PDF-1.4 not a zip", b"PK\x05\x06" + bytes(18)],
    ids=["empty", "pdf", "empty-zip"],
)
def test_not_an_export(target: Repository, data: bytes) -> None:
    assert refused(target, data) is Problem.NOT_AN_EXPORT


def test_a_zip_of_something_else_is_not_an_export(target: Repository) -> None:
    assert refused(target, rebuild({"holiday.jpg": b"\xff\xd8"})) is Problem.NOT_AN_EXPORT


def test_a_newer_schema(target: Repository, good: bytes) -> None:
    def newer(contents: dict[str, bytes]) -> None:
        manifest = json.loads(contents[MANIFEST])
        manifest["schema_version"] = 99
        contents[MANIFEST] = json.dumps(manifest).encode()

    assert refused(target, altered(good, newer)) is Problem.TOO_NEW


def test_a_truncated_file(target: Repository, good: bytes) -> None:
    assert refused(target, good[: len(good) // 2]) is Problem.TRUNCATED


def test_a_damaged_file(target: Repository, good: bytes) -> None:
    damaged = bytearray(good)
    damaged[200] ^= 0x55  # inside the encrypted README
    assert refused(target, bytes(damaged)) is Problem.DAMAGED


def test_altered_records_with_the_old_manifest(target: Repository, good: bytes) -> None:
    def change(contents: dict[str, bytes]) -> None:
        contents[RECORDS] = contents[RECORDS].replace(b"Quartermaine", b"Quartermains")

    assert refused(target, altered(good, change)) is Problem.ALTERED


@pytest.mark.parametrize("name", ["../../evil.sh", "/etc/cron.d/x", "summaries/../../x.pdf"])
def test_a_path_outside_the_archive(target: Repository, good: bytes, name: str) -> None:
    def add(contents: dict[str, bytes]) -> None:
        contents[name] = b"#!/bin/sh\n"

    assert refused(target, altered(good, add)) is Problem.ALTERED
    assert not Path("/etc/cron.d/x").exists()


def test_an_unencrypted_entry(target: Repository, good: bytes) -> None:
    assert refused(target, rebuild(entries(good), encrypt=False)) is Problem.ALTERED


def test_a_zip_bomb_is_refused_before_it_is_opened(target: Repository, good: bytes) -> None:
    def bomb(contents: dict[str, bytes]) -> None:
        contents["summaries/CSARP-2026-99999.pdf"] = bytes(64 * 1024 * 1024)

    assert refused(target, altered(good, bomb)) is Problem.TOO_LARGE


@pytest.mark.parametrize(
    "limits",
    [
        Limits(entries=4),
        Limits(entry_bytes=1000),
        Limits(total_bytes=2000),
        Limits(archive_bytes=100),
    ],
    ids=["entries", "entry", "total", "file"],
)
def test_limits(target: Repository, good: bytes, limits: Limits) -> None:
    assert refused(target, good, limits=limits) is Problem.TOO_LARGE


def test_the_records_changing_after_the_preview(
    source: Repository, target: Repository, out: Path
) -> None:
    source.save(full_referral())
    contents = read_export(export(source, out / "e.zip"), EXPORT_PASSPHRASE)
    preview = preview_import(target, contents)
    import_file(target, out / "e.zip")  # meanwhile, in another window
    before = state(target)
    with pytest.raises(TransferError) as raised:
        run_import(target, preview)
    assert raised.value.problem is Problem.CHANGED_SINCE_CHECK
    assert state(target) == before


def test_nothing_is_written_to_disk(target: Repository, good: bytes, tmp_path: Path) -> None:
    before = sorted(str(p) for p in tmp_path.rglob("*") if "-wal" not in p.name)
    import_file(target, good)
    after = sorted(str(p) for p in tmp_path.rglob("*") if "-wal" not in p.name)
    assert after == before
    assert names_in(tmp_path / "exports") == ["e.zip"]


def test_damaged_headers_are_not_taken_for_a_wrong_passphrase(
    target: Repository, good: bytes
) -> None:
    """Damage to the headers of most entries makes their password checks fail even with the
    right passphrase; it is still damage (found by the fuzz test)."""
    with pyzipper.AESZipFile(io.BytesIO(good)) as archive:
        offsets = [info.header_offset for info in archive.infolist()]
    damaged = bytearray(good)
    for offset in offsets[:-1]:  # all but the manifest, written last
        damaged[offset + 28] ^= 0x01  # the length of the extra field in the local header
    assert refused(target, bytes(damaged)) is Problem.DAMAGED
    damaged[offsets[-1] + 28] ^= 0x01
    assert refused(target, bytes(damaged)) is Problem.DAMAGED
