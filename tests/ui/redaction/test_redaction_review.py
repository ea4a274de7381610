"""The redacted copy's review page, driven from the print dialog on a real encrypted database:
a proposal removed by keyboard, a stretch selected and hidden, the PDF read back; the choices
kept with the referral, shown again on reprint, and audited without the text."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel
from pytestqt.qtbot import QtBot

from referral_app.domain.audit import AuditAction
from referral_app.domain.flow import Page
from referral_app.domain.referral import Referral
from referral_app.storage.repository import Repository
from referral_app.ui.printing.dialog import PrintDialog
from referral_app.ui.printing.outputs import REDACTED
from referral_app.ui.record.edit import EditDialog
from referral_app.ui.redaction.review import ReviewDialog
from referral_app.ui.wizard.survivor import SurvivorPage
from tests.storage.conftest import full_referral
from tests.ui.conftest import screenshot_folder
from tests.ui.printing.test_printing import FileDialog, printed, texts

ACCOUNT = (
    "Zelda told her teacher 👍 about the red door. Quartermaine was her name then.\n\n"
    "She lived at 1 Example Street and her uncle Rhys Quartermaine knew."
)


@pytest.fixture
def saved(ui_repository: Repository) -> Referral:
    referral = full_referral()
    referral.case.account = ACCOUNT
    return ui_repository.save(referral)


def print_dialog(qtbot: QtBot, repository: Repository, saved: Referral) -> PrintDialog:
    assert saved.id is not None
    dialog = PrintDialog(repository, [saved.id])
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.choice_buttons[REDACTED].setChecked(True)
    return dialog


def open_review(
    qtbot: QtBot, dialog: PrintDialog, monkeypatch: pytest.MonkeyPatch, target: Path
) -> tuple[ReviewDialog, FileDialog]:
    answer = FileDialog(target)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", answer)
    qtbot.mouseClick(dialog.pdf_button, Qt.MouseButton.LeftButton)
    assert dialog.review is not None and dialog.review.dialog is not None
    review = dialog.review.dialog
    qtbot.waitExposed(review)
    assert answer.offered == []  # nothing is saved before the review is confirmed
    return review, answer


def rows(review: ReviewDialog) -> list[tuple[str, bool]]:
    items = [review.list.item(row) for row in range(review.list.count())]
    return [(item.text(), item.checkState() == Qt.CheckState.Checked) for item in items]


def select(review: ReviewDialog, words: str) -> None:
    cursor = review.text.document().find(words)
    assert not cursor.isNull()
    review.text.setTextCursor(cursor)


@pytest.fixture
def dialogs() -> Iterator[None]:
    yield
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, ReviewDialog):
            widget.close()


def test_the_review_decides_what_the_saved_pdf_hides_and_reprinting_shows_it_again(
    qtbot: QtBot,
    ui_repository: Repository,
    saved: Referral,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    dialogs: None,
) -> None:
    dialog = print_dialog(qtbot, ui_repository, saved)
    review, _ = open_review(qtbot, dialog, monkeypatch, tmp_path / "redacted.pdf")
    shown = rows(review)
    first = next(i for i, (words, _) in enumerate(shown) if "“Zelda”" in words)
    assert shown[first] == ("“Zelda”, survivor's name", True)
    assert any("“1 Example Street”, address" in words for words, _ in shown)
    # Keyboard only: to the list, to the proposal, Space lets it print as typed.
    review.list.setFocus()
    review.list.setCurrentRow(first)
    qtbot.keyClick(review.list, Qt.Key.Key_Space)
    assert review.list.item(first).checkState() == Qt.CheckState.Unchecked
    select(review, "the red door")
    qtbot.mouseClick(review.hide_button, Qt.MouseButton.LeftButton)
    assert rows(review)[-1] == ("“the red door”, chosen by you", True)
    qtbot.mouseClick(review.confirm_button, Qt.MouseButton.LeftButton)
    assert (tmp_path / "redacted.pdf").exists()  # written as the review is confirmed
    text = " ".join(texts(tmp_path / "redacted.pdf"))
    assert "Zelda told her teacher" in text
    assert "about [removed]." in text and "red door" not in text
    assert "Example Street" not in text and "[address]" in text
    assert "Quartermaine" not in text and "Rhys" not in text
    assert printed(ui_repository) == [(saved.id, "summary, redacted, pdf")]
    events = [e for e in ui_repository.audit_events() if e.action == AuditAction.REDACTION_REVIEW]
    assert [e.referral_id for e in events] == [saved.id]
    assert "red door" not in events[0].detail and "Zelda" not in events[0].detail
    assert events[0].detail.endswith("1 chosen by the advocate")

    again = print_dialog(qtbot, ui_repository, saved)
    review, _ = open_review(qtbot, again, monkeypatch, tmp_path / "again.pdf")
    assert rows(review)[first] == (shown[first][0], False)
    assert rows(review)[-1] == ("“the red door”, chosen by you", True)
    qtbot.mouseClick(review.confirm_button, Qt.MouseButton.LeftButton)
    assert (tmp_path / "again.pdf").exists()  # written as the review is confirmed
    assert texts(tmp_path / "again.pdf")[1:] == texts(tmp_path / "redacted.pdf")[1:]


def test_cancelling_the_review_prints_nothing_and_keeps_no_choices(
    qtbot: QtBot,
    ui_repository: Repository,
    saved: Referral,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    dialogs: None,
) -> None:
    dialog = print_dialog(qtbot, ui_repository, saved)
    review, answer = open_review(qtbot, dialog, monkeypatch, tmp_path / "never.pdf")
    qtbot.mouseClick(review.cancel_button, Qt.MouseButton.LeftButton)
    assert not review.isVisible()
    assert answer.offered == [] and not (tmp_path / "never.pdf").exists()
    assert printed(ui_repository) == []
    assert saved.id is not None and ui_repository.get(saved.id).redaction is None


def test_the_reader_choices_hide_the_crime_references_and_the_force(
    qtbot: QtBot,
    ui_repository: Repository,
    saved: Referral,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    dialogs: None,
) -> None:
    dialog = print_dialog(qtbot, ui_repository, saved)
    review, _ = open_review(qtbot, dialog, monkeypatch, tmp_path / "plain.pdf")
    assert review.keep_references.isChecked() and review.keep_force.isChecked()
    qtbot.mouseClick(review.confirm_button, Qt.MouseButton.LeftButton)
    assert (tmp_path / "plain.pdf").exists()  # written as the review is confirmed
    plain = " ".join(texts(tmp_path / "plain.pdf"))
    assert "ZQ987/65" in plain and "Dyfed-Powys" in plain

    again = print_dialog(qtbot, ui_repository, saved)
    review, _ = open_review(qtbot, again, monkeypatch, tmp_path / "hidden.pdf")
    review.keep_references.setChecked(False)
    review.keep_force.setChecked(False)
    qtbot.mouseClick(review.confirm_button, Qt.MouseButton.LeftButton)
    assert (tmp_path / "hidden.pdf").exists()  # written as the review is confirmed
    hidden = " ".join(texts(tmp_path / "hidden.pdf"))
    assert "ZQ987/65" not in hidden and "Dyfed-Powys" not in hidden
    assert "Left out of this copy" in hidden
    assert saved.id is not None
    stored = ui_repository.get(saved.id).redaction
    assert stored is not None and not stored.keep_crime_references and not stored.keep_force


def test_a_selection_across_two_parts_is_refused_with_a_message(
    qtbot: QtBot,
    ui_repository: Repository,
    saved: Referral,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    dialogs: None,
) -> None:
    dialog = print_dialog(qtbot, ui_repository, saved)
    review, _ = open_review(qtbot, dialog, monkeypatch, tmp_path / "x.pdf")
    cursor = QTextCursor(review.text.document())
    cursor.movePosition(QTextCursor.MoveOperation.End, QTextCursor.MoveMode.KeepAnchor)
    review.text.setTextCursor(cursor)
    count = review.list.count()
    qtbot.mouseClick(review.hide_button, Qt.MouseButton.LeftButton)
    assert review.message.isVisible()
    assert review.message.text() == "Select text inside one part of the record at a time."
    assert review.list.count() == count


LONG = " ".join(
    [
        "Zelda Quartermaine told her teacher in May 2004, when she was 13.",
        "Her uncle Rhys Quartermaine drove her to the church hall most weeks;",
        "there is hope that someone from the youth club may still remember him.",
        "She was born on 14th May 1990 and lived at 1 Example Street, Exampletown EX1 2MP.",
        "Call 07700 900 123 (texts only) or write to zelda at example dot net.",
    ]
)


def test_screenshots_of_the_review_page_with_a_long_account(
    qtbot: QtBot,
    ui_repository: Repository,
    tmp_path: Path,
    text_scale: float,
    monkeypatch: pytest.MonkeyPatch,
    dialogs: None,
) -> None:
    referral = full_referral()
    referral.case.account = "\n\n".join([LONG] * 8)
    referral.others_to_keep_out = ["May Church", "Hope Quartermaine"]
    stored = ui_repository.save(referral)
    dialog = print_dialog(qtbot, ui_repository, stored)
    review, _ = open_review(qtbot, dialog, monkeypatch, tmp_path / "long.pdf")
    review.resize(review.size())
    review.list.setCurrentRow(3)
    folder = screenshot_folder(tmp_path)
    scale = "200" if text_scale > 1 else "100"
    assert review.grab().save(str(folder / f"redaction_review_{scale}.png"))
    assert review.confirm_button.isVisible() and review.hide_button.isVisible()


def test_other_people_are_listed_on_the_record_and_proposed_in_the_review(
    qtbot: QtBot,
    ui_repository: Repository,
    saved: Referral,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    dialogs: None,
) -> None:
    editor = EditDialog(ui_repository, saved, Page.SURVIVOR)
    qtbot.addWidget(editor)
    editor.show()
    page = editor.page
    assert isinstance(page, SurvivorPage)
    page.others.setFocus()
    qtbot.keyClicks(page.others, "Rhys Quartermaine")
    qtbot.keyClick(page.others, Qt.Key.Key_Return)
    qtbot.keyClicks(page.others, "Aunt Example")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert saved.id is not None
    assert ui_repository.get(saved.id).others_to_keep_out == ["Rhys Quartermaine", "Aunt Example"]
    dialog = print_dialog(qtbot, ui_repository, saved)
    review, _ = open_review(qtbot, dialog, monkeypatch, tmp_path / "x.pdf")
    assert ("“Rhys”, another person's name", True) in rows(review)


def test_text_is_selected_and_hidden_by_keyboard_alone(
    qtbot: QtBot,
    ui_repository: Repository,
    saved: Referral,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    dialogs: None,
) -> None:
    dialog = print_dialog(qtbot, ui_repository, saved)
    review, _ = open_review(qtbot, dialog, monkeypatch, tmp_path / "keys.pdf")
    review.text.setFocus()
    start = review.text.document().find("the red door")
    # To the start of the words with the arrow keys, then Shift and Right over them.
    qtbot.keyClick(review.text, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    while review.text.textCursor().position() < start.selectionStart():
        qtbot.keyClick(review.text, Qt.Key.Key_Right)
    for _ in "the red door":
        qtbot.keyClick(review.text, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert review.text.textCursor().selectedText() == "the red door"
    # The selection stays while the focus moves on to the button; Space presses it.
    review.hide_button.setFocus()
    qtbot.keyClick(review.hide_button, Qt.Key.Key_Space)
    assert rows(review)[-1] == ("“the red door”, chosen by you", True)
    review.confirm_button.setFocus()
    qtbot.keyClick(review.confirm_button, Qt.Key.Key_Space)
    assert "red door" not in " ".join(texts(tmp_path / "keys.pdf"))


def test_several_referrals_are_reviewed_in_turn_before_one_pdf(
    qtbot: QtBot,
    ui_repository: Repository,
    saved: Referral,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    dialogs: None,
) -> None:
    other = ui_repository.save(full_referral("Gwen Canary"))
    assert saved.id is not None and other.id is not None
    dialog = PrintDialog(ui_repository, [saved.id, other.id])
    qtbot.addWidget(dialog)
    dialog.choice_buttons[REDACTED].setChecked(True)
    review, answer = open_review(qtbot, dialog, monkeypatch, tmp_path / "both.pdf")
    qtbot.mouseClick(review.confirm_button, Qt.MouseButton.LeftButton)
    assert answer.offered == [] and dialog.review is not None
    second = dialog.review.dialog
    assert second is not None and second is not review
    assert any(
        f"Referral 2 of 2: {other.reference}" == w.text() for w in second.findChildren(QLabel)
    )
    qtbot.mouseClick(second.confirm_button, Qt.MouseButton.LeftButton)
    text = " ".join(texts(tmp_path / "both.pdf"))
    assert "Quartermaine" not in text and "Canary" not in text
    assert sorted(printed(ui_repository)) == sorted(
        [(saved.id, "summary, redacted, pdf"), (other.id, "summary, redacted, pdf")]
    )


def test_the_preview_and_its_save_button_give_the_copy_as_reviewed(
    qtbot: QtBot,
    ui_repository: Repository,
    saved: Referral,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    dialogs: None,
) -> None:
    dialog = print_dialog(qtbot, ui_repository, saved)
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    assert dialog.review is not None and dialog.review.dialog is not None
    review = dialog.review.dialog
    assert dialog.outputs.preview_dialog is None  # nothing shown before the review
    select(review, "the red door")
    qtbot.mouseClick(review.hide_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(review.confirm_button, Qt.MouseButton.LeftButton)
    preview = dialog.outputs.preview_dialog
    assert preview is not None
    qtbot.waitExposed(preview)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", FileDialog(tmp_path / "from-preview.pdf"))
    qtbot.mouseClick(preview.pdf_button, Qt.MouseButton.LeftButton)
    text = " ".join(texts(tmp_path / "from-preview.pdf"))
    assert "about [removed]." in text and "red door" not in text
    assert printed(ui_repository) == [
        (saved.id, "summary, redacted, preview"),
        (saved.id, "summary, redacted, pdf"),
    ]
    preview.close()
