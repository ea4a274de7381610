from __future__ import annotations

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from referral_app.ui.common.settings import Settings
from referral_app.ui.window.main_window import WINDOW_TITLE, MainWindow


def test_window_shows_with_a_title_free_of_personal_data(qtbot: QtBot) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.windowTitle() == WINDOW_TITLE
    assert window.pages.currentWidget().objectName() == "welcomePage"


def test_quit_action_closes_the_window(qtbot: QtBot) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.quit_action.trigger()
    assert not window.isVisible()


def test_geometry_is_remembered_between_runs(qtbot: QtBot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    store = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    first = MainWindow(Settings(store))
    qtbot.addWidget(first)
    first.show()
    first.resize(760, 520)
    first.close()

    second = MainWindow(Settings(store))
    qtbot.addWidget(second)
    assert (second.width(), second.height()) == (760, 520)


def test_about_box_names_the_version(qtbot: QtBot) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    seen: list[str] = []

    def read_and_close() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.append(box.text())
        box.accept()

    QTimer.singleShot(0, read_and_close)
    window.about_action.trigger()
    assert seen and "0." in seen[0]
