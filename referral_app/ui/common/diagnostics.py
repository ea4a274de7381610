"""What the app writes down when something goes wrong, and what the advocate is told.

The log is for finding bugs, never a second copy of the records: it holds the type of a
problem, the place in the code, and at most a record's number. Exception messages are not
written (they can quote what was typed), and Qt's own messages have anything quoted and any
file path taken out. The advocate sees a plain "something went wrong" with what is safe, not a
traceback. faulthandler writes where a hard crash happened; core dumps, which would hold
decrypted records from memory, are switched off where the platform allows it.
"""

from __future__ import annotations

import contextlib
import faulthandler
import logging
import os
import re
import sys
import threading
from collections.abc import Callable
from io import TextIOWrapper
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QWidget

LOG_NAME = "referral-app.log"
CRASH_NAME = "crash.log"
LOG_BYTES = 1_000_000
LOG_BACKUPS = 3
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
SOMETHING_WENT_WRONG = "Something went wrong"

log = logging.getLogger(__name__)
qt_log = logging.getLogger("qt")

#: A system library named in Qt's messages about its platform plugin (libxcb-cursor0, ...).
_LIBRARY = re.compile(r"\blib[A-Za-z0-9_+-]+(?:\.so(?:\.[0-9]+)*)?")
_QUOTED = re.compile(r"\"[^\"]*\"|'[^']*'|“[^”]*”")
_PATH = re.compile(r"(?:[A-Za-z]:)?[\\/][^\s:,;)]*")
_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


