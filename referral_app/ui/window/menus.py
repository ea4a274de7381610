"""The main window's menus and toolbar: every action, its shortcut and where it appears.

Kept apart from the window so that what the window does and how it is reached can each be read
on their own. The actions are attributes of the window, as its pages and tests use them. The
window is passed twice, as the Qt window the menus belong to and as the :class:`MenuHost` whose
slots the actions call, so this module needs nothing from ``main_window`` (no import cycle).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QToolBar

from referral_app.ui.common.privacy import PrivacyMode
from referral_app.ui.guide.user_guide import open_log_folder
from referral_app.ui.record.actions import RecordActions

if TYPE_CHECKING:
    from referral_app.storage.repository import Repository


class MenuHost(Protocol):
    """What the menus need of the window: the actions they make, and the slots they call."""

    new_action: QAction
    lock_action: QAction
    hide_action: QAction
    settings_action: QAction
    quit_action: QAction
    about_action: QAction
    rules_action: QAction
    support_action: QAction
    guide_action: QAction
    log_folder_action: QAction
    audit_action: QAction
    retention_action: QAction
    backup_now_action: QAction
    restore_action: QAction
    move_action: QAction
    privacy_action: QAction
    nav_actions: dict[str, QAction]
    navigation: QToolBar
    database_actions: list[QAction]
    repository: Repository | None
    records: RecordActions
    privacy: PrivacyMode

    def new_referral(self) -> None: ...
    def lock(self) -> None: ...
    def hide_now(self) -> None: ...
    def show_preferences(self) -> None: ...
    def back_up_now(self) -> None: ...
    def restore_backup(self) -> None: ...
    def move_to_server(self) -> None: ...
    def show_about(self) -> None: ...
    def show_about_rules(self) -> None: ...
    def show_audit_log(self) -> None: ...
    def show_dashboard(self) -> None: ...
    def show_home(self) -> None: ...
    def show_list(self) -> None: ...
    def show_rescreen(self) -> None: ...
    def show_retention(self) -> None: ...
    def show_support_services(self) -> None: ...
    def show_user_guide(self) -> object: ...


def build_menus(window: QMainWindow, host: MenuHost) -> None:
    """The File, Records and Help menus."""
    file_menu = window.menuBar().addMenu("&File")
    host.new_action = QAction("&New referral", window)
    host.new_action.setShortcut(QKeySequence(QKeySequence.StandardKey.New))
    host.new_action.triggered.connect(host.new_referral)
    host.new_action.setEnabled(host.repository is not None)
    file_menu.addAction(host.new_action)
    file_menu.addSeparator()
    file_menu.addAction(host.records.export_all_action)
    file_menu.addAction(host.records.import_action)
    # On a team's server only (the window shows it): bring the referrals kept on this
    # computer across, once.
    host.move_action = QAction("&Move this computer's referrals to the team's server…", window)
    host.move_action.triggered.connect(host.move_to_server)
    host.move_action.setVisible(False)
    file_menu.addAction(host.move_action)
    file_menu.addSeparator()
    _add_backup_actions(window, host, file_menu)
    file_menu.addSeparator()
    host.lock_action = QAction("&Lock", window)
    host.lock_action.setShortcut(QKeySequence("Ctrl+L"))
    host.lock_action.setToolTip("Lock the app now (Ctrl+L); the passphrase opens it again")
    host.lock_action.triggered.connect(host.lock)
    host.hide_action = QAction("&Hide now", window)
    host.hide_action.setShortcut(QKeySequence(Qt.Key.Key_F12))
    host.hide_action.setToolTip("Lock and minimise at once, when someone comes in (F12)")
    host.hide_action.triggered.connect(host.hide_now)
    for action in (host.lock_action, host.hide_action):
        action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        action.setEnabled(host.repository is not None)
        file_menu.addAction(action)
    file_menu.addSeparator()
    file_menu.addAction(host.records.passphrase_action)
    host.settings_action = QAction("&Settings…", window)
    host.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
    host.settings_action.triggered.connect(host.show_preferences)
    file_menu.addAction(host.settings_action)
    file_menu.addSeparator()
    quit_action = QAction("&Quit", window)
    quit_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))
    quit_action.setMenuRole(QAction.MenuRole.QuitRole)
    quit_action.triggered.connect(window.close)
    file_menu.addAction(quit_action)
    host.quit_action = quit_action

    _build_records_menu(window, host)
    _build_help_menu(window, host)


def _build_help_menu(window: QMainWindow, host: MenuHost) -> None:
    """The user guide, where the app's advice comes from, support services, the log, About."""
    help_menu = window.menuBar().addMenu("&Help")
    host.guide_action = QAction("&User guide", window)
    host.guide_action.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))
    host.guide_action.triggered.connect(host.show_user_guide)
    host.rules_action = QAction("About the &rules", window)
    host.rules_action.triggered.connect(host.show_about_rules)
    host.support_action = QAction("&Support services", window)
    host.support_action.triggered.connect(host.show_support_services)
    host.log_folder_action = QAction("Open &log folder", window)
    host.log_folder_action.setToolTip("The app's log, without personal details, for IT support")
    host.log_folder_action.triggered.connect(open_log_folder)
    help_menu.addActions(
        [
            host.guide_action,
            host.rules_action,
            host.support_action,
            host.log_folder_action,
        ]
    )
    help_menu.addSeparator()
    about_action = QAction("&About CSARP Referrals", window)
    about_action.setMenuRole(QAction.MenuRole.AboutRole)
    about_action.triggered.connect(host.show_about)
    help_menu.addAction(about_action)
    host.about_action = about_action


