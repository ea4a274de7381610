"""A desktop that behaves like one: readable under a dark system scheme, the user guide and
the log folder from Help, and Ctrl+P from a record. Screenshots go to $REFERRAL_APP_SCREENSHOTS."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QSettings, Qt, QUrl, Slot
from PySide6.QtGui import QColor, QDesktopServices, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from referral_app.domain.referral import Referral
from referral_app.storage import paths
from referral_app.storage.repository import Repository
from referral_app.ui.common import resources
from referral_app.ui.common.privacy import PrivacyMode
from referral_app.ui.printing.dialog import PrintDialog
from referral_app.ui.record.view import RecordView
from referral_app.ui.window.main_window import MainWindow
from tests.ui.conftest import screenshot_folder

DARK = {
    QPalette.ColorRole.Window: "#202020",
    QPalette.ColorRole.WindowText: "#ffffff",
    QPalette.ColorRole.Base: "#2b2b2b",
    QPalette.ColorRole.Text: "#ffffff",
    QPalette.ColorRole.Button: "#2d2d2d",
    QPalette.ColorRole.ButtonText: "#ffffff",
}


def _luminance(colour: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF()) + 0.0722 * (
        channel(colour.blueF())
    )


def contrast(one: QColor, other: QColor) -> float:
    light, dark = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.fixture
def dark_system(qapp: QApplication) -> Iterator[QApplication]:
    """The palette a dark Windows 11 or GNOME gives the app before it does anything."""
    original = qapp.palette()
    palette = QPalette(original)
    for role, colour in DARK.items():
        palette.setColor(role, QColor(colour))
    qapp.setPalette(palette)
    qapp.setStyleSheet(resources.stylesheet())
    yield qapp
    qapp.styleHints().unsetColorScheme()
    qapp.setPalette(original)
    qapp.setStyleSheet("")


def _window(qtbot: QtBot, repository: Repository, tmp_path: Path) -> MainWindow:
    privacy = PrivacyMode(QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    window = MainWindow(repository=repository, privacy=privacy)
    qtbot.addWidget(window)
    window.resize(1100, 760)
    window.show()
    qtbot.waitExposed(window)
    return window


def _text_colours(widget: QWidget) -> list[tuple[str, QColor, QColor]]:
    """Each visible label's text colour (from the stylesheet when it sets one) and the colour
    behind it, as drawn: read from a grab of the label."""
    found = []
    for label in widget.findChildren(QLabel):
        if not label.isVisible() or not label.text().strip() or label.objectName() not in (
            "pageHeading", "sectionHeading", "hint", "fieldLabel"
        ):
            continue
        image = label.grab().toImage()
        colours = {image.pixelColor(x, y).rgb() for x in range(image.width())
                   for y in range(0, image.height(), 2)}
        background = QColor(image.pixelColor(1, 1))
        darkest = max(colours, key=lambda rgb: contrast(QColor(rgb), background))
        found.append((label.objectName(), QColor(darkest), background))
    return found


def test_headings_and_hints_stay_readable_under_a_dark_system_scheme(
    qtbot: QtBot,
    dark_system: QApplication,
    ui_repository: Repository,
    stored: Referral,
    tmp_path: Path,
) -> None:
    folder = screenshot_folder(tmp_path)
    before = _window(qtbot, ui_repository, tmp_path)
    before.grab().save(str(folder / "dark-system-without-the-light-scheme.png"))
    before.close()

    resources.use_light_scheme(dark_system)
    window = _window(qtbot, ui_repository, tmp_path)
    shots = {"start": window.show_home, "referrals": window.show_list,
             "at-a-glance": window.show_dashboard, "new-referral": window.new_referral,
             "record": lambda: window.open_record(stored.id or 0)}
    checked = 0
    for name, show in shots.items():
        show()
        qtbot.wait(1)  # let the page lay itself out before it is grabbed
        window.grab().save(str(folder / f"dark-system-{name}.png"))
        for kind, text, background in _text_colours(window):
            assert contrast(text, background) >= 4.5, (name, kind, text.name(), background.name())
            checked += 1
    assert checked >= 4
    assert contrast(dark_system.palette().color(QPalette.ColorRole.Window), QColor("#484949")) > 4.5


def test_help_opens_the_user_guide_with_every_section_an_advocate_needs(
    qtbot: QtBot, ui_repository: Repository, tmp_path: Path, text_scale: float
) -> None:
    window = _window(qtbot, ui_repository, tmp_path)
    assert window.guide_action.shortcut().matches(Qt.Key.Key_F1) or sys_has_other_help_key()
    window.guide_action.trigger()
    guide = window.user_guide
    assert guide is not None and guide.isVisible()
    qtbot.waitExposed(guide)
    text = guide.browser.toPlainText()
    for section in ("Installing", "The first time", "A referral from start to end", "Printing",
                    "Sending referrals (export)", "Receiving referrals (import)",
                    "Backups and restoring", "If the passphrase is lost", "Keyboard shortcuts"):
        assert section in text
    html = resources.read_text("user-guide.html")
    targets = set(re.findall(r'<a name="([^"]+)"', html))
    assert set(re.findall(r'<a href="#([^"]+)"', html)) <= targets
    guide.grab().save(str(screenshot_folder(tmp_path) / f"user-guide-{text_scale:.0%}.png"))


def sys_has_other_help_key() -> bool:
    import sys

    return sys.platform == "darwin"  # Cmd+? there


class _Catcher(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url)


def test_help_opens_the_log_folder(
    qtbot: QtBot, ui_repository: Repository, tmp_path: Path
) -> None:
    catcher = _Catcher()
    QDesktopServices.setUrlHandler("file", catcher, "open")
    try:
        _window(qtbot, ui_repository, tmp_path).log_folder_action.trigger()
    finally:
        QDesktopServices.unsetUrlHandler("file")
    assert [Path(url.toLocalFile()) for url in catcher.urls] == [paths.default_log_folder()]
    assert paths.default_log_folder().is_dir()


def test_ctrl_p_prints_from_a_record(qtbot: QtBot, view: RecordView, stored: Referral) -> None:
    view.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is view)
    qtbot.keyClick(view, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: isinstance(view.dialog, PrintDialog) and view.dialog.isVisible())
    view.dialog.reject()
