"""What gets printed and the ways out: batches of documents, and preview, printer or PDF.

``Outputs(repository, parent, report)`` with ``preview(batch)``, ``print(batch)`` and
``save_pdf(batch)``: the same three ways out for any :class:`Batch` of documents (the print
dialog and the letter editor in ``letter.py`` use them).

Every way out is recorded in the audit trail, one event per referral, with words that carry no
personal data ("summary, redacted, pdf"). PDFs are written only where the advocate chooses,
atomically and readable by the owner alone, under a suggested name made of the app's reference;
printing to a file from the print dialog is turned off so that no PDF is written any other way.
The preview is a dialog of our own around ``QPrintPreviewWidget`` for the same reason: Qt's
preview dialog writes PDFs itself when there is no printer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import (
    QAbstractPrintDialog,
    QPrintDialog,
    QPrinter,
    QPrinterInfo,
    QPrintPreviewWidget,
)
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from referral_app.domain.audit import AuditAction
from referral_app.domain.referral import Referral
from referral_app.domain.support import case_facts, services_for
from referral_app.services.pdf import (
    PdfWriteError,
    PrintDocument,
    PrintError,
    authority_document,
    configure_page,
    documents_pdf_bytes,
    handout_document,
    letter_document,
    paint_documents,
    summary_document,
    write_pdf,
)
from referral_app.services.redaction import Review
from referral_app.services.support import support_list
from referral_app.storage.errors import StorageError
from referral_app.storage.repository import Repository
from referral_app.ui.common.save_location import confirm_save_location
from referral_app.ui.common.settings import Settings

FULL, REDACTED, LETTER = "summary, full", "summary, redacted", "letter"
AUTHORITY = "consent and authority form"
HANDOUT = "support handout"
CHOICES = (
    (FULL, "Full summary", "Everything the record holds, for the survivor's file or the Panel."),
    (
        REDACTED,
        "Redacted summary",
        "Initials instead of names, age at the time instead of date of birth, and no contact "
        "details: for readers who do not need to know who the referral is about. You check "
        "what it hides before it prints.",
    ),
    (
        LETTER,
        "Request letter to the force or CPS Area",
        "The letter as saved with the referral, asking the force or CPS Area to reconsider "
        "its decision and, if it stands by it, to refer the case to the Panel.",
    ),
    (
        AUTHORITY,
        "Consent and authority form",
        "For the survivor to sign: what they agree to, and their authority for the force, the "
        "CPS and the Panel to discuss the case with you.",
    ),
    (
        HANDOUT,
        "Support handout",
        "One page of support services chosen for the case, for the survivor to keep. It "
        "names no one.",
    ),
)
LETTERS = "Request letters to the forces or CPS Areas"
NO_PRINTER = "No printer is set up on this computer. Use Save as PDF instead."
Report = Callable[[str, bool], None]


def printers_available() -> bool:
    return bool(QPrinterInfo.availablePrinterNames())


def new_printer() -> QPrinter:
    """A printer set to A4 with the app's margins (the print dialog can change them)."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    configure_page(printer)
    return printer


def safe_reference(reference: str) -> str:
    """The app's reference as it may appear in a file name."""
    return re.sub(r"[^A-Za-z0-9-]", "", reference) or "referral"


@dataclass(frozen=True)
class Batch:
    """Documents about to go out, the referrals they are about, and the words for the audit
    trail, the file name and the PDF's title (none of them personal data)."""

    documents: list[PrintDocument]
    referral_ids: list[int]
    what: str
    file_name: str
    title: str


def make_batch(
    referrals: Sequence[Referral],
    what: str,
    repository: Repository,
    today: date,
    reviews: Sequence[Review] = (),
) -> Batch:
    """The documents for ``referrals``; a redacted summary hides what its confirmed review
    (``reviews``, in the same order) says."""
    advocate = repository.advocate()
    if what == LETTER:
        documents = [letter_document(r, advocate, printed_on=today) for r in referrals]
    elif what == AUTHORITY:
        documents = [authority_document(r, advocate) for r in referrals]
    elif what == HANDOUT:
        support = support_list()
        documents = [
            handout_document(services_for(support, case_facts(r, today)), today)
            for r in referrals
        ]
    else:
        redacted = what == REDACTED
        documents = [
            summary_document(
                r,
                advocate,
                redacted=redacted,
                printed_on=today,
                review=reviews[index] if redacted and index < len(reviews) else None,
            )
            for index, r in enumerate(referrals)
        ]
    kind = {
        FULL: "summary",
        REDACTED: "summary-redacted",
        LETTER: "letter",
        AUTHORITY: "consent-form",
        HANDOUT: "support",
    }[what]
    words = {
        FULL: "Referral summary",
        REDACTED: "Redacted summary",
        LETTER: "Request letter",
        AUTHORITY: "Consent and authority form",
        HANDOUT: "Support handout",
    }
    if len(referrals) == 1:
        reference = safe_reference(referrals[0].reference)
        name, title = f"referral-{reference}-{kind}.pdf", f"{words[what]} {reference}"
    else:
        name, title = f"referrals-{kind}.pdf", f"{words[what]}: {len(referrals)} referrals"
    if what == HANDOUT:  # it names no one: neither does its file or its title
        name, title = "support-services.pdf", "Support services"
    ids = [r.id for r in referrals if r.id is not None]
    return Batch(documents, ids, what, name, title)


