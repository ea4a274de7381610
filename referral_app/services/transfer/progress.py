"""How long-running export and import work reports progress and hears Cancel.

Plain Python, so the work can be tested without Qt; ``tasks`` connects it to a worker thread.
"""

from __future__ import annotations

from collections.abc import Callable

from referral_app.services.transfer.problems import Cancelled


class Progress:
    """Passed into the work: ``step`` after each piece, which also stops the work (by raising
    :class:`Cancelled`) once the advocate has pressed Cancel."""

    def __init__(
        self,
        report: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> None:
        self._report = report
        self._cancelled = cancelled

    def step(self, done: int, total: int) -> None:
        if self._report is not None:
            self._report(done, total)
        self.check()

    def check(self) -> None:
        if self._cancelled is not None and self._cancelled():
            raise Cancelled


#: For callers that want neither progress nor Cancel.
SILENT = Progress()
