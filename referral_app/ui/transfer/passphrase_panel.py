"""The export's passphrase: the app's six words, shown once, or the advocate's own.

The words are shown large and plainly, with Copy, because the advocate has to pass them on;
the page says how (by phone, not with the file) right beside them. An own passphrase is
allowed only when it is at least as hard to guess, and the page says so before it is typed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QCheckBox, QLabel, QVBoxLayout, QWidget

from referral_app.services.transfer.passphrase import generate_passphrase, judge_own
from referral_app.ui.access.create_database import warning_text
from referral_app.ui.access.unlock import TextField, show_passphrase_box
from referral_app.ui.transfer.clipboard import ClipboardGuard
from referral_app.ui.transfer.parts import ButtonRow
from referral_app.ui.widgets.announce import announce
from referral_app.ui.widgets.text import body_text, button, em, heading, hint

HOW_TO_SHARE = (
    "Give the passphrase to the person by phone. Never send it in the same email or message "
    "as the file."
)
SHOWN_ONCE = (
    "Anyone opening the file will need this passphrase. Write it down or copy it now: it is "
    "shown only here, and the app does not keep it."
)
FINISHED = (
    "The file opens with this passphrase. It is shown until you close this window, and never again."
)
FINISHED_OWN = "The file opens with the passphrase you chose."
OWN_HINT = (
    "It must be at least as hard to guess as the app's six words, so use a long phrase that "
    "is not a saying, a name or a date."
)


class PassphrasePanel(QWidget):
    """Which passphrase the export will use; ``passphrase()`` is it."""

    changed = Signal()

    def __init__(
        self,
        guard: ClipboardGuard,
        personal: Sequence[str] = (),
        parent: QWidget | None = None,
        *,
        generate: Callable[[], str] = generate_passphrase,
    ) -> None:
        super().__init__(parent)
        self._guard = guard
        self._personal = tuple(personal)
        self._generate = generate
        self.generated = generate()
        guard.watch(self.generated)
        self.intro = body_text(SHOWN_ONCE, self)
        self.words = self._words_label()
        self.copy_button = button("&Copy passphrase", self)
        self.new_button = button("Choose &different words", self)
        self.copied = hint("", self)
        self.copied.hide()
        self.own_box = QCheckBox("Use my &own passphrase instead", self)
        self.own_box.setAccessibleName("Use my own passphrase instead")
        self.own = TextField("Your &passphrase", OWN_HINT, self, password=True)
        self.show_own = show_passphrase_box([self.own.edit], self)
        self.strength = hint("", self)
        self._build()
        self.copy_button.clicked.connect(self.copy)
        self.new_button.clicked.connect(self.new_words)
        self.own_box.toggled.connect(self._use_own)
        self.own.edit.textChanged.connect(self._judge)
        self._use_own(False)

    def _words_label(self) -> QLabel:
        label = QLabel(self.generated, self)
        label.setObjectName("passphraseWords")
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        label.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        font = QFont(label.font())
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        label.setFont(font)
        unit = em(label) // 2
        label.setStyleSheet(
            "QLabel#passphraseWords { background: #f3f2f1; color: #0b0c0c;"
            f" border: 0px solid #1d70b8; border-left: 5px solid #1d70b8; padding: {unit}px; }}"
            "QLabel#passphraseWords:focus { border: 3px solid #ffdd00; }"
        )
        label.setAccessibleName(f"Passphrase: {self.generated}")
        return label

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(em(self) * 3 // 4)
        layout.addWidget(heading("The passphrase", self, level=2))
        layout.addWidget(self.intro)
        layout.addWidget(self.words)
        layout.addWidget(ButtonRow(self.copy_button, self.new_button, parent=self))
        layout.addWidget(self.copied)
        layout.addWidget(warning_text(HOW_TO_SHARE, self))
        layout.addWidget(self.own_box, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.own)
        layout.addWidget(self.show_own, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.strength)

    @property
    def using_own(self) -> bool:
        return self.own_box.isChecked()

    def passphrase(self) -> str:
        return self.own.text() if self.using_own else self.generated

    def copy(self) -> None:
        self._guard.copy(self.passphrase())
        seconds = round(self._guard.timer.interval() / 1000)
        text = (
            f"Copied. The clipboard will be emptied in {seconds} seconds, and when this "
            "window closes, unless you have copied something else."
        )
        self.copied.setText(text)
        self.copied.setAccessibleName(text)
        self.copied.show()
        announce(self.copied, text)
        self.changed.emit()

    def new_words(self) -> None:
        """Other words, if these are hard to say over the phone; the old ones leave the
        clipboard."""
        self._guard.clear()
        self.generated = self._generate()
        self._guard.watch(self.generated)
        self.words.setText(self.generated)
        self.words.setAccessibleName(f"Passphrase: {self.generated}")
        self.copied.hide()
        self.changed.emit()

    def _use_own(self, own: bool) -> None:
        generated: tuple[QWidget, ...] = (self.intro, self.words, self.copy_button, self.new_button)
        for widget in generated:
            widget.setVisible(not own)
        for widget in (self.own, self.show_own, self.strength):
            widget.setVisible(own)
        if own:
            self._guard.clear()
            self.copied.hide()
            self.own.edit.setFocus(Qt.FocusReason.OtherFocusReason)
            self._judge()
        else:
            self.own.set_error(None)
        self.changed.emit()

    def _judge(self) -> None:
        verdict = judge_own(self.own.text(), self._personal)
        if not self.own.text():
            text = "Start typing to see whether it is strong enough."
        elif verdict.acceptable:
            text = "Strong enough."
        else:
            text = f"Not strong enough yet ({verdict.percent}% of what is needed)."
        self.strength.setText(text)
        self.strength.setAccessibleName(text)

    def problem(self) -> str | None:
        """Why the passphrase cannot be used, as the error summary says it; None if it can."""
        if not self.using_own:
            return None
        verdict = judge_own(self.own.text(), self._personal)
        message = None if verdict.acceptable else verdict.message
        self.own.set_error(message)
        return message

    def forget(self) -> None:
        """Drop the passphrase from the window when it closes: a closed dialog can live on
        (its parent keeps it) and nothing should be left to read from it."""
        self.generated = ""
        self.words.clear()
        self.words.setAccessibleName("Passphrase")
        self.own.edit.clear()

    def set_locked(self, locked: bool) -> None:
        """While the file is written the choice is fixed; the words stay readable."""
        for widget in (self.new_button, self.own_box, self.own, self.show_own):
            widget.setEnabled(not locked)

    def set_finished(self) -> None:
        """Once the file is saved only what is still useful stays: the words, Copy, and how
        to pass them on."""
        choices: tuple[QWidget, ...] = (self.new_button, self.own_box, self.show_own)
        for widget in (*choices, self.own, self.strength):
            widget.hide()
        if self.using_own:
            self.intro.setText(FINISHED_OWN)
        else:
            self.intro.setText(FINISHED)
        self.intro.setAccessibleName(self.intro.text())
        self.intro.show()
