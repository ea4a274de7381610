from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from referral_app.ui.common import resources


def test_icon_renders(qtbot: QtBot) -> None:
    icon = resources.app_icon()
    assert not icon.isNull()
    assert not icon.pixmap(32, 32).isNull()


def test_stylesheet_is_found() -> None:
    assert "QLabel" in resources.stylesheet()


def test_missing_resource_is_a_clear_error() -> None:
    with pytest.raises(FileNotFoundError, match="no-such-file"):
        resources.resource_path("no-such-file.svg")
