"""Start-up: read the command line, set up logging and Qt, show the main window.

Qt and everything heavy are imported inside ``main`` so that ``--version`` and ``--help``
answer at once and the first window never waits for what it does not show.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from referral_app.ui.common.diagnostics import ErrorReporter

from referral_app import __version__

APP_NAME = "CSARP Referrals"
ORGANISATION = "CSARP Referrals"
APP_ID = "csarp-referrals"

log = logging.getLogger(__name__)


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="referral-app",
        description=(
            "Screen closed child sexual abuse cases for the Child Sexual Abuse Review Panel "
            "and keep the referrals in an encrypted database."
        ),
        epilog="referral-app server --help: set up a team's shared PostgreSQL server.",
    )
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    parser.add_argument(
        "--db",
        metavar="PATH",
        type=Path,
        help="use the database at PATH instead of the one in your user data folder",
    )
    parser.add_argument(
        "--list-backups",
        action="store_true",
        help="list the automatic backups of the database and exit",
    )
    parser.add_argument(
        "--restore-backup",
        metavar="FILE",
        type=Path,
        help="put the backup FILE in place of the database (the app must be closed) and exit",
    )
    parser.add_argument(
        "--smoke-test",
        action="store_true",
        help="open the main window and close it again once it is idle (checks an installation)",
    )
    parser.add_argument(
        "--self-check",
        action="store_true",
        help="check an installation end to end in a temporary folder, step by step, and exit",
    )
    return parser.parse_args(list(argv))


def _defaults() -> argparse.Namespace:
    """What :func:`parse_args` gives for an empty command line, without building the parser."""
    return argparse.Namespace(
        version=False,
        db=None,
        list_backups=False,
        restore_backup=None,
        smoke_test=False,
        self_check=False,
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the app; returns the process exit code."""
    args_in = sys.argv[1:] if argv is None else list(argv)
    if args_in[:1] == ["server"]:  # referral-app server init|add-advocate (README: Team server)
        from referral_app import console

        return console.server(args_in[1:])
    # The usual start has no arguments: argparse would still spend milliseconds of the first
    # window's time looking for translations of its help texts.
    args = parse_args(args_in) if args_in else _defaults()
    if args.version:
        print(f"referral-app {__version__}")
        return 0
    if args.list_backups or args.restore_backup:
        from referral_app import console
        from referral_app.storage import paths

        database = args.db or paths.default_database_path()
        if args.restore_backup:
            return console.restore_backup(args.restore_backup, database)
        return console.list_backups(database)

    from referral_app.storage import paths
    from referral_app.ui.common.diagnostics import Diagnostics, startup_failed

    # Before Qt starts, so that its first messages already go to the log.
    diagnostics = Diagnostics(paths.default_log_folder())
    try:
        return _start(args)
    except Exception as error:
        # Here, not in sys.excepthook: the hook would run after the log is closed.
        interactive = not (args.smoke_test or args.self_check)
        startup_failed(error, diagnostics.folder, interactive=interactive)
        return 1
    finally:
        diagnostics.close()


def _start(args: argparse.Namespace) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from referral_app.ui.common import resources
    from referral_app.ui.common.diagnostics import ErrorReporter

    log.info("starting %s", __version__)
    # Checks of an installation never wait for someone to close a dialog.
    reporter = ErrorReporter(interactive=not (args.smoke_test or args.self_check))
    reporter.install()

    app = QApplication([sys.argv[0] if sys.argv else APP_ID])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(ORGANISATION)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(resources.app_icon())
    resources.use_light_scheme(app)
    app.setStyleSheet(resources.stylesheet())

    if args.self_check:
        from referral_app import selfcheck

        return selfcheck.run()
    if args.smoke_test:
        from referral_app.ui.window.main_window import MainWindow

        window = MainWindow()
        window.show()
        QTimer.singleShot(0, window.close)
        code = app.exec()
        return 1 if reporter.failures else code
    return _run(app, args.db, reporter)


def _run(app: QApplication, db: Path | None, reporter: ErrorReporter | None = None) -> int:
    """Unlock (or create) the database, then the main window until the advocate quits."""
    from referral_app.storage import paths
    from referral_app.ui.access.start import open_or_create

    # The first window asks for the passphrase; the database machinery loads once it is typed.
    database = open_or_create(db or paths.default_database_path(), chosen_file=db is not None)
    if database is None:
        return 0
    from referral_app.storage.repository import Repository
    from referral_app.ui.window.main_window import MainWindow

    window: MainWindow | None = None
    try:
        window = MainWindow(repository=Repository(database))
        if reporter is not None:
            reporter.attach(window.current_record_id, window.rescue)
        window.show()
        code = app.exec()
    finally:
        # Locking and unlocking replace the database the window holds; close the one open now.
        current = window.repository if window is not None else None
        (current.database if current is not None else database).close()
    log.debug("event loop ended with %s", code)
    return code
