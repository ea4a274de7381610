"""The benchmark runner: ``python -m tests.benchmarks [--only NAME ...] [--markdown FILE]``."""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

#: Qt's offscreen platform says these of every window; the tests ignore them the same way.
_OFFSCREEN_NOISE = ("This plugin does not support",)


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks", description=__doc__)
    parser.add_argument("--only", nargs="+", metavar="NAME", help="run only these benchmarks")
    parser.add_argument("--referrals", type=int, help="caseload size (default 100,000)")
    parser.add_argument("--smoke", action="store_true", help="each at a tiny size, quickly")
    parser.add_argument("--markdown", type=Path, metavar="FILE", help="write the results table")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument(
        "--check", action="store_true", help="exit with status 1 if a target is not met"
    )
    return parser.parse_args(argv)


def _set_up_qt(root: Path) -> object:
    """A QApplication whose settings and standard folders are inside the run's folder."""
    from PySide6.QtCore import QSettings, QStandardPaths, QtMsgType, qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    QStandardPaths.setTestModeEnabled(True)
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(root / "qt"))

    def quiet(kind: QtMsgType, _context: object, message: str) -> None:
        if not message.startswith(_OFFSCREEN_NOISE):
            sys.stderr.write(f"Qt {kind.name}: {message}\n")

    qInstallMessageHandler(quiet)
    return QApplication([sys.argv[0]])


def _machine() -> list[str]:
    import sqlalchemy
    import sqlcipher3
    from PySide6 import __version__ as pyside
    from PySide6.QtCore import qVersion

    model = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = [
            line.split(":", 1)[1].strip()
            for line in cpuinfo.read_text().splitlines()
            if line.startswith("model name")
        ]
        model = names[0] if names else model
    connection = sqlcipher3.connect(":memory:")
    cipher = connection.execute("PRAGMA cipher_version").fetchone()
    connection.close()
    return [
        f"{os.cpu_count()} CPUs ({model}), {platform.system()} {platform.release()}",
        f"Python {platform.python_version()}, PySide6 {pyside} (Qt {qVersion()}), "
        f"SQLAlchemy {sqlalchemy.__version__}, SQLCipher {cipher[0] if cipher else '?'}",
    ]


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    root = Path(tempfile.mkdtemp(prefix="referral-app-benchmarks-"))
    # Before Qt or the app is imported: both look up the per-user folders once.
    from tests.benchmarks.workspace import FULL, SMOKE, Workspace, sandbox_environment

    os.environ.update(sandbox_environment(root / "user"))
    from tests.benchmarks.figures import Figure, markdown_table
    from tests.benchmarks.suite import BENCHMARKS

    scale = SMOKE if args.smoke else FULL
    if args.referrals:
        from dataclasses import replace

        scale = replace(scale, referrals=args.referrals)
    wanted = args.only or list(BENCHMARKS)
    unknown = sorted(set(wanted) - set(BENCHMARKS))
    if unknown:
        print(f"no such benchmark: {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}")
        return 2
    app = _set_up_qt(root)
    workspace = Workspace(root, scale)
    started = time.perf_counter()
    figures: list[Figure] = []
    failed: list[str] = []
    try:
        for name in wanted:
            print(f"[{name}]", flush=True)
            try:
                found = BENCHMARKS[name](workspace)
            except Exception as error:  # report it, and measure the rest
                failed.append(name)
                print(f"  FAILED: {type(error).__name__}: {error}", flush=True)
                continue
            figures += found
            for figure in found:
                print("  " + figure.line(), flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
        else:
            print(f"kept {root}")
    elapsed = time.perf_counter() - started
    heading = [f"Run on {date.today().isoformat()} in {elapsed / 60:.1f} minutes", *_machine()]
    table = markdown_table(figures)
    print("\n" + "\n".join(heading) + "\n\n" + table)
    if args.markdown:
        args.markdown.write_text("\n".join(heading) + "\n\n" + table, encoding="utf-8")
    del app
    missed = [figure.title for figure in figures if figure.met is False]
    if failed:
        print(f"failed: {', '.join(failed)}")
        return 1
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
