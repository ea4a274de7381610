"""The team-server screens on their own: where the records live, signing in, and the choice
between two versions of a referral. Each is rendered at default and 200% text."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from referral_app.storage.errors import StorageError
from referral_app.ui.access.sign_in import SignInDialog
from referral_app.ui.access.where import WhereDialog, ca_problem
from referral_app.ui.common.settings import ServerAddress, Settings
from referral_app.ui.widgets.conflict import Choice, ConflictDialog, Difference
from tests.ui.access.test_passphrase_dialog import cut_off
from tests.ui.access.test_passphrase_feedback import settle
from tests.ui.conftest import screenshot_folder

CA_TEXT = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def ca_file(tmp_path: Path) -> Path:
    path = tmp_path / "team-ca.crt"
    path.write_text(CA_TEXT)
    return path


def test_this_computer_is_the_first_choice_and_is_kept(qtbot: QtBot, settings: Settings) -> None:
    dialog = WhereDialog(settings)
    qtbot.addWidget(dialog)
    assert dialog.computer.isChecked()
    assert not dialog.server_fields.isVisibleTo(dialog)
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.continue_button, Qt.MouseButton.LeftButton)
    assert settings.where() == "computer"


def test_the_server_needs_every_detail_and_says_which(
    qtbot: QtBot, settings: Settings, tmp_path: Path, text_scale: float
) -> None:
    dialog = WhereDialog(settings)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.server.setChecked(True)
    assert dialog.server_fields.isVisible()
    dialog.host.edit.setText("https://records example")
    dialog.port.edit.setText("99999")
    (tmp_path / "notes.txt").write_text("not a certificate")
    dialog.ca.edit.setText(str(tmp_path / "notes.txt"))
    qtbot.mouseClick(dialog.continue_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.summary.messages() == [
        "Enter the server's address without spaces or a web address's https://",
        "Enter the port as a number from 1 to 65535",
        "Enter the database name",
        "That file is not a certificate in the usual text form (it should contain BEGIN "
        "CERTIFICATE): ask for the CA certificate as a .crt or .pem file",
    ]
    assert settings.where() is None
    settle()
    assert cut_off(dialog) == []
    folder = screenshot_folder(tmp_path)
    dialog.grab().save(str(folder / f"team-where-problems-{text_scale:.0f}x.png"))


def test_a_whole_server_address_is_kept_without_any_password(
    qtbot: QtBot, settings: Settings, ca_file: Path, tmp_path: Path, text_scale: float
) -> None:
    dialog = WhereDialog(settings)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.server, Qt.MouseButton.LeftButton)
    dialog.host.edit.setText(" records.example.org.uk ")
    dialog.database_name.edit.setText("referrals")
    dialog.ca.edit.setText(str(ca_file))
    settle()
    assert cut_off(dialog) == []
    folder = screenshot_folder(tmp_path)
    dialog.grab().save(str(folder / f"team-where-server-{text_scale:.0f}x.png"))
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.continue_button, Qt.MouseButton.LeftButton)
    assert settings.where() == "server"
    assert settings.server_address() == ServerAddress(
        "records.example.org.uk", 5432, "referrals", ca_file
    )
    kept = (tmp_path / "ui.ini").read_text()
    assert "password" not in kept.lower()


def test_a_missing_or_huge_certificate_file_is_told_plainly(tmp_path: Path) -> None:
    assert ca_problem("") == "Choose the server's CA certificate file"
    assert ca_problem(str(tmp_path / "gone.crt")) == (
        "The CA certificate file was not found: choose it again"
    )
    big = tmp_path / "big.crt"
    big.write_bytes(b"x" * 1_000_001)
    assert ca_problem(str(big)) is not None and "too big" in str(ca_problem(str(big)))


def _sign_in_dialog(
    settings: Settings, ca_file: Path, connect: object, **kwargs: object
) -> SignInDialog:
    address = ServerAddress("records.example.org.uk", 5432, "referrals", ca_file)
    return SignInDialog(address, settings, connect, **kwargs)  # type: ignore[arg-type]


def test_a_failed_sign_in_says_one_plain_sentence_and_forgets_the_password(
    qtbot: QtBot, settings: Settings, ca_file: Path, tmp_path: Path, text_scale: float
) -> None:
    tried: list[tuple[str, str]] = []

    def connect(_address: ServerAddress, user: str, password: str) -> object:
        tried.append((user, password))
        raise StorageError("The user name or password is not right.")

    dialog = _sign_in_dialog(settings, ca_file, connect)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    assert dialog.summary.messages() == ["Enter your user name", "Enter your password"]
    assert tried == []
    dialog.user.edit.setText("asha")
    dialog.password.edit.setText("wrong horse")
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    assert tried == [("asha", "wrong horse")]
    assert dialog.summary.messages() == ["The user name or password is not right."]
    assert dialog.password.text() == ""
    assert dialog.isVisible()
    settle()
    assert cut_off(dialog) == []
    folder = screenshot_folder(tmp_path)
    dialog.grab().save(str(folder / f"team-sign-in-wrong-{text_scale:.0f}x.png"))


def test_signing_in_keeps_the_user_name_for_next_time(
    qtbot: QtBot, settings: Settings, ca_file: Path
) -> None:
    opened = object()
    dialog = _sign_in_dialog(settings, ca_file, lambda _a, _u, _p: opened)
    qtbot.addWidget(dialog)
    dialog.user.edit.setText("asha")
    dialog.password.edit.setText("right horse battery")
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    assert dialog.database is opened
    assert settings.server_user() == "asha"
    again = _sign_in_dialog(settings, ca_file, lambda _a, _u, _p: opened, locked=True)
    qtbot.addWidget(again)
    assert again.user.text() == "asha"
    assert again.windowTitle() == "CSARP Referrals — Locked"
    assert not again.change_button.isVisibleTo(again)


def test_both_versions_are_shown_and_nothing_is_chosen_by_going_back(
    qtbot: QtBot, tmp_path: Path, text_scale: float
) -> None:
    differences = [
        Difference("Status", "Referred to the Panel", "Waiting for the force's reply"),
        Difference("Follow up on", "14 January 2027", ""),
        Difference(
            "Notes",
            "Spoke to the survivor; they want the review to go ahead.",
            "Force asked for the decision letter again.",
        ),
    ]
    saved_at = datetime(2026, 12, 3, 14, 5, tzinfo=UTC)
    dialog = ConflictDialog(differences, "Ben Okafor", saved_at)
    qtbot.addWidget(dialog)
    dialog.show()
    texts = [label.text() for label in dialog.findChildren(QLabel)]
    for difference in differences:
        assert difference.mine in texts
        assert (difference.theirs or "(empty)") in texts
    settle()
    assert cut_off(dialog) == []
    folder = screenshot_folder(tmp_path)
    dialog.grab().save(str(folder / f"team-conflict-{text_scale:.0f}x.png"))
    qtbot.mouseClick(dialog.back_button, Qt.MouseButton.LeftButton)
    assert dialog.choice is Choice.BACK
    again = ConflictDialog(differences, "Ben Okafor", saved_at)
    qtbot.addWidget(again)
    qtbot.mouseClick(again.theirs_button, Qt.MouseButton.LeftButton)
    assert again.choice is Choice.THEIRS
