"""First run: where the records live, on this computer or on the team's server.

"On this computer" is the encrypted file, as it has always been, and stays the first choice.
"On our team's server" asks for what the person who looks after the server gives each
advocate: its address, port, database name and the certificate of the authority that signed
the server's certificate, which the app uses to make sure it is talking to that server and no
other. Nothing about signing in is asked here, and no password is ever kept.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QFileDialog,
    QHBoxLayout,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from referral_app.ui.access.unlock import StartupDialog, TextField
from referral_app.ui.common.settings import DEFAULT_PORT, ServerAddress, Settings
from referral_app.ui.widgets.error_summary import Problem
from referral_app.ui.widgets.text import body_text, button, em, heading, hint

#: Seen by anyone in the room and by screen-sharing tools: never personal data.
TITLE = "CSARP Referrals — Where to keep the records"
#: A host name or an IP address: letters, digits, dots, hyphens and colons (IPv6), no spaces.
HOST_PATTERN = re.compile(r"[A-Za-z0-9.\-:\[\]]+")
#: What a certificate in the usual text (PEM) form starts with.
PEM_START = b"-----BEGIN CERTIFICATE-----"
#: More than any CA certificate file needs: a bigger file is not one.
CA_MAX_BYTES = 1_000_000

COMPUTER_HINT = (
    "An encrypted file that only you can open, with your passphrase. Choose this if you work "
    "on your own."
)
SERVER_HINT = (
    "Your organisation's PostgreSQL server, shared with your team. You sign in with your own "
    "name and password. Whoever looks after the server gives you the details below."
)


def ca_problem(path_text: str) -> str | None:
    """Why this is not a CA certificate file the app can use, or None."""
    if not path_text.strip():
        return "Choose the server's CA certificate file"
    path = Path(path_text.strip()).expanduser()
    try:
        if not path.is_file():
            return "The CA certificate file was not found: choose it again"
        if path.stat().st_size > CA_MAX_BYTES:
            return "That file is too big to be a CA certificate: choose the .crt or .pem file"
        content = path.read_bytes()
    except OSError:
        return "The CA certificate file could not be read: choose it again"
    if PEM_START not in content:
        return (
            "That file is not a certificate in the usual text form (it should contain "
            "BEGIN CERTIFICATE): ask for the CA certificate as a .crt or .pem file"
        )
    return None


class WhereDialog(StartupDialog):
    """Asks once where the records live; on accepting, ``settings`` holds the choice."""

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(TITLE, parent)
        self._settings = settings
        self.computer = QRadioButton("On &this computer")
        self.server = QRadioButton("On our &team's server")
        self.choices = QButtonGroup(self)
        for radio, text in ((self.computer, COMPUTER_HINT), (self.server, SERVER_HINT)):
            radio.setAccessibleDescription(text)
            radio.setStyleSheet("QRadioButton::indicator { width: 1em; height: 1em; }")
            self.choices.addButton(radio)
        known = settings.server_address()
        self.host = TextField("Server &address", "For example, records.example.org.uk")
        self.port = TextField("&Port", f"Usually {DEFAULT_PORT}.", width_chars=6)
        self.port.edit.setText(str(known.port if known else DEFAULT_PORT))
        self.database_name = TextField("&Database name")
        self.ca = TextField(
            "The server's &CA certificate",
            "A file ending .crt or .pem. The app uses it to check that it is talking to your "
            "team's server and no other.",
        )
        self.choose_ca = button("C&hoose file…")
        if known is not None:
            self.host.edit.setText(known.host)
            self.database_name.edit.setText(known.database)
            self.ca.edit.setText(str(known.ca_certificate))
        self.server_fields = QWidget()
        self.continue_button = button("C&ontinue", primary=True)
        self.cancel_button = button("&Cancel")
        self._build_page()
        self.set_buttons(self.continue_button, self.cancel_button)
        self.computer.setChecked(settings.where() != "server")
        self.server.setChecked(settings.where() == "server")
        self.server_fields.setVisible(self.server.isChecked())
        self.server.toggled.connect(self._reveal)
        self.choose_ca.clicked.connect(self._choose_ca)
        self.continue_button.clicked.connect(self.submit)
        self.cancel_button.clicked.connect(self.reject)
        self.set_tab_order(
            self.computer,
            self.server,
            self.host.edit,
            self.port.edit,
            self.database_name.edit,
            self.ca.edit,
            self.choose_ca,
            self.continue_button,
            self.cancel_button,
        )
        self.fit_width()
        self.fit_height()
        self.computer.setFocus(Qt.FocusReason.OtherFocusReason)

    def _build_page(self) -> None:
        layout = self.page_layout
        unit = em(self.page)
        layout.addWidget(heading("Where should the referrals be kept?"))
        layout.addWidget(body_text("You choose this once. Ask your manager if you are not sure."))
        for radio, text in ((self.computer, COMPUTER_HINT), (self.server, SERVER_HINT)):
            layout.addWidget(radio)
            note = hint(text)
            note.setContentsMargins(unit * 2, 0, 0, 0)
            layout.addWidget(note)
        fields = QVBoxLayout(self.server_fields)
        # Set in under the choice it belongs to, as GOV.UK reveals a conditional question.
        fields.setContentsMargins(unit * 2, unit // 2, 0, 0)
        fields.setSpacing(unit)
        fields.addWidget(self.host)
        fields.addWidget(self.port)
        fields.addWidget(self.database_name)
        fields.addWidget(self.ca)
        row = QHBoxLayout()
        row.addWidget(self.choose_ca)
        row.addStretch(1)
        fields.addLayout(row)
        layout.addWidget(self.server_fields)
        layout.addStretch(1)

    def _reveal(self, on: bool) -> None:
        self.server_fields.setVisible(on)
        self.fit_height(shrink=not on)

    def _choose_ca(self) -> None:
        typed = self.ca.text().strip()
        start = Path(typed).expanduser().parent if typed else Path.home()
        chosen, _ = QFileDialog.getOpenFileName(
            self,
            "The server's CA certificate",
            str(start),
            "Certificates (*.crt *.pem *.cer);;All files (*)",
        )
        if chosen:
            self.ca.edit.setText(chosen)

    def address(self) -> ServerAddress | None:
        """The server's address as typed, if every part of it is right; else None."""
        return None if self._problems() else self._typed()

    def _typed(self) -> ServerAddress:
        port = self.port.text().strip()
        return ServerAddress(
            self.host.text().strip(),
            int(port) if port.isdigit() else 0,
            self.database_name.text().strip(),
            Path(self.ca.text().strip()).expanduser(),
        )

    def _problems(self) -> list[Problem]:
        problems: list[Problem] = []

        def check(field: TextField, message: str | None) -> None:
            field.set_error(message)
            if message:
                problems.append(Problem(message, field.edit))

        host = self.host.text().strip()
        check(
            self.host,
            "Enter the server's address"
            if not host
            else None
            if HOST_PATTERN.fullmatch(host)
            else "Enter the server's address without spaces or a web address's https://",
        )
        port = self.port.text().strip()
        check(
            self.port,
            None
            if port.isdigit() and 1 <= int(port) <= 65535
            else "Enter the port as a number from 1 to 65535",
        )
        name = self.database_name.text().strip()
        check(
            self.database_name,
            None if name else "Enter the database name",
        )
        check(self.ca, ca_problem(self.ca.text()))
        return problems

    def submit(self) -> None:
        if self.computer.isChecked():
            for field in (self.host, self.port, self.database_name, self.ca):
                field.set_error(None)
            self._settings.use_computer()
            self.accept()
            return
        problems = self._problems()
        if problems:
            self.show_problems(problems)
            return
        self._settings.use_server(self._typed())
        self.accept()
