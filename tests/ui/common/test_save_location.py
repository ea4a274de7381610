"""PDFs and exports are not offered in a cloud-synced folder, and saving into one asks first."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QStandardPaths, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from referral_app.ui.common import save_location


def test_documents_in_onedrive_is_not_the_default_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    synced = tmp_path / "OneDrive" / "Documents"
    monkeypatch.setattr(
        QStandardPaths, "writableLocation", staticmethod(lambda kind: str(synced))
    )
    monkeypatch.setattr(Path, "home", classmethod(lambda cls: tmp_path))
    assert save_location.default_save_folder() == tmp_path


def test_documents_is_the_default_when_it_is_not_synced(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    documents = tmp_path / "Documents"
    monkeypatch.setattr(
        QStandardPaths, "writableLocation", staticmethod(lambda kind: str(documents))
    )
    assert save_location.default_save_folder() == documents


def _answer(qtbot: QtBot, button: QMessageBox.StandardButton, seen: list[str]) -> None:
    def press() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.append(box.text())
        box.button(button).click()

    QTimer.singleShot(0, press)


@pytest.mark.parametrize(
    ("button", "saved"),
    [(QMessageBox.StandardButton.Cancel, False), (QMessageBox.StandardButton.Save, True)],
)
def test_saving_into_a_synced_folder_asks_first(
    qtbot: QtBot, tmp_path: Path, button: QMessageBox.StandardButton, saved: bool
) -> None:
    seen: list[str] = []
    _answer(qtbot, button, seen)
    target = tmp_path / "Google Drive" / "summary.pdf"
    assert save_location.confirm_save_location(None, target) is saved
    assert seen == ["This folder is synced to the internet by Google Drive."]


def test_saving_into_an_ordinary_folder_asks_nothing(tmp_path: Path) -> None:
    assert save_location.confirm_save_location(None, tmp_path / "summary.pdf") is True
