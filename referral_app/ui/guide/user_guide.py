"""Help: the user guide shipped with the app, and the log folder.

The guide is an HTML file in resources/, shown in the app's own window so that it works
offline and on laptops where opening a browser is restricted. Its links to its own sections
stay inside the window.
"""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from referral_app.storage import paths
from referral_app.ui.common.resources import read_text

GUIDE = "user-guide.html"


class UserGuide(QDialog):
    """The guide, beside the main window (not modal: the advocate can follow it while working)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("CSARP Referrals: user guide")
        self.browser = QTextBrowser(self)
        self.browser.setAccessibleName("User guide")
        self.browser.setOpenExternalLinks(True)
        self.browser.setHtml(read_text(GUIDE))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        width = self.fontMetrics().averageCharWidth()
        self.resize(width * 90, self.fontMetrics().height() * 40)


def open_log_folder() -> bool:
    """Show the log folder in the file manager (made first, so there is something to show)."""
    folder = paths.default_log_folder()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
