"""Test-wide set-up: Qt offscreen, and no test ever touches the user's real data or settings."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Redirect every per-user folder before anything asks for it (platformdirs and Qt read these
# on Linux); the Qt settings path is redirected as well below, for every platform.
_SANDBOX = Path(tempfile.mkdtemp(prefix="referral-app-tests-"))
for _name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
    os.environ[_name] = str(_SANDBOX / _name.lower())


@pytest.fixture(scope="session", autouse=True)
def _isolated_settings() -> Iterator[Path]:
    from PySide6.QtCore import QSettings, QStandardPaths

    QStandardPaths.setTestModeEnabled(True)
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(_SANDBOX / "qsettings")
    )
    yield _SANDBOX


@pytest.fixture(autouse=True)
def _sandboxed_database_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Whatever the platform, a test that asks for the default database gets a sandbox."""
    from referral_app.storage import paths

    monkeypatch.setattr(
        paths, "default_database_path", lambda: tmp_path / "user-data" / "referrals.db"
    )


@pytest.fixture
def repo_root() -> Path:
    return Path(__file__).resolve().parent.parent


# The throwaway PostgreSQL server and its advocates, for the team-mode tests of every folder
# (here, so that one server serves the whole run).
from tests.storage.team_fixtures import pg_server, sign_in, team_dbname  # noqa: E402, F401
