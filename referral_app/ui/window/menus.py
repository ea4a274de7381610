"""The main window's menus and toolbar: every action, its shortcut and where it appears.

Kept apart from the window so that what the window does and how it is reached can each be read
on their own. The actions are attributes of the window, as its pages and tests use them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QToolBar

from referral_app.ui.guide.user_guide import open_log_folder

if TYPE_CHECKING:
    from referral_app.ui.window.main_window import MainWindow


def build_menus(window: MainWindow) -> None:
    """The File, Records and Help menus."""
    file_menu = window.menuBar().addMenu("&File")
    window.new_action = QAction("&New referral", window)
    window.new_action.setShortcut(QKeySequence(QKeySequence.StandardKey.New))
    window.new_action.triggered.connect(window.new_referral)
    window.new_action.setEnabled(window.repository is not None)
    file_menu.addAction(window.new_action)
    file_menu.addSeparator()
    file_menu.addAction(window.records.export_all_action)
    file_menu.addAction(window.records.import_action)
    file_menu.addSeparator()
    _add_backup_actions(window, file_menu)
    file_menu.addSeparator()
    window.lock_action = QAction("&Lock", window)
    window.lock_action.setShortcut(QKeySequence("Ctrl+L"))
    window.lock_action.setToolTip("Lock the app now (Ctrl+L); the passphrase opens it again")
    window.lock_action.triggered.connect(window.lock)
    window.hide_action = QAction("&Hide now", window)
    window.hide_action.setShortcut(QKeySequence(Qt.Key.Key_F12))
    window.hide_action.setToolTip("Lock and minimise at once, when someone comes in (F12)")
    window.hide_action.triggered.connect(window.hide_now)
    for action in (window.lock_action, window.hide_action):
        action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        action.setEnabled(window.repository is not None)
        file_menu.addAction(action)
    file_menu.addSeparator()
    file_menu.addAction(window.records.passphrase_action)
    window.settings_action = QAction("&Settings…", window)
    window.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
    window.settings_action.triggered.connect(window.show_preferences)
    file_menu.addAction(window.settings_action)
    file_menu.addSeparator()
    quit_action = QAction("&Quit", window)
    quit_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))
    quit_action.setMenuRole(QAction.MenuRole.QuitRole)
    quit_action.triggered.connect(window.close)
    file_menu.addAction(quit_action)
    window.quit_action = quit_action

    _build_records_menu(window)
    _build_help_menu(window)


def _build_help_menu(window: MainWindow) -> None:
    """The user guide, where the app's advice comes from, support services, the log, About."""
    help_menu = window.menuBar().addMenu("&Help")
    window.guide_action = QAction("&User guide", window)
    window.guide_action.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))
    window.guide_action.triggered.connect(window.show_user_guide)
    window.rules_action = QAction("About the &rules", window)
    window.rules_action.triggered.connect(window.show_about_rules)
    window.support_action = QAction("&Support services", window)
    window.support_action.triggered.connect(window.show_support_services)
    window.log_folder_action = QAction("Open &log folder", window)
    window.log_folder_action.setToolTip("The app's log, without personal details, for IT support")
    window.log_folder_action.triggered.connect(open_log_folder)
    help_menu.addActions(
        [
            window.guide_action,
            window.rules_action,
            window.support_action,
            window.log_folder_action,
        ]
    )
    help_menu.addSeparator()
    about_action = QAction("&About CSARP Referrals", window)
    about_action.setMenuRole(QAction.MenuRole.AboutRole)
    about_action.triggered.connect(window.show_about)
    help_menu.addAction(about_action)
    window.about_action = about_action


def _add_backup_actions(window: MainWindow, menu: QMenu) -> None:
    """Backing up and restoring without the command line."""
    window.backup_now_action = QAction("&Back up now to…", window)
    window.backup_now_action.setToolTip("An encrypted backup on another drive or folder")
    window.backup_now_action.triggered.connect(window.back_up_now)
    window.restore_action = QAction("&Restore a backup…", window)
    window.restore_action.setToolTip("Put a backup in place of the database; it is kept aside")
    window.restore_action.triggered.connect(window.restore_backup)
    menu.addAction(window.backup_now_action)
    menu.addAction(window.restore_action)


def _build_records_menu(window: MainWindow) -> None:
    """Pages about the records as a whole rather than about one referral."""
    records_menu = window.menuBar().addMenu("&Records")
    window.audit_action = QAction("&Audit log", window)
    window.audit_action.setShortcut(QKeySequence("Ctrl+5"))
    window.audit_action.setToolTip("Everything done to the records, and a check that it is intact")
    window.audit_action.triggered.connect(window.show_audit_log)
    window.retention_action = QAction("&Retention", window)
    window.retention_action.setShortcut(QKeySequence("Ctrl+6"))
    window.retention_action.setToolTip("Closed referrals kept past the retention period")
    window.retention_action.triggered.connect(window.show_retention)
    records_menu.addAction(window.audit_action)
    records_menu.addAction(window.retention_action)


def build_toolbar(window: MainWindow) -> None:
    """The toolbar: the pages, New referral, privacy mode, Lock and Hide now."""
    bar = QToolBar("Navigation", window)
    bar.setObjectName("navigation")
    bar.setMovable(False)
    bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    window.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
    needs_db = window.repository is not None
    window.nav_actions = {}
    for key, text, shortcut, slot in (
        ("home", "Start", "Ctrl+1", window.show_home),
        ("list", "Referrals", "Ctrl+2", window.show_list),
        ("dashboard", "At a glance", "Ctrl+3", window.show_dashboard),
        ("rescreen", "Re-screen", "Ctrl+4", window.show_rescreen),
    ):
        action = QAction(text, window)
        action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        action.setEnabled(key == "home" or needs_db)
        bar.addAction(action)
        window.nav_actions[key] = action
    bar.addSeparator()
    bar.addAction(window.new_action)
    bar.addSeparator()
    window.privacy_action = QAction("Privacy mode", window)
    window.privacy_action.setCheckable(True)
    window.privacy_action.setChecked(window.privacy.masked)
    window.privacy_action.setShortcut(QKeySequence("Ctrl+Shift+P"))
    window.privacy_action.setToolTip("Hide survivors' names and contact details on screen")
    window.privacy_action.toggled.connect(window.privacy.set_masked)
    window.privacy.changed.connect(window.privacy_action.setChecked)
    bar.addAction(window.privacy_action)
    bar.addSeparator()
    bar.addAction(window.lock_action)
    bar.addAction(window.hide_action)
    window.navigation = bar
    # Actions that need the open database: off while there is none (locked, or no file).
    window.database_actions = [
        *(action for key, action in window.nav_actions.items() if key != "home"),
        window.new_action,
        window.lock_action,
        window.hide_action,
        window.audit_action,
        window.retention_action,
        window.backup_now_action,
        window.restore_action,
        *window.records.actions,
    ]
    for action in window.database_actions:
        action.setEnabled(window.repository is not None)