class Outputs:
    """Preview, print and save as PDF, each audited, with problems reported in plain words."""

    def __init__(self, repository: Repository | None, parent: QWidget, report: Report) -> None:
        self._repository = repository
        self._parent = parent
        self._report = report
        #: The preview open now (or last), for tests and screenshots.
        self.preview_dialog: PreviewDialog | None = None

    def _audit(self, batch: Batch, way: str) -> None:
        if self._repository is None:  # only documents about no referral go out without one
            return
        try:
            for referral_id in batch.referral_ids:
                self._repository.record_event(
                    AuditAction.PRINT, referral_id, f"{batch.what}, {way}"
                )
        except StorageError as error:
            self._report(f"It was done, but could not be written to the audit log: {error}", True)

    def preview(self, batch: Batch) -> PreviewDialog:
        if self.preview_dialog is not None:
            self.preview_dialog.deleteLater()
        self.preview_dialog = PreviewDialog(self, batch, self._parent)
        self._audit(batch, "preview")
        self.preview_dialog.open()
        return self.preview_dialog

    def print(self, batch: Batch, parent: QWidget | None = None) -> bool:
        if not printers_available():
            self._report(NO_PRINTER, True)
            return False
        printer = new_printer()
        printer.setDocName(batch.title)  # what the print queue shows: no personal data
        dialog = QPrintDialog(printer, parent or self._parent)
        dialog.setWindowTitle("Print")
        dialog.setOptions(QAbstractPrintDialog.PrintDialogOption.PrintShowPageSize)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            pages = paint_documents(printer, batch.documents)
        except PrintError as error:
            self._report(str(error), True)
            return False
        finally:
            QApplication.restoreOverrideCursor()
        self._audit(batch, "printer")
        self._report(f"Sent to the printer ({pages} {'page' if pages == 1 else 'pages'}).", False)
        return True

    def save_pdf(self, batch: Batch, parent: QWidget | None = None) -> Path | None:
        settings = Settings()
        chosen, _ = QFileDialog.getSaveFileName(
            parent or self._parent,
            "Save as PDF",
            str(settings.save_folder("pdf") / batch.file_name),
            "PDF documents (*.pdf)",
        )
        if not chosen:
            return None
        path = Path(chosen)
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        if not confirm_save_location(parent or self._parent, path):
            return None
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            write_pdf(path, documents_pdf_bytes(batch.documents, batch.title))
        except (PdfWriteError, PrintError) as error:
            self._report(str(error), True)
            return None
        finally:
            QApplication.restoreOverrideCursor()
        settings.set_save_folder("pdf", path.parent)
        self._audit(batch, "pdf")
        self._report(f"Saved as {path.name}.", False)
        return path


def action_button(text: str, name: str, parent: QWidget, secondary: bool = True) -> QPushButton:
    button = QPushButton(text, parent)
    button.setAccessibleName(name)
    if secondary:
        button.setObjectName("secondaryButton")
    return button


class PreviewDialog(QDialog):
    """The pages exactly as they will print, with Print and Save as PDF beside them."""

    def __init__(self, outputs: Outputs, batch: Batch, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Preview: {batch.title}")
        self.setAccessibleName("Print preview")
        self._outputs = outputs
        self._batch = batch
        self.printer = new_printer()
        self.view = QPrintPreviewWidget(self.printer, self)
        self.view.setAccessibleName("Pages")
        self.view.paintRequested.connect(self._paint)
        self.view.previewChanged.connect(self._show_page)
        self.previous_button = action_button("&Previous page", "Previous page", self)
        self.next_button = action_button("&Next page", "Next page", self)
        self.page_label = QLabel(self)
        self.zoom_out_button = action_button("Zoom &out", "Zoom out", self)
        self.zoom_in_button = action_button("Zoom &in", "Zoom in", self)
        self.fit_button = action_button("&Fit to width", "Fit to width", self)
        self.print_button = action_button("&Print…", "Print", self, secondary=False)
        self.print_button.setObjectName("primaryButton")
        self.pdf_button = action_button("&Save as PDF…", "Save as PDF", self)
        self.close_button = action_button("Close", "Close", self)
        self.previous_button.clicked.connect(lambda: self._turn(-1))
        self.next_button.clicked.connect(lambda: self._turn(1))
        self.zoom_out_button.clicked.connect(lambda: self.view.zoomOut(1.2))
        self.zoom_in_button.clicked.connect(lambda: self.view.zoomIn(1.2))
        self.fit_button.clicked.connect(self.view.fitToWidth)
        self.print_button.clicked.connect(lambda: outputs.print(batch, self))
        self.pdf_button.clicked.connect(lambda: outputs.save_pdf(batch, self))
        self.close_button.clicked.connect(self.reject)
        top = QHBoxLayout()
        for widget in (self.previous_button, self.next_button, self.page_label):
            top.addWidget(widget)
        top.addStretch(1)
        for widget in (self.zoom_out_button, self.zoom_in_button, self.fit_button):
            top.addWidget(widget)
        bottom = QHBoxLayout()
        for widget in (self.print_button, self.pdf_button):
            bottom.addWidget(widget)
        bottom.addStretch(1)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addLayout(bottom)
        self.resize(900, 1000)
        self.view.updatePreview()
        self.view.fitToWidth()

    def _paint(self, printer: QPrinter) -> None:
        try:
            paint_documents(printer, self._batch.documents)
        except PrintError as error:
            self.page_label.setText(str(error))

    def _turn(self, step: int) -> None:
        page = min(max(self.view.currentPage() + step, 1), self.view.pageCount())
        self.view.setCurrentPage(page)
        self._show_page()

    def _show_page(self) -> None:
        current, total = self.view.currentPage(), self.view.pageCount()
        self.page_label.setText(f"Page {current} of {total}")
        self.page_label.setAccessibleName(f"Page {current} of {total}")
        self.previous_button.setEnabled(current > 1)
        self.next_button.setEnabled(current < total)
