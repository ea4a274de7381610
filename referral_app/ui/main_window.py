"""The main window: navigation between the start page, the caseload, the dashboard,
re-screening, one record, and the guided form. Pages that need the database are made the
first time they are shown, so the window appears before they are needed."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMessageBox, QStackedWidget, QToolBar, QWidget

from referral_app import __version__
from referral_app.domain.flow import Draft
from referral_app.domain.record_format import RecordFormatError
from referral_app.domain.referral import Referral
from referral_app.storage.errors import StorageError
from referral_app.ui.home import HomePage, SavedPage
from referral_app.ui.privacy import PrivacyMode
from referral_app.ui.settings import Settings

if TYPE_CHECKING:  # the first window must not wait for SQLAlchemy to load
    from referral_app.storage.repository import Repository
    from referral_app.ui.dashboard import DashboardPage
    from referral_app.ui.record.view import RecordView
    from referral_app.ui.referral_list import ReferralListPage
    from referral_app.ui.rescreen import RescreenPage
    from referral_app.ui.wizard.wizard import ReferralWizard

#: Window titles are seen by anyone in the room and by screen-sharing tools: never personal data.
WINDOW_TITLE = "CSARP Referrals"

log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    def __init__(
        self,
        settings: Settings | None = None,
        repository: Repository | None = None,
        privacy: PrivacyMode | None = None,
    ) -> None:
        super().__init__()
        self._settings = settings if settings is not None else Settings()
        self.repository = repository
        self.privacy = privacy if privacy is not None else PrivacyMode(parent=self)
        self.setWindowTitle(WINDOW_TITLE)
        self.setMinimumSize(720, 480)
        self.list_page: ReferralListPage | None = None
        self.record_view: RecordView | None = None
        self.dashboard: DashboardPage | None = None
        self.rescreen_page: RescreenPage | None = None
        self._build_menus()
        self._build_navigation()
        self.pages = QStackedWidget(self)
        self.home = HomePage(can_refer=repository is not None, parent=self.pages)
        self.home.new_referral.connect(self.new_referral)
        self.home.resume_draft.connect(self.resume_draft)
        self.home.discard_draft.connect(self.discard_draft)
        self.saved_page = SavedPage(self.pages)
        self.saved_page.another.connect(self.new_referral)
        self.saved_page.home.connect(self.show_home)
        self.saved_page.open_record.connect(self.open_record)
        self.pages.addWidget(self.home)
        self.pages.addWidget(self.saved_page)
        self.setCentralWidget(self.pages)
        self.wizard: ReferralWizard | None = None
        self.show_home()
        geometry = self._settings.window_geometry()
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1024, 760)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.new_action = QAction("&New referral", self)
        self.new_action.setShortcut(QKeySequence(QKeySequence.StandardKey.New))
        self.new_action.triggered.connect(self.new_referral)
        self.new_action.setEnabled(self.repository is not None)
        file_menu.addAction(self.new_action)
        file_menu.addSeparator()
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))
        quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        self.quit_action = quit_action

        help_menu = self.menuBar().addMenu("&Help")
        about_action = QAction("&About CSARP Referrals", self)
        about_action.setMenuRole(QAction.MenuRole.AboutRole)
        about_action.triggered.connect(self.show_about)
        help_menu.addAction(about_action)
        self.about_action = about_action

    def _build_navigation(self) -> None:
        bar = QToolBar("Navigation", self)
        bar.setObjectName("navigation")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
        needs_db = self.repository is not None
        self.nav_actions: dict[str, QAction] = {}
        for key, text, shortcut, slot in (
            ("home", "Start", "Ctrl+1", self.show_home),
            ("list", "Referrals", "Ctrl+2", self.show_list),
            ("dashboard", "At a glance", "Ctrl+3", self.show_dashboard),
            ("rescreen", "Re-screen", "Ctrl+4", self.show_rescreen),
        ):
            action = QAction(text, self)
            action.setShortcut(QKeySequence(shortcut))
            action.triggered.connect(slot)
            action.setEnabled(key == "home" or needs_db)
            bar.addAction(action)
            self.nav_actions[key] = action
        bar.addSeparator()
        bar.addAction(self.new_action)
        bar.addSeparator()
        self.privacy_action = QAction("Privacy mode", self)
        self.privacy_action.setCheckable(True)
        self.privacy_action.setChecked(self.privacy.masked)
        self.privacy_action.setShortcut(QKeySequence("Ctrl+Shift+P"))
        self.privacy_action.setToolTip("Hide survivors' names and contact details on screen")
        self.privacy_action.toggled.connect(self.privacy.set_masked)
        self.privacy.changed.connect(self.privacy_action.setChecked)
        bar.addAction(self.privacy_action)

    # Pages

    def _add(self, page: QWidget) -> None:
        self.pages.addWidget(page)

    def show_list(self) -> None:
        if self.repository is None:
            return
        if self.list_page is None:
            from referral_app.ui.referral_list import ReferralListPage

            self.list_page = ReferralListPage(self.repository, self.privacy, parent=self.pages)
            self.list_page.open_record.connect(self.open_record)
            self._add(self.list_page)
        self.list_page.refresh()
        self.pages.setCurrentWidget(self.list_page)

    def open_record(self, referral_id: int) -> None:
        if self.repository is None:
            return
        if self.record_view is None:
            from referral_app.ui.record.view import RecordView

            self.record_view = RecordView(self.repository, self.privacy, parent=self.pages)
            self.record_view.changed.connect(self._record_changed)
            self.record_view.deleted.connect(self._record_deleted)
            self.record_view.closed.connect(self.show_list)
            self._add(self.record_view)
        try:
            self.record_view.show_referral(referral_id)
        except StorageError as error:
            QMessageBox.warning(self, WINDOW_TITLE, str(error))
            self.show_list()
            return
        self.pages.setCurrentWidget(self.record_view)

    def _record_changed(self, _referral_id: int) -> None:
        if self.list_page is not None:
            self.list_page.refresh()

    def _record_deleted(self, _referral_id: int) -> None:
        self.show_list()

    def show_dashboard(self) -> None:
        if self.repository is None:
            return
        if self.dashboard is None:
            from referral_app.ui.dashboard import DashboardPage

            self.dashboard = DashboardPage(
                self.repository.database, self.privacy, parent=self.pages
            )
            self.dashboard.open_record.connect(self.open_record)
            self._add(self.dashboard)
        self.dashboard.refresh()
        self.pages.setCurrentWidget(self.dashboard)

    def show_rescreen(self) -> None:
        if self.repository is None:
            return
        if self.rescreen_page is None:
            from referral_app.ui.rescreen import RescreenPage

            self.rescreen_page = RescreenPage(self.repository, self.privacy, parent=self.pages)
            self.rescreen_page.open_record.connect(self.open_record)
            self.rescreen_page.changed.connect(self._record_changed)
            self._add(self.rescreen_page)
        self.pages.setCurrentWidget(self.rescreen_page)

    def show_home(self) -> None:
        if self.repository is not None:
            try:
                self.home.show_drafts(self.repository.drafts())
            except StorageError as error:
                QMessageBox.warning(self, WINDOW_TITLE, str(error))
        self.pages.setCurrentWidget(self.home)
        self.home.new_button.setFocus()

    def new_referral(self) -> None:
        self._open_wizard(Draft())

    def resume_draft(self, draft_id: int) -> None:
        if self.repository is None:
            return
        document = self.repository.load_draft(draft_id)
        if document is None:
            self.show_home()
            return
        try:
            draft = Draft.from_dict(document, draft_id=draft_id)
        except (RecordFormatError, ValueError, KeyError):
            log.warning("an unfinished referral could not be read")
            QMessageBox.warning(
                self,
                WINDOW_TITLE,
                "This unfinished referral could not be read, so it cannot be continued. It has "
                "been kept; you can discard it from the start page.",
            )
            return
        self._open_wizard(draft)

    def discard_draft(self, draft_id: int) -> None:
        if self.repository is None:
            return
        answer = QMessageBox.question(
            self,
            "Discard this referral?",
            "Everything entered for this unfinished referral will be deleted. This cannot be "
            "undone.",
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer == QMessageBox.StandardButton.Discard:
            self.repository.discard_draft(draft_id)
        self.show_home()

    def _open_wizard(self, draft: Draft) -> None:
        if self.repository is None:
            return
        from referral_app.ui.wizard.wizard import ReferralWizard

        self._close_wizard(keep_draft=True)
        advocate = self.repository.advocate()
        self.wizard = ReferralWizard(
            self.repository,
            draft,
            advocate_name=advocate.name if advocate else "",
            parent=self.pages,
        )
        self.wizard.saved.connect(self._saved)
        self.wizard.closed.connect(self._left_wizard)
        self.pages.addWidget(self.wizard)
        self.pages.setCurrentWidget(self.wizard)

    def _close_wizard(self, keep_draft: bool = False) -> None:
        if self.wizard is not None:
            if keep_draft:
                self.wizard.save_draft()
            self.pages.removeWidget(self.wizard)
            self.wizard.deleteLater()
            self.wizard = None

    def _left_wizard(self) -> None:
        self._close_wizard()
        self.show_home()

    def _saved(self, referral: Referral) -> None:
        self._close_wizard()
        self.saved_page.show_saved(
            referral.reference, referral.status.label, referral.consent.complete, referral.id
        )
        self.pages.setCurrentWidget(self.saved_page)
        self.saved_page.again_button.setFocus()

    # Other

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            "About CSARP Referrals",
            f"<p><b>CSARP Referrals</b> {__version__}</p>"
            "<p>Helps advocates refer closed child sexual abuse cases to the Child Sexual Abuse "
            "Review Panel. The Panel makes the real decision on every case.</p>",
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.wizard is not None:
            self.wizard.save_draft()
        self._settings.set_window_geometry(self.saveGeometry())
        super().closeEvent(event)
