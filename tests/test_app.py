"""The app as a user starts it: ``python main.py``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from referral_app import __version__
from referral_app.app import _defaults, main, parse_args


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


FIRST_WINDOW_PROBE = """
import sys
from referral_app.ui.access import create_database, unlock
from referral_app import app

def shown(self):
    print(type(self).__name__, "sqlalchemy" in sys.modules, "sqlcipher3" in sys.modules)
    return 0  # as if the advocate chose Quit

unlock.UnlockDialog.exec = shown
create_database.CreateDatabaseDialog.exec = shown
sys.exit(app.main(["--db", sys.argv[1]]))
"""


def test_the_first_window_does_not_wait_for_the_database_machinery(tmp_path: Path) -> None:
    """SQLAlchemy and the SQLCipher driver load once the passphrase is typed, not before the
    first screen appears: importing them costs several times a bare window's start-up."""
    existing = tmp_path / "referrals.db"
    existing.write_bytes(b"\0" * 4096)  # any non-empty file: the unlock screen is asked for
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    for path, dialog in ((existing, "UnlockDialog"), (tmp_path / "new.db", "CreateDatabaseDialog")):
        result = subprocess.run(
            [sys.executable, "-c", FIRST_WINDOW_PROBE, str(path)],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.split() == [dialog, "False", "False"]


def test_no_arguments_means_the_parser_s_defaults() -> None:
    # The start without arguments skips the parser; it must mean exactly what the parser says.
    assert vars(_defaults()) == vars(parse_args([]))
