"""The worker thread: progress and its stages reach the window, Cancel stops the work, a
storage problem keeps its plain message, a bug is contained."""

from __future__ import annotations

import logging
import threading

import pytest
from pytestqt.qtbot import QtBot

from referral_app.services.transfer.problems import Problem, TransferError
from referral_app.services.transfer.progress import Progress
from referral_app.services.transfer.tasks import BackgroundTask
from referral_app.storage.errors import RecordNotFoundError


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


def test_each_stage_is_announced_before_its_steps_and_shows_its_first_step(
    qtbot: QtBot,
) -> None:
    def work(progress: Progress) -> None:
        progress.begin("reading")
        progress.step(2, 4)
        progress.step(4, 4)
        progress.begin("writing")
        progress.step(8, 8)  # 100% again, but of another stage: shown
        progress.step(8, 8)  # the same again: not

    task = BackgroundTask(work)
    seen: list[object] = []
    task.stage_began.connect(seen.append)
    task.progressed.connect(lambda done, total: seen.append((done, total)))
    with qtbot.waitSignal(task.finished, timeout=5000):
        task.start()
    task.wait()
    assert seen == ["reading", (2, 4), (4, 4), "writing", (8, 8)]


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


def test_a_storage_problem_keeps_its_own_plain_message(
    qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    def work(_progress: Progress) -> None:
        raise RecordNotFoundError(7)  # deleted while the export was reading

    task = BackgroundTask(work)
    with caplog.at_level(logging.DEBUG), qtbot.waitSignal(task.finished, timeout=5000):
        task.start()
    task.wait()
    assert isinstance(task.error, RecordNotFoundError)
    assert str(task.error) == "Referral 7 is not in the database (it may have been deleted)."
    assert not task.cancelled and task.result is None
    assert caplog.text == ""  # an error the advocate is told about, not a bug
