"""Later runs: the passphrase unlocks the records.

This screen may be on show with a survivor in the room before the advocate has unlocked
anything, so it shows nothing personal: no names, no file location. A wrong passphrase is
met with one plain sentence and the passphrase selected, ready to be typed again.

The frame both start-up screens share (a page that scrolls rather than cut text off at large
text sizes, buttons that stay in view, labelled fields) is defined here, by the screen that
every run sees; the first-run screen builds on it.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from referral_app.storage.attempts import UNSAVED_NOTE, FailedAttempts
from referral_app.storage.errors import (
    DamagedDatabaseError,
    StorageError,
    TooManyAttemptsError,
    WrongPassphraseError,
)
from referral_app.ui.widgets.error_summary import ErrorSummary, Problem
from referral_app.ui.widgets.text import (
    body_text,
    button,
    em,
    field_error,
    field_label,
    heading,
    hint,
    mark_invalid,
    show_field_error,
)

if TYPE_CHECKING:
    from referral_app.storage.db import Database
    from referral_app.ui.access.damaged import DamagePanel

#: Seen by anyone in the room and by screen-sharing tools: never personal data.
TITLE = "CSARP Referrals — Unlock"
#: Widths in the width of an "x", so they grow with the text size instead of cutting it off.
READING_WIDTH = 84
MINIMUM_WIDTH = 50
#: The share of the screen a start-up dialog may take before its page scrolls.
SCREEN_SHARE = 0.9
FORGOTTEN = "Forgotten your passphrase?"
#: Said plainly: there is no reset, and why; what to try first; what starting afresh means.
FORGOTTEN_TEXT = (
    "Nobody can reset or recover the passphrase, including us. That is what keeps the "
    "records safe if this computer is lost or stolen.",
    "First, check whether your organisation keeps a copy of it, for example in a password manager.",
    "If the passphrase is lost for good, the records in this database cannot be opened again. "
    "The only way forward is to start afresh with a new, empty database. Your organisation's "
    "IT support can help with this.",
)


def _utc_now() -> datetime:
    return datetime.now(UTC)


def inset_text(paragraphs: Sequence[str], parent: QWidget | None = None) -> QFrame:
    """Text set apart by a grey rule on the left (GOV.UK inset text)."""
    frame = QFrame(parent)
    frame.setObjectName("insetText")
    # Qt draws a one-sided border only when every side has a style, hence "border: 0 solid".
    frame.setStyleSheet(
        "QFrame#insetText { border: 0px solid #b1b4b6; border-left: 5px solid #b1b4b6;"
        " padding-left: 0.8em; }"
    )
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(em(frame) // 2)
    for paragraph in paragraphs:
        layout.addWidget(body_text(paragraph, frame))
    return frame


@contextmanager
def wait_cursor() -> Iterator[None]:
    """Show that the app is busy while the key is derived (a fraction of a second)."""
    QApplication.setOverrideCursor(QCursor(Qt.CursorShape.WaitCursor))
    # Let the cursor change reach the screen; clicks and keys wait until the work is done.
    QApplication.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
    try:
        yield
    finally:
        QApplication.restoreOverrideCursor()


class TextField(QWidget):
    """One question laid out as GOV.UK does it: label, hint, error message, then the box.

    The error also goes into the box's accessible description, so a screen reader that lands
    in the box hears why it needs attention.
    """

    def __init__(
        self,
        label: str,
        hint_text: str = "",
        parent: QWidget | None = None,
        *,
        password: bool = False,
        width_chars: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.edit = QLineEdit(self)
        self.label = field_label(label, self.edit, self)
        self.error = field_error(self)
        self._hint_text = hint_text
        self.edit.setAccessibleDescription(hint_text)
        if password:
            self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        if width_chars is not None:
            digit = self.edit.fontMetrics().horizontalAdvance("0")
            self.edit.setMaximumWidth(digit * width_chars + em(self))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(em(self) // 4)
        layout.addWidget(self.label)
        if hint_text:
            layout.addWidget(hint(hint_text, self))
        layout.addWidget(self.error)
        layout.addWidget(self.edit)

    def text(self) -> str:
        return self.edit.text()

    def set_error(self, message: str | None) -> None:
        show_field_error(self.error, message)
        mark_invalid(self.edit, bool(message))
        described = f"Error: {message} {self._hint_text}" if message else self._hint_text
        self.edit.setAccessibleDescription(described.strip())


def show_passphrase_box(fields: Sequence[QLineEdit], parent: QWidget | None = None) -> QCheckBox:
    """A "Show passphrase" box: typing a long passphrase blind is where mistakes come from."""
    box = QCheckBox("&Show passphrase", parent)
    box.setAccessibleName("Show passphrase")
    box.setStyleSheet("QCheckBox::indicator { width: 1em; height: 1em; }")  # grows with text

    def show(checked: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if checked else QLineEdit.EchoMode.Password
        for field in fields:
            field.setEchoMode(mode)

    box.toggled.connect(show)
    return box


class StartupDialog(QDialog):
    """The frame of a start-up screen: error summary and page above, buttons always in view.

    Word-wrapped text makes a window's height depend on its width, which Qt does not take
    into account for windows, so :meth:`fit_height` sizes the window to its page whenever the
    page changes; past the screen's height the page scrolls instead of being squashed.
    """

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database: Database | None = None
        self.setWindowTitle(title)
        self.setModal(True)
        self.summary = ErrorSummary()
        self.page = QWidget()
        unit = em(self)
        self.page_layout = QVBoxLayout(self.page)
        self.page_layout.setContentsMargins(unit * 2, unit * 3 // 2, unit * 2, 0)
        self.page_layout.setSpacing(unit)
        self.page_layout.addWidget(self.summary)
        self._scroll = QScrollArea(self)
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._scroll.setWidget(self.page)
        self._buttons = QHBoxLayout()
        self._buttons.setSpacing(unit)
        self._buttons.setContentsMargins(unit * 2, unit // 2, unit * 2, unit)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self._scroll, 1)
        layout.addLayout(self._buttons)
        self.summary.linkActivated.connect(self._scroll.ensureWidgetVisible)

    def set_buttons(self, *buttons: QPushButton) -> None:
        """Buttons on the left, the main action first, as GOV.UK places them."""
        for widget in buttons:
            self._buttons.addWidget(widget)
        self._buttons.addStretch(1)

    def set_tab_order(self, *widgets: QWidget) -> None:
        for first, second in itertools.pairwise(widgets):
            QWidget.setTabOrder(first, second)

    def fit_width(self) -> None:
        """A comfortable reading width, never wider than the screen."""
        x = self.fontMetrics().horizontalAdvance("x")
        screen = self.screen().availableGeometry()
        self.setMinimumWidth(min(x * MINIMUM_WIDTH, screen.width()))
        self.resize(min(x * READING_WIDTH, int(screen.width() * SCREEN_SHARE)), self.height())

    def fit_height(self, *, shrink: bool = True) -> None:
        """Tall enough to show the whole page, if the screen allows."""
        self.page_layout.activate()
        page = self.page.heightForWidth(self.width())
        if page < 0:
            page = self.page.sizeHint().height()
        margins = self._buttons.contentsMargins()
        buttons = self._buttons.sizeHint().height() + margins.top() + margins.bottom()
        screen = self.screen().availableGeometry().height()
        wanted = min(page + buttons, int(screen * SCREEN_SHARE))
        if shrink or wanted > self.height():
            self.resize(self.width(), wanted)

    def scroll_to(self, widget: QWidget) -> None:
        self._scroll.ensureWidgetVisible(widget)

    def show_problems(self, problems: Sequence[Problem]) -> None:
        """List the problems at the top of the page, in view, and grow to show them."""
        self.summary.show_problems(problems)
        self.fit_height(shrink=False)
        self._scroll.verticalScrollBar().setValue(0)


def _restore_button() -> QPushButton:
    """The damage page's main action, hidden (and not the default) until damage is found."""
    widget = button("&Restore this backup", primary=True)
    widget.setDefault(False)  # Enter unlocks until the damage page shows
    widget.setAutoDefault(False)
    widget.hide()
    return widget


