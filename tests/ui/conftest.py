from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from referral_app.storage.access import create_database
from referral_app.storage.db import Database
from referral_app.storage.repository import Repository
from tests.storage.conftest import ADVOCATE, PASSPHRASE


@pytest.fixture(scope="session")
def template_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One real database made once; each test gets its own copy (creating costs a KDF)."""
    path = tmp_path_factory.mktemp("template") / "referrals.db"
    create_database(path, PASSPHRASE, ADVOCATE).close()
    return path


@pytest.fixture
def ui_db_path(tmp_path: Path, template_database: Path) -> Path:
    path = tmp_path / "data" / "referrals.db"
    path.parent.mkdir(mode=0o700)
    shutil.copyfile(template_database, path)
    return path


@pytest.fixture
def ui_database(ui_db_path: Path) -> Iterator[Database]:
    database = Database.unlock(ui_db_path, PASSPHRASE)
    yield database
    database.close()


@pytest.fixture
def ui_repository(ui_database: Database) -> Repository:
    return Repository(ui_database)
