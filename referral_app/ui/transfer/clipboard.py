"""The export passphrase on the clipboard, for as short a time as is useful.

Copying the passphrase is convenient and risky: anything pasted later, and clipboard managers,
keep it. So it is cleared after a short time, when the dialog closes and when the app quits,
but only if the clipboard still holds it: what the advocate copied since is theirs. The copy
also carries the hints that ask clipboard history (Windows' and KDE's Klipper) and cloud
clipboards to leave it out.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QMimeData, QObject, QTimer
from PySide6.QtGui import QClipboard, QGuiApplication

#: How long the passphrase stays on the clipboard.
CLEAR_AFTER_SECONDS = 30
_DWORD_ZERO = QByteArray(b"\x00\x00\x00\x00")
#: Windows keeps the formats it recognises by name out of history and the cloud clipboard.
_WINDOWS = 'application/x-qt-windows-mime;value="{}"'
_HINTS: dict[str, QByteArray] = {
    _WINDOWS.format("ExcludeClipboardContentFromMonitorProcessing"): _DWORD_ZERO,
    _WINDOWS.format("CanIncludeInClipboardHistory"): _DWORD_ZERO,
    _WINDOWS.format("CanUploadToCloudClipboard"): _DWORD_ZERO,
    "x-kde-passwordManagerHint": QByteArray(b"secret"),
}


class ClipboardGuard(QObject):
    """Puts a secret on the clipboard and takes it off again."""

    def __init__(self, seconds: float = CLEAR_AFTER_SECONDS, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._secret: str | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(round(seconds * 1000))
        self.timer.timeout.connect(self.clear)
        application = QGuiApplication.instance()
        if application is not None:
            application.aboutToQuit.connect(self.clear)

    @property
    def holding(self) -> bool:
        """Whether the clipboard still holds the secret this guard put there."""
        return self._secret is not None and self._holds(QClipboard.Mode.Clipboard)

    def _holds(self, mode: QClipboard.Mode) -> bool:
        return QGuiApplication.clipboard().text(mode) == self._secret

    def watch(self, secret: str) -> None:
        """Clear ``secret`` at close and quit if it reaches the clipboard some other way (the
        advocate selecting and copying the words themselves)."""
        if self._secret != secret:
            self.clear()
            self._secret = secret

    def copy(self, secret: str) -> None:
        self.clear()
        data = QMimeData()
        data.setText(secret)
        for kind, value in _HINTS.items():
            data.setData(kind, value)
        QGuiApplication.clipboard().setMimeData(data, QClipboard.Mode.Clipboard)
        self._secret = secret
        self.timer.start()

    def clear(self) -> None:
        """Empty the clipboard (and the X11 selection) if they still hold the secret."""
        self.timer.stop()
        if self._secret is None:
            return
        clipboard = QGuiApplication.clipboard()
        modes = [QClipboard.Mode.Clipboard]
        if clipboard.supportsSelection():  # text selected with the mouse on Linux
            modes.append(QClipboard.Mode.Selection)
        for mode in modes:
            if self._holds(mode):
                clipboard.clear(mode)
        self._secret = None
