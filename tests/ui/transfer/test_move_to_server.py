"""Moving this computer's referrals to the team's server, through the real dialog, from a
real encrypted file to a real PostgreSQL server: all of them or none, matched by uid."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from referral_app.storage.access import create_database
from referral_app.storage.repository import Repository
from referral_app.storage.team import TeamDatabase
from referral_app.ui.transfer.move_dialog import MoveDialog
from tests.storage.conftest import ADVOCATE, PASSPHRASE, full_referral
from tests.ui.conftest import screenshot_folder

SignIn = Callable[[str], TeamDatabase]
WAIT = 30_000


def _local_file(tmp_path: Path, count: int) -> tuple[Path, list[str]]:
    path = tmp_path / "laptop" / "referrals.db"
    path.parent.mkdir(mode=0o700)
    database = create_database(path, PASSPHRASE, ADVOCATE)
    repository = Repository(database)
    uids = [
        repository.save(full_referral(name=f"Laptop Person {n}", crime_ref=f"LP {n}/26")).uid
        for n in range(count)
    ]
    database.close()
    return path, uids


def _check(qtbot: QtBot, dialog: MoveDialog, wanted: str) -> None:
    with qtbot.waitSignal(
        dialog.state_changed, timeout=WAIT, check_params_cb=lambda state: state == wanted
    ):
        qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)


def test_the_referrals_on_this_computer_move_once_and_are_matched_the_second_time(
    qtbot: QtBot, sign_in: SignIn, tmp_path: Path
) -> None:
    path, uids = _local_file(tmp_path, 3)
    before = path.read_bytes()
    server = Repository(sign_in("alice"))
    dialog = MoveDialog(server, path)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.file_path == path
    dialog.passphrase.edit.setText(PASSPHRASE)
    _check(qtbot, dialog, "preview")
    assert len(dialog.preview.new) == 3 if dialog.preview else False
    folder = screenshot_folder(tmp_path)
    dialog.grab().save(str(folder / "team-move-preview.png"))
    with qtbot.waitSignal(dialog.imported, timeout=WAIT):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert dialog.state == "imported"
    assert "has not been changed" in dialog.confirmation.detail.text()
    moved = server.list_summaries()
    assert sorted(summary.survivor_name for summary in moved) == [
        f"Laptop Person {n}" for n in range(3)
    ]
    assert {server.get(summary.id).uid for summary in moved} == set(uids)
    assert path.read_bytes()[:4096] == before[:4096]  # the file's header, untouched

    again = MoveDialog(server, path)
    qtbot.addWidget(again)
    again.passphrase.edit.setText(PASSPHRASE)
    _check(qtbot, again, "preview")
    assert again.preview is not None and len(again.preview.same) == 3
    assert not again.import_button.isEnabled()
    assert server.count_summaries() == 3


def test_a_wrong_passphrase_is_said_beside_it_and_nothing_moves(
    qtbot: QtBot, sign_in: SignIn, tmp_path: Path
) -> None:
    path, _uids = _local_file(tmp_path, 1)
    server = Repository(sign_in("alice"))
    dialog = MoveDialog(server, path)
    qtbot.addWidget(dialog)
    dialog.passphrase.edit.setText("not the passphrase of this file")
    _check(qtbot, dialog, "failed")
    assert dialog.passphrase.error.isVisible() or dialog.passphrase.error.text()
    assert "passphrase" in dialog.summary.messages()[0].lower()
    assert server.count_summaries() == 0
