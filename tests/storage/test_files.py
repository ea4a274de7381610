"""The private atomic file every export, PDF and CSV goes through."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from referral_app.storage import files
from tests.permissions import assert_owner_only


def test_the_file_appears_whole_and_for_its_owner_only(tmp_path: Path) -> None:
    target = tmp_path / "out.bin"
    with files.private_atomic_file(target, "test") as handle:
        handle.write(b"first part, ")
        assert not target.exists()  # nothing under the real name until it is complete
        handle.write(b"second part")
    assert target.read_bytes() == b"first part, second part"
    assert_owner_only(target)
    assert [p.name for p in tmp_path.iterdir()] == ["out.bin"]


def test_a_failure_leaves_the_old_file_and_no_temporary_one(tmp_path: Path) -> None:
    target = tmp_path / "out.bin"
    target.write_bytes(b"the old file")
    with pytest.raises(RuntimeError), files.private_atomic_file(target, "test") as handle:
        handle.write(b"half of the new")
        raise RuntimeError("cut short")
    assert target.read_bytes() == b"the old file"
    assert [p.name for p in tmp_path.iterdir()] == ["out.bin"]


def test_a_full_disk_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full_disk(descriptor: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "fsync", full_disk)
    with pytest.raises(OSError), files.private_atomic_file(tmp_path / "out.bin", "test") as f:
        f.write(b"data")
    assert list(tmp_path.iterdir()) == []


def test_text_is_written_with_the_encoding_asked_for(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    with files.private_atomic_text(target, "test", encoding="utf-8-sig") as handle:
        csv.writer(handle).writerows([["Siân", "a,b"], ["line\nbreak", ""]])
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the byte order mark spreadsheets look for
    with target.open(encoding="utf-8-sig", newline="") as handle:
        assert list(csv.reader(handle)) == [["Siân", "a,b"], ["line\nbreak", ""]]
    assert_owner_only(target)


def test_a_failure_while_writing_text_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(ValueError), files.private_atomic_text(tmp_path / "x.csv", "t") as handle:
        handle.write("a line")
        raise ValueError("bad row")
    assert list(tmp_path.iterdir()) == []


def test_partial_files_a_crash_left_are_shredded_but_not_one_being_written(
    tmp_path: Path,
) -> None:
    left = tmp_path / ".export-0123456789abcdef.partial"
    left.write_bytes(b"encrypted bytes a power cut left behind")
    unrelated = tmp_path / ".export-notours.partial"
    unrelated.write_bytes(b"someone else's")
    with files.private_atomic_file(tmp_path / "out.zip", "export") as handle:
        handle.write(b"being written")
        (writing,) = [
            p
            for p in tmp_path.iterdir()
            if p.name.endswith(".partial") and p not in (left, unrelated)
        ]
        assert files.remove_leftovers(tmp_path, "export") == 1
        assert writing.exists()  # locked while it is written: never taken for a leftover
    assert not left.exists()
    assert unrelated.exists()
    assert (tmp_path / "out.zip").read_bytes() == b"being written"


def test_an_export_clears_what_an_interrupted_one_left_in_its_folder(tmp_path: Path) -> None:
    from referral_app.services.transfer.files import private_atomic_file

    left = tmp_path / ".export-fedcba9876543210.partial"
    left.write_bytes(b"x" * 1000)
    with private_atomic_file(tmp_path / "referrals-export.zip") as handle:
        handle.write(b"zip")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["referrals-export.zip"]
