"""The main window's ways to print, export and import referrals, the audit log and retention
pages, and changing the passphrase: each reached from where an advocate would look for it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, QSettings, Qt
from pytestqt.qtbot import QtBot

from referral_app.storage.db import Database
from referral_app.storage.repository import Repository
from referral_app.ui.access.change_passphrase import ChangePassphraseDialog
from referral_app.ui.access.unlock import UnlockDialog
from referral_app.ui.audit.page import AuditLogPage
from referral_app.ui.common.privacy import PrivacyMode
from referral_app.ui.common.settings import Settings
from referral_app.ui.printing.dialog import PrintDialog
from referral_app.ui.retention.page import RetentionPage
from referral_app.ui.transfer import ExportDialog, ImportDialog
from referral_app.ui.window.main_window import MainWindow
from tests.storage.conftest import PASSPHRASE, full_referral


@pytest.fixture
def window(
    qtbot: QtBot, ui_repository: Repository, ui_database: Database, tmp_path: Path
) -> Iterator[MainWindow]:
    settings = Settings(QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    privacy = PrivacyMode(QSettings(str(tmp_path / "privacy.ini"), QSettings.Format.IniFormat))
    main = MainWindow(settings=settings, repository=ui_repository, privacy=privacy)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    yield main
    if main.records.dialog is not None:
        main.records.dialog.reject()
    if main.repository is not None and main.repository.database is not ui_database:
        main.repository.database.close()


def test_several_referrals_selected_in_the_list_are_printed_or_exported_together(
    qtbot: QtBot, window: MainWindow, ui_repository: Repository
) -> None:
    ids = [ui_repository.save(full_referral(f"Name {n}", f"AB {n}/26")).id for n in range(3)]
    window.show_list()
    page = window.list_page
    assert page is not None
    qtbot.waitUntil(lambda: page.model.rowCount() == 3)
    assert not page.print_button.isEnabled()
    selection = page.table.selectionModel()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    selection.select(page.model.index(0, 0), flags)
    selection.select(page.model.index(2, 0), flags)
    assert page.print_button.isEnabled()
    assert page.selected_ids() == [ids[0], ids[2]]

    qtbot.mouseClick(page.print_button, Qt.MouseButton.LeftButton)
    dialog = window.records.dialog
    assert isinstance(dialog, PrintDialog)
    assert dialog.isVisible()
    assert dialog.referral_ids == [ids[0], ids[2]]
    dialog.reject()

    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    export = window.records.dialog
    assert isinstance(export, ExportDialog)
    assert export.isVisible()
    assert export._ids == [ids[0], ids[2]]


def test_the_record_exports_itself_or_everything_about_its_survivor(
    window: MainWindow, ui_repository: Repository
) -> None:
    saved = ui_repository.save(full_referral())
    assert saved.id is not None
    window.open_record(saved.id)
    view = window.record_view
    assert view is not None
    view.export_this_action.trigger()
    assert isinstance(window.records.dialog, ExportDialog)
    assert window.records.dialog._ids == [saved.id]
    window.records.dialog.reject()
    view.subject_access_action.trigger()
    assert isinstance(window.records.dialog, ExportDialog)
    assert window.records.dialog.isVisible()


def test_the_file_menu_exports_all_imports_and_changes_the_passphrase(
    window: MainWindow, ui_repository: Repository
) -> None:
    ui_repository.save(full_referral())
    window.records.export_all_action.trigger()
    assert isinstance(window.records.dialog, ExportDialog)
    window.records.import_action.trigger()
    assert isinstance(window.records.dialog, ImportDialog)
    window.records.passphrase_action.trigger()
    assert isinstance(window.records.dialog, ChangePassphraseDialog)
    assert window.records.dialog.isVisible()


def test_the_audit_log_and_retention_pages_and_locking_on_them(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.audit_action.trigger()
    assert isinstance(window.audit_page, AuditLogPage)
    assert window.pages.currentWidget() is window.audit_page
    window.retention_action.trigger()
    assert isinstance(window.retention_page, RetentionPage)
    assert window.pages.currentWidget() is window.retention_page
    window.records.export_all_action.trigger()
    export = window.records.dialog
    assert export is not None
    assert export.isVisible()

    with qtbot.waitSignal(window.locked):
        window.lock_action.trigger()
    assert not export.isVisible()  # closed with everything else
    assert window.retention_page is None
    assert not window.records.export_all_action.isEnabled()
    assert not window.audit_action.isEnabled()
    dialog = window.unlock_dialog
    assert isinstance(dialog, UnlockDialog)
    dialog.passphrase.edit.setText(PASSPHRASE)
    with qtbot.waitSignal(window.unlocked, timeout=10_000):
        qtbot.mouseClick(dialog.unlock_button, Qt.MouseButton.LeftButton)
    assert window.pages.currentWidget() is window.retention_page
    assert window.retention_page is not None
    assert window.records.export_all_action.isEnabled()
