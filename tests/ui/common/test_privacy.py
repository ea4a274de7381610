from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from referral_app.ui.common.privacy import MASK, PrivacyMode, initials


def test_masking_names_and_contact_details(qtbot: QtBot, tmp_path: Path) -> None:
    store = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    mode = PrivacyMode(store)
    assert mode.name("Zelda Quartermaine") == "Zelda Quartermaine"
    with qtbot.waitSignal(mode.changed) as changed:
        mode.set_masked(True)
    assert changed.args == [True]
    assert mode.name("Zelda Quartermaine") == "Z. Q."
    assert mode.contact("07700 900123") == MASK
    assert mode.contact("") == ""


def test_privacy_mode_is_remembered_between_runs(tmp_path: Path) -> None:
    path = str(tmp_path / "s.ini")
    PrivacyMode(QSettings(path, QSettings.Format.IniFormat)).set_masked(True)
    assert PrivacyMode(QSettings(path, QSettings.Format.IniFormat)).masked


def test_initials() -> None:
    assert initials("anne-marie o'neil") == "A. M. O."
    assert initials("   ") == MASK
