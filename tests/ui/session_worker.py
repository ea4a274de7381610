"""A whole working session in a process of its own, set up as the app sets itself up (its log,
its error reporting), for ``tests/ui/test_session_logs.py`` to read the log and the output of.

Run as ``python session_worker.py FOLDER`` (not collected: the name does not start with
``test_``). In FOLDER it creates a database, then through the real main window: saves a
referral full of canary values, opens it, edits a section through the record's own dialog,
prints its summary to a PDF, exports it to an encrypted file, locks and unlocks, makes Qt
complain about a file named after the survivor, and raises an exception quoting the survivor
from inside a Qt slot. It prints ``done`` at the end.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

CANARY_NAME = "Wilhelmina Canarybright"
CANARY_REF = "CNRY 7734/19"
CANARY_PHONE = "07700 955123"
PASSPHRASE = "violet harbour tiger lamp orbit 1979"


def _fail() -> None:
    raise RuntimeError(f"could not handle {CANARY_NAME} ({CANARY_REF})")


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    folder = Path(sys.argv[1])

    from referral_app.ui.common.diagnostics import Diagnostics, ErrorReporter

    diagnostics = Diagnostics(folder / "logs")
    from PySide6.QtCore import QFile, QIODevice, QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from referral_app.domain.flow import Page
    from referral_app.domain.referral import Advocate
    from referral_app.services.pdf import summary_pdf_bytes, write_pdf
    from referral_app.services.transfer.export import summary_renderer, write_export
    from referral_app.storage.access import create_database
    from referral_app.storage.repository import Repository
    from referral_app.ui.common.privacy import PrivacyMode
    from referral_app.ui.common.settings import Settings
    from referral_app.ui.record.edit import EditDialog
    from referral_app.ui.window.main_window import MainWindow
    from referral_app.ui.wizard.survivor import SurvivorPage
    from tests.storage.conftest import full_referral

    app = QApplication([])
    reporter = ErrorReporter()
    reporter.install()
    reporter.show = lambda text: print("shown:", text[:30])  # type: ignore[method-assign]

    advocate = Advocate("Ann Advocate", "Safe Space Charity", "01632 960000", "ann@example.org")
    database = create_database(folder / "referrals.db", PASSPHRASE, advocate)
    repository = Repository(database)
    settings = Settings(QSettings(str(folder / "ui.ini"), QSettings.Format.IniFormat))
    privacy = PrivacyMode(QSettings(str(folder / "privacy.ini"), QSettings.Format.IniFormat))
    window = MainWindow(settings=settings, repository=repository, privacy=privacy)
    reporter.attach(window.current_record_id, window.rescue)
    window.show()

    referral = full_referral(CANARY_NAME, CANARY_REF)
    referral.survivor.phone = CANARY_PHONE
    saved = repository.save(referral)
    assert saved.id is not None
    window.show_list()
    window.open_record(saved.id)
    view = window.record_view
    assert view is not None
    editor = view.edit_section(Page.SURVIVOR)
    assert isinstance(editor, EditDialog)
    assert isinstance(editor.page, SurvivorPage)
    editor.page.full_name.setText(f"{CANARY_NAME} Jr")
    editor.save()

    stored = repository.get(saved.id)
    write_pdf(folder / "summary.pdf", summary_pdf_bytes(stored, advocate))
    write_export(
        folder / "export.zip",
        [stored],
        advocate,
        "orbit tiger lamp violet harbour drop",
        render_pdf=summary_renderer(advocate),
    )

    window.lock()
    dialog = window.unlock_dialog
    assert dialog is not None
    dialog.passphrase.edit.setText(PASSPHRASE)
    dialog.unlock()
    app.processEvents()

    # Qt complaining about a file named after the survivor: the log must not repeat the name.
    missing = QFile(str(folder / f"{CANARY_NAME}.pdf"))
    missing.open(QIODevice.OpenModeFlag.ReadOnly)
    missing.close()
    QFile.copy(str(folder / f"{CANARY_NAME}.pdf"), str(folder / "x.pdf"))

    QTimer.singleShot(0, _fail)
    QTimer.singleShot(50, app.quit)
    app.exec()
    window.close()
    if window.repository is not None:
        window.repository.database.close()
    diagnostics.close()
    print("done")
    return 0


if __name__ == "__main__":
    sys.exit(main())