class PrivateFileHandler(logging.FileHandler):
    """A log that only its owner can read, from the moment each file exists, and that is
    rolled over to ``name.1`` (``name.1`` to ``name.2``, and so on) once it reaches
    ``max_bytes``, keeping ``backups`` old files.

    Written here rather than taken from ``logging.handlers``, whose import (sockets, pickle,
    queues) would cost the first window a noticeable part of its start-up.
    """

    def __init__(self, path: Path, *, max_bytes: int, backups: int) -> None:
        self.max_bytes = max_bytes
        self.backups = backups
        super().__init__(path, encoding="utf-8")

    def _open(self) -> TextIOWrapper:
        descriptor = os.open(self.baseFilename, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        return open(descriptor, "a", encoding=self.encoding or "utf-8")  # noqa: PTH123

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if self.stream is not None and self.stream.tell() > 0:
                size = len(f"{self.format(record)}{self.terminator}".encode())
                if self.stream.tell() + size > self.max_bytes:
                    self._roll_over()
        except (OSError, ValueError):
            self.handleError(record)
        super().emit(record)

    def _roll_over(self) -> None:
        self.acquire()
        try:
            if self.stream is not None:
                self.stream.close()
                self.stream = None
            base = self.baseFilename
            for number in range(self.backups - 1, 0, -1):
                with contextlib.suppress(FileNotFoundError):
                    Path(f"{base}.{number}").replace(f"{base}.{number + 1}")
            if self.backups > 0:
                Path(base).replace(f"{base}.1")
            else:
                os.truncate(base, 0)
            self.stream = self._open()
        finally:
            self.release()


def scrub(message: str) -> str:
    """A Qt message without what it quotes or the paths it names."""
    return _PATH.sub("<path>", _QUOTED.sub("<text>", message))


class _QtMessages:
    """Qt's messages into the log; a fatal one (no display, no platform plugin) also becomes
    one plain sentence on stderr, and the process ends with code 1 instead of Qt's abort.

    Qt names a missing system library in a warning just before its fatal message, so the
    platform plugin's recent warnings are kept in memory (never written unscrubbed)."""

    def __init__(self) -> None:
        self.recent: list[str] = []

    def __call__(self, kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        category = context.category or "qt"
        qt_log.log(_QT_LEVELS.get(kind, logging.WARNING), "%s: %s", category, scrub(message))
        if category.startswith("qt.qpa"):
            self.recent = [*self.recent[-9:], message]
        if kind == QtMsgType.QtFatalMsg:
            print(no_display_sentence([*self.recent, message]), file=sys.stderr, flush=True)
            logging.shutdown()
            os._exit(1)


def no_display_sentence(messages: list[str]) -> str:
    """What an advocate (or their IT support) reads when no window can be opened."""
    if not any("platform plugin" in text or "display" in text for text in messages):
        return "CSARP Referrals stopped: Qt met an error it cannot recover from (see the log)."
    libraries = [found.group(0) for text in messages if (found := _LIBRARY.search(text))]
    if libraries:
        return (
            "CSARP Referrals cannot open a window: the system library "
            f"{libraries[0]} that Qt needs for the display is missing."
        )
    return "CSARP Referrals cannot open a window: no display could be opened."


def disable_core_dumps() -> bool:
    """No core file: it would hold whatever was decrypted in memory. True if it worked."""
    try:
        import resource
    except ImportError:
        return False
    try:
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ValueError, OSError):
        return False
    return True


class Diagnostics:
    """The log folder, its files, and the hooks that feed them; made once at start-up."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        with contextlib.suppress(OSError):
            folder.chmod(0o700)
        self.log_path = folder / LOG_NAME
        self.handler = PrivateFileHandler(self.log_path, max_bytes=LOG_BYTES, backups=LOG_BACKUPS)
        self.handler.setFormatter(logging.Formatter(FORMAT))
        root = logging.getLogger()
        for old in [h for h in root.handlers if isinstance(h, PrivateFileHandler)]:
            root.removeHandler(old)
            old.close()
        root.addHandler(self.handler)
        root.setLevel(logging.INFO)
        # A library's logging.config call may have switched off loggers made before it ran.
        for name in ("qt", __name__):
            logging.getLogger(name).disabled = False
        crash = os.open(folder / CRASH_NAME, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        self.crash_file = os.fdopen(crash, "a", encoding="utf-8")
        self._fault_handler_was_on = faulthandler.is_enabled()
        faulthandler.enable(file=self.crash_file)
        self.core_dumps_off = disable_core_dumps()
        self._previous_handler = qInstallMessageHandler(_QtMessages())

    def close(self) -> None:
        """Hand back what was there before (a host such as a test runner may have its own)."""
        qInstallMessageHandler(self._previous_handler)
        if self._fault_handler_was_on and sys.__stderr__ is not None:
            faulthandler.enable(file=sys.__stderr__)
        else:
            faulthandler.disable()
        logging.getLogger().removeHandler(self.handler)
        self.handler.close()
        self.crash_file.close()


def place_of(trace: TracebackType | None) -> str:
    """Where an exception came from, as module.function:line (module names carry no paths):
    the innermost frame of the app's own code, else the innermost of all."""
    frames = []
    while trace is not None:
        frames.append(trace)
        trace = trace.tb_next
    if not frames:
        return "unknown place"
    ours = [f for f in frames if f.tb_frame.f_globals.get("__name__", "").startswith("referral_")]
    frame = (ours or frames)[-1]
    module = frame.tb_frame.f_globals.get("__name__", "?")
    return f"{module}.{frame.tb_frame.f_code.co_name}:{frame.tb_lineno}"


#: Called after an unexpected error: keeps what it can, and says what is safe, in a sentence.
Rescue = Callable[[], str]


class ErrorReporter:
    """Uncaught exceptions (in the main thread, in slots, in other threads) go to the log as
    type, place and record number, and to the advocate as a plain message."""

    def __init__(self, *, interactive: bool = True) -> None:
        self._record_id: Callable[[], int | None] = lambda: None
        self._rescue: Rescue = lambda: ""
        self._showing = False
        #: False for --smoke-test and --self-check: no dialog, the event loop ends with code 1.
        self.interactive = interactive
        self.failures = 0
        #: The last message shown, for tests.
        self.last_message = ""

    def attach(self, record_id: Callable[[], int | None], rescue: Rescue) -> None:
        """Once the main window exists: which record is open, and how to keep the work."""
        self._record_id = record_id
        self._rescue = rescue

    def install(self) -> None:
        sys.excepthook = self.handle
        threading.excepthook = self._handle_thread

    def _handle_thread(self, args: threading.ExceptHookArgs) -> None:
        self.record(args.exc_type, args.exc_traceback, thread=True)

    def record(
        self, kind: type[BaseException], trace: TracebackType | None, *, thread: bool = False
    ) -> None:
        try:
            record_id = self._record_id()
        except Exception:
            record_id = None
        self.failures += 1  # a smoke test fails on it, whichever thread it came from
        where = " in a background task" if thread else ""
        log.error(
            "unexpected %s at %s%s (record %s)",
            kind.__name__,
            place_of(trace),
            where,
            record_id if record_id is not None else "none",
        )

    def handle(
        self, kind: type[BaseException], error: BaseException, trace: TracebackType | None
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            QApplication.quit()
            return
        self.record(kind, trace)
        if not self.interactive:
            QApplication.exit(1)
            return
        if self._showing:
            return
        try:
            saved = self._rescue()
        except Exception as failure:
            log.error(
                "could not keep the work in progress: %s at %s",
                type(failure).__name__,
                place_of(failure.__traceback__),
            )
            saved = ""
        self.last_message = message(saved)
        self._showing = True
        try:
            self.show(self.last_message)
        finally:
            self._showing = False

    def show(self, text: str) -> None:
        from PySide6.QtWidgets import QMessageBox  # only ever needed when something went wrong

        parent: QWidget | None = QApplication.activeWindow()
        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(SOMETHING_WENT_WRONG)
        box.setText(SOMETHING_WENT_WRONG)
        box.setInformativeText(text)
        box.setStandardButtons(QMessageBox.StandardButton.Ok)
        box.button(QMessageBox.StandardButton.Ok).setText("Carry on")
        box.exec()


def startup_failed(error: BaseException, log_folder: Path, *, interactive: bool) -> None:
    """An error before the main window could run: logged as type and place while the log is
    still open, told in a sentence on stderr and, when someone is there to read it, in a box."""
    log.error("start-up failed: %s at %s", type(error).__name__, place_of(error.__traceback__))
    text = (
        f"CSARP Referrals could not start ({type(error).__name__}). Nothing was changed. The "
        f"app's log in {log_folder} notes where it happened, without any personal details."
    )
    if sys.stderr is not None:
        print(text, file=sys.stderr)
    if interactive and QApplication.instance() is not None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.critical(None, SOMETHING_WENT_WRONG, text)


def message(saved: str) -> str:
    """What the advocate reads: what is safe, what may not be, what to do."""
    parts = [
        "The app met a problem it did not expect. Everything you had saved is safe in the "
        "encrypted database."
    ]
    if saved:
        parts.append(saved)
    parts.append(
        "The last change you made may not have been saved: check it before going on. If this "
        "happens again, tell your IT support; the app's log notes where it happened, without "
        "any personal details."
    )
    return " ".join(parts)
