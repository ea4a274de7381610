"""The built Linux archive, installed per user as an advocate would, without root.

Slow (the bundle takes minutes to build), so it runs from a separate step of ``.ci/run``:
``python -m tools.build`` makes the archive, then this file is run with
``REFERRAL_APP_ARCHIVE`` naming it. Without that variable every test here is skipped.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from referral_app import __version__

ROOT = Path(__file__).resolve().parent.parent
ARCHIVE = os.environ.get("REFERRAL_APP_ARCHIVE", "")

pytestmark = [
    pytest.mark.skipif(not ARCHIVE, reason="set REFERRAL_APP_ARCHIVE (see .ci/run)"),
    pytest.mark.skipif(sys.platform != "linux", reason="the archive is the Linux one"),
]


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A user's home with the archive unpacked in Downloads and installed with install.sh."""
    home = tmp_path_factory.mktemp("home")
    downloads = home / "Downloads"
    downloads.mkdir()
    with tarfile.open(ARCHIVE) as archive:
        archive.extractall(downloads, filter="data")
    (unpacked,) = downloads.iterdir()
    result = subprocess.run(
        ["/bin/sh", str(unpacked / "install.sh")],
        env=_env(home),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    yield home


def _env(home: Path) -> dict[str, str]:
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith(("XDG_", "PYTHON"))
    }
    environment.update(HOME=str(home), QT_QPA_PLATFORM="offscreen")
    return environment


def _run(home: Path, program: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(program), *args],
        env=_env(home),
        capture_output=True,
        text=True,
        cwd=home,
        timeout=120,
        check=False,
    )


def _installed(home: Path) -> Path:
    return home / ".local" / "lib" / "csarp-referrals"


def test_the_archive_holds_the_bundle_menu_entry_icon_scripts_and_notices() -> None:
    with tarfile.open(ARCHIVE) as archive:
        names = set(archive.getnames())
    top = f"csarp-referrals-{__version__}"
    for name in ("install.sh", "uninstall.sh", "csarp-referrals.desktop", "csarp-referrals.png",
                 "referral-app/referral-app", "referral-app/THIRD-PARTY-NOTICES.txt"):
        assert f"{top}/{name}" in names, name
    internal = f"{top}/referral-app/_internal"
    package_data = [
        *(f"referral_app/resources/{p.name}" for p in (ROOT / "resources").iterdir()),
        "referral_app/storage/migrations/env.py",
        "referral_app/storage/migrations/script.py.mako",
        *(f"referral_app/storage/migrations/versions/{p.name}"
          for p in (ROOT / "referral_app/storage/migrations/versions").glob("*.py")),
        "xkcdpass/static/eff-long",
    ]
    assert [name for name in package_data if f"{internal}/{name}" not in names] == []


def test_the_notices_name_the_licences_of_what_is_inside(home: Path) -> None:
    text = (_installed(home) / "THIRD-PARTY-NOTICES.txt").read_text("utf-8")
    for expected in ("PySide6-Essentials", "LGPL-3.0", "SQLCipher", "sqlcipher3", "Apache",
                     "CC BY 3.0", "SQLAlchemy", "alembic", "pyzipper", "xkcdpass"):
        assert expected in text, expected


def test_install_puts_a_command_a_menu_entry_and_an_icon_in_the_user_s_folders(
    home: Path,
) -> None:
    desktop = home / ".local/share/applications/csarp-referrals.desktop"
    entry = desktop.read_text("utf-8")
    assert f'Exec="{_installed(home)}/referral-app"' in entry
    assert "Icon=csarp-referrals" in entry
    assert (home / ".local/share/icons/hicolor/256x256/apps/csarp-referrals.png").is_file()
    command = home / ".local/bin/referral-app"
    assert _run(home, command, "--version").stdout.strip() == f"referral-app {__version__}"
    validate = shutil.which("desktop-file-validate")
    if validate:
        assert subprocess.run([validate, str(desktop)], check=False).returncode == 0


def test_the_installed_app_passes_its_smoke_test_and_self_check(home: Path) -> None:
    program = home / ".local/bin/referral-app"
    smoke = _run(home, program, "--smoke-test")
    assert smoke.returncode == 0, smoke.stderr
    assert smoke.stderr == ""
    check = _run(home, program, "--self-check")
    assert check.returncode == 0, check.stdout + check.stderr
    print(check.stdout)
    assert check.stdout.count("\nok ") + check.stdout.startswith("ok ") == 9
    assert check.stdout.strip().endswith("Self-check passed.")


def test_a_missing_migration_fails_the_self_check(home: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(_installed(home), broken, symlinks=True)
    versions = broken / "_internal/referral_app/storage/migrations/versions"
    newest = sorted(versions.glob("0*.py"))[-1]
    newest.unlink()
    check = _run(home, broken / "referral-app", "--self-check")
    assert check.returncode == 1, check.stdout
    assert "FAILED  an encrypted database is created and migrated" in check.stdout


def test_a_missing_resource_ends_the_smoke_test_within_seconds(
    home: Path, tmp_path: Path
) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(_installed(home), broken, symlinks=True)
    (broken / "_internal/referral_app/resources/style.qss").unlink()
    started = time.monotonic()
    smoke = _run(home, broken / "referral-app", "--smoke-test")
    assert time.monotonic() - started < 30
    assert smoke.returncode == 1
    assert smoke.stderr.startswith("CSARP Referrals could not start (FileNotFoundError).")


def test_without_a_display_the_installed_app_says_so_in_one_sentence(home: Path) -> None:
    environment = {k: v for k, v in _env(home).items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    environment["QT_QPA_PLATFORM"] = "xcb"
    result = subprocess.run(
        [str(home / ".local/bin/referral-app")],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("CSARP Referrals cannot open a window:")


# Last: it removes the installation the tests above use.
def test_uninstall_leaves_the_advocate_s_data(home: Path) -> None:
    data = home / ".local/share/csarp-referrals"
    data.mkdir(parents=True, exist_ok=True)
    (data / "referrals.db").write_bytes(b"kept")
    script = next((home / "Downloads").iterdir()) / "uninstall.sh"
    result = subprocess.run(["/bin/sh", str(script)], env=_env(home), check=False)
    assert result.returncode == 0
    assert not _installed(home).exists()
    assert not (home / ".local/bin/referral-app").exists()
    assert (data / "referrals.db").read_bytes() == b"kept"
