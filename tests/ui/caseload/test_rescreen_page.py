"""The re-screening page: lists what would change, re-assesses one at a time, keyboard too."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from referral_app.storage.repository import Repository
from referral_app.ui.caseload.rescreen import RescreenPage
from referral_app.ui.common.privacy import PrivacyMode
from tests.services.test_rescreen import CHANGED, TODAY, caseload, seed
from tests.ui.conftest import screenshot_folder

NAMES = [referral.survivor.full_name for referral in caseload().values()]


def make_page(qtbot: QtBot, repository: Repository, privacy: PrivacyMode) -> RescreenPage:
    page = RescreenPage(repository, privacy, today=lambda: TODAY)
    qtbot.addWidget(page)
    page.resize(900, 700)
    page.show()
    qtbot.waitExposed(page)
    return page


def texts(widget: QWidget) -> list[str]:
    return [label.text() for label in widget.findChildren(QLabel) if label.text()]


def check(qtbot: QtBot, page: RescreenPage) -> None:
    qtbot.mouseClick(page.check_button, Qt.MouseButton.LeftButton)


def test_lists_exactly_the_referrals_whose_result_would_change(
    qtbot: QtBot, ui_repository: Repository, privacy: PrivacyMode
) -> None:
    ids = seed(ui_repository)
    page = make_page(qtbot, ui_repository, privacy)
    assert page.change_rows == {}
    check(qtbot, page)

    assert set(page.change_rows) == {ids[key] for key in CHANGED}
    assert set(page.problem_rows) == {ids["now_invalid"]}
    assert page.summary.text() == (
        "Checked 7 referrals on 21 November 2026 under the current rules: 4 would change."
    )
    row = texts(page.change_rows[ids["screened_out_2019"]])
    reference = ui_repository.get(ids["screened_out_2019"]).reference
    assert row[:3] == [
        f"{reference} · Ada Lovelace",
        "Was: Not eligible (2013 terms)",
        "Now: Eligible",
    ]
    assert "Was: Never assessed" in texts(page.change_rows[ids["never_assessed"]])
    problem = texts(page.problem_rows[ids["now_invalid"]])
    assert problem[1].startswith("Age at the time: the answer says the survivor was 18 or over")
    assert not page.problems_heading.isHidden()


def test_reassess_adds_to_the_history_and_takes_the_row_off(
    qtbot: QtBot, ui_repository: Repository, privacy: PrivacyMode
) -> None:
    ids = seed(ui_repository)
    page = make_page(qtbot, ui_repository, privacy)
    check(qtbot, page)
    target = ids["screened_out_2019"]
    before = len(ui_repository.get(target).assessments)

    with qtbot.waitSignal(page.changed) as changed:
        qtbot.mouseClick(page.reassess_buttons[target], Qt.MouseButton.LeftButton)

    assert changed.args == [target]
    stored = ui_repository.get(target)
    assert len(stored.assessments) == before + 1
    assert (stored.assessments[-1].ruleset, stored.assessments[-1].outcome) == (
        "csarp-2025",
        "eligible",
    )
    event = ui_repository.audit_events()[-1]
    assert (event.action, event.referral_id) == ("assess", target)
    assert target not in page.change_rows
    assert set(page.change_rows) == {ids[key] for key in CHANGED - {"screened_out_2019"}}
    assert page.confirmation.isVisible()
    assert page.confirmation_text.text() == (
        f"{stored.reference} re-assessed under the current rules: Eligible. "
        "The new result is in its history."
    )
    assert page.summary.text().endswith("3 would change.")

    # Checking again agrees with the list on screen.
    check(qtbot, page)
    assert set(page.change_rows) == {ids[key] for key in CHANGED - {"screened_out_2019"}}


def test_everything_by_keyboard(
    qtbot: QtBot, ui_repository: Repository, privacy: PrivacyMode
) -> None:
    ids = seed(ui_repository)
    page = make_page(qtbot, ui_repository, privacy)
    page.check_button.setFocus()
    qtbot.keyClick(page.check_button, Qt.Key.Key_Space)
    assert len(page.change_rows) == len(CHANGED)
    assert page.focusWidget() is page.summary  # announced by a screen reader

    order = list(page.reassess_buttons)
    page.reassess_buttons[order[0]].setFocus()
    for referral_id in order:
        focused = page.focusWidget()
        assert focused is page.reassess_buttons[referral_id]
        with qtbot.waitSignal(page.changed) as changed:
            qtbot.keyClick(focused, Qt.Key.Key_Space)
        assert changed.args == [referral_id]
        # The confirmation takes the focus (announced); Tab goes on to the next referral.
        assert page.focusWidget() is page.confirmation
        for _ in range(3):
            focused = page.focusWidget()
            if isinstance(focused, QPushButton):
                break
            qtbot.keyClick(focused, Qt.Key.Key_Tab)
    assert page.change_rows == {}
    assert page.summary.text().endswith("Every change has been re-assessed.")
    # Tab from the last confirmation reaches the referral that could not be checked.
    assert page.focusWidget() is page.open_buttons[ids["now_invalid"]]


def test_answers_changed_since_the_check_are_refused_with_a_message(
    qtbot: QtBot, ui_repository: Repository, privacy: PrivacyMode
) -> None:
    ids = seed(ui_repository)
    page = make_page(qtbot, ui_repository, privacy)
    check(qtbot, page)
    target = ids["screened_out_2016"]
    referral = ui_repository.get(target)
    referral.answers["under_18_at_offence"] = "no"  # the dates say otherwise
    ui_repository.save(referral)

    with qtbot.assertNotEmitted(page.changed):
        qtbot.mouseClick(page.reassess_buttons[target], Qt.MouseButton.LeftButton)
    assert page.error.isVisible()
    assert page.error.text() == (
        f"Error: {referral.reference} was not re-assessed. The answers of this referral have "
        "changed and no longer fit together: open it and correct them with Change answers."
    )
    assert page.focusWidget() is page.error
    assert target in page.change_rows
    assert len(ui_repository.get(target).assessments) == 1


def test_open_emits_the_referral_for_changes_and_problems(
    qtbot: QtBot, ui_repository: Repository, privacy: PrivacyMode
) -> None:
    ids = seed(ui_repository)
    page = make_page(qtbot, ui_repository, privacy)
    check(qtbot, page)
    for key in ("unsure_2013", "now_invalid"):
        with qtbot.waitSignal(page.open_record) as opened:
            qtbot.mouseClick(page.open_buttons[ids[key]], Qt.MouseButton.LeftButton)
        assert opened.args == [ids[key]]
    reference = ui_repository.get(ids["now_invalid"]).reference
    assert page.open_buttons[ids["now_invalid"]].accessibleName() == f"Open referral {reference}"


def test_says_so_when_nothing_would_change(
    qtbot: QtBot, ui_repository: Repository, privacy: PrivacyMode
) -> None:
    for key in ("eligible_already", "outside_england"):
        ui_repository.save(caseload()[key])
    page = make_page(qtbot, ui_repository, privacy)
    check(qtbot, page)
    assert page.change_rows == {}
    assert page.problem_rows == {}
    assert page.summary.text() == (
        "Checked 2 referrals on 21 November 2026. Nothing would change: every referral's "
        "latest result still stands."
    )
    assert page.problems_heading.isHidden()


def test_privacy_mode_hides_names(
    qtbot: QtBot, ui_repository: Repository, privacy: PrivacyMode
) -> None:
    seed(ui_repository)
    privacy.set_masked(True)
    page = make_page(qtbot, ui_repository, privacy)
    check(qtbot, page)

    def shown() -> str:
        labels = page.findChildren(QLabel)
        buttons = page.findChildren(QPushButton)
        return " ".join(
            [w.text() for w in labels]
            + [w.accessibleName() for w in labels]
            + [w.accessibleName() for w in buttons]
        )

    assert not any(name in shown() for name in NAMES)
    assert "A. L." in shown()
    privacy.set_masked(False)
    assert "Ada Lovelace" in shown()
    assert "Gus Pemberton" in shown()
    privacy.set_masked(True)
    assert not any(name in shown() for name in NAMES)


# Rendered whole, at the default text size and at 200%


def settle() -> None:
    """Let layouts finish: a page that grows gains a scroll bar, which narrows it again."""
    for _ in range(5):
        QApplication.processEvents()


def assert_nothing_cut_off(scroller_content: QWidget, name: str) -> None:
    for label in scroller_content.findChildren(QLabel):
        if label.isVisible() and label.wordWrap() and label.text():
            needed = label.heightForWidth(label.width())
            assert label.height() >= needed, f"{name}: '{label.text()[:40]}' is cut off"
    for button in scroller_content.findChildren(QPushButton):
        if button.isVisible():
            needed = (
                button.heightForWidth(button.width())
                if button.hasHeightForWidth()
                else button.minimumSizeHint().height()
            )
            assert button.height() >= needed, f"{name}: button '{button.accessibleName()}'"


def test_renders_whole(
    qtbot: QtBot,
    ui_repository: Repository,
    privacy: PrivacyMode,
    tmp_path: Path,
    text_scale: float,
) -> None:
    folder = screenshot_folder(tmp_path)
    tag = f"{text_scale:g}x"
    page = RescreenPage(ui_repository, privacy, today=lambda: TODAY)
    qtbot.addWidget(page)
    page.resize(1024, 760)
    page.show()
    qtbot.waitExposed(page)

    def shoot(name: str) -> None:
        settle()
        content = page.scroller.widget()
        assert page.scroller.horizontalScrollBar().maximum() == 0, f"{name} scrolls sideways"
        assert_nothing_cut_off(content, name)
        page.grab().save(str(folder / f"rescreen_{name}_{tag}.png"))
        content.grab().save(str(folder / f"rescreen_{name}_whole_{tag}.png"))

    shoot("before")
    check(qtbot, page)
    assert page.summary.text() == "There are no referrals to check yet."
    shoot("empty")
    seed(ui_repository)
    check(qtbot, page)
    shoot("with_data")
    page.reassess(next(iter(page.reassess_buttons)))
    shoot("after_reassess")
    privacy.set_masked(True)
    shoot("privacy")
    page.resize(560, 700)
    shoot("narrow")
