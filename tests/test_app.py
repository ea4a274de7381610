"""The app as a user starts it: ``python main.py``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from referral_app import __version__
from referral_app.app import main


def _run(repo_root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [sys.executable, str(repo_root / "main.py"), *args],
        cwd=repo_root,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_version_flag_prints_the_version(repo_root: Path) -> None:
    result = _run(repo_root, "--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"referral-app {__version__}"


def test_version_does_not_load_qt(capsys) -> None:  # type: ignore[no-untyped-def]
    code = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from referral_app.app import main; main(['--version']);"
            "print('PySide6' in sys.modules)",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert code.stdout.splitlines()[-1] == "False"


def test_main_window_opens_and_quits_cleanly(repo_root: Path) -> None:
    result = _run(repo_root, "--smoke-test")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_unknown_option_is_refused_plainly(capsys) -> None:  # type: ignore[no-untyped-def]
    import pytest

    with pytest.raises(SystemExit) as exit_info:
        main(["--no-such-option"])
    assert exit_info.value.code == 2
    assert "unrecognized arguments" in capsys.readouterr().err
