"""The main window: the frame every other part of the app is placed in."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from referral_app import __version__
from referral_app.ui.settings import Settings

#: Window titles are seen by anyone in the room and by screen-sharing tools: never personal data.
WINDOW_TITLE = "CSARP Referrals"


class MainWindow(QMainWindow):
    def __init__(self, settings: Settings | None = None) -> None:
        super().__init__()
        self._settings = settings if settings is not None else Settings()
        self.setWindowTitle(WINDOW_TITLE)
        self.setMinimumSize(720, 480)
        self._build_menus()
        self.setCentralWidget(self._build_welcome())
        geometry = self._settings.window_geometry()
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1024, 700)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
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

    def _build_welcome(self) -> QWidget:
        page = QWidget(self)
        page.setObjectName("welcomePage")
        layout = QVBoxLayout(page)
        layout.setContentsMargins(48, 40, 48, 40)
        layout.setSpacing(16)

        heading = QLabel("Child Sexual Abuse Review Panel referrals", page)
        heading.setObjectName("pageHeading")
        heading.setWordWrap(True)
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        heading.setFont(font)
        heading.setAccessibleName("Page heading")

        intro = QLabel(
            "Check whether a survivor's closed case can go to the Child Sexual Abuse Review "
            "Panel, record the referral in an encrypted database on this computer, print the "
            "summary for the police force or CPS Area, and share records securely.",
            page,
        )
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        intro.setAccessibleName("About this app")
        intro.setMaximumWidth(720)
        body_font = intro.font()
        body_font.setPointSizeF(body_font.pointSizeF() * 1.15)
        intro.setFont(body_font)

        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addStretch(1)
        return page

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            "About CSARP Referrals",
            f"<p><b>CSARP Referrals</b> {__version__}</p>"
            "<p>Helps advocates refer closed child sexual abuse cases to the Child Sexual Abuse "
            "Review Panel. The Panel makes the real decision on every case.</p>",
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        self._settings.set_window_geometry(self.saveGeometry())
        super().closeEvent(event)
