"""Start-up that fails loudly: checks of an installation never wait on a dialog, a start-up
failure reaches the log before it closes, and no display means one plain sentence."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from referral_app import selfcheck

ROOT = Path(__file__).resolve().parent.parent

RAISE_IN_A_SLOT = """
import sys
from PySide6.QtCore import QTimer
from referral_app import app
from referral_app.ui.window import main_window
shown = main_window.MainWindow.show

def show(self):
    shown(self)
    def fail():
        raise RuntimeError("a made-up failure")
    QTimer.singleShot(0, fail)

main_window.MainWindow.show = show
sys.exit(app.main(sys.argv[1:]))
"""

RAISE_WHILE_BUILDING = """
import sys
from referral_app import app
from referral_app.ui.window import main_window
def broken(self, *args, **kwargs):
    raise LookupError("a made-up failure")

main_window.MainWindow.__init__ = broken
sys.exit(app.main(sys.argv[1:]))
"""


def _run(tmp_path: Path, code: str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_STATE_HOME=str(tmp_path))
    environment.update(env)
    for name in [key for key, value in environment.items() if value == ""]:
        del environment[name]
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=environment,
        timeout=60,
        check=False,
    )


def _log(tmp_path: Path) -> str:
    return (tmp_path / "csarp-referrals" / "log" / "referral-app.log").read_text("utf-8")


@pytest.mark.skipif(sys.platform != "linux", reason="the log folder is redirected by XDG only")
def test_an_error_during_the_smoke_test_ends_it_with_code_1_instead_of_a_dialog(
    tmp_path: Path,
) -> None:
    # Before, the error box waited for someone to press "Carry on": the run never ended.
    result = _run(tmp_path, RAISE_IN_A_SLOT, "--smoke-test")
    assert result.returncode == 1, result.stderr
    assert "unexpected RuntimeError at" in _log(tmp_path)
    assert "made-up" not in _log(tmp_path)


@pytest.mark.skipif(sys.platform != "linux", reason="the log folder is redirected by XDG only")
def test_a_start_up_failure_is_logged_and_told_in_a_sentence(tmp_path: Path) -> None:
    result = _run(tmp_path, RAISE_WHILE_BUILDING, "--smoke-test")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("CSARP Referrals could not start (LookupError).")
    assert "Traceback" not in result.stderr
    log = _log(tmp_path)
    assert "start-up failed: LookupError at referral_app" in log
    assert "made-up" not in log


@pytest.mark.skipif(sys.platform != "linux", reason="X11 (xcb) is the display of Linux only")
def test_without_a_display_one_plain_sentence_and_code_1(tmp_path: Path) -> None:
    # Before, Qt aborted (code 134) and its messages went to the log only: nothing on screen.
    result = _run(
        tmp_path,
        "import sys; from referral_app import app; sys.exit(app.main(['--smoke-test']))",
        QT_QPA_PLATFORM="xcb",
        DISPLAY="",
        WAYLAND_DISPLAY="",
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("CSARP Referrals cannot open a window:")
    assert "/" not in lines[0]


def test_the_self_check_reports_each_step_and_passes(qapp: object) -> None:
    out = io.StringIO()
    assert selfcheck.run(out) == 0
    lines = out.getvalue().splitlines()
    assert [line.split()[0] for line in lines[:-1]] == ["ok"] * 9
    assert lines[-1] == "Self-check passed."


def test_a_missing_data_file_fails_the_self_check(
    qapp: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from referral_app.services import resources

    real = resources.resource_path

    def without_the_guide(name: str) -> Path:
        if name == "user-guide.html":
            raise FileNotFoundError(name)
        return real(name)

    monkeypatch.setattr(resources, "resource_path", without_the_guide)
    out = io.StringIO()
    assert selfcheck.run(out) == 1
    assert "FAILED  data files are present: CheckFailedError: missing: user-guide.html" in (
        out.getvalue()
    )
    assert "Self-check failed." in out.getvalue()
