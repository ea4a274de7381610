"""The log and the "something went wrong" message: private files, no personal data in them,
a plain message for the advocate with what was kept, and no core dumps."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer, qWarning
from pytestqt.qtbot import QtBot

from referral_app.ui.common.diagnostics import (
    CRASH_NAME,
    LOG_NAME,
    Diagnostics,
    ErrorReporter,
    PrivateFileHandler,
    place_of,
    scrub,
)
from tests.permissions import assert_owner_only

CANARY = "Wilhelmina Canarybright"


@pytest.fixture
def diagnostics(tmp_path: Path) -> Iterator[Diagnostics]:
    made = Diagnostics(tmp_path / "logs")
    yield made
    made.close()


def _log_text(diagnostics: Diagnostics) -> str:
    diagnostics.handler.flush()
    return diagnostics.log_path.read_text(encoding="utf-8")


def test_the_log_folder_and_files_are_the_owners_alone(diagnostics: Diagnostics) -> None:
    logging.getLogger("referral_app.test").warning("a line")
    for path, mode in (
        (diagnostics.folder, 0o700),
        (diagnostics.folder / LOG_NAME, 0o600),
        (diagnostics.folder / CRASH_NAME, 0o600),
    ):
        assert_owner_only(path, mode)
    assert "a line" in _log_text(diagnostics)


def test_a_full_log_rolls_over_keeping_a_few_private_old_files(tmp_path: Path) -> None:
    path = tmp_path / LOG_NAME
    handler = PrivateFileHandler(path, max_bytes=200, backups=2)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger = logging.getLogger("referral_app.test.rolling")
    logger.propagate = False
    logger.addHandler(handler)
    try:
        for number in range(40):
            logger.warning("line %02d %s", number, "x" * 40)
    finally:
        logger.removeHandler(handler)
        handler.close()
        logger.propagate = True
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [LOG_NAME, f"{LOG_NAME}.1", f"{LOG_NAME}.2"]
    for name in names:
        file = tmp_path / name
        assert_owner_only(file)
        assert file.stat().st_size <= 200, name
    # The newest lines are in the current file, the ones before them in .1, then .2.
    assert "line 39" in path.read_text(encoding="utf-8")
    older = (tmp_path / f"{LOG_NAME}.1").read_text(encoding="utf-8")
    oldest = (tmp_path / f"{LOG_NAME}.2").read_text(encoding="utf-8")
    assert max(older.split("line ")[1:]) > max(oldest.split("line ")[1:])
    assert "line 00" not in older + oldest + path.read_text(encoding="utf-8")


def test_qt_messages_go_to_the_log_without_what_they_quote(diagnostics: Diagnostics) -> None:
    qWarning(f"QFile: cannot open \"/home/someone/{CANARY}.pdf\": '{CANARY}'")
    text = _log_text(diagnostics)
    assert "QFile: cannot open <text>" in text
    assert CANARY not in text
    assert "/home/someone" not in text
    assert scrub("see C:\\Users\\x\\file.txt now") == "see <path> now"


def test_core_dumps_are_off(diagnostics: Diagnostics) -> None:
    if sys.platform == "win32":
        # Windows has no core-dump limit to set: the app says it could not switch them off
        # (crash dumps there are Windows Error Reporting's, configured by the organisation).
        assert not diagnostics.core_dumps_off
        return
    import resource

    assert diagnostics.core_dumps_off
    assert resource.getrlimit(resource.RLIMIT_CORE)[0] == 0


def _fail_with_personal_data() -> None:
    raise ValueError(f"could not save {CANARY}, born 1 May 1990")


def test_an_unexpected_error_is_logged_as_type_place_and_record_only(
    diagnostics: Diagnostics,
) -> None:
    reporter = ErrorReporter()
    reporter.attach(lambda: 42, lambda: "The referral you were filling in was saved as a draft.")
    shown: list[str] = []
    reporter.show = shown.append  # type: ignore[method-assign]
    try:
        _fail_with_personal_data()
    except ValueError as error:
        reporter.handle(ValueError, error, error.__traceback__)
    text = _log_text(diagnostics)
    where = "tests.ui.common.test_diagnostics._fail_with_personal_data"
    assert f"unexpected ValueError at {where}:" in text
    assert "(record 42)" in text
    assert CANARY not in text
    assert "1990" not in text
    assert shown == [reporter.last_message]
    assert shown[0].startswith("The app met a problem it did not expect.")
    assert "saved as a draft" in shown[0]
    assert "Traceback" not in shown[0]


def test_the_place_is_the_apps_own_code_when_it_is_in_the_trace() -> None:
    from referral_app.domain.dates import PartialDate

    try:
        PartialDate.parse("not a date")
    except ValueError as error:
        place = place_of(error.__traceback__)
    assert place.startswith("referral_app.domain.dates.")


@pytest.mark.qt_no_exception_capture
def test_an_error_in_a_slot_reaches_the_advocate_as_a_plain_message(
    qtbot: QtBot, diagnostics: Diagnostics, monkeypatch: pytest.MonkeyPatch
) -> None:
    reporter = ErrorReporter()
    shown: list[str] = []
    monkeypatch.setattr(reporter, "show", shown.append)
    monkeypatch.setattr(sys, "excepthook", reporter.handle)
    QTimer.singleShot(0, _fail_with_personal_data)
    qtbot.waitUntil(lambda: bool(shown), timeout=5_000)
    assert "unexpected ValueError" in _log_text(diagnostics)
    assert CANARY not in _log_text(diagnostics)
