"""Export and import work on a worker thread, so the window stays responsive and Cancel works.

Only the slow, database-free part runs here (PDF summaries, compression, encryption, hashing,
the disk): the database's connections stay on the thread that opened them. The work is plain
Python that takes a :class:`Progress`; this class feeds it the Cancel flag and turns its
reports into a signal the dialog's progress bar listens to.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, QThread, Signal

from referral_app.services.transfer.problems import Cancelled, Problem, TransferError
from referral_app.services.transfer.progress import Progress

log = logging.getLogger(__name__)


class BackgroundTask(QThread):
    """Runs ``work`` once. When ``finished`` is emitted exactly one of ``result``, ``error``
    and ``cancelled`` says how it went."""

    #: Done and total, in the work's own units; sent only when the percentage moves.
    progressed = Signal(int, int)

    def __init__(self, work: Callable[[Progress], object], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._work = work
        self._stop = threading.Event()
        self._shown = -1
        self.result: object = None
        self.error: TransferError | None = None
        self.cancelled = False

    def cancel(self) -> None:
        """Ask the work to stop at its next step; ``finished`` follows soon after."""
        self._stop.set()

    def _report(self, done: int, total: int) -> None:
        percent = 100 if total <= 0 else done * 100 // total
        if percent != self._shown:
            self._shown = percent
            self.progressed.emit(done, total)

    def run(self) -> None:
        progress = Progress(self._report, self._stop.is_set)
        try:
            self.result = self._work(progress)
        except Cancelled:
            self.cancelled = True
        except TransferError as error:
            self.error = error
        except Exception as error:  # a bug: say so plainly, and log no more than its kind
            log.error("transfer work failed: %s", type(error).__name__)
            self.error = TransferError(Problem.UNEXPECTED, type(error).__name__)
