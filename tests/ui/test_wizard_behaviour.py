from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from referral_app.domain.flow import Page
from referral_app.storage.repository import Repository
from referral_app.ui.main_window import MainWindow
from tests.ui.wizard_driver import Case, Driver


def test_discard_close(qtbot: QtBot, ui_repository: Repository, monkeypatch: pytest.MonkeyPatch) -> None:
    window = MainWindow(repository=ui_repository)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.mouseClick(window.home.new_button, Qt.MouseButton.LeftButton)
    w = window.wizard
    d = Driver(qtbot, w)
    d.choose("yes"); d.cont()
    print(ui_repository.drafts())
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    d.click(w.discard_button)
    print("after discard", ui_repository.drafts(), window.pages.currentWidget())
    window.close()
    print("after close", ui_repository.drafts())


def test_messages(qtbot: QtBot, ui_repository: Repository) -> None:
    window = MainWindow(repository=ui_repository)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.mouseClick(window.home.new_button, Qt.MouseButton.LeftButton)
    w = window.wizard
    d = Driver(qtbot, w)
    d.choose("yes"); d.cont(); d.choose("yes"); d.cont()
    age = d.widget
    for birth, began, ended, ans in [
        (("1","1","2027"), ("","",""), ("","",""), None),
        (("30","2","1990"), ("","",""), ("","",""), None),
        (("1","5","1990"), ("","13","2003"), ("","",""), None),
        (("5","","1990"), ("","",""), ("","",""), None),
        (("5","","",), ("","",""), ("","",""), None),
        (("1","5","1990"), ("","","2003"), ("","","2002"), None),
        (("1","5","1990"), ("","","1985"), ("","",""), None),
        (("1","5","1990"), ("","","2003"), ("","",""), "no"),
        (("1","5","1990"), ("","","2003"), ("","","2027"), None),
        (("1","5","1990"), ("","","2003"), ("4","","2004"), None),
    ]:
        d.type_date(age.birth, birth); d.type_date(age.began, began); d.type_date(age.ended, ended)
        if ans: d.choose(ans)
        d.cont()
        print(birth, began, ended, ans, d.page, age.error_summary.messages(), type(QApplication.focusWidget()).__name__)
