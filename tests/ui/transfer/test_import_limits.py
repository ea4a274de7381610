"""An export file over the record format's limits is refused in the import window itself,
with the limit named, before anything is compared with the records here."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from referral_app.storage.repository import Repository
from tests.services.transfer.hostile import HOSTILE, archive, record
from tests.ui.conftest import screenshot_folder
from tests.ui.transfer.test_transfer_dialogs import check, open_import


def test_the_preview_refuses_a_file_over_a_limit_naming_it(
    qtbot: QtBot,
    ui_repository: Repository,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    text_scale: float,
) -> None:
    records = [record(n) for n in range(1, 4)]
    HOSTILE["crime references"][0](records[2], 60)
    path = tmp_path / "from-colleague.zip"
    path.write_bytes(archive(records))
    dialog = open_import(qtbot, ui_repository, monkeypatch, path)
    check(qtbot, dialog, "orbit lantern velvet quarry maple hollow", "failed")
    [message] = dialog.summary.messages()
    assert message.startswith("Referral 3 of 3 in this file has more than 50 crime references")
    assert dialog.file_error.isVisible()
    assert dialog.file_error.text().endswith(message)
    assert ui_repository.count() == 0
    for _ in range(3):
        QApplication.processEvents()
    name = "import_refused_over_limit" + ("_200" if text_scale > 1 else "")
    dialog.grab().save(str(screenshot_folder(tmp_path) / f"{name}.png"))
