"""The print dialog driven through its real buttons on a real encrypted database: Save as PDF
(the file dialog answered by the test), Print (the print dialog answered, the printer writing a
PDF the test reads back), Preview, the audit trail, and the plain message when saving fails."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pypdf
import pytest
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QWidget
from pytestqt.qtbot import QtBot

from referral_app.domain.audit import AuditAction
from referral_app.domain.referral import Referral
from referral_app.services.pdf import MARKING, configure_page
from referral_app.storage.repository import Repository
from referral_app.ui.printing import outputs
from referral_app.ui.printing.dialog import PrintDialog
from referral_app.ui.printing.outputs import FULL, LETTER, NO_PRINTER, REDACTED
from tests.permissions import assert_owner_only
from tests.storage.conftest import full_referral
from tests.ui.conftest import screenshot_folder


def texts(path: Path) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(path.read_bytes()))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def printed(repository: Repository) -> list[tuple[int | None, str]]:
    return [
        (event.referral_id, event.detail)
        for event in repository.audit_events()
        if event.action == AuditAction.PRINT
    ]


class FileDialog:
    """Stands in for the save dialog: remembers what it was offered, answers with ``answer``."""

    def __init__(self, answer: Path | None) -> None:
        self.answer = answer
        self.offered: list[str] = []

    def __call__(
        self, parent: QWidget, caption: str, suggested: str, kinds: str
    ) -> tuple[str, str]:
        self.offered.append(suggested)
        return (str(self.answer) if self.answer else "", kinds)


@pytest.fixture
def saved(ui_repository: Repository) -> Referral:
    return ui_repository.save(full_referral())


@pytest.fixture
def dialog(qtbot: QtBot, ui_repository: Repository, saved: Referral) -> Iterator[PrintDialog]:
    assert saved.id is not None
    dialog = PrintDialog(ui_repository, [saved.id])
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    yield dialog
    dialog.close()


def save_as(
    qtbot: QtBot,
    dialog: QWidget,
    button: QWidget,
    target: Path | None,
    monkeypatch: pytest.MonkeyPatch,
) -> FileDialog:
    answer = FileDialog(target)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", answer)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    return answer


def test_save_as_pdf_writes_the_full_summary_and_audits_it(
    qtbot: QtBot,
    dialog: PrintDialog,
    saved: Referral,
    ui_repository: Repository,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert dialog.choice_buttons[FULL].isChecked()
    target = tmp_path / "chosen.pdf"
    answer = save_as(qtbot, dialog, dialog.pdf_button, target, monkeypatch)
    assert Path(answer.offered[0]).name == f"referral-{saved.reference}-summary.pdf"
    pages = texts(target)
    assert all(page.count(MARKING) == 2 for page in pages)
    assert "Zelda Quartermaine" in " ".join(pages)
    assert_owner_only(target)
    assert printed(ui_repository) == [(saved.id, "summary, full, pdf")]
    assert dialog.message.text() == "Saved as chosen.pdf."
    assert "Zelda" not in dialog.windowTitle()


def test_the_redacted_summary_is_chosen_by_its_radio_button(
    qtbot: QtBot,
    dialog: PrintDialog,
    saved: Referral,
    ui_repository: Repository,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    qtbot.mouseClick(dialog.choice_buttons[REDACTED], Qt.MouseButton.LeftButton)
    assert dialog.chosen() == REDACTED
    target = tmp_path / "redacted"  # the .pdf is added
    answer = save_as(qtbot, dialog, dialog.pdf_button, target, monkeypatch)
    # The redacted copy is reviewed first (tests/ui/redaction/test_redaction_review.py).
    assert answer.offered == [] and dialog.review is not None and dialog.review.dialog
    qtbot.mouseClick(dialog.review.dialog.confirm_button, Qt.MouseButton.LeftButton)
    assert Path(answer.offered[0]).name == f"referral-{saved.reference}-summary-redacted.pdf"
    text = " ".join(texts(tmp_path / "redacted.pdf"))
    assert "Referral summary (redacted)" in text and "Quartermaine" not in text
    assert printed(ui_repository) == [(saved.id, "summary, redacted, pdf")]


def test_several_referrals_go_in_one_pdf_each_from_a_new_page(
    qtbot: QtBot,
    ui_repository: Repository,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ids = [ui_repository.save(full_referral(f"Person {n}", f"REF {n}")).id for n in range(3)]
    assert None not in ids
    dialog = PrintDialog(ui_repository, [i for i in ids if i is not None])
    qtbot.addWidget(dialog)
    assert not dialog.edit_letter_button.isVisibleTo(dialog)
    target = tmp_path / "all.pdf"
    answer = save_as(qtbot, dialog, dialog.pdf_button, target, monkeypatch)
    assert Path(answer.offered[0]).name == "referrals-summary.pdf"
    firsts = [page for page in texts(target) if "Page 1 of" in page]
    assert len(firsts) == 3
    for n, page in enumerate(firsts):
        assert f"Person {n}" in page and "Child Sexual Abuse Review Panel: referral" in page
    assert printed(ui_repository) == [(i, "summary, full, pdf") for i in ids]


def test_a_folder_that_cannot_be_written_gives_a_message_and_leaves_nothing(
    qtbot: QtBot,
    dialog: PrintDialog,
    ui_repository: Repository,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    save_as(qtbot, dialog, dialog.pdf_button, out / "gone" / "a.pdf", monkeypatch)
    assert dialog.message.isVisible()
    assert dialog.message.objectName() == "fieldError"
    assert dialog.message.text().startswith("The PDF could not be saved: that folder does not")
    assert "Traceback" not in dialog.message.text()
    assert list(out.iterdir()) == []
    assert printed(ui_repository) == []


def test_cancelling_the_file_dialog_does_nothing(
    qtbot: QtBot, dialog: PrintDialog, ui_repository: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    save_as(qtbot, dialog, dialog.pdf_button, None, monkeypatch)
    assert not dialog.message.isVisible()
    assert printed(ui_repository) == []


def test_print_sends_the_pages_to_the_printer_and_audits_it(
    qtbot: QtBot,
    dialog: PrintDialog,
    saved: Referral,
    ui_repository: Repository,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    output = tmp_path / "printer-output.pdf"
    asked: list[QPrintDialog] = []

    def printer() -> QPrinter:
        fake = QPrinter(QPrinter.PrinterMode.HighResolution)
        fake.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        fake.setOutputFileName(str(output))
        configure_page(fake)
        return fake

    def accept(self: QPrintDialog) -> int:
        asked.append(self)
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(outputs, "printers_available", lambda: True)
    monkeypatch.setattr(outputs, "new_printer", printer)
    monkeypatch.setattr(QPrintDialog, "exec", accept)
    qtbot.mouseClick(dialog.choice_buttons[LETTER], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    assert len(asked) == 1
    (page,) = texts(output)
    assert " ".join(saved.request_letter.split()) in page
    assert printed(ui_repository) == [(saved.id, "letter, printer")]
    assert dialog.message.text() == "Sent to the printer (1 page)."


def test_without_a_printer_it_says_so(
    qtbot: QtBot, dialog: PrintDialog, ui_repository: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(outputs, "printers_available", lambda: False)
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text() == NO_PRINTER
    assert printed(ui_repository) == []


def test_a_cancelled_print_dialog_prints_nothing(
    qtbot: QtBot, dialog: PrintDialog, ui_repository: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(outputs, "printers_available", lambda: True)
    monkeypatch.setattr(QPrintDialog, "exec", lambda self: QDialog.DialogCode.Rejected.value)
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    assert printed(ui_repository) == []
    assert not dialog.message.isVisible()


def test_preview_shows_the_pages_and_is_audited(
    qtbot: QtBot,
    dialog: PrintDialog,
    saved: Referral,
    ui_repository: Repository,
    tmp_path: Path,
) -> None:
    folder = screenshot_folder(tmp_path)
    dialog.grab().save(str(folder / "print_dialog.png"))
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    preview = dialog.outputs.preview_dialog
    assert preview is not None and preview.isVisible()
    assert "Zelda" not in preview.windowTitle()
    total = preview.view.pageCount()
    assert total >= 2
    assert preview.page_label.text() == f"Page 1 of {total}"
    assert not preview.previous_button.isEnabled()
    QApplication.processEvents()
    preview.grab().save(str(folder / "print_preview.png"))
    qtbot.mouseClick(preview.next_button, Qt.MouseButton.LeftButton)
    assert preview.page_label.text() == f"Page 2 of {total}"
    assert printed(ui_repository) == [(saved.id, "summary, full, preview")]
    qtbot.mouseClick(preview.close_button, Qt.MouseButton.LeftButton)
    assert not preview.isVisible()
