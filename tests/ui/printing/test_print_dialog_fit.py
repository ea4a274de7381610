"""The print dialog grows to fit its "Saved as …" line, and its save dialog starts in the
folder last used for PDFs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from referral_app.domain.referral import Referral
from referral_app.storage.repository import Repository
from referral_app.ui.printing.dialog import PrintDialog
from tests.storage.conftest import full_referral
from tests.ui.conftest import screenshot_folder
from tests.ui.printing.test_printing import save_as


@pytest.fixture
def saved(ui_repository: Repository) -> Referral:
    return ui_repository.save(full_referral())


@pytest.fixture
def dialog(
    qtbot: QtBot, ui_repository: Repository, saved: Referral, text_scale: float
) -> Iterator[PrintDialog]:
    """Made after the text size is set, as the app makes it."""
    assert saved.id is not None
    shown = PrintDialog(ui_repository, [saved.id])
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    yield shown
    shown.close()


def test_the_saved_as_line_has_room_of_its_own(
    qtbot: QtBot,
    dialog: PrintDialog,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    text_scale: float,
) -> None:
    folder = tmp_path / "a folder"
    folder.mkdir()
    target = folder / ("a-long-file-name-for-the-referral-summary-" * 2 + "saved.pdf")
    save_as(qtbot, dialog, dialog.pdf_button, target, monkeypatch)
    assert dialog.message.text() == f"Saved as {target.name}."
    for _ in range(3):
        QApplication.processEvents()
    message = dialog.message.geometry()
    assert dialog.message.height() >= dialog.message.heightForWidth(dialog.message.width())
    for label in dialog.findChildren(QLabel):
        if label is not dialog.message and label.isVisible():
            assert not label.geometry().intersects(message), label.text()
    assert message.bottom() < dialog.print_button.geometry().top()
    name = "print_dialog_saved" + ("_200" if text_scale > 1 else "")
    dialog.grab().save(str(screenshot_folder(tmp_path) / f"{name}.png"))


def test_the_pdf_save_dialog_starts_where_the_last_pdf_went(
    qtbot: QtBot, dialog: PrintDialog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    QSettings().remove("folders")  # the test session's settings: nothing saved here yet
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    first = save_as(qtbot, dialog, dialog.pdf_button, None, monkeypatch)
    assert Path(first.offered[0]).parent == Path(documents)  # never the working directory
    chosen = tmp_path / "cases"
    chosen.mkdir()
    save_as(qtbot, dialog, dialog.pdf_button, chosen / "one.pdf", monkeypatch)
    again = save_as(qtbot, dialog, dialog.pdf_button, None, monkeypatch)
    assert Path(again.offered[0]).parent == chosen
