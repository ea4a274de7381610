"""Locking: after a while without input, on Lock now, and at once on Hide now.

The app may be open with a survivor in the room, in an office or a café. A locked app shows
nothing personal and holds no open decrypted connection: the main window drops every page
that showed a record and closes the database before the unlock screen appears. What locks it
is decided here; what locking does to the pages is the main window's business.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QClipboard, QKeyEvent
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QVBoxLayout, QWidget

from referral_app.ui.widgets.text import heading

#: Events that mean someone is at the keyboard or the mouse.
INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.HoverMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TabletPress,
    }
)
MINUTE_MS = 60_000


class IdleWatcher(QObject):
    """Emits ``idle`` once the app has had no keyboard or mouse input for the set time.

    It watches every event the application delivers, so the check per event is one set
    lookup; the timer is restarted at most once per event loop pass that had input.
    """

    idle = Signal()
    #: Ctrl+L and F12 pressed while a modal dialog covers the main window, where the window's
    #: own shortcuts do not reach: locking must work most of all in the middle of a task.
    lock_pressed = Signal()
    hide_pressed = Signal()

    def __init__(self, minutes: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setTimerType(Qt.TimerType.CoarseTimer)
        self.timer.timeout.connect(self.idle)
        self.set_minutes(minutes)
        self._watching = False

    def set_minutes(self, minutes: int) -> None:
        self.timer.setInterval(minutes * MINUTE_MS)
        if self.timer.isActive():
            self.timer.start()

    def start(self) -> None:
        """Begin (or begin again) counting from now."""
        app = QApplication.instance()
        if app is not None and not self._watching:
            app.installEventFilter(self)
            self._watching = True
        self.timer.start()

    def stop(self) -> None:
        """While locked there is nothing to lock."""
        app = QApplication.instance()
        if app is not None and self._watching:
            app.removeEventFilter(self)
            self._watching = False
        self.timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in INPUT_EVENTS:
            self.timer.start()
            if kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
                return self._lock_key(event)
        return False

    def _lock_key(self, event: QKeyEvent) -> bool:
        """The lock keys, when a modal dialog keeps them from the window's actions."""
        if QApplication.activeModalWidget() is None:
            return False  # the window's actions have them
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if event.key() == Qt.Key.Key_F12 and modifiers == Qt.KeyboardModifier.NoModifier:
            self.hide_pressed.emit()
            return True
        if event.key() == Qt.Key.Key_L and modifiers == Qt.KeyboardModifier.ControlModifier:
            self.lock_pressed.emit()
            return True
        return False


class LockedPage(QWidget):
    """What the main window shows behind the unlock screen: nothing about anyone."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lockedPage")
        self.setAccessibleName("Locked")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 32, 32, 32)
        layout.addWidget(heading("Locked", self))
        note = QLabel("Enter your passphrase to carry on.", self)
        note.setObjectName("hint")
        layout.addWidget(note)
        layout.addStretch(1)


def close_dialogs(keep: QWidget) -> int:
    """Close every window but ``keep``, and let it go: nothing it held stays in memory,
    whether it is open or was closed and left for later deletion.

    A dialog that can keep what is typed in it does so first, without asking (its
    ``prepare_for_lock()``: the letter is saved, a record's edit is kept as a draft); then it is
    rejected, as Esc would, and deleted. Dialogs running their own event loop (message boxes)
    return from it as if cancelled, so whatever asked them goes no further.
    """
    closed = 0
    for widget in QApplication.topLevelWidgets():
        if widget is keep:
            continue
        if not widget.isVisible():
            # A dialog closed earlier but never deleted (an Export dialog, say) still holds
            # what it showed, in labels nobody can see: it goes too. Other hidden windows
            # (menus, tooltips) belong to Qt or to their owners and show nobody's details.
            if isinstance(widget, QDialog):
                widget.deleteLater()
            continue
        prepare = getattr(widget, "prepare_for_lock", None)
        if callable(prepare):
            prepare()
        if isinstance(widget, QDialog):
            widget.reject()
        else:
            widget.close()
        widget.hide()  # even one that refused to close
        widget.deleteLater()
        closed += 1
    return closed


#: Platforms where Qt cannot say who filled the clipboard: there it is emptied on locking
#: whatever is in it, rather than risk leaving a name copied from a record.
CANNOT_TELL_OWNER = frozenset({"cocoa", "offscreen", "minimal"})


def clear_clipboard() -> None:
    """Empty the clipboard (and the X11 selection) if this app put something there: a name
    copied from a record must not be pasted elsewhere while the app is locked."""
    clipboard = QApplication.clipboard()
    if clipboard.ownsClipboard() or QApplication.platformName() in CANNOT_TELL_OWNER:
        clipboard.clear(QClipboard.Mode.Clipboard)
    if clipboard.supportsSelection() and clipboard.ownsSelection():
        clipboard.clear(QClipboard.Mode.Selection)
