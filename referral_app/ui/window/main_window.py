"""The main window: navigation between the start page, the caseload, the dashboard,
re-screening, one record, and the guided form. Pages that need the database are made the
first time they are shown, so the window appears before they are needed."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from referral_app import __version__
from referral_app.domain.flow import Draft
from referral_app.domain.record_format import RecordFormatError
from referral_app.domain.referral import Referral
from referral_app.storage.errors import StorageError
from referral_app.ui.access.integrity_watch import IntegrityWatch
from referral_app.ui.access.lock import LockedPage
from referral_app.ui.access.locking import Locker, Place
from referral_app.ui.common.privacy import PrivacyMode
from referral_app.ui.common.settings import Settings
from referral_app.ui.record import pending
from referral_app.ui.record.actions import RecordActions
from referral_app.ui.window.home import HomePage, SavedPage
from referral_app.ui.window.menus import build_menus, build_toolbar

if TYPE_CHECKING:  # the first window must not wait for SQLAlchemy to load
    from referral_app.storage.db import Database
    from referral_app.storage.repository import Repository
    from referral_app.ui.access.lock import IdleWatcher
    from referral_app.ui.access.session_events import SessionWatcher
    from referral_app.ui.access.unlock import StartupDialog
    from referral_app.ui.audit.page import AuditLogPage
    from referral_app.ui.caseload.dashboard import DashboardPage
    from referral_app.ui.caseload.list_page import ReferralListPage
    from referral_app.ui.caseload.rescreen import RescreenPage
    from referral_app.ui.common.team import Team
    from referral_app.ui.guide.user_guide import UserGuide
    from referral_app.ui.record.view import RecordView
    from referral_app.ui.retention.page import RetentionPage
    from referral_app.ui.wizard.wizard import ReferralWizard

#: Window titles are seen by anyone in the room and by screen-sharing tools: never personal data.
WINDOW_TITLE = "CSARP Referrals"

log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    locked = Signal()
    unlocked = Signal()

    # Made by ``menus``
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
    #: Actions that need the open database: off while there is none (locked, or no file).
    database_actions: list[QAction]

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
        self.user_guide: UserGuide | None = None
        self.dashboard: DashboardPage | None = None
        self.rescreen_page: RescreenPage | None = None
        self.audit_page: AuditLogPage | None = None
        self.retention_page: RetentionPage | None = None
        self.records = RecordActions(self, lambda: self.repository, self.privacy)
        self.records.imported.connect(self._imported)
        #: The backup dialog or the backup warning open now (or last), for tests.
        self.backup_dialog: QWidget | None = None
        database = repository.database if repository is not None else None
        #: On the team's server: signing in replaces the passphrase, and the server keeps
        #: the backups, so what belongs to the file on this computer is not offered.
        self.team = database is not None and database.is_team
        self._team_database = database if self.team else None
        self._database_path = database.path if database is not None and not self.team else None
        build_menus(self, self)
        build_toolbar(self, self)
        self._build_pages(repository is not None)
        self.wizard: ReferralWizard | None = None
        self.integrity = IntegrityWatch(self, self.restore_backup)
        self.locking = Locker(
            self,
            self,
            self._database_path,
            self._settings.lock_minutes(),
            self.integrity,
            unlock_screen=self._sign_in_screen if self.team else None,
        )
        #: Who is signed in to the team's server (None on this computer).
        self.team_view: Team | None = None
        self._who: QLabel | None = None
        if self.team:
            for action in (self.backup_now_action, self.restore_action):
                action.setVisible(False)
            self.move_action.setVisible(True)
            self.records.passphrase_action.setVisible(False)
            if database is not None:
                self._signed_in(database)
        self.locking.locked.connect(self.locked)
        self.locking.unlocked.connect(self.unlocked)
        if repository is not None:
            self.locking.opened()
        self.show_home()
        geometry = self._settings.window_geometry()
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1024, 760)
        if repository is not None:
            QTimer.singleShot(0, self, lambda: self.show_notices(repository.database))

    # Pages

    def _build_pages(self, can_refer: bool) -> None:
        """The start page, the page after saving and the locked page, in a stack."""
        self.pages = QStackedWidget(self)
        self.home = HomePage(can_refer=can_refer, parent=self.pages)
        self.home.new_referral.connect(self.new_referral)
        self.home.resume_draft.connect(self.resume_draft)
        self.home.discard_draft.connect(self.discard_draft)
        self.saved_page = SavedPage(self.pages)
        self.saved_page.another.connect(self.new_referral)
        self.saved_page.home.connect(self.show_home)
        self.saved_page.open_record.connect(self.open_record)
        self.pages.addWidget(self.home)
        self.pages.addWidget(self.saved_page)
        self.locked_page = LockedPage(self.pages)
        self.pages.addWidget(self.locked_page)
        self.setCentralWidget(self.pages)

    def _add(self, page: QWidget) -> None:
        self.pages.addWidget(page)

    def show_list(self) -> None:
        if self.repository is None:
            return
        if self.list_page is None:
            from referral_app.ui.caseload.list_page import ReferralListPage

            self.list_page = ReferralListPage(
                self.repository, self.privacy, parent=self.pages, team=self.team_view
            )
            self.list_page.open_record.connect(self.open_record)
            self.list_page.print_selected.connect(self.records.print_referrals)
            self.list_page.export_selected.connect(self.records.export_referrals)
            self._add(self.list_page)
        self.list_page.refresh()
        self.pages.setCurrentWidget(self.list_page)

    def open_record(self, referral_id: int) -> None:
        if self.repository is None:
            return
        if self.record_view is None:
            from referral_app.ui.record.view import RecordView

            self.record_view = RecordView(self.repository, self.privacy, parent=self.pages)
            if self.team_view is not None:
                self.record_view.set_team(self.team_view)
            self.record_view.changed.connect(self._record_changed)
            self.record_view.deleted.connect(self._record_deleted)
            self.record_view.closed.connect(self.show_list)
            self.record_view.export_requested.connect(lambda i: self.records.export_referrals([i]))
            self.record_view.subject_access_requested.connect(self.records.export_survivor)
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
            from referral_app.ui.caseload.dashboard import DashboardPage

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
            from referral_app.ui.caseload.rescreen import RescreenPage

            self.rescreen_page = RescreenPage(self.repository, self.privacy, parent=self.pages)
            self.rescreen_page.open_record.connect(self.open_record)
            self.rescreen_page.changed.connect(self._record_changed)
            self._add(self.rescreen_page)
        self.pages.setCurrentWidget(self.rescreen_page)

    def show_audit_log(self) -> None:
        if self.repository is None:
            return
        if self.audit_page is None:
            from referral_app.ui.audit.page import AuditLogPage

            self.audit_page = AuditLogPage(self.repository, parent=self.pages)
            self._add(self.audit_page)
        self.audit_page.refresh()
        self.pages.setCurrentWidget(self.audit_page)

    def show_retention(self) -> None:
        if self.repository is None:
            return
        if self.retention_page is None:
            from referral_app.ui.retention.page import RetentionPage

            self.retention_page = RetentionPage(self.repository, parent=self.pages)
            self.retention_page.deleted.connect(self._deleted_for_good)
            self._add(self.retention_page)
        self.retention_page.refresh()
        self.pages.setCurrentWidget(self.retention_page)

    def _deleted_for_good(self, referral_ids: list[int]) -> None:
        view = self.record_view
        if view is not None and view.referral is not None and view.referral.id in referral_ids:
            view.clear()
        self._record_changed(0)

    def _imported(self, _referral_ids: list[int]) -> None:
        self._record_changed(0)
        if self.dashboard is not None and self.pages.currentWidget() is self.dashboard:
            self.dashboard.refresh()

    def show_home(self) -> None:
        if self.is_locked:
            return  # a question answered as the app locked must not uncover the window
        if self.repository is not None:
            try:
                self.home.show_drafts(pending.new_referral_drafts(self.repository))
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

    # Locking: what it does is the locker's (``ui.access.locking``); the window says what it
    # holds, where the advocate is, and how to go back there.

    @property
    def idle(self) -> IdleWatcher:
        return self.locking.idle

    @property
    def session_events(self) -> SessionWatcher:
        return self.locking.session_events

    @property
    def unlock_dialog(self) -> StartupDialog | None:
        return self.locking.unlock_dialog

    def _signed_in(self, database: Database) -> None:
        """Who is signed in decides what is offered: only a manager deletes for good and
        keeps records to a retention schedule (the server refuses anyone else anyway)."""
        from referral_app.storage.team import TeamDatabase
        from referral_app.ui.common.team import Team

        if not isinstance(database, TeamDatabase):
            return
        who = database.signed_in()
        advocates = tuple(database.team_members()) if who.is_manager else ()
        self.team_view = Team(who.role, who.is_manager, advocates)
        self.retention_action.setVisible(who.is_manager)
        role = "manager" if who.is_manager else "advocate"
        if self._who is None:
            self._who = QLabel(self)
            self._who.setTextFormat(Qt.TextFormat.PlainText)
            self.statusBar().addPermanentWidget(self._who)
        self._who.setText(f"Signed in to {database.settings.host} as {who.role} ({role})")

    def _sign_in_screen(self, note: str) -> StartupDialog:
        """After locking on the team's server: the same advocate signs in again."""
        from referral_app.storage.team import TeamDatabase
        from referral_app.ui.access.sign_in import SignInDialog
        from referral_app.ui.access.start import sign_in_to
        from referral_app.ui.common.settings import ServerAddress

        database = self._team_database
        if not isinstance(database, TeamDatabase):
            raise TypeError("signing in again needs the team's server it was signed in to")
        team = database.settings
        address = ServerAddress(team.host, team.port, team.dbname, team.ca_file)
        return SignInDialog(
            address, self._settings, sign_in_to, self, locked=True, note=note, user=team.role
        )

    @property
    def is_locked(self) -> bool:
        return self.locking.is_locked

    def lock(self) -> None:
        self.locking.lock()

    def hide_now(self) -> None:
        self.locking.hide_now()

    def has_database(self) -> bool:
        return self.repository is not None

    def place(self) -> Place:
        current = self.pages.currentWidget()
        if self.wizard is not None and current is self.wizard:
            return ("draft", self.wizard.draft.draft_id)
        if self.record_view is not None and current is self.record_view:
            referral = self.record_view.referral
            return ("record", referral.id if referral else None)
        named = {
            "list": self.list_page,
            "dashboard": self.dashboard,
            "rescreen": self.rescreen_page,
            "audit": self.audit_page,
            "retention": self.retention_page,
        }
        return next(((key, None) for key, page in named.items() if page is current), ("home", None))

    def keep_form(self) -> bool:
        return self.wizard is None or self.wizard.save_draft()

    def let_go(self) -> None:
        self.records.dialog = None
        self._drop_pages()

    def take_database(self) -> Database | None:
        if self.repository is None:
            return None
        database, self.repository = self.repository.database, None
        self._enable_database_actions(False)
        return database

    def show_locked(self) -> None:
        self.pages.setCurrentWidget(self.locked_page)

    def reopen(self, database: Database) -> None:
        from referral_app.storage.repository import Repository

        self.repository = Repository(database)
        if self.team:
            self._team_database = database
            self._signed_in(database)
        self._enable_database_actions(True)
        self.show_notices(database)

    def return_to(self, place: Place) -> None:
        key, item = place
        if key == "draft" and item is not None:
            self.resume_draft(item)
        elif key == "record" and item is not None:
            self.open_record(item)
        elif key == "list":
            self.show_list()
        elif key == "dashboard":
            self.show_dashboard()
        elif key == "rescreen":
            self.show_rescreen()
        elif key == "audit":
            self.show_audit_log()
        elif key == "retention":
            self.show_retention()
        else:
            self.show_home()

    def quit(self) -> None:
        self.close()

    def _enable_database_actions(self, enabled: bool) -> None:
        """What needs the open database is off while locked (Start stays: it shows nothing)."""
        for action in self.database_actions:
            action.setEnabled(enabled)

    def _drop_pages(self) -> None:
        """Every page that has shown a record goes, with its models; each is made afresh."""
        self._close_wizard()
        if self.record_view is not None:
            self.record_view.clear()
        pages = (
            self.list_page,
            self.record_view,
            self.dashboard,
            self.rescreen_page,
            self.audit_page,
            self.retention_page,
        )
        for page in pages:
            if page is not None:
                self.pages.removeWidget(page)
                page.deleteLater()
        self.list_page = self.record_view = self.dashboard = self.rescreen_page = None
        self.audit_page = self.retention_page = None
        self.home.show_drafts([])

    def show_preferences(self) -> None:
        from referral_app.ui.common.preferences import PreferencesDialog

        dialog = PreferencesDialog(self._settings.lock_minutes(), self)
        dialog.accepted.connect(lambda: self.set_lock_minutes(dialog.chosen_minutes()))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    # Backups

    def show_notices(self, database: Database) -> None:
        """Say at once what went wrong with a backup at unlock (a failed check, a full disk),
        and start the full check of the database in the background."""
        if database.is_team:
            return  # the server checks and backs up its own files
        self.integrity.check(database)
        if not database.notices or not database.is_open:
            return
        box = QMessageBox(
            QMessageBox.Icon.Warning, "Backups", "\n\n".join(database.notices), parent=self
        )
        database.notices.clear()
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.backup_dialog = box
        box.open()

    def back_up_now(self) -> None:
        if self.repository is None:
            return
        from referral_app.ui.access.backup_now import BackUpNowDialog

        self.backup_dialog = BackUpNowDialog(self.repository.database, self)
        self.backup_dialog.open()

    def restore_backup(self) -> None:
        if self.repository is None or self._database_path is None:
            return
        from referral_app.storage import identity
        from referral_app.ui.access.restore import RestoreDialog

        own = identity.identity(self.repository.database.engine)
        dialog = RestoreDialog(self._database_path, self._put_back, self, identity=own)
        self.backup_dialog = dialog
        dialog.open()

    def move_to_server(self) -> None:
        """Bring the referrals kept on this computer to the team's server, once."""
        if self.repository is None or not self.team:
            return
        from referral_app.storage import paths
        from referral_app.ui.transfer.move_dialog import MoveDialog

        dialog = MoveDialog(
            self.repository, paths.default_database_path(), self, privacy=self.privacy
        )
        dialog.imported.connect(self._imported)
        dialog.finished.connect(dialog.deleteLater)
        self.records.dialog = dialog
        dialog.open()

    def _put_back(self, source: Path, passphrase: str) -> None:
        """Close the database, put the backup in its place (the old file kept aside by
        storage), and open the restored one; back to the start page."""
        from referral_app.storage import backup
        from referral_app.storage.access import open_database
        from referral_app.storage.repository import Repository

        path = self._database_path
        if self.repository is None or path is None:
            return
        backup.check_backup(source, passphrase)  # refused before anything closes
        if self.wizard is not None:
            self.wizard.save_draft()
        self._drop_pages()
        database, self.repository = self.repository.database, None
        database.close()
        self._enable_database_actions(False)
        try:
            backup.restore(source, path, passphrase)
        finally:
            try:
                reopened = open_database(path, passphrase)
            except StorageError:
                # The file in place has another passphrase: the lock screen asks for it.
                self.show_locked()
                self.locking.ask_for_passphrase(("home", None))
            else:
                self.repository = Repository(reopened)
                self._enable_database_actions(True)
                self.show_home()
                QTimer.singleShot(0, self, lambda: self.show_notices(reopened))

    # After an unexpected error

    def current_record_id(self) -> int | None:
        """The record on screen, if any: the one number the log may say about an error."""
        key, item = self.place()
        return item if key == "record" else None

    def rescue(self) -> str:
        """Keep the form in progress; say so in a sentence for the "something went wrong"."""
        if self.wizard is not None and self.repository is not None and self.wizard.save_draft():
            return "The referral you were filling in was saved as a draft."
        return ""

    def set_lock_minutes(self, minutes: int) -> None:
        self._settings.set_lock_minutes(minutes)
        self.idle.set_minutes(self._settings.lock_minutes())

    # Other

    def show_about_rules(self) -> None:
        from referral_app.ui.guide.about_rules import AboutRulesDialog

        dialog = AboutRulesDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def show_support_services(self) -> None:
        from referral_app.ui.guide.support import SupportServicesDialog

        dialog = SupportServicesDialog(self.repository, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
    def show_user_guide(self) -> UserGuide:
        from referral_app.ui.guide.user_guide import UserGuide

        if self.user_guide is None:
            self.user_guide = UserGuide(self)
        self.user_guide.show()
        self.user_guide.raise_()
        return self.user_guide

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            "About CSARP Referrals",
            f"<p><b>CSARP Referrals</b> {__version__}</p>"
            "<p>Helps advocates ask for closed child sexual abuse cases to be put to the Child "
            "Sexual Abuse Review Panel. The app is a guide to the Panel's terms: the force or "
            "CPS Area decides whether to refer a case, and the Panel gives advice.</p>",
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        self.locking.stop()
        if self.wizard is not None and self.repository is not None:
            self.wizard.save_draft()
        self._settings.set_window_geometry(self.saveGeometry())
        super().closeEvent(event)
