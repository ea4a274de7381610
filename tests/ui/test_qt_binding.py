"""The Qt binding itself must not corrupt Python: a guard for upgrades of PySide6."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot


def test_qt_calls_keep_references_to_none(qtbot: QtBot) -> None:
    box = QLineEdit()
    qtbot.addWidget(box)
    before = sys.getrefcount(None)
    for _ in range(1000):
        box.setText("x")
    # A binding that drops a reference to None on each call ends by freeing None and crashing.
    assert sys.getrefcount(None) >= before - 50
