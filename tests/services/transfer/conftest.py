"""Databases, an export file and helpers shared by the export and import tests."""

from __future__ import annotations

import io
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import pyzipper  # type: ignore[import-untyped]

from referral_app.domain.referral import Referral
from referral_app.services.transfer.export import write_export
from referral_app.storage.access import create_database
from referral_app.storage.db import Database
from referral_app.storage.exporting import load_referrals
from referral_app.storage.repository import Repository
from tests.storage.conftest import ADVOCATE, PASSPHRASE

#: What the advocate would read out over the phone.
EXPORT_PASSPHRASE = "orbit lantern velvet quarry maple hollow"


def names_in(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


def fake_pdf(referral: Referral) -> bytes:
    """Stands in for the real summary where the PDF itself is not under test (it is slow)."""
    return f"%PDF-1.4\n% summary of {referral.reference}\n%%EOF\n".encode()


def export(
    repository: Repository,
    target: Path,
    ids: list[int] | None = None,
    passphrase: str = EXPORT_PASSPHRASE,
) -> Path:
    chosen = repository.list_ids() if ids is None else ids
    referrals = load_referrals(repository.database, chosen)
    write_export(target, referrals, ADVOCATE, passphrase, render_pdf=fake_pdf)
    return target


def entries(archive: bytes | Path, passphrase: str = EXPORT_PASSPHRASE) -> dict[str, bytes]:
    """Every entry of an export, decrypted (test-side, with pyzipper directly)."""
    source = io.BytesIO(archive) if isinstance(archive, bytes) else archive
    with pyzipper.AESZipFile(source) as opened:
        opened.setpassword(passphrase.encode())
        return {name: opened.read(name) for name in opened.namelist()}


def rebuild(
    contents: dict[str, bytes],
    passphrase: str = EXPORT_PASSPHRASE,
    *,
    encrypt: bool = True,
) -> bytes:
    """An archive with ``contents`` as given, for files the app would never make."""
    buffer = io.BytesIO()
    options = {"encryption": pyzipper.WZ_AES} if encrypt else {}
    with pyzipper.AESZipFile(buffer, "w", compression=pyzipper.ZIP_DEFLATED, **options) as out:
        if encrypt:
            out.setpassword(passphrase.encode())
            out.setencryption(pyzipper.WZ_AES, nbits=256)
        for name, data in contents.items():
            out.writestr(name, data)
    return buffer.getvalue()


@pytest.fixture(scope="session")
def transfer_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One database made once; each test copies it (making one costs a key derivation)."""
    path = tmp_path_factory.mktemp("transfer-template") / "referrals.db"
    create_database(path, PASSPHRASE, ADVOCATE).close()
    return path


def copy_of(template: Path, folder: Path) -> Database:
    folder.mkdir(mode=0o700, parents=True)
    path = folder / "referrals.db"
    shutil.copyfile(template, path)
    return Database.unlock(path, PASSPHRASE)


@pytest.fixture
def open_repository(
    tmp_path: Path, transfer_template: Path
) -> Iterator[Callable[[str], Repository]]:
    opened: list[Database] = []

    def open_(name: str) -> Repository:
        database = copy_of(transfer_template, tmp_path / name)
        opened.append(database)
        return Repository(database)

    yield open_
    for database in opened:
        database.close()


@pytest.fixture
def source(open_repository: Callable[[str], Repository]) -> Repository:
    return open_repository("source")


@pytest.fixture
def target(open_repository: Callable[[str], Repository]) -> Repository:
    return open_repository("target")


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """A folder of its own for export files, so that leftovers show."""
    folder = tmp_path / "exports"
    folder.mkdir()
    return folder
