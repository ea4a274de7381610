"""The export dialog reads the referrals on its worker thread, while the window shows progress.

The dialog is given the real reader wrapped in a gate: it reads two referrals at a time from
the real database and then waits, between chunks, until the test lets it go on, so each test
can act while the export is still reading. Every wait is on a signal, an event or a widget's
text, never on a clock.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QFileDialog, QWidget
from pytestqt.qtbot import QtBot

from referral_app.domain.audit import AuditAction
from referral_app.domain.referral import Referral
from referral_app.services.transfer.tasks import BackgroundTask
from referral_app.storage.db import Database
from referral_app.storage.errors import RecordNotFoundError
from referral_app.storage.exporting import read_referrals
from referral_app.storage.repository import Repository
from referral_app.ui.access.lock import close_dialogs
from referral_app.ui.transfer import ExportDialog
from tests.ui.transfer.test_transfer_dialogs import (
    WAIT,
    click,
    fake_renderer,
    open_export,
    saved_referrals,
    states,
)

#: Referrals in each test's export: three chunks of two, and one over.
COUNT = 7


class ReadGate:
    """``read_referrals`` two at a time, holding after the first chunk until ``go_on``."""

    def __init__(self) -> None:
        self.waiting = threading.Event()
        self.go_on = threading.Event()
        #: The thread each reading ran on, as Qt knows it.
        self.threads: list[QThread] = []

    def reader(self, database: Database, ids: Sequence[int]) -> Iterator[list[Referral]]:
        self.threads.append(QThread.currentThread())
        for number, chunk in enumerate(read_referrals(database, ids, chunk_size=2)):
            yield chunk
            if number == 0:  # the export has written the first chunk and wants the next
                self.waiting.set()
                self.go_on.wait(WAIT / 1000)


@pytest.fixture
def gate() -> Iterator[ReadGate]:
    gate = ReadGate()
    yield gate
    gate.go_on.set()  # never leave a worker waiting


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where QFileDialog.getSaveFileName saves: the suggested name in a folder of its own."""
    chosen = tmp_path / "chosen"
    chosen.mkdir()

    def choose(_parent: QWidget, _caption: str, start: str, _filter: str) -> tuple[str, str]:
        return str(chosen / Path(start).name), "Encrypted ZIP files (*.zip)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", choose)
    return chosen


@pytest.fixture
def exporting(
    qtbot: QtBot, ui_repository: Repository, folder: Path, gate: ReadGate
) -> ExportDialog:
    """An export of every referral, saved and now held in the middle of reading them."""
    saved_referrals(ui_repository, COUNT)
    dialog = open_export(
        qtbot,
        ExportDialog.for_everything(ui_repository, renderer=fake_renderer, reader=gate.reader),
    )
    with qtbot.waitSignal(
        dialog.state_changed, timeout=WAIT, check_params_cb=states(dialog, "working")
    ):
        click(qtbot, dialog.save_button)
    assert gate.waiting.wait(WAIT / 1000)
    return dialog


def exported(repository: Repository) -> list[int | None]:
    return [e.referral_id for e in repository.audit_events() if e.action == AuditAction.EXPORT]


def test_the_records_are_read_on_the_worker_while_the_window_shows_progress(
    qtbot: QtBot, ui_repository: Repository, folder: Path, gate: ReadGate, exporting: ExportDialog
) -> None:
    dialog = exporting
    [reading] = gate.threads
    assert isinstance(reading, BackgroundTask)
    assert reading is not QThread.currentThread()
    assert dialog.state == "working"
    assert dialog.progress.isVisible()
    assert not dialog.save_button.isEnabled()
    assert dialog.cancel_button.text() == "Cancel export"
    qtbot.waitUntil(
        lambda: dialog.progress.label.text() == f"Reading the records: 2 of {COUNT}",
        timeout=WAIT,
    )
    assert not any(path.suffix == ".zip" for path in folder.iterdir())  # still being written
    with qtbot.waitSignal(
        dialog.state_changed, timeout=WAIT, check_params_cb=states(dialog, "saved")
    ):
        gate.go_on.set()
    assert gate.threads == [reading, reading]  # the records, then the summaries
    assert dialog.progress.label.text() == f"Making the PDF summaries: {COUNT} of {COUNT}"
    assert len(list(folder.iterdir())) == 1
    assert exported(ui_repository) == ui_repository.list_ids()


