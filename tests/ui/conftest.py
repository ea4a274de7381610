from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QSettings
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from referral_app.domain.referral import Referral
from referral_app.storage.access import create_database
from referral_app.storage.db import Database
from referral_app.storage.repository import Repository
from referral_app.ui.common import resources
from referral_app.ui.common.privacy import PrivacyMode
from referral_app.ui.record.view import RecordView
from tests.storage.conftest import ADVOCATE, PASSPHRASE, full_referral
from tests.ui.record_helpers import VIEWS, open_view


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


@pytest.fixture
def privacy(tmp_path: Path) -> PrivacyMode:
    """Privacy mode on settings of the test's own."""
    return PrivacyMode(QSettings(str(tmp_path / "privacy.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def stored(ui_repository: Repository) -> Referral:
    return ui_repository.save(full_referral())


@pytest.fixture(autouse=True)
def destroy_views() -> Iterator[None]:
    """Delete each view (with its dialogs and the form pages it holds) after the test.

    pytest-qt's deleteLater() never runs outside an event loop; hundreds of leftover widgets
    would make every later stylesheet change in the test session slow.
    """
    yield
    while VIEWS:
        view = VIEWS.pop()
        view.close()
        view.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture
def view(
    qtbot: QtBot, ui_repository: Repository, privacy: PrivacyMode, stored: Referral
) -> RecordView:
    assert stored.id is not None
    return open_view(qtbot, ui_repository, privacy, stored.id)
