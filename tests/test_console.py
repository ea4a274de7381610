from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from referral_app import console
from referral_app.storage import backup
from referral_app.storage.access import create_database
from referral_app.storage.db import Database
from referral_app.storage.repository import Repository
from tests.storage.conftest import ADVOCATE, PASSPHRASE, full_referral

ROOT = Path(__file__).resolve().parent.parent


def test_restore_from_the_command_line(tmp_path: Path) -> None:
    db_path = tmp_path / "referrals.db"
    database = create_database(db_path, PASSPHRASE, ADVOCATE)
    made = backup.list_backups(db_path)[0]
    Repository(database).save(full_referral())
    database.close()

    out, err = io.StringIO(), io.StringIO()
    code = console.restore_backup(made, db_path, out, err, ask=lambda _prompt: PASSPHRASE)

    assert code == 0, err.getvalue()
    assert "kept, still encrypted" in out.getvalue()
    with Database.unlock(db_path, PASSPHRASE) as restored:
        assert Repository(restored).count() == 0


def test_a_wrong_passphrase_is_one_plain_line(tmp_path: Path) -> None:
    db_path = tmp_path / "referrals.db"
    create_database(db_path, PASSPHRASE, ADVOCATE).close()
    made = backup.list_backups(db_path)[0]
    out, err = io.StringIO(), io.StringIO()
    code = console.restore_backup(made, db_path, out, err, ask=lambda _prompt: "wrong one")
    assert code == 1
    assert err.getvalue().strip().startswith("That passphrase does not open")


def test_list_backups_through_main_with_db_option(tmp_path: Path) -> None:
    db_path = tmp_path / "elsewhere" / "mine.db"
    create_database(db_path, PASSPHRASE, ADVOCATE).close()
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--db", str(db_path), "--list-backups"],
        capture_output=True,
        text=True,
        check=False,
        env=dict(os.environ),
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert str(backup.list_backups(db_path)[0]) in result.stdout


@pytest.mark.skipif(sys.platform != "linux", reason="the sandbox redirects XDG folders")
def test_default_database_is_in_the_user_data_folder() -> None:
    # In a fresh process, the real function (not the test fixture's stand-in) is used; the
    # test run points the user data folder at a sandbox (see tests/conftest.py).
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from referral_app.storage.db import default_database_path as d; print(d())",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    path = Path(result.stdout.strip())
    assert path.is_relative_to(Path(os.environ["XDG_DATA_HOME"]))
    assert path.name == "referrals.db"
