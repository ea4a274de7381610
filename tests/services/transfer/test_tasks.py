"""The worker thread: progress reaches the window, Cancel stops the work, a bug is contained."""

from __future__ import annotations

import logging
import threading

import pytest
from pytestqt.qtbot import QtBot

from referral_app.services.transfer.problems import Problem, TransferError
from referral_app.services.transfer.progress import Progress
from referral_app.services.transfer.tasks import BackgroundTask


def test_progress_and_result(qtbot: QtBot) -> None:
    def work(progress: Progress) -> str:
        for done in range(1, 5):
            progress.step(done, 4)
        return "done"

    task = BackgroundTask(work)
    seen: list[tuple[int, int]] = []
    task.progressed.connect(lambda done, total: seen.append((done, total)))
    with qtbot.waitSignal(task.finished, timeout=5000):
        task.start()
    task.wait()
    assert (task.result, task.error, task.cancelled) == ("done", None, False)
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]


def test_cancel_stops_the_work(qtbot: QtBot) -> None:
    started = threading.Event()

    def work(progress: Progress) -> None:
        started.set()
        while True:
            progress.step(0, 1)
            threading.Event().wait(0.001)

    task = BackgroundTask(work)
    with qtbot.waitSignal(task.finished, timeout=5000):
        task.start()
        assert started.wait(5)
        task.cancel()
    task.wait()
    assert task.cancelled and task.result is None and task.error is None


def test_a_bug_becomes_the_unexpected_message_and_is_logged_without_detail(
    qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    def work(_progress: Progress) -> None:
        raise KeyError("Zelda Quartermaine")

    task = BackgroundTask(work)
    with caplog.at_level(logging.ERROR), qtbot.waitSignal(task.finished, timeout=5000):
        task.start()
    task.wait()
    assert isinstance(task.error, TransferError)
    assert task.error.problem is Problem.UNEXPECTED
    assert "Quartermaine" not in caplog.text
    assert "KeyError" in caplog.text
