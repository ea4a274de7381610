"""Every page of the guided form rendered to PNG, at the default text size and at 200%.

The pictures go to ``$REFERRAL_APP_SCREENSHOTS`` when it is set (to look at them), else to the
test's temporary folder. Each page is also checked: no sideways scrolling, and every label
tall enough for its wrapped text, so nothing is cut off.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from referral_app.domain.flow import Page
from referral_app.storage.repository import Repository
from referral_app.ui.window.main_window import MainWindow
from referral_app.ui.wizard.wizard import ReferralWizard
from tests.ui.conftest import screenshot_folder
from tests.ui.wizard_driver import TODAY, Case, Driver


def _check_nothing_cut_off(wizard: ReferralWizard, name: str) -> None:
    assert wizard.scroller.horizontalScrollBar().maximum() == 0, f"{name} scrolls sideways"
    for label in wizard.current.findChildren(QLabel):
        if label.isVisible() and label.wordWrap() and label.text():
            needed = label.heightForWidth(label.width())
            assert label.height() >= needed, f"{name}: '{label.text()[:40]}' is cut off"


def test_every_page_renders_whole(
    qtbot: QtBot, ui_repository: Repository, tmp_path: Path, text_scale: float
) -> None:
    folder = screenshot_folder(tmp_path)
    window = MainWindow(repository=ui_repository)
    qtbot.addWidget(window)
    window.resize(1024, 760)
    window.show()
    qtbot.waitExposed(window)
    tag = f"{text_scale:g}x"
    window.grab().save(str(folder / f"home_{tag}.png"))
    window.new_referral()
    wizard = window.wizard
    assert wizard is not None
    wizard._today = lambda: TODAY
    for page in wizard.pages.values():
        if hasattr(page, "_today"):
            page._today = lambda: TODAY  # type: ignore[attr-defined]
    driver = Driver(qtbot, wizard)

    def shoot(name: str) -> None:
        QApplication.processEvents()
        _check_nothing_cut_off(wizard, name)
        window.grab().save(str(folder / f"{name}_{tag}.png"))
        wizard.current.grab().save(str(folder / f"{name}_whole_{tag}.png"))

    driver.cont()  # nothing chosen: the error summary
    shoot("where_with_error")
    case = Case()
    while wizard.draft.page is not Page.OUTCOME:
        page = wizard.draft.page
        if page is Page.AGE:
            driver.type_date(wizard.current.birth, case.birth)  # type: ignore[attr-defined]
            driver.type_date(wizard.current.began, case.began)  # type: ignore[attr-defined]
        elif page is Page.DECISION_DATE:
            driver.type_date(wizard.current.date, case.decided or ("", "", ""))  # type: ignore[attr-defined]
        else:
            driver.choose(case.answers[wizard.current.key])  # type: ignore[attr-defined]
        shoot(page.value)
        driver.cont()
    shoot("outcome")
    driver.cont()
    for page in (Page.SURVIVOR, Page.CONTACT, Page.CASE, Page.CONSENT, Page.FOLLOW_UP):
        assert wizard.draft.page is page
        driver.cont()  # shows this page's own messages, if it has required fields
        if wizard.draft.page is page:
            shoot(f"{page.value}_with_errors")
        if page is Page.SURVIVOR:
            driver.type_into(wizard.current.full_name, case.name)  # type: ignore[attr-defined]
        if page is Page.CASE:
            driver.type_into(wizard.current.force.lineEdit(), case.force)  # type: ignore[attr-defined]
        shoot(page.value)
        if wizard.draft.page is page:
            driver.cont()
    assert wizard.draft.page is Page.CHECK
    shoot("check")
    with qtbot.waitSignal(wizard.saved):
        driver.cont()
    QApplication.processEvents()
    window.grab().save(str(folder / f"saved_{tag}.png"))
    assert len(list(folder.glob(f"*_{tag}.png"))) >= 2 * 16
