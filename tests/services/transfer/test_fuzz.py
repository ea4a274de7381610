"""Fuzzing the importer with mutated, truncated and rebuilt export files.

Whatever happens to a file (bytes flipped, cut short or inserted, entries added with hostile
names or sizes, a manifest that lies, records altered, a schema from the future, the wrong
passphrase), the import must end in one of the defined messages or, when the file is still
good, in exactly the records that were exported; it must never crash, hang or change the
database. The database already holds the exported referrals, so a good file changes nothing.

``TRANSFER_FUZZ_EXAMPLES`` sets the number of examples (1,000 by default, about 15 seconds);
``TRANSFER_FUZZ_REPORT`` names a JSON file to write the outcomes to.
"""

from __future__ import annotations

import io
import json
import os
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from referral_app.domain.record_format import SCHEMA_VERSION, referral_to_dict
from referral_app.services.transfer.archive import FORMAT_VERSION, KIB, MANIFEST, RECORDS, Limits
from referral_app.services.transfer.import_ import preview_import, read_export, run_import
from referral_app.services.transfer.problems import MESSAGES, Problem, TransferError
from referral_app.storage.repository import Repository
from tests.services.transfer.conftest import EXPORT_PASSPHRASE, copy_of, entries, export, rebuild
from tests.storage.conftest import full_referral

EXAMPLES = int(os.environ.get("TRANSFER_FUZZ_EXAMPLES", "1000"))
#: Small limits, so that an oversized entry costs little to make; the good file fits well.
LIMITS = Limits(
    archive_bytes=1024 * KIB,
    referrals=10,
    entries=12,
    entry_bytes=64 * KIB,
    total_bytes=256 * KIB,
    ratio=50,
    ratio_floor=16 * KIB,
)
HOSTILE_NAMES = (
    "../../evil.sh",
    "..\\..\\evil.bat",
    "/etc/passwd",
    "C:\\Windows\\evil.dll",
    "summaries/../../../x.pdf",
    "summaries/CSARP-2026-00001.pdf/../../x",
    "records.json/",
    "./records.json",
    "README.TXT",
    "summaries/",
    "summaries/evil.exe",
)
#: The most a single example may take: far above the milliseconds each needs.
SLOWEST = 10.0


@dataclass(repr=False)  # hypothesis prints the failing example: the archive is noise there
class World:
    archive: bytes
    contents: dict[str, bytes]
    target: Repository
    expected: list[dict[str, object]]
    before: tuple[int, int]
    outcomes: Counter[str] = field(default_factory=Counter)
    slowest: float = 0.0


def _state(repository: Repository) -> tuple[int, int]:
    return repository.count(), len(repository.audit_events())


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, transfer_template: Path) -> Iterator[World]:
    folder = tmp_path_factory.mktemp("fuzz")
    source_db = copy_of(transfer_template, folder / "source")
    target_db = copy_of(transfer_template, folder / "target")
    try:
        source = Repository(source_db)
        source.save(full_referral())
        source.save(full_referral("Other Person", "xx 1/2"))
        archive = export(source, folder / "e.zip").read_bytes()
        target = Repository(target_db)
        contents = read_export(io.BytesIO(archive), EXPORT_PASSPHRASE, limits=LIMITS)
        run_import(target, preview_import(target, contents))
        expected = [referral_to_dict(r) for r in contents.referrals]
        world = World(archive, entries(archive), target, expected, _state(target))
        yield world
        _report(world)
    finally:
        source_db.close()
        target_db.close()


def _report(world: World) -> None:
    chosen = os.environ.get("TRANSFER_FUZZ_REPORT")
    if chosen:
        report = {"examples": sum(world.outcomes.values()), "slowest_seconds": world.slowest}
        report["outcomes"] = dict(world.outcomes.most_common())
        Path(chosen).write_text(json.dumps(report, indent=2), encoding="utf-8")


# Mutations of the file's bytes


def flipped(data: st.DataObject, archive: bytes) -> bytes:
    changed = bytearray(archive)
    for _ in range(data.draw(st.integers(1, 8))):
        position = data.draw(st.integers(0, len(changed) - 1))
        changed[position] ^= data.draw(st.integers(1, 255))
    return bytes(changed)


def truncated(data: st.DataObject, archive: bytes) -> bytes:
    return archive[: data.draw(st.integers(0, len(archive) - 1))]


def inserted(data: st.DataObject, archive: bytes) -> bytes:
    position = data.draw(st.integers(0, len(archive)))
    extra = data.draw(st.binary(min_size=1, max_size=64))
    return archive[:position] + extra + archive[position:]


def deleted(data: st.DataObject, archive: bytes) -> bytes:
    start = data.draw(st.integers(0, len(archive) - 1))
    end = data.draw(st.integers(start + 1, min(len(archive), start + 256)))
    return archive[:start] + archive[end:]


def overwritten(data: st.DataObject, archive: bytes) -> bytes:
    start = data.draw(st.integers(0, len(archive) - 1))
    noise = data.draw(st.binary(min_size=1, max_size=128))
    return archive[:start] + noise + archive[start + len(noise) :]


