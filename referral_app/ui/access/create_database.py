"""First run: choose the passphrase that encrypts the records, and say who the advocate is.

The passphrase is the only key to the records, so the page says plainly, before anything is
typed, that a forgotten passphrase means lost records. Nothing is judged while the advocate
types (the strength meter only informs): problems appear together when "Create database" is
pressed, in the GOV.UK way, and nothing typed is thrown away.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from referral_app.domain.referral import Advocate
from referral_app.storage.errors import StorageError, WeakPassphraseError
from referral_app.storage.passphrase import REQUIRED_SCORE, SCORE_WORDS, Strength, estimate
from referral_app.ui.access.unlock import StartupDialog, TextField, show_passphrase_box, wait_cursor
from referral_app.ui.widgets.error_summary import Problem
from referral_app.ui.widgets.text import body_text, button, em, heading, hint

#: Seen by anyone in the room and by screen-sharing tools: never personal data.
TITLE = "CSARP Referrals — Create database"
#: Deliberately loose: it catches slips (no @, a space), not every address the RFC refuses.
EMAIL_PATTERN = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
#: GOV.UK red, orange and green for the strength meter; the words say the same thing.
METER_COLOURS = ("#d4351c", "#d4351c", "#f47738", "#f47738", "#00703c")
WARNING = (
    "If you forget this passphrase, the records cannot be recovered. Nobody, including us, "
    "can open them without it. Keep it somewhere safe, such as your organisation's password "
    "manager."
)


def warning_text(text: str, parent: QWidget | None = None) -> QFrame:
    """GOV.UK warning text: a bold "!" in a black circle, then the warning in bold."""
    frame = QFrame(parent)
    frame.setObjectName("warningText")
    frame.setAccessibleName(f"Warning: {text}")
    icon = QLabel("!", frame)
    icon.setAccessibleName("Warning")
    icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
    font = QFont(icon.font())
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * 1.4)
    icon.setFont(font)
    size = round(QFontMetrics(font).height() * 1.25)
    icon.setFixedSize(size, size)  # from the font, so it grows with the text
    icon.setStyleSheet(
        f"background: #0b0c0c; color: #ffffff; border-radius: {size // 2}px; padding: 0;"
    )
    layout = QHBoxLayout(frame)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(em(frame) * 3 // 4)
    layout.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
    layout.addWidget(body_text(text, frame, bold=True), 1)
    return frame


class StrengthMeter(QWidget):
    """How hard the passphrase would be to guess, in a word, a bar and zxcvbn's advice.

    It only informs while the advocate types; a refusal comes with the other problems when
    they press "Create database".
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel(self)
        self.label.setObjectName("fieldLabel")
        self.bar = QProgressBar(self)
        self.bar.setRange(0, REQUIRED_SCORE)
        self.bar.setTextVisible(False)
        self.bar.setAccessibleName("Passphrase strength")
        self.bar.setFixedHeight(em(self) * 2 // 3)  # from the font, so it grows with the text
        self.advice = hint("", self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(em(self) // 4)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.advice)
        self.show_strength(None)

    def show_strength(self, strength: Strength | None) -> None:
        if strength is None:
            score, word, border = 0, "not known yet", "#0b0c0c"
            advice = "Start typing to see how hard your passphrase would be to guess."
        else:
            score, word, border = strength.score, strength.label, METER_COLOURS[strength.score]
            advice = " ".join(part for part in (strength.summary, strength.advice) if part)
            if not strength.acceptable:
                advice = f"{advice} It needs to be {SCORE_WORDS[REQUIRED_SCORE]}."
        text = f"Strength: {word}"
        self.label.setText(text)
        self.label.setAccessibleName(text)
        self.bar.setValue(score)
        self.bar.setAccessibleDescription(f"{word}, {score} out of {REQUIRED_SCORE}")
        # The border takes the colour too, so even "Very weak" (an empty bar) shows as red.
        self.bar.setStyleSheet(
            f"QProgressBar {{ border: 2px solid {border}; background: #f3f2f1; }}"
            f"QProgressBar::chunk {{ background: {METER_COLOURS[score]}; }}"
        )
        self.advice.setText(advice)
        self.advice.setAccessibleName(advice)


def weak_message(strength: Strength) -> str:
    """'The passphrase is too easy to guess: …' with zxcvbn's reason, said only once."""
    reason = strength.summary
    if reason.endswith("would be too easy to guess."):
        reason = ""  # the generic summary would repeat the first half of the sentence
    detail = " ".join(part for part in (reason, strength.advice) if part)
    detail = detail[:1].lower() + detail[1:]  # it continues the sentence
    if not detail:
        return "The passphrase is too easy to guess"
    return f"The passphrase is too easy to guess: {detail}"


def clear_weak_error(dialog: StartupDialog, field: TextField, message: str | None) -> None:
    """Take "too easy to guess" away, beside the field and in the summary, as soon as the
    passphrase typed since is strong enough: an error left up after it was put right would
    send the advocate looking for a problem that is not there."""
    if message is None:
        return
    field.set_error(None)
    left = [problem for problem in dialog.summary.problems if problem.message != message]
    if len(left) != len(dialog.summary.problems):
        dialog.summary.show_problems(left, focus=False)


class CreateDatabaseDialog(StartupDialog):
    """The first-run page; on success ``database`` holds the new, open database."""

    def __init__(self, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(TITLE, parent)
        self._path = path
        #: The "too easy to guess" message shown, until the passphrase is strong enough.
        self._weak: str | None = None
        self.passphrase = TextField(
            "&Passphrase",
            "Use four or more words that do not go together. Avoid names, places and dates "
            "linked to you.",
            password=True,
        )
        self.strength = StrengthMeter()
        self.confirm = TextField("Con&firm passphrase", "Type the passphrase again.", password=True)
        self.show_passphrase = show_passphrase_box([self.passphrase.edit, self.confirm.edit])
        self.name = TextField("Your full &name")
        self.organisation = TextField(
            "Your &organisation", "For example, the charity or service you work for."
        )
        self.phone = TextField(
            "Work p&hone number (optional)",
            "So the police, the CPS or the Panel can call you about a referral.",
            width_chars=20,
        )
        self.email = TextField("Work &email address (optional)")
        from referral_app.storage.backup_files import list_backup_files

        #: Backups beside the missing database: a lost one's way back, offered first.
        self.found_backups = list_backup_files(path)
        self.restore_button = button("Restore from a &backup…", primary=bool(self.found_backups))
        self.restore_button.setVisible(bool(self.found_backups))
        self.create_button = button("C&reate database", primary=not self.found_backups)
        self.cancel_button = button("&Cancel")
        self.restore_dialog: QDialog | None = None
        self._build_page()
        self.set_buttons(self.restore_button, self.create_button, self.cancel_button)
        self.restore_button.clicked.connect(self.offer_restore)

        self.passphrase.edit.textChanged.connect(self._update_strength)
        self.name.edit.textChanged.connect(self._update_strength)
        self.organisation.edit.textChanged.connect(self._update_strength)
        self.create_button.clicked.connect(self.submit)
        self.cancel_button.clicked.connect(self.reject)
        self.set_tab_order(
            self.restore_button,
            self.passphrase.edit,
            self.confirm.edit,
            self.show_passphrase,
            self.name.edit,
            self.organisation.edit,
            self.phone.edit,
            self.email.edit,
            self.create_button,
            self.cancel_button,
        )
        self.fit_width()
        self.fit_height()
        self.passphrase.edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def _build_page(self) -> None:
        layout = self.page_layout
        gap = em(self.page) // 2
        if self.found_backups:
            from referral_app.ui.access.damaged import when_text

            count = len(self.found_backups)
            layout.addWidget(heading("Backups of earlier records were found"))
            layout.addWidget(
                body_text(
                    f"There {'is 1 backup' if count == 1 else f'are {count} backups'} where "
                    "the database should be, the newest made on "
                    f"{when_text(self.found_backups[0].made_at)}, but the database itself is "
                    "missing or empty. If it was lost or damaged, restore it from a backup "
                    "instead of setting up a new, empty database. The backups are kept "
                    "either way."
                )
            )
            layout.addSpacing(gap)
        title = "Or set up a new, empty database" if self.found_backups else ""
        layout.addWidget(heading(title or "Set up your encrypted records"))
        layout.addWidget(
            body_text(
                "The referrals you record are kept in an encrypted file on this computer. "
                "Choose a passphrase to lock it. You will need the passphrase every time you "
                "open this app."
            )
        )
        layout.addWidget(warning_text(WARNING))
        layout.addSpacing(gap)
        layout.addWidget(heading("Choose a passphrase", level=2))
        for widget in (self.passphrase, self.strength, self.confirm):
            layout.addWidget(widget)
        layout.addWidget(self.show_passphrase, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addSpacing(gap)
        layout.addWidget(heading("About you", level=2))
        layout.addWidget(
            body_text(
                "Your details appear on every referral record and on everything you print, "
                "so the police, the CPS or the Panel know who to contact."
            )
        )
        for widget in (self.name, self.organisation, self.phone, self.email):
            layout.addWidget(widget)
        layout.addStretch(1)

    def _personal_words(self) -> list[str]:
        words = (self.name.text().strip(), self.organisation.text().strip())
        return [word for word in words if word]

    def _update_strength(self) -> None:
        passphrase = self.passphrase.text()
        strength = estimate(passphrase, self._personal_words()) if passphrase else None
        self.strength.show_strength(strength)
        if strength is not None and strength.acceptable:
            clear_weak_error(self, self.passphrase, self._weak)
            self._weak = None

    def _check(self) -> list[Problem]:
        """Every problem at once, each beside its field and in the summary, in page order."""
        passphrase = self.passphrase.text()
        messages: dict[TextField, str] = {}
        if not passphrase:
            messages[self.passphrase] = "Enter a passphrase"
        else:
            strength = estimate(passphrase, self._personal_words())
            if not strength.acceptable:
                messages[self.passphrase] = self._weak = weak_message(strength)
            if not self.confirm.text():
                messages[self.confirm] = "Type the passphrase again to confirm it"
            elif self.confirm.text() != passphrase:
                messages[self.confirm] = "The passphrases do not match"
        if not self.name.text().strip():
            messages[self.name] = "Enter your name"
        if not self.organisation.text().strip():
            messages[self.organisation] = "Enter your organisation"
        email = self.email.text().strip()
        if email and not EMAIL_PATTERN.fullmatch(email):
            messages[self.email] = (
                "Enter an email address in the correct format, like name@example.org"
            )
        problems: list[Problem] = []
        fields = (self.passphrase, self.confirm, self.name, self.organisation, self.email)
        for field in fields:
            message = messages.get(field)
            field.set_error(message)
            if message:
                problems.append(Problem(message, field.edit))
        return problems

    def advocate(self) -> Advocate:
        return Advocate(
            name=self.name.text().strip(),
            organisation=self.organisation.text().strip(),
            phone=self.phone.text().strip(),
            email=self.email.text().strip(),
        )

    def offer_restore(self) -> None:
        """Choose a backup, check it, and open it in place of the missing database."""
        from referral_app.ui.access.restore import RestoreDialog

        dialog = RestoreDialog(self._path, self._restore_into, self)
        dialog.accepted.connect(self._restored)
        self.restore_dialog = dialog
        dialog.open()

    def _restore_into(self, source: Path, passphrase: str) -> None:
        from referral_app.storage import backup
        from referral_app.storage.access import open_database

        backup.restore(source, self._path, passphrase)
        self.database = open_database(self._path, passphrase)

    def _restored(self) -> None:
        if self.database is not None:
            self.accept()

    def submit(self) -> None:
        """What "Create database" does: check everything, then create and close."""
        if self.database is not None:
            return
        problems = self._check()
        if problems:
            self.show_problems(problems)
            return
        try:
            with wait_cursor():
                from referral_app.storage.access import create_database

                database = create_database(self._path, self.passphrase.text(), self.advocate())
        except StorageError as error:
            field = None
            if isinstance(error, WeakPassphraseError):  # e.g. a pasted control character
                self.passphrase.set_error(str(error))
                field = self.passphrase.edit
            self.show_problems([Problem(str(error), field)])
            return
        self.database = database
        self.passphrase.edit.clear()
        self.confirm.edit.clear()
        self.accept()
