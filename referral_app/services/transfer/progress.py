"""How long-running export and import work reports progress and hears Cancel.

Plain Python, so the work can be tested without Qt; ``tasks`` connects it to a worker thread.
"""

from __future__ import annotations

from collections.abc import Callable

from referral_app.services.transfer.problems import Cancelled


class Progress:
    """Passed into the work: ``step`` after each piece, which also stops the work (by raising
    :class:`Cancelled`) once the advocate has pressed Cancel.

    Work done in stages that count different things (an export reads the records, then
    makes the PDF summaries) says so with ``begin``, so the window can say what the count is
    of; ``began`` hears the stage's name.
    """

    def __init__(
        self,
        report: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
        began: Callable[[str], None] | None = None,
    ) -> None:
        self._report = report
        self._cancelled = cancelled
        self._began = began

    def begin(self, stage: str) -> None:
        """A new stage starts: the steps that follow count its pieces."""
        if self._began is not None:
            self._began(stage)
        self.check()

    def step(self, done: int, total: int) -> None:
        if self._report is not None:
            self._report(done, total)
        self.check()

    def check(self) -> None:
        if self._cancelled is not None and self._cancelled():
            raise Cancelled


#: For callers that want neither progress nor Cancel.
SILENT = Progress()
