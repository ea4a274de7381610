"""Summaries and letters laid out on A4 pages and painted onto any paged device.

One painting routine serves the PDF file, the printer and the print preview, so what the
advocate previews is what comes out. Each document is laid out once at a fixed resolution and
scaled to the device, which keeps the page breaks, and so "Page X of Y", the same everywhere.
Every page carries the OFFICIAL-SENSITIVE marking at its top and bottom.

Only QtGui and QtCore are used, and every Qt object is made locally, so a worker thread can
make PDFs (the export does). PDFs are made in memory and written only where the advocate
chose, atomically and readable by the owner alone; no copy ever goes to a temporary folder.
"""

from __future__ import annotations

import errno
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import (
    QAbstractEventDispatcher,
    QBuffer,
    QByteArray,
    QEventLoop,
    QIODevice,
    QMarginsF,
    QPointF,
    QRectF,
    QSizeF,
    Qt,
)
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QImage,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPaintDevice,
    QPainter,
    QPalette,
    QPdfWriter,
    QPen,
    QTextDocument,
    QTextOption,
)

from referral_app.domain.referral import Advocate, Referral
from referral_app.domain.support import SupportService
from referral_app.services.authority import authority_html
from referral_app.services.letter import letter_html, letter_text
from referral_app.services.pages import LAYOUT_DPI, blocks_across, draw_lines, tidy_page_breaks
from referral_app.services.redaction import Review
from referral_app.services.summary import summary_html
from referral_app.services.support import handout_html
from referral_app.storage.files import private_atomic_file

MARKING = "OFFICIAL-SENSITIVE"
CREATOR = "CSARP Referrals"
#: Left, top, right, bottom, in millimetres: inside every printer's unprintable edge.
MARGINS_MM = (20.0, 12.0, 20.0, 12.0)
HEADER_MM = 12.0
FOOTER_MM = 16.0
FONT_FAMILIES = ["Arial", "Liberation Sans", "Helvetica", "DejaVu Sans"]
INK = "#0b0c0c"
GREY = "#505a5f"


class PrintError(Exception):
    """Printing could not start or finish; the message is for the advocate."""


class PdfWriteError(Exception):
    """A PDF could not be written; the message is for the advocate, and nothing was left."""


@dataclass(frozen=True)
class PrintDocument:
    """One document to print: its HTML, and a footer naming it without personal data."""

    html: str
    footer: str = ""
    #: The protective marking at the top and bottom of each page; off only for documents that
    #: hold nothing about anyone (the support handout).
    marked: bool = True


def summary_document(
    referral: Referral,
    advocate: Advocate | None,
    *,
    redacted: bool = False,
    printed_on: date | None = None,
    review: Review | None = None,
) -> PrintDocument:
    kind = "Referral summary (redacted)" if redacted else "Referral summary"
    html = summary_html(
        referral, advocate, redacted=redacted, printed_on=printed_on, review=review
    )
    return PrintDocument(html, f"{kind}: {referral.reference}")


def letter_document(
    referral: Referral, advocate: Advocate | None, *, printed_on: date | None = None
) -> PrintDocument:
    """The letter as saved with the referral (or its first draft when none is saved)."""
    return letter_text_document(letter_text(referral, advocate, printed_on), referral.reference)


def authority_document(referral: Referral, advocate: Advocate | None) -> PrintDocument:
    """The consent and authority form for the survivor to sign."""
    return PrintDocument(
        authority_html(referral, advocate), f"Consent and authority: {referral.reference}"
    )


def handout_document(services: Sequence[SupportService], today: date) -> PrintDocument:
    """The support handout: no name, no reference, no marking."""
    return PrintDocument(handout_html(services, today), "Support services", marked=False)


def letter_text_document(text: str, reference: str) -> PrintDocument:
    return PrintDocument(letter_html(text), f"Request letter: {reference}")


def page_layout() -> QPageLayout:
    left, top, right, bottom = MARGINS_MM
    return QPageLayout(
        QPageSize(QPageSize.PageSizeId.A4),
        QPageLayout.Orientation.Portrait,
        QMarginsF(left, top, right, bottom),
        QPageLayout.Unit.Millimeter,
    )


def configure_page(device: QPagedPaintDevice) -> None:
    """A4 with the app's margins; a printer keeps its own if it cannot print that close."""
    device.setPageLayout(page_layout())


def _units(millimetres: float) -> float:
    return millimetres / 25.4 * LAYOUT_DPI