def test_cancel_while_reading_leaves_no_file_and_the_export_can_be_tried_again(
    qtbot: QtBot, ui_repository: Repository, folder: Path, gate: ReadGate, exporting: ExportDialog
) -> None:
    dialog = exporting
    with qtbot.waitSignal(
        dialog.state_changed, timeout=WAIT, check_params_cb=states(dialog, "cancelled")
    ):
        click(qtbot, dialog.cancel_button)
        gate.go_on.set()
    assert list(folder.iterdir()) == []
    assert exported(ui_repository) == []
    assert dialog.cancelled_note.isVisible()
    assert dialog.save_button.isVisible() and dialog.save_button.isEnabled()
    with qtbot.waitSignal(
        dialog.state_changed, timeout=WAIT, check_params_cb=states(dialog, "saved")
    ):
        click(qtbot, dialog.save_button)
    assert len(list(folder.iterdir())) == 1
    assert len(exported(ui_repository)) == COUNT


def test_closing_while_reading_returns_once_the_worker_has_stopped(
    ui_database: Database,
    ui_repository: Repository,
    folder: Path,
    gate: ReadGate,
    exporting: ExportDialog,
) -> None:
    [reading] = gate.threads
    threading.Timer(0.05, gate.go_on.set).start()  # the worker is let go while reject() waits
    exporting.reject()
    assert reading.isFinished()
    assert not exporting.isVisible()
    assert list(folder.iterdir()) == []
    assert exported(ui_repository) == []
    ui_database.close()  # nothing is reading any more
    assert not ui_database.is_open


def test_locking_while_reading_stops_the_worker_before_the_database_closes(
    ui_database: Database, folder: Path, gate: ReadGate, exporting: ExportDialog
) -> None:
    """What the main window does when the app locks: close every dialog, then the database."""
    [reading] = gate.threads
    threading.Timer(0.05, gate.go_on.set).start()
    assert close_dialogs(keep=QWidget()) == 1
    assert reading.isFinished()
    assert list(folder.iterdir()) == []
    ui_database.close()


def test_a_referral_deleted_while_reading_is_a_plain_message_and_no_file(
    qtbot: QtBot, ui_repository: Repository, folder: Path, gate: ReadGate, exporting: ExportDialog
) -> None:
    dialog = exporting
    gone = ui_repository.list_ids()[-1]
    ui_repository.delete(gone)  # from the window, between two of the worker's chunks
    with qtbot.waitSignal(
        dialog.state_changed, timeout=WAIT, check_params_cb=states(dialog, "failed")
    ):
        gate.go_on.set()
    assert dialog.summary.messages() == [str(RecordNotFoundError(gone))]
    assert list(folder.iterdir()) == []
    assert exported(ui_repository) == []
    assert dialog.save_button.isVisible() and dialog.save_button.isEnabled()


def test_a_referral_deleted_after_it_was_chosen_is_a_plain_message_and_no_file(
    qtbot: QtBot, ui_repository: Repository, folder: Path
) -> None:
    ids = saved_referrals(ui_repository, 2)
    dialog = open_export(
        qtbot, ExportDialog.for_referrals(ui_repository, ids, renderer=fake_renderer)
    )
    ui_repository.delete(ids[0])
    with qtbot.waitSignal(
        dialog.state_changed, timeout=WAIT, check_params_cb=states(dialog, "failed")
    ):
        click(qtbot, dialog.save_button)
    message = f"Referral {ids[0]} is not in the database (it may have been deleted)."
    assert dialog.summary.messages() == [message]
    assert list(folder.iterdir()) == []
    assert exported(ui_repository) == []
