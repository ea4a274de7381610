"""The app as installed from a wheel, away from the source tree, finds everything it ships."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_installed_wheel_starts_and_finds_its_resources(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(wheels),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        cwd=tmp_path,
    )
    target = tmp_path / "site"
    wheel = next(wheels.glob("*.whl"))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
        cwd=tmp_path,
    )
    installed = target / "referral_app"
    assert (installed / "resources" / "style.qss").is_file()
    assert (installed / "storage" / "migrations" / "script.py.mako").is_file()
    assert list((installed / "storage" / "migrations" / "versions").glob("0001_*.py"))

    # Run from an unrelated folder with only the installed copy (and the dependencies) on the path.
    env = dict(
        os.environ,
        PYTHONPATH=str(target),
        QT_QPA_PLATFORM="offscreen",
    )
    code = (
        "import referral_app, sys; assert referral_app.__file__.startswith(sys.argv[1]);"
        "from referral_app.app import main; sys.exit(main(['--smoke-test']))"
    )
    result = subprocess.run(
        [sys.executable, "-P", "-c", code, str(target)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
