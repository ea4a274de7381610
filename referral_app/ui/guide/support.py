"""Support for the survivor: the services chosen for a case (on the result page), the one-page
handout (preview, print or PDF), and Help > Support services with the whole list.

The handout names no one, so it carries no protective marking and is not audited against a
referral when printed from the result page or Help; from a record it goes through the record's
print dialog, which audits it like any printout.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from referral_app.domain.dates import describe_day
from referral_app.domain.support import SupportService
from referral_app.services.pdf import handout_document
from referral_app.services.support import support_list
from referral_app.storage.repository import Repository
from referral_app.ui.printing.outputs import Batch, Outputs

SUPPORT_TITLE = "Support services"
HANDOUT_WHAT = "support handout"


def handout_batch(services: Sequence[SupportService], today: date) -> Batch:
    """The handout as a batch of its own: no referral, a file name with no reference."""
    document = handout_document(services, today)
    return Batch([document], [], HANDOUT_WHAT, "support-services.pdf", "Support services")


def _label(text: str, parent: QWidget, name: str = "") -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setAccessibleName(text)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if name:
        label.setObjectName(name)
    return label


class SupportPanel(QFrame):
    """The services for a case, each with what it offers and how to reach it, and a button
    for the handout."""

    def __init__(
        self,
        services: Sequence[SupportService],
        repository: Repository | None,
        today: Callable[[], date],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("supportPanel")
        self._services = list(services)
        self._repository = repository
        self._today = today
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        for service in self._services:
            contact = " · ".join(service.contact_lines())
            block = QVBoxLayout()
            block.setSpacing(2)
            block.addWidget(_label(service.name, self, "fieldLabel"))
            block.addWidget(_label(f"{service.who_for} {contact}", self))
            layout.addLayout(block)
        note = support_list().age_note(today())
        if note:
            layout.addWidget(_label(note, self, "fieldError"))
        row = QHBoxLayout()
        self.handout_button = QPushButton("Print a support &handout…", self)
        self.handout_button.setObjectName("secondaryButton")
        self.handout_button.setAccessibleName("Print a support handout")
        self.handout_button.clicked.connect(self.open_handout)
        row.addWidget(self.handout_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.dialog: HandoutDialog | None = None

    def open_handout(self) -> HandoutDialog:
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = HandoutDialog(self._services, self._repository, self._today(), self)
        self.dialog.open()
        return self.dialog


class HandoutDialog(QDialog):
    """Preview, print or save the handout."""

    def __init__(
        self,
        services: Sequence[SupportService],
        repository: Repository | None,
        today: date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Support handout")
        self.setAccessibleName("Support handout")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.batch = handout_batch(services, today)
        self.message = _label("", self, "hint")
        self.outputs = Outputs(repository, self, self._report)
        intro = _label(
            f"A one-page list of {len(services)} support services, for the survivor to keep. "
            "It holds nothing about them: no name and no reference.",
            self,
        )
        self.preview_button = QPushButton("Pre&view", self)
        self.print_button = QPushButton("&Print…", self)
        self.pdf_button = QPushButton("Save as P&DF…", self)
        for button in (self.preview_button, self.print_button, self.pdf_button):
            button.setObjectName("secondaryButton")
            button.setAccessibleName(button.text().replace("&", "").rstrip("…"))
        self.preview_button.clicked.connect(lambda: self.outputs.preview(self.batch))
        self.print_button.clicked.connect(lambda: self.outputs.print(self.batch, self))
        self.pdf_button.clicked.connect(lambda: self.outputs.save_pdf(self.batch, self))
        buttons = QHBoxLayout()
        for button in (self.preview_button, self.print_button, self.pdf_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addWidget(close)
        self.resize(self.fontMetrics().horizontalAdvance("0") * 60, self.sizeHint().height())

    def _report(self, text: str, problem: bool) -> None:
        self.message.setObjectName("fieldError" if problem else "hint")
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.message.setText(text)


def services_html(services: Sequence[SupportService], today: date) -> str:
    support = support_list()
    parts = [
        f"<h2>{SUPPORT_TITLE}</h2>",
        f"<p>This list was last checked on {describe_day(support.checked)}. Each service's "
        "details come from the address shown under it.</p>",
    ]
    note = support.age_note(today)
    if note:
        parts.append(f"<p><b>{html.escape(note)}</b></p>")
    for service in services:
        contact = "<br/>".join(html.escape(line) for line in service.contact_lines())
        source = html.escape(service.source, quote=True)
        parts.append(
            f"<p><b>{html.escape(service.name)}</b><br/>{html.escape(service.offers)}<br/>"
            f"For: {html.escape(service.who_for)}<br/>{contact}<br/>"
            f'<small>Source: <a href="{source}">{source}</a>, checked on '
            f"{describe_day(service.checked)}.</small></p>"
        )
    return "".join(parts)


class SupportServicesDialog(QDialog):
    """Help > Support services: the whole list, its last-checked date, and the handout."""

    def __init__(
        self,
        repository: Repository | None,
        today: Callable[[], date] = date.today,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(SUPPORT_TITLE)
        self.setAccessibleName(SUPPORT_TITLE)
        services = list(support_list().services)
        self.text = QTextBrowser(self)
        self.text.setAccessibleName(SUPPORT_TITLE)
        self.text.setOpenExternalLinks(True)
        self.text.setHtml(services_html(services, today()))
        self.handout_button = QPushButton("Print the list as a &handout…", self)
        self.handout_button.setObjectName("secondaryButton")
        self.handout_button.setAccessibleName("Print the list as a handout")
        self.handout_button.clicked.connect(
            lambda: HandoutDialog(services, repository, today(), self).open()
        )
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.handout_button)
        row.addStretch(1)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addLayout(row)
        metrics = self.fontMetrics()
        self.resize(metrics.horizontalAdvance("0") * 86, metrics.lineSpacing() * 32)
