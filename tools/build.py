"""Build the one-folder bundle, and the archive or installer of this platform.

    python -m pip install -e ".[build]" && python -m tools.build

Steps: the wheel is built and installed into a staging folder (so the bundle holds what an
installed copy holds, package data as pyproject.toml lists it, once); the icons are drawn from
the SVG; the third-party notices are gathered; PyInstaller makes ``dist/referral-app/`` (one
folder); every data file of the staged package is checked to be in the bundle; then on Linux
``dist/csarp-referrals-VERSION-linux-ARCH.tar.gz``, on macOS ``dist/CSARP Referrals.app`` in
a ``.dmg``, on Windows the Inno Setup installer when ``iscc`` is on the PATH.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

from referral_app import __version__
from tools import archive, icons, notices

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / "tools"
BUILD = ROOT / "build" / "bundle"
DIST = ROOT / "dist"
NOTICES_NAME = "THIRD-PARTY-NOTICES.txt"


def run(*command: str | Path, cwd: Path = ROOT, env: dict[str, str] | None = None) -> None:
    print("+", " ".join(str(part) for part in command), flush=True)
    subprocess.run([str(part) for part in command], check=True, cwd=cwd, env=env)  # noqa: S603


def stage() -> Path:
    """The app as pip installs it, in ``build/bundle/staging``."""
    wheels = BUILD / "wheel"
    staging = BUILD / "staging"
    pip = (sys.executable, "-m", "pip")
    run(*pip, "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", wheels, ROOT)
    wheel = next(wheels.glob("*.whl"))
    run(*pip, "install", "--no-deps", "-q", "--target", staging, wheel)
    return staging


def package_data(staging: Path) -> list[Path]:
    """The staged package's files other than compiled code, relative to the staging folder:
    the resources, the migration scripts (read as source by Alembic) and their template."""
    package = staging / "referral_app"
    wanted = []
    for path in sorted(package.rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts:
            continue
        if path.suffix != ".py" or "migrations" in path.parts:
            wanted.append(path.relative_to(staging))
    return wanted


def missing_from(bundle: Path, data: list[Path]) -> list[str]:
    internal = bundle / "_internal"
    base = internal if internal.is_dir() else bundle
    missing = [str(path) for path in data if not (base / path).is_file()]
    if not (base / "xkcdpass" / "static" / "eff-long").is_file():
        missing.append("xkcdpass/static/eff-long")
    return missing


def windows_version_file(folder: Path) -> Path:
    """The version resource Windows shows in a file's Properties."""
    parts = [int(part) for part in __version__.split(".")[:3]]
    numbers = tuple([*parts, 0, 0, 0, 0][:4])
    text = f"""VSVersionInfo(
  ffi=FixedFileInfo(filevers={numbers}, prodvers={numbers}),
  kids=[
    StringFileInfo([StringTable('080904B0', [
      StringStruct('CompanyName', 'CSARP Referrals'),
      StringStruct('FileDescription', 'CSARP Referrals'),
      StringStruct('FileVersion', '{__version__}'),
      StringStruct('ProductName', 'CSARP Referrals'),
      StringStruct('ProductVersion', '{__version__}'),
      StringStruct('OriginalFilename', 'referral-app.exe')])]),
    VarFileInfo([VarStruct('Translation', [2057, 1200])])
  ]
)
"""
    path = folder / "version-info.txt"
    path.write_text(text, encoding="utf-8")
    return path


def build_bundle() -> Path:
    try:
        import PyInstaller.__main__ as pyinstaller  # noqa: F401
    except ImportError:
        raise SystemExit(
            'PyInstaller is missing: install the build extra with pip install -e ".[build]"'
        ) from None
    shutil.rmtree(BUILD, ignore_errors=True)
    shutil.rmtree(DIST, ignore_errors=True)
    BUILD.mkdir(parents=True)
    staging = stage()
    icon_folder = icons.make_icons(
        staging / "referral_app" / "resources" / "app-icon.svg", BUILD / "icons"
    )
    env = dict(
        os.environ,
        REFERRAL_APP_STAGING=str(staging),
        REFERRAL_APP_ICONS=str(icon_folder),
        REFERRAL_APP_VERSION=__version__,
        # Not the checkout: the package must come from the staged wheel.
        PYTHONPATH=str(staging),
    )
    if sys.platform == "win32":
        env["REFERRAL_APP_VERSION_FILE"] = str(windows_version_file(BUILD))
    run(
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--clean",
        "--log-level",
        "WARN",
        "--distpath",
        DIST,
        "--workpath",
        BUILD / "work",
        TOOLS / "referral-app.spec",
        cwd=BUILD,
        env=env,
    )
    bundle = DIST / "referral-app"
    missing = missing_from(bundle, package_data(staging))
    if missing:
        raise SystemExit("The bundle is missing data files: " + ", ".join(missing))
    text = notices.notices_text()
    (bundle / NOTICES_NAME).write_text(text, encoding="utf-8")
    mac_app = DIST / "CSARP Referrals.app"
    if mac_app.is_dir():
        (mac_app / "Contents" / "Resources" / NOTICES_NAME).write_text(text, encoding="utf-8")
    return bundle


def folder_size(folder: Path) -> int:
    return sum(
        path.stat().st_size
        for path in folder.rglob("*")
        if path.is_file() and not path.is_symlink()
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.build", description=__doc__)
    parser.add_argument("--bundle-only", action="store_true", help="skip archive or installer")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    bundle = build_bundle()
    made = [bundle]
    if not args.bundle_only:
        if sys.platform.startswith("linux"):
            made.append(archive.linux_archive(bundle, BUILD / "icons", DIST, __version__))
        elif sys.platform == "darwin":
            made.append(archive.mac_dmg(DIST, __version__))
        elif sys.platform == "win32" and shutil.which("iscc"):
            run(
                "iscc",
                f"/DAppVersion={__version__}",
                f"/DSourceDir={bundle}",
                f"/DOutputDir={DIST}",
                f"/DIconFile={BUILD / 'icons' / 'referral-app.ico'}",
                TOOLS / "windows" / "referral-app.iss",
            )
            made.append(DIST / f"csarp-referrals-{__version__}-setup.exe")
    took = time.perf_counter() - started
    print(f"Built in {took:.0f} s on {platform.system()} {platform.machine()}:")
    for path in made:
        size = folder_size(path) if path.is_dir() else path.stat().st_size
        print(f"  {path.relative_to(ROOT)}  {size / 1_000_000:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
