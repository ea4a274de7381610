"""The main window as the hub: from the start page to the caseload, a record, the dashboard,
re-screening and back, with privacy mode applying everywhere."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from referral_app.storage.repository import Repository
from referral_app.ui.common.privacy import PrivacyMode
from referral_app.ui.window.main_window import MainWindow
from tests.storage.conftest import full_referral


def _window(qtbot: QtBot, repository: Repository, tmp_path) -> MainWindow:  # type: ignore[no-untyped-def]
    privacy = PrivacyMode(QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    window = MainWindow(repository=repository, privacy=privacy)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_list_record_dashboard_and_rescreen_are_reached_from_the_toolbar(
    qtbot: QtBot, ui_repository: Repository, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    saved = ui_repository.save(full_referral("Ffion Navigation"))
    window = _window(qtbot, ui_repository, tmp_path)

    window.nav_actions["list"].trigger()
    assert window.pages.currentWidget() is window.list_page
    assert window.list_page is not None
    qtbot.waitUntil(lambda: window.list_page.model.rowCount() == 1)  # type: ignore[union-attr]

    with qtbot.waitSignal(window.list_page.open_record) as opened:
        window.list_page.open_record.emit(saved.id)
    assert opened.args == [saved.id]
    assert window.pages.currentWidget() is window.record_view
    assert ui_repository.audit_events()[-1].action == "open"

    window.nav_actions["dashboard"].trigger()
    assert window.pages.currentWidget() is window.dashboard
    window.nav_actions["rescreen"].trigger()
    assert window.pages.currentWidget() is window.rescreen_page
    window.nav_actions["home"].trigger()
    assert window.pages.currentWidget() is window.home


def test_privacy_mode_from_the_toolbar_masks_the_list(
    qtbot: QtBot, ui_repository: Repository, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    ui_repository.save(full_referral("Ffion Navigation"))
    window = _window(qtbot, ui_repository, tmp_path)
    window.nav_actions["list"].trigger()
    model = window.list_page.model  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: model.rowCount() == 1)
    names = lambda: [model.index(0, c).data() for c in range(model.columnCount())]  # noqa: E731
    assert "Ffion Navigation" in names()
    window.privacy_action.trigger()
    assert window.privacy.masked
    qtbot.waitUntil(lambda: "F. N." in names() and "Ffion Navigation" not in names())
