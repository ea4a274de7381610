"""Run in a fresh process: start the app (or a bare PySide6 window) and report the moment the
first top-level window has been shown and the event loop is idle, then exit at once.

    python probe_startup.py app [ARGUMENTS]  # the app, as ``python -m referral_app ARGUMENTS``
    python probe_startup.py bare             # the baseline: one empty QWidget
    python probe_startup.py text             # for comparison: a plain passphrase window

Nothing in the app is changed. Qt's QApplication class is replaced by a subclass before the app
imports it; the subclass only installs an application-wide event filter that notices the first
window shown, and a zero-timeout timer, which Qt fires once the events already queued (the
window's layout, exposure and painting) are processed. One JSON line goes to stdout.
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()

import json  # noqa: E402 (the clock starts before anything is imported)
import os  # noqa: E402
import sys  # noqa: E402
from typing import Any  # noqa: E402

from PySide6 import QtWidgets  # noqa: E402
from PySide6.QtCore import QEvent, QObject, QTimer  # noqa: E402


class _FirstWindow(QObject):
    """Reports the first top-level widget shown, once the event loop is idle after it."""

    def __init__(self) -> None:
        super().__init__()
        self._window: QtWidgets.QWidget | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            self._window is None
            and event.type() == QEvent.Type.Show
            and isinstance(watched, QtWidgets.QWidget)
            and watched.isWindow()
        ):
            self._window = watched
            QTimer.singleShot(0, self._report)
        return False

    def _report(self) -> None:
        report = {
            "seconds": time.perf_counter() - STARTED,
            "window": type(self._window).__name__,
            "sqlalchemy_imported": "sqlalchemy" in sys.modules,
            "modules": len(sys.modules),
        }
        sys.stdout.write(json.dumps(report) + "\n")
        sys.stdout.flush()
        os._exit(0)  # the measurement is over; tearing down would only add noise


_watcher = _FirstWindow()


class _WatchedApplication(QtWidgets.QApplication):
    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.installEventFilter(_watcher)


def _bare() -> int:
    app = QtWidgets.QApplication(sys.argv[:1])
    window = QtWidgets.QWidget()
    window.show()
    return app.exec()


def _text() -> int:
    """A window with what any passphrase screen has: a heading, a sentence, a password box and
    two buttons, laid out with an alignment from the ``Qt`` namespace, which PySide6 builds (as
    Python enums) the first time a program uses it."""
    from PySide6.QtCore import Qt

    app = QtWidgets.QApplication(sys.argv[:1])
    window = QtWidgets.QWidget()
    window.setWindowTitle("Unlock")
    layout = QtWidgets.QVBoxLayout(window)
    heading = QtWidgets.QLabel("Unlock your referrals")
    font = heading.font()
    font.setPointSizeF(font.pointSizeF() * 1.5)
    heading.setFont(font)
    layout.addWidget(heading)
    sentence = QtWidgets.QLabel("Enter the passphrase you chose when you set up this app.")
    sentence.setWordWrap(True)
    layout.addWidget(sentence)
    passphrase = QtWidgets.QLineEdit()
    passphrase.setEchoMode(QtWidgets.QLineEdit.EchoMode.Password)
    layout.addWidget(passphrase)
    buttons = QtWidgets.QHBoxLayout()
    buttons.addWidget(QtWidgets.QPushButton("Unlock"))
    buttons.addWidget(QtWidgets.QPushButton("Quit"))
    layout.addLayout(buttons)
    layout.setAlignment(buttons, Qt.AlignmentFlag.AlignLeft)
    window.show()
    return app.exec()


def main() -> int:
    QtWidgets.QApplication = _WatchedApplication  # type: ignore[misc, assignment]
    if sys.argv[1] == "bare":
        return _bare()
    if sys.argv[1] == "text":
        return _text()
    from referral_app.app import main as app_main

    return app_main(sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