LOCKED_TITLE = "CSARP Referrals — Locked"
#: How often the wait after too many wrong passphrases is counted down on screen.
TICK_MS = 1000


class UnlockDialog(StartupDialog):
    """Asks for the passphrase; on success ``database`` holds the open database.

    With ``locked``, it is the screen of a locked app rather than of a new start: the same
    passphrase, the same rules, and the same slowing down after wrong passphrases in a row.
    """

    def __init__(
        self,
        path: Path,
        parent: QWidget | None = None,
        *,
        locked: bool = False,
        now: Callable[[], datetime] = _utc_now,
        note: str = "",
    ) -> None:
        super().__init__(LOCKED_TITLE if locked else TITLE, parent)
        self._path = path
        self._now = now
        self._attempts = FailedAttempts.beside(path)
        self._damage: DamagePanel | None = None
        self._restore_from: Path | None = None
        self._passphrase_for_restore = ""
        self._wait = QTimer(self)
        self._wait.setInterval(TICK_MS)
        self._wait.timeout.connect(self._count_down)
        self.passphrase = TextField("&Passphrase", password=True)
        self.show_passphrase = show_passphrase_box([self.passphrase.edit])
        self.forgotten_button = self._details_button()
        self.forgotten_text = inset_text(FORGOTTEN_TEXT)
        self.forgotten_text.setAccessibleName(FORGOTTEN)
        self.forgotten_text.hide()
        self.unlock_button = button("&Unlock", primary=True)
        self.restore_button = _restore_button()
        self.quit_button = button("&Quit")

        layout = self.page_layout
        title = heading("CSARP Referrals is locked" if locked else "Unlock your referrals")
        layout.addWidget(title)
        if locked:
            intro = (
                "Nothing is shown while the app is locked. Enter your passphrase to carry on "
                "where you left off, with what you were typing."
            )
        else:
            intro = (
                "Your referrals are kept in an encrypted file on this computer. Enter the "
                "passphrase you chose when you set up this app."
            )
        self._intro: list[QWidget] = [title, body_text(intro)]
        layout.addWidget(self._intro[1])
        if note:
            layout.addWidget(inset_text([note]))
        layout.addWidget(self.passphrase)
        self.wait_label = body_text("", bold=True)
        self.wait_label.hide()
        layout.addWidget(self.wait_label)
        layout.addWidget(self.show_passphrase, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.forgotten_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.forgotten_text)
        layout.addStretch(1)
        self.set_buttons(self.unlock_button, self.restore_button, self.quit_button)

        self.forgotten_button.toggled.connect(self._show_forgotten)
        self.unlock_button.clicked.connect(self.unlock)
        self.restore_button.clicked.connect(self.restore_newest_good)
        self.quit_button.clicked.connect(self.reject)
        self.set_tab_order(
            self.passphrase.edit,
            self.show_passphrase,
            self.forgotten_button,
            self.unlock_button,
            self.quit_button,
        )
        self.fit_width()
        self.fit_height()
        self.passphrase.edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self._count_down()  # a wait left over from earlier tries still applies

    def _details_button(self) -> QPushButton:
        """A link-like toggle for the GOV.UK "details" pattern: help for the few who need it."""
        toggle = QPushButton(f"▸ {FORGOTTEN.replace('F', '&F', 1)}")
        toggle.setObjectName("detailsSummary")
        toggle.setAccessibleName(FORGOTTEN)
        toggle.setAccessibleDescription("Shows what you can do")
        toggle.setCheckable(True)
        toggle.setAutoDefault(False)
        toggle.setFlat(True)
        toggle.setCursor(Qt.CursorShape.PointingHandCursor)
        toggle.setStyleSheet(
            "QPushButton { color: #1d70b8; text-decoration: underline; border: none;"
            " text-align: left; padding: 0.1em 0.2em; }"
            "QPushButton:focus { background: #ffdd00; color: #0b0c0c; }"
        )
        return toggle

    def _show_forgotten(self, shown: bool) -> None:
        self.forgotten_text.setVisible(shown)
        arrow = "▾" if shown else "▸"
        self.forgotten_button.setText(f"{arrow} {FORGOTTEN.replace('F', '&F', 1)}")
        self.forgotten_button.setAccessibleDescription(
            "Hides the explanation" if shown else "Shows what you can do"
        )
        self.fit_height()
        if shown:
            # Once the page has been laid out again, scroll to the text if it is out of view.
            QTimer.singleShot(0, self, lambda: self.scroll_to(self.forgotten_text))

    def unlock(self) -> None:
        """What "Unlock" does: open the database, or say plainly why it did not open."""
        if self.database is not None:
            return
        passphrase = self.passphrase.text()
        if not passphrase:
            self._try_again("Enter your passphrase")
            return
        try:
            with wait_cursor():
                # Loaded here, not at start-up: the screen appears without waiting for it.
                from referral_app.storage.access import open_database

                database = open_database(
                    self._path, passphrase, now=self._now(), attempts=self._attempts
                )
        except WrongPassphraseError as error:
            unsaved = f" {UNSAVED_NOTE}" if self._attempts.unsaved else ""
            self._try_again(f"{error}{unsaved}")
            self._count_down()
            return
        except DamagedDatabaseError:
            self._show_damage(passphrase)
            return
        except TooManyAttemptsError:
            self._count_down()
            return
        except StorageError as error:
            self.passphrase.set_error(None)
            self.show_problems([Problem(str(error))])
            return
        self.database = database
        self.passphrase.edit.clear()
        self.accept()

    def _count_down(self) -> None:
        """While a wait is on, say how long is left and keep Unlock off; then turn it back on.

        The reason goes in the error summary once; the time left is a line of its own that
        changes each second, so a screen reader is not sent back to the summary every tick.
        """
        now = self._now()
        retry_at = self._attempts.next_try_at(now)
        if retry_at is None or now >= retry_at:
            if self._wait.isActive():
                self._wait.stop()
                self.unlock_button.setEnabled(True)
                self.wait_label.hide()
                self.passphrase.set_error(None)
                self.show_problems([])
                self.passphrase.edit.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        left = TooManyAttemptsError.wait_text(retry_at, now)
        self.wait_label.setText(left)
        self.wait_label.setAccessibleName(left)
        if self._wait.isActive():
            return
        self.unlock_button.setEnabled(False)
        self.wait_label.show()
        reason = TooManyAttemptsError.REASON
        self.passphrase.set_error(reason)
        self.show_problems([Problem(reason, self.passphrase.edit)])
        self.passphrase.edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self._wait.start()

    def _show_damage(self, passphrase: str) -> None:
        """In place of the passphrase: what is wrong, and the newest good backup, if any."""
        from referral_app.storage import backup
        from referral_app.storage.backup_files import parse
        from referral_app.ui.access.damaged import NO_BACKUP, DamagePanel, backup_found_text

        with wait_cursor():
            found = backup.newest_good(self._path, passphrase)
        if self._damage is None:
            self._damage = DamagePanel(self.page)
            self.page_layout.insertWidget(1, self._damage)
        self._damage.show()
        for widget in (
            *self._intro,
            self.passphrase,
            self.show_passphrase,
            self.forgotten_button,
            self.forgotten_text,
            self.wait_label,
            self.unlock_button,
        ):
            widget.hide()
        self.unlock_button.setDefault(False)
        self.show_problems([])
        self._restore_from = found
        self._passphrase_for_restore = passphrase
        if found is None:
            self._damage.set_advice((NO_BACKUP,))
            self.restore_button.hide()
            self.quit_button.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            made = parse(self._path, found)
            made_at = (
                made.made_at
                if made is not None
                else datetime.fromtimestamp(found.stat().st_mtime, UTC)
            )
            self._damage.set_advice(backup_found_text(made_at, self._path))
            self.restore_button.show()
            self.restore_button.setDefault(True)
            self.restore_button.setFocus(Qt.FocusReason.OtherFocusReason)
        self.fit_height(shrink=False)

    def restore_newest_good(self) -> None:
        """Put the newest good backup in place (the damaged file kept aside), then open it."""
        if self._restore_from is None:
            return
        from referral_app.storage import backup
        from referral_app.storage.access import open_database

        passphrase = self._passphrase_for_restore
        try:
            with wait_cursor():
                backup.restore(self._restore_from, self._path, passphrase, label="damaged")
                database = open_database(
                    self._path, passphrase, now=self._now(), attempts=self._attempts
                )
        except StorageError as error:
            self.show_problems([Problem(str(error))])
            return
        self._passphrase_for_restore = ""
        self.database = database
        self.passphrase.edit.clear()
        self.accept()

    def _try_again(self, message: str) -> None:
        """Say what is wrong, then hand the passphrase back, selected, for another try."""
        self.passphrase.set_error(message)
        self.show_problems([Problem(message, self.passphrase.edit)])
        self.passphrase.edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self.passphrase.edit.selectAll()
        self.scroll_to(self.passphrase)
