"""The request letter editor on a real encrypted database: the first draft, saving (read back
through the repository), printing what is saved, and asking before changes are lost. Also
the print and letter dialogs at the default and at 200% text, to look at."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pypdf
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from referral_app.domain.audit import AuditAction
from referral_app.domain.referral import Referral
from referral_app.services.letter import SUBJECT
from referral_app.storage.repository import Repository
from referral_app.ui.printing import letter
from referral_app.ui.printing.dialog import PrintDialog
from referral_app.ui.printing.letter import UNSAVED, LetterDialog
from referral_app.ui.printing.outputs import LETTER
from tests.storage.conftest import full_referral
from tests.ui.conftest import screenshot_folder

TODAY = date(2026, 11, 21)
EDITED = "Dear Chief Constable,\n\nPlease reconsider.\n\nYours faithfully,\nAnn Advocate\n"


def page_texts(path: Path) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(path.read_bytes()))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def answer_save_dialog(monkeypatch: pytest.MonkeyPatch, target: Path) -> None:
    def choose(parent: QWidget, caption: str, suggested: str, kinds: str) -> tuple[str, str]:
        return str(target), kinds

    monkeypatch.setattr(QFileDialog, "getSaveFileName", choose)


@pytest.fixture
def unwritten(ui_repository: Repository) -> Referral:
    """A saved referral whose letter has not been written yet."""
    return ui_repository.save(replace(full_referral(), request_letter=""))


@pytest.fixture
def editor(qtbot: QtBot, ui_repository: Repository, unwritten: Referral) -> Iterator[LetterDialog]:
    assert unwritten.id is not None
    dialog = LetterDialog(ui_repository, unwritten.id, today=lambda: TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    yield dialog
    dialog.editor.setPlainText(dialog._loaded_text)  # nothing left to ask about
    dialog.close()


def type_letter(qtbot: QtBot, dialog: LetterDialog, text: str) -> None:
    """Select all, delete, and type ``text`` key by key (a line break is the Return key)."""
    dialog.editor.selectAll()
    qtbot.keyClick(dialog.editor, Qt.Key.Key_Delete)
    for number, line in enumerate(text.split("\n")):
        if number:
            qtbot.keyClick(dialog.editor, Qt.Key.Key_Return)
        if line:
            qtbot.keyClicks(dialog.editor, line)


def test_an_unwritten_letter_opens_as_a_first_draft_from_the_referral(
    editor: LetterDialog, unwritten: Referral
) -> None:
    text = editor.text()
    assert SUBJECT in text and "CPS Cymru-Wales" in text and "21 November 2026" in text
    assert "ZQ987/65" in text and unwritten.reference in text
    assert editor.state.text() == UNSAVED
    assert not editor.has_unsaved_changes()
    assert "Zelda" not in editor.windowTitle()


def test_save_letter_stores_it_with_the_referral(
    qtbot: QtBot, editor: LetterDialog, ui_repository: Repository, unwritten: Referral
) -> None:
    assert unwritten.id is not None
    type_letter(qtbot, editor, EDITED)
    assert editor.has_unsaved_changes()
    with qtbot.waitSignal(editor.saved, timeout=5000) as saved:
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert saved.args == [unwritten.id]
    stored = ui_repository.get(unwritten.id)
    assert stored.request_letter == EDITED
    assert stored.survivor.full_name == unwritten.survivor.full_name  # nothing else changed
    assert not editor.has_unsaved_changes()
    assert editor.message.text() == "The letter is saved."


def test_the_saved_letter_is_what_the_print_dialog_prints(
    qtbot: QtBot,
    editor: LetterDialog,
    ui_repository: Repository,
    unwritten: Referral,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert unwritten.id is not None
    type_letter(qtbot, editor, EDITED)
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    dialog = PrintDialog(ui_repository, [unwritten.id])
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.choice_buttons[LETTER], Qt.MouseButton.LeftButton)
    answer_save_dialog(monkeypatch, tmp_path / "letter.pdf")
    qtbot.mouseClick(dialog.pdf_button, Qt.MouseButton.LeftButton)
    (page,) = page_texts(tmp_path / "letter.pdf")
    assert page.endswith(" ".join(EDITED.split()))
    assert SUBJECT not in page


def test_printing_from_the_editor_saves_the_letter_first(
    qtbot: QtBot,
    editor: LetterDialog,
    ui_repository: Repository,
    unwritten: Referral,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert unwritten.id is not None
    type_letter(qtbot, editor, EDITED)
    answer_save_dialog(monkeypatch, tmp_path / "from-editor.pdf")
    qtbot.mouseClick(editor.pdf_button, Qt.MouseButton.LeftButton)
    assert ui_repository.get(unwritten.id).request_letter == EDITED
    (page,) = page_texts(tmp_path / "from-editor.pdf")
    assert page.endswith(" ".join(EDITED.split()))
    events = [e for e in ui_repository.audit_events() if e.action == AuditAction.PRINT]
    assert [(e.referral_id, e.detail) for e in events] == [(unwritten.id, "letter, pdf")]


def test_closing_with_changes_asks_and_cancel_keeps_the_letter_open(
    qtbot: QtBot,
    editor: LetterDialog,
    ui_repository: Repository,
    unwritten: Referral,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert unwritten.id is not None
    asked: list[str] = []

    def answer(choice: QMessageBox.StandardButton) -> None:
        def ask(parent: QWidget) -> QMessageBox.StandardButton:
            asked.append(choice.name)
            return choice

        monkeypatch.setattr(letter, "ask_to_save", ask)

    type_letter(qtbot, editor, EDITED)
    answer(QMessageBox.StandardButton.Cancel)
    qtbot.mouseClick(editor.close_button, Qt.MouseButton.LeftButton)
    assert editor.isVisible() and editor.text() == EDITED
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert editor.isVisible()
    answer(QMessageBox.StandardButton.Save)
    qtbot.mouseClick(editor.close_button, Qt.MouseButton.LeftButton)
    assert not editor.isVisible()
    assert asked == ["Cancel", "Cancel", "Save"]
    assert ui_repository.get(unwritten.id).request_letter == EDITED


def test_discarding_leaves_the_stored_letter_as_it_was(
    qtbot: QtBot,
    editor: LetterDialog,
    ui_repository: Repository,
    unwritten: Referral,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert unwritten.id is not None
    monkeypatch.setattr(letter, "ask_to_save", lambda parent: QMessageBox.StandardButton.Discard)
    type_letter(qtbot, editor, EDITED)
    qtbot.mouseClick(editor.close_button, Qt.MouseButton.LeftButton)
    assert not editor.isVisible()
    assert ui_repository.get(unwritten.id).request_letter == ""


def test_start_again_asks_then_refills_from_the_referral(
    qtbot: QtBot, editor: LetterDialog, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = editor.text()
    type_letter(qtbot, editor, EDITED)
    monkeypatch.setattr(letter, "ask_to_refill", lambda parent: False)
    qtbot.mouseClick(editor.refill_button, Qt.MouseButton.LeftButton)
    assert editor.text() == EDITED
    monkeypatch.setattr(letter, "ask_to_refill", lambda parent: True)
    qtbot.mouseClick(editor.refill_button, Qt.MouseButton.LeftButton)
    assert editor.text() == first


def test_the_print_dialog_opens_the_letter_editor(
    qtbot: QtBot, ui_repository: Repository, unwritten: Referral
) -> None:
    assert unwritten.id is not None
    dialog = PrintDialog(ui_repository, [unwritten.id], today=lambda: TODAY)
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.edit_letter_button, Qt.MouseButton.LeftButton)
    opened = dialog.letter_dialog
    assert isinstance(opened, LetterDialog) and opened.isVisible()
    assert dialog.chosen() == LETTER
    opened.close()


def test_the_dialogs_render_whole_at_every_text_size(
    qtbot: QtBot,
    ui_repository: Repository,
    unwritten: Referral,
    tmp_path: Path,
    text_scale: float,
) -> None:
    assert unwritten.id is not None
    folder = screenshot_folder(tmp_path)
    tag = f"{text_scale:g}x"
    for name, dialog in (
        ("print_dialog", PrintDialog(ui_repository, [unwritten.id])),
        ("letter_dialog", LetterDialog(ui_repository, unwritten.id, today=lambda: TODAY)),
    ):
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        QApplication.processEvents()
        for label in dialog.findChildren(QLabel):
            if label.isVisible() and label.wordWrap() and label.text():
                assert label.height() >= label.heightForWidth(label.width()), label.text()[:40]
        assert dialog.grab().save(str(folder / f"{name}_{tag}.png"))
        dialog.close()