def _add_backup_actions(window: QMainWindow, host: MenuHost, menu: QMenu) -> None:
    """Backing up and restoring without the command line."""
    host.backup_now_action = QAction("&Back up now to…", window)
    host.backup_now_action.setToolTip("An encrypted backup on another drive or folder")
    host.backup_now_action.triggered.connect(host.back_up_now)
    host.restore_action = QAction("&Restore a backup…", window)
    host.restore_action.setToolTip("Put a backup in place of the database; it is kept aside")
    host.restore_action.triggered.connect(host.restore_backup)
    menu.addAction(host.backup_now_action)
    menu.addAction(host.restore_action)


def _build_records_menu(window: QMainWindow, host: MenuHost) -> None:
    """Pages about the records as a whole rather than about one referral."""
    records_menu = window.menuBar().addMenu("&Records")
    host.audit_action = QAction("&Audit log", window)
    host.audit_action.setShortcut(QKeySequence("Ctrl+5"))
    host.audit_action.setToolTip("Everything done to the records, and a check that it is intact")
    host.audit_action.triggered.connect(host.show_audit_log)
    host.retention_action = QAction("&Retention", window)
    host.retention_action.setShortcut(QKeySequence("Ctrl+6"))
    host.retention_action.setToolTip("Closed referrals kept past the retention period")
    host.retention_action.triggered.connect(host.show_retention)
    records_menu.addAction(host.audit_action)
    records_menu.addAction(host.retention_action)


def build_toolbar(window: QMainWindow, host: MenuHost) -> None:
    """The toolbar: the pages, New referral, privacy mode, Lock and Hide now."""
    bar = QToolBar("Navigation", window)
    bar.setObjectName("navigation")
    bar.setMovable(False)
    bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    window.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
    needs_db = host.repository is not None
    host.nav_actions = {}
    for key, text, shortcut, slot in (
        ("home", "Start", "Ctrl+1", host.show_home),
        ("list", "Referrals", "Ctrl+2", host.show_list),
        ("dashboard", "At a glance", "Ctrl+3", host.show_dashboard),
        ("rescreen", "Re-screen", "Ctrl+4", host.show_rescreen),
    ):
        action = QAction(text, window)
        action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        action.setEnabled(key == "home" or needs_db)
        bar.addAction(action)
        host.nav_actions[key] = action
    bar.addSeparator()
    bar.addAction(host.new_action)
    bar.addSeparator()
    host.privacy_action = QAction("Privacy mode", window)
    host.privacy_action.setCheckable(True)
    host.privacy_action.setChecked(host.privacy.masked)
    host.privacy_action.setShortcut(QKeySequence("Ctrl+Shift+P"))
    host.privacy_action.setToolTip("Hide survivors' names and contact details on screen")
    host.privacy_action.toggled.connect(host.privacy.set_masked)
    host.privacy.changed.connect(host.privacy_action.setChecked)
    bar.addAction(host.privacy_action)
    bar.addSeparator()
    bar.addAction(host.lock_action)
    bar.addAction(host.hide_action)
    host.navigation = bar
    # Actions that need the open database: off while there is none (locked, or no file).
    host.database_actions = [
        *(action for key, action in host.nav_actions.items() if key != "home"),
        host.new_action,
        host.lock_action,
        host.hide_action,
        host.audit_action,
        host.retention_action,
        host.backup_now_action,
        host.restore_action,
        host.move_action,
        *host.records.actions,
    ]
    for action in host.database_actions:
        action.setEnabled(host.repository is not None)
