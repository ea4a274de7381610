"""Status messages are said to screen readers (Qt's announcement event), not only shown."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QAccessible, QAccessibleEvent
from pytestqt.qtbot import QtBot

from referral_app.storage.repository import Repository
from referral_app.ui.common.privacy import PrivacyMode
from referral_app.ui.common.settings import Settings
from referral_app.ui.printing.dialog import PrintDialog
from referral_app.ui.transfer import ExportDialog
from referral_app.ui.window.main_window import MainWindow
from tests.storage.conftest import full_referral
from tests.ui.printing.test_printing import save_as
from tests.ui.transfer.test_transfer_dialogs import click, fake_renderer, open_export


@pytest.fixture
def announced(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What was announced: every accessibility update goes through this one function."""
    said: list[str] = []

    def update(event: QAccessibleEvent) -> None:
        if event.type() == QAccessible.Event.Announcement:
            said.append(event.message())  # type: ignore[attr-defined]

    monkeypatch.setattr(QAccessible, "updateAccessibility", staticmethod(update))
    return said


def test_saved_as_is_announced(
    qtbot: QtBot,
    ui_repository: Repository,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    announced: list[str],
) -> None:
    saved = ui_repository.save(full_referral())
    assert saved.id is not None
    dialog = PrintDialog(ui_repository, [saved.id])
    qtbot.addWidget(dialog)
    dialog.show()
    save_as(qtbot, dialog, dialog.pdf_button, tmp_path / "summary.pdf", monkeypatch)
    assert announced == ["Saved as summary.pdf."]


def test_copied_is_announced(qtbot: QtBot, ui_repository: Repository, announced: list[str]) -> None:
    saved = ui_repository.save(full_referral())
    assert saved.id is not None
    dialog = open_export(
        qtbot, ExportDialog.for_referrals(ui_repository, [saved.id], renderer=fake_renderer)
    )
    click(qtbot, dialog.passphrase.copy_button)
    assert len(announced) == 1
    assert announced[0].startswith("Copied. The clipboard will be emptied in 30 seconds")


def test_draft_saved_is_announced_once_not_at_every_autosave(
    qtbot: QtBot, ui_repository: Repository, tmp_path: Path, announced: list[str]
) -> None:
    settings = Settings(QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    privacy = PrivacyMode(QSettings(str(tmp_path / "privacy.ini"), QSettings.Format.IniFormat))
    window = MainWindow(settings=settings, repository=ui_repository, privacy=privacy)
    qtbot.addWidget(window)
    window.show()
    window.new_referral()
    assert window.wizard is not None
    assert window.wizard.save_draft()
    assert window.wizard.save_draft()
    assert announced == ["Draft saved"]
