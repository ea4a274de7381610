"""The passphrase checker's advice, in British English from one place, and a "too easy to
guess" error that goes as soon as the passphrase is strong enough."""

from __future__ import annotations

import re
from pathlib import Path

import zxcvbn
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from referral_app.storage.passphrase import FEEDBACK, estimate
from referral_app.ui.access.create_database import CreateDatabaseDialog
from tests.storage.conftest import ADVOCATE
from tests.ui.access.test_startup import click, field_message, fill, fill_create, shown
from tests.ui.conftest import screenshot_folder

STRONG = "orbit lantern velvet quarry maple hollow"


def settle() -> None:
    """Let the layouts catch up with what changed, as the event loop would before painting."""
    for _ in range(5):
        QApplication.processEvents()


def test_the_checkers_advice_is_in_british_english() -> None:
    advice = estimate("Elephant").advice
    assert "Capitalisation doesn't help very much." in advice
    assert "Capitalization" not in advice


def test_every_message_of_the_checker_is_mapped_in_one_place() -> None:
    """Each message in zxcvbn's feedback module has its wording here, none American."""
    source = (Path(zxcvbn.__file__).parent / "feedback.py").read_text(encoding="utf-8")
    joined = re.sub(r"""(["'])\s*\\?\s*\n\s*(["'])""", "", source)  # strings split over lines
    messages = set(re.findall(r"""_\((?:'([^']*)'|"([^"]*)")\)""", joined))
    found = {single or double for single, double in messages}
    assert found, "zxcvbn's messages were not found"
    assert found <= set(FEEDBACK)
    american = re.compile(r"iz(e|ation)|color|favor|center\b", re.IGNORECASE)
    assert [text for text in FEEDBACK.values() if american.search(text)] == []


def test_too_easy_to_guess_clears_once_the_passphrase_is_strong(
    qtbot: QtBot, tmp_path: Path, text_scale: float
) -> None:
    dialog = shown(qtbot, CreateDatabaseDialog(tmp_path / "data" / "referrals.db"))
    fill_create(qtbot, dialog, passphrase="password")
    fill(qtbot, dialog.name, "")
    click(qtbot, dialog.create_button)
    message = field_message(dialog.passphrase)
    assert message is not None
    assert "too easy to guess" in message
    assert len(dialog.summary.messages()) == 2
    folder = screenshot_folder(tmp_path)
    suffix = "_200" if text_scale > 1 else ""
    settle()
    dialog.grab().save(str(folder / f"create_weak_passphrase{suffix}.png"))

    dialog.passphrase.edit.setFocus()
    qtbot.waitUntil(dialog.passphrase.edit.hasFocus)
    fill(qtbot, dialog.passphrase, STRONG)
    assert field_message(dialog.passphrase) is None
    assert dialog.summary.messages() == ["Enter your name"]  # what is still wrong stays
    assert dialog.passphrase.edit.hasFocus()  # typing goes on where it was
    settle()
    dialog.grab().save(str(folder / f"create_strong_passphrase{suffix}.png"))

    fill(qtbot, dialog.name, ADVOCATE.name)
    fill(qtbot, dialog.confirm, STRONG)
    click(qtbot, dialog.create_button)
    assert dialog.database is not None
    dialog.database.close()