# Archives rebuilt with the right passphrase, by someone who has it


def _manifest(contents: dict[str, bytes]) -> dict[str, object]:
    loaded: dict[str, object] = json.loads(contents[MANIFEST])
    return loaded


def altered_records(data: st.DataObject, contents: dict[str, bytes]) -> bytes:
    records = bytearray(contents[RECORDS])
    position = data.draw(st.integers(0, len(records) - 1))
    records[position] ^= data.draw(st.integers(1, 255))
    return rebuild({**contents, RECORDS: bytes(records)})  # the manifest no longer matches


def lying_manifest(data: st.DataObject, contents: dict[str, bytes]) -> bytes:
    manifest = _manifest(contents)
    listed = manifest["entries"]
    assert isinstance(listed, list)
    entry = listed[data.draw(st.integers(0, len(listed) - 1))]
    key = data.draw(st.sampled_from(["sha256", "size"]))
    values = (
        st.text("0123456789abcdef", min_size=64, max_size=64)
        if key == "sha256"
        else st.integers(0, 2**40)
    )
    entry[key] = data.draw(values.filter(lambda value: value != entry[key]))
    return rebuild({**contents, MANIFEST: json.dumps(manifest).encode()})


def too_new(data: st.DataObject, contents: dict[str, bytes]) -> bytes:
    manifest = _manifest(contents)
    key = data.draw(st.sampled_from(["schema_version", "format_version"]))
    manifest[key] = data.draw(st.integers(max(SCHEMA_VERSION, FORMAT_VERSION) + 1, 2**31))
    return rebuild({**contents, MANIFEST: json.dumps(manifest).encode()})


def extra_entry(data: st.DataObject, contents: dict[str, bytes]) -> bytes:
    name = data.draw(
        st.one_of(
            st.sampled_from(HOSTILE_NAMES),
            st.text(min_size=1, max_size=40).filter(lambda n: "\x00" not in n),
        )
    )
    body = data.draw(st.binary(max_size=256))
    return rebuild({**contents, name: body})


def oversized_entry(data: st.DataObject, contents: dict[str, bytes]) -> bytes:
    size = data.draw(st.integers(LIMITS.ratio_floor + 1, 4 * LIMITS.entry_bytes))
    name = data.draw(st.sampled_from([RECORDS, "summaries/CSARP-2026-00009.pdf", "README.txt"]))
    return rebuild({**contents, name: bytes(size)})


BYTES = (flipped, truncated, inserted, deleted, overwritten)
REBUILT = (altered_records, lying_manifest, too_new, extra_entry, oversized_entry)


def _outcome(world: World, archive: bytes, passphrase: str) -> str:
    """Import ``archive``; the name of the defined problem, or "accepted"."""
    try:
        contents = read_export(io.BytesIO(archive), passphrase, limits=LIMITS)
        preview = preview_import(world.target, contents)
        run_import(world.target, preview, [item.uid for item in preview.differing])
    except TransferError as error:
        assert error.problem is not Problem.UNEXPECTED, error.detail
        assert str(error) in MESSAGES.values()
        return str(error.problem)
    # Only a file whose every entry matches its manifest gets here: the same records.
    assert [referral_to_dict(r) for r in contents.referrals] == world.expected
    assert (len(preview.same), len(preview.new), len(preview.differing)) == (2, 0, 0)
    return "accepted"


@settings(
    max_examples=EXAMPLES,
    deadline=None,  # timed below instead: a slow CI machine must not make it flaky
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_no_mutated_export_crashes_hangs_or_imports_in_part(
    world: World, data: st.DataObject
) -> None:
    kind = data.draw(st.sampled_from([*BYTES, *REBUILT, "wrong passphrase"]), label="mutation")
    passphrase = EXPORT_PASSPHRASE
    if kind == "wrong passphrase":
        archive = world.archive
        right = passphrase.split()
        passphrase = data.draw(st.text(max_size=60).filter(lambda p: p.lower().split() != right))
        name = "wrong passphrase"
    elif kind in BYTES:
        archive = kind(data, world.archive)  # type: ignore[operator]
        name = kind.__name__  # type: ignore[union-attr]
    else:
        archive = kind(data, world.contents)  # type: ignore[operator]
        name = kind.__name__  # type: ignore[union-attr]
    started = time.monotonic()
    outcome = _outcome(world, archive, passphrase)
    took = time.monotonic() - started
    world.slowest = max(world.slowest, took)
    world.outcomes[f"{name}: {outcome}"] += 1
    assert took < SLOWEST
    assert _state(world.target) == world.before
    if kind in REBUILT:
        assert (
            outcome
            in {
                altered_records: {"altered"},
                lying_manifest: {"altered"},
                too_new: {"too_new"},
                extra_entry: {"altered"},
                oversized_entry: {"too_large"},
            }[kind]
        )  # type: ignore[index]
    elif kind == "wrong passphrase":
        assert outcome == "wrong_passphrase"
    else:
        # Damage never passes for a wrong passphrase: the right one is still the right one.
        assert outcome != "wrong_passphrase"
