"""The export opened by a tool other than the app: 7-Zip, as a recipient without the app would.

CI installs 7-Zip (see .ci/run); elsewhere these tests are skipped when it is missing.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from referral_app.domain.record_format import referral_to_dict
from referral_app.services.transfer.archive import MANIFEST, README, RECORDS
from referral_app.storage.repository import Repository
from tests.services.transfer.conftest import EXPORT_PASSPHRASE, export
from tests.storage.conftest import full_referral

SEVEN_ZIP = shutil.which("7z")
pytestmark = pytest.mark.skipif(SEVEN_ZIP is None, reason="7-Zip (7z) is not installed")


def seven_zip(*arguments: str) -> subprocess.CompletedProcess[bytes]:
    assert SEVEN_ZIP is not None
    return subprocess.run(
        [SEVEN_ZIP, *arguments],
        capture_output=True,
        stdin=subprocess.DEVNULL,  # a password prompt meets the end of input, not a hang
        timeout=60,
        check=False,
    )


@pytest.fixture
def archive(source: Repository, out: Path) -> Path:
    source.save(full_referral())
    source.save(full_referral("Other Person", "xx 1/2"))
    return export(source, out / "export.zip")


def test_seven_zip_tests_and_reads_the_records(source: Repository, archive: Path) -> None:
    tested = seven_zip("t", f"-p{EXPORT_PASSPHRASE}", str(archive))
    assert tested.returncode == 0, tested.stdout.decode(errors="replace")
    assert b"Everything is Ok" in tested.stdout
    read = seven_zip("x", "-so", f"-p{EXPORT_PASSPHRASE}", str(archive), RECORDS)
    assert read.returncode == 0
    document = json.loads(read.stdout)
    assert document["referrals"] == [referral_to_dict(r) for r in source.all()]


def test_every_entry_is_aes_256(archive: Path) -> None:
    listing = seven_zip("l", "-slt", f"-p{EXPORT_PASSPHRASE}", str(archive))
    assert listing.returncode == 0
    text = listing.stdout.decode()
    entries = [block for block in text.split("\n\n") if "\nPath = " in f"\n{block}"]
    files = [block for block in entries if "Method = " in block]
    paths = [line for block in files for line in block.splitlines() if line.startswith("Path = ")]
    names = {line.removeprefix("Path = ") for line in paths}
    assert {README, RECORDS, MANIFEST} <= names
    assert len(files) == 5
    for block in files:
        assert "Method = AES-256 Deflate" in block, block
        assert "Encrypted = +" in block, block


@pytest.mark.parametrize("password", ["-pwrong horse", None], ids=["wrong", "none"])
def test_seven_zip_refuses_without_the_passphrase(archive: Path, password: str | None) -> None:
    given = [password] if password else []
    tested = seven_zip("t", *given, str(archive))
    assert tested.returncode != 0
    read = seven_zip("x", "-so", *given, str(archive), RECORDS)
    assert read.returncode != 0
    assert b"Quartermaine" not in read.stdout
    assert b"referrals" not in read.stdout