def _base_font() -> QFont:
    """The documents' font, without ligatures: "ff" stays two letters, so text copied out of a
    PDF, read aloud or searched is the text that was written."""
    font = QFont()
    font.setFamilies(FONT_FAMILIES)
    font.setStyleHint(QFont.StyleHint.SansSerif)
    for tag in ("liga", "clig", "dlig"):
        font.setFeature(QFont.Tag.fromString(tag), 0)
    return font


def _font(points: float, bold: bool = False) -> QFont:
    font = _base_font()
    font.setPixelSize(round(points * LAYOUT_DPI / 72))
    font.setBold(bold)
    return font


class _Pages:
    """Documents laid out in layout units on pages of the printable size, ready to paint."""

    def __init__(self, documents: Sequence[PrintDocument], printable: QSizeF) -> None:
        if not documents:
            raise ValueError("nothing to print")
        # Qt lays long documents out in steps on a timer, which needs an event dispatcher: a
        # thread Qt did not start (a Python worker) has none until an event loop is made.
        self._loop = QEventLoop() if QAbstractEventDispatcher.instance() is None else None
        # A PDF writer that is never painted on: its metrics are the ones PDFs are made with.
        self._buffer = QBuffer()
        self._metrics = QPdfWriter(self._buffer)
        self._metrics.setResolution(LAYOUT_DPI)
        self.size = printable
        self.body = QRectF(
            0,
            _units(HEADER_MM),
            printable.width(),
            printable.height() - _units(HEADER_MM + FOOTER_MM),
        )
        self.documents = list(documents)
        self.texts = [self._lay_out(document, self._metrics) for document in documents]

    def _lay_out(self, document: PrintDocument, device: QPaintDevice) -> QTextDocument:
        text = QTextDocument()
        text.documentLayout().setPaintDevice(device)
        font = _base_font()
        font.setPointSizeF(10)
        text.setDefaultFont(font)
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        text.setDefaultTextOption(option)
        text.setDocumentMargin(2)
        text.setHtml(document.html)
        text.setPageSize(self.body.size())
        tidy_page_breaks(text)
        return text

    def __iter__(self) -> Iterator[tuple[int, int]]:
        """(document, page) for every page, in print order."""
        for number, text in enumerate(self.texts):
            for page in range(text.pageCount()):
                yield number, page

    def count(self, number: int) -> int:
        return self.texts[number].pageCount()

    def paint(self, painter: QPainter, number: int, page: int) -> None:
        """One page, with the painter's origin at the printable area's top left."""
        width, height = self.size.width(), self.size.height()
        marking = MARKING if self.documents[number].marked else ""
        painter.setPen(QColor(INK))
        painter.setFont(_font(9, bold=True))
        painter.drawText(
            QRectF(0, 0, width, _units(HEADER_MM)), Qt.AlignmentFlag.AlignHCenter, marking
        )
        top = height - _units(FOOTER_MM)
        painter.setPen(QPen(QColor("#b1b4b6"), _units(0.3)))
        painter.drawLine(QPointF(0, top + _units(3)), QPointF(width, top + _units(3)))
        row = QRectF(0, top + _units(4.5), width, _units(5))
        painter.setPen(QColor(GREY))
        painter.setFont(_font(8))
        painter.drawText(row, Qt.AlignmentFlag.AlignLeft, self.documents[number].footer)
        painter.setPen(QColor(INK))
        painter.setFont(_font(8.5))
        total = self.count(number)
        painter.drawText(row, Qt.AlignmentFlag.AlignRight, f"Page {page + 1} of {total}")
        painter.setFont(_font(9, bold=True))
        bottom = QRectF(0, top, width, _units(FOOTER_MM))
        painter.drawText(
            bottom, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom, marking
        )
        self._paint_body(painter, self.texts[number], page)

    def _paint_body(self, painter: QPainter, text: QTextDocument, page: int) -> None:
        painter.save()
        tall = self.body.height()
        painter.translate(self.body.left(), self.body.top() - page * tall)
        view = QRectF(0, page * tall, self.body.width(), tall)
        painter.setClipRect(view)
        context = QAbstractTextDocumentLayout.PaintContext()
        context.clip = view
        palette = QPalette()
        palette.setColor(QPalette.ColorRole.Text, QColor(INK))
        context.palette = palette
        # Qt draws the last line above the clip too (hidden, but it would stay in the PDF's
        # text): blocks that began on an earlier page are drawn here line by line instead.
        # They come first, so the PDF's text reads in order.
        painter.setPen(QColor(INK))
        carried = blocks_across(text, view.top())
        for block in carried:
            draw_lines(text, block, view, painter)
            block.setVisible(False)
        try:
            text.documentLayout().draw(painter, context)
        finally:
            for block in carried:
                block.setVisible(True)
        painter.restore()


