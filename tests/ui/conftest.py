from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from referral_app.storage.access import create_database
from referral_app.storage.db import Database
from referral_app.storage.repository import Repository
from referral_app.ui import resources
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


def screenshot_folder(tmp_path: Path) -> Path:
    """Where render tests save PNGs: ``$REFERRAL_APP_SCREENSHOTS`` to look at them, else tmp."""
    chosen = os.environ.get("REFERRAL_APP_SCREENSHOTS")
    folder = Path(chosen) if chosen else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(params=[1.0, 2.0], ids=["default-text", "200%-text"])
def text_scale(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[float]:
    original = qapp.font()
    bigger = qapp.font()
    bigger.setPointSizeF(original.pointSizeF() * request.param)
    qapp.setFont(bigger)
    qapp.setStyleSheet(resources.stylesheet())
    yield request.param
    qapp.setFont(original)
    qapp.setStyleSheet("")
