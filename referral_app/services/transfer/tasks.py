"""Export and import work on a worker thread, so the window stays responsive and Cancel works.

The slow parts run here: reading the referrals an export holds, PDF summaries, compression,
encryption, hashing, the disk. Work that reads the database opens its own sessions on this
thread, each taking a connection from the engine's pool for its transaction and giving it back
at the end, so no connection is ever used by two threads at once (the pool hands out each
connection to one session at a time; the driver's same-thread check is off for database files).
Closing the database while the work still reads would pull the connection from under it, so
whoever closes it must first :meth:`~BackgroundTask.cancel` the task and ``wait()`` for it, as
the dialogs do when they close.

The work is plain Python that takes a :class:`Progress`; this class feeds it the Cancel flag and
turns its reports into signals the dialog's progress bar listens to.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, QThread, Signal

from referral_app.services.transfer.problems import Cancelled, Problem, TransferError
from referral_app.services.transfer.progress import Progress
from referral_app.storage.errors import StorageError

log = logging.getLogger(__name__)


class BackgroundTask(QThread):
    """Runs ``work`` once. When ``finished`` is emitted exactly one of ``result``, ``error``
    and ``cancelled`` says how it went.

    ``error`` is a problem the advocate can act on, with a plain message: a
    :class:`TransferError`, or the :class:`StorageError` reading the database met (a referral
    deleted meanwhile, say). Anything else is a bug, reported as :attr:`Problem.UNEXPECTED`.
    """

    #: Done and total, in the work's own units; sent only when the percentage moves.
    progressed = Signal(int, int)
    #: The work began a new stage (its name, as the work gave it to ``Progress.begin``); the
    #: steps sent after it count that stage's pieces.
    stage_began = Signal(str)

    def __init__(self, work: Callable[[Progress], object], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._work = work
        self._stop = threading.Event()
        self._shown = -1
        self.result: object = None
        self.error: TransferError | StorageError | None = None
        self.cancelled = False

    def cancel(self) -> None:
        """Ask the work to stop at its next step; ``finished`` follows soon after."""
        self._stop.set()

    def _report(self, done: int, total: int) -> None:
        percent = 100 if total <= 0 else done * 100 // total
        if percent != self._shown:
            self._shown = percent
            self.progressed.emit(done, total)

    def _begin(self, stage: str) -> None:
        self._shown = -1  # the new stage's first step is shown, whatever its percentage
        self.stage_began.emit(stage)

    def run(self) -> None:
        progress = Progress(self._report, self._stop.is_set, self._begin)
        try:
            self.result = self._work(progress)
        except Cancelled:
            self.cancelled = True
        except (TransferError, StorageError) as error:
            self.error = error
        except Exception as error:  # a bug: say so plainly, and log no more than its kind
            log.error("transfer work failed: %s", type(error).__name__)
            self.error = TransferError(Problem.UNEXPECTED, type(error).__name__)
