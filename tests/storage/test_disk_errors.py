"""A full disk, a read-only file and damaged pages each get one plain message, lose nothing
saved, and leave the open session usable.

The full disk is a real one: a 3 MB tmpfs mounted for the test, which needs root (the test
is skipped without it). The read-only file is made immutable with ``chattr +i`` under root
(root writes through a read-only mode) or by its mode otherwise.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from referral_app.storage.access import change_passphrase, create_database, open_database
from referral_app.storage.db import Database
from referral_app.storage.errors import (
    CannotWriteError,
    DamagedDatabaseError,
    StorageError,
    WriteFailedError,
)
from referral_app.storage.repository import Repository
from tests.storage.conftest import ADVOCATE, PASSPHRASE, full_referral

NEW_PASSPHRASE = "quiet harbour lantern bicycle 93"
PAGE = 4096


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed")
    return found


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip("mounting a small file system needs root")
    mount = tmp_path / "small"
    mount.mkdir()
    made = subprocess.run(
        [_tool("mount"), "-t", "tmpfs", "-o", "size=3m,mode=0700", "tmpfs", str(mount)],
        capture_output=True,
        check=False,
    )
    if made.returncode != 0:
        pytest.skip("no tmpfs mount here")
    try:
        yield mount
    finally:
        subprocess.run([_tool("umount"), "-l", str(mount)], check=False)


def _fill_disk(folder: Path) -> Path:
    filler = folder / "filler"
    with filler.open("wb") as handle:
        try:
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
        except OSError as error:
            assert error.errno == errno.ENOSPC
    return filler


def test_a_full_disk_says_so_keeps_every_save_and_the_session(small_disk: Path) -> None:
    path = small_disk / "referrals.db"
    database = create_database(path, PASSPHRASE, ADVOCATE)
    try:
        repository = Repository(database)
        kept = repository.save(full_referral("Saved Before"))
        filler = _fill_disk(small_disk)

        with pytest.raises(WriteFailedError) as raised:
            for number in range(200):  # the log has some room left; the disk runs out
                repository.save(full_referral(f"Person {number}"))
        assert "the disk is full" in str(raised.value)
        with pytest.raises(WriteFailedError):  # the form's draft: the same plain message
            repository.save_draft({"account": "typed so far " * 20_000})
        with pytest.raises(StorageError) as changing:
            change_passphrase(database, PASSPHRASE, NEW_PASSPHRASE)
        assert "old one still works" in str(changing.value) or "disk" in str(changing.value)

        filler.unlink()
        assert repository.get(kept.id).survivor.full_name == "Saved Before"  # type: ignore[arg-type]
        repository.save(full_referral("Saved After"))  # the session carries on
    finally:
        database.close()
    with Database.unlock(path, PASSPHRASE) as reopened:
        assert reopened.integrity_ok()
        names = {r.survivor.full_name for r in Repository(reopened).all()}
    assert {"Saved Before", "Saved After"} <= names


@contextlib.contextmanager
def _read_only(path: Path) -> Iterator[None]:
    path.chmod(0o400)
    immutable = hasattr(os, "geteuid") and os.geteuid() == 0
    if (
        immutable
        and subprocess.run([_tool("chattr"), "+i", str(path)], check=False).returncode != 0
    ):
        path.chmod(0o600)
        pytest.skip("root writes through a read-only mode, and chattr is not available")
    try:
        yield
    finally:
        if immutable:
            subprocess.run([_tool("chattr"), "-i", str(path)], check=False)
        path.chmod(0o600)


def test_a_read_only_database_file_is_explained_at_unlock(
    db_path: Path, database: Database
) -> None:
    database.close()
    before = db_path.read_bytes()
    with _read_only(db_path), pytest.raises(CannotWriteError) as raised:
        open_database(db_path, PASSPHRASE, make_backup=False)
    assert "read-only" in str(raised.value)
    assert "Nothing was changed" in str(raised.value)
    assert db_path.read_bytes() == before
    open_database(db_path, PASSPHRASE, make_backup=False).close()


def test_a_damaged_second_page_is_found_at_unlock(db_path: Path, database: Database) -> None:
    database.close()
    with db_path.open("r+b") as handle:
        handle.seek(PAGE + 100)
        handle.write(b"\xa5" * 32)
    with pytest.raises(DamagedDatabaseError):
        open_database(db_path, PASSPHRASE, make_backup=False)


def test_a_damaged_first_page_points_to_the_backups_and_is_not_a_wrong_passphrase(
    db_path: Path, database: Database
) -> None:
    from referral_app.storage.attempts import FailedAttempts

    database.close()
    with db_path.open("r+b") as handle:
        handle.seek(100)
        handle.write(b"\xa5" * 32)
    with pytest.raises(DamagedDatabaseError) as raised:
        open_database(db_path, PASSPHRASE, make_backup=False)
    assert raised.value.first_page
    assert FailedAttempts.beside(db_path).times() == []  # not counted toward the wait