def _printable(device: QPagedPaintDevice) -> QSizeF:
    area = device.pageLayout().paintRect(QPageLayout.Unit.Point)
    return QSizeF(area.width() * LAYOUT_DPI / 72, area.height() * LAYOUT_DPI / 72)


def paint_documents(device: QPagedPaintDevice, documents: Sequence[PrintDocument]) -> int:
    """Paint ``documents`` onto ``device`` (a PDF writer or a printer), each from a new page,
    with its own "Page X of Y". Returns the number of pages; raises :class:`PrintError`."""
    pages = _Pages(documents, _printable(device))
    painter = QPainter()
    if not painter.begin(device):
        raise PrintError(
            "The printer could not be started. Check that it is switched on and "
            "connected, then try again."
        )
    painted = 0
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.scale(device.logicalDpiX() / LAYOUT_DPI, device.logicalDpiY() / LAYOUT_DPI)
        for number, page in pages:
            if painted and not device.newPage():
                raise PrintError(
                    "The printer stopped part of the way through. Check it, then print again."
                )
            pages.paint(painter, number, page)
            painted += 1
    finally:
        painter.end()
    return painted


def documents_pdf_bytes(documents: Sequence[PrintDocument], title: str = "") -> bytes:
    """A PDF of ``documents`` in memory; ``title`` (metadata) must carry no personal data."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(LAYOUT_DPI)
    writer.setCreator(CREATOR)
    writer.setTitle(title)
    configure_page(writer)
    paint_documents(writer, documents)
    buffer.close()
    return bytes(data.data())


def summary_pdf_bytes(
    referral: Referral,
    advocate: Advocate | None,
    *,
    redacted: bool = False,
    printed_on: date | None = None,
    review: Review | None = None,
) -> bytes:
    """One referral's summary as PDF bytes (callable from a worker thread)."""
    document = summary_document(
        referral, advocate, redacted=redacted, printed_on=printed_on, review=review
    )
    return documents_pdf_bytes([document], document.footer)


def render_page(document: PrintDocument, page: int, dpi: float = 96) -> QImage:
    """One page as a picture, painted by the same code as the PDF (for checks and previews)."""
    layout = page_layout()
    full = layout.fullRectPoints()
    area = layout.paintRect(QPageLayout.Unit.Point)
    scale = dpi / 72
    image = QImage(
        round(full.width() * scale), round(full.height() * scale), QImage.Format.Format_RGB32
    )
    image.fill(QColor("white"))
    pages = _Pages(
        [document], QSizeF(area.width() * LAYOUT_DPI / 72, area.height() * LAYOUT_DPI / 72)
    )
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.translate(area.left() * scale, area.top() * scale)
        painter.scale(dpi / LAYOUT_DPI, dpi / LAYOUT_DPI)
        pages.paint(painter, 0, page)
    finally:
        painter.end()
    return image


def page_count(document: PrintDocument) -> int:
    layout = page_layout().paintRect(QPageLayout.Unit.Point)
    size = QSizeF(layout.width() * LAYOUT_DPI / 72, layout.height() * LAYOUT_DPI / 72)
    return _Pages([document], size).count(0)


# Writing files


def _problem(error: OSError) -> str:
    if isinstance(error, PermissionError):
        reason = "you do not have permission to save files in that folder"
    elif isinstance(error, FileNotFoundError):
        reason = "that folder does not exist any more"
    elif isinstance(error, IsADirectoryError):
        reason = "a folder already has that name"
    elif error.errno == errno.ENOSPC:
        reason = "there is not enough space on the disk"
    elif error.errno == errno.EROFS:
        reason = "that disk cannot be written to"
    else:
        reason = (error.strerror or "the system refused").lower()
    return f"The PDF could not be saved: {reason}. Choose another folder or file name."


def write_pdf(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically and readable by the owner only.

    A temporary file beside the target (named without personal data) is written, synced and
    moved into place, then the folder is synced: a crash leaves the old file or the new one,
    never half of one. On failure nothing is left behind and :class:`PdfWriteError` says why.
    """
    try:
        with private_atomic_file(path, "pdf") as handle:
            handle.write(data)
    except OSError as error:
        raise PdfWriteError(_problem(error)) from None
