"""The caseload list page, driven as an advocate would: typing, choosing, clicking, pressing."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import QAbstractItemView, QWidget
from pytestqt.qtbot import QtBot

from referral_app.domain.referral import (
    AssessmentRecord,
    FollowUp,
    Referral,
    Status,
    StatusChange,
    utc_now,
)
from referral_app.storage.repository import Repository
from referral_app.ui.caseload.list_page import (
    OVERDUE_COLOUR,
    SEARCH_PLACEHOLDER,
    Column,
    ReferralListPage,
    ReferralTableModel,
)
from referral_app.ui.common.privacy import PrivacyMode
from tests.generate import generate_referrals
from tests.storage.conftest import full_referral
from tests.ui.conftest import screenshot_folder

TODAY = date(2026, 6, 1)


def _referral(name: str, status: Status, outcome: str, due: date | None) -> Referral:
    referral = full_referral(name)
    path = [Status.DRAFT] if status is Status.DRAFT else [Status.DRAFT, Status.CLOSED]
    referral.status_history = [StatusChange(s, utc_now(), "", "Ann") for s in path]
    referral.assessments = [AssessmentRecord("csarp-2025", outcome, [], [], utc_now())]
    referral.follow_up = FollowUp(due, "Ring the force" if due else "")
    return referral


#: Four referrals anyone can reason about: names, statuses, outcomes and follow-ups differ.
PEOPLE = [
    _referral("Zelda Quartermaine", Status.DRAFT, "eligible", TODAY - timedelta(days=3)),
    _referral("Aled Brightwater", Status.CLOSED, "not_eligible", TODAY + timedelta(days=3)),
    _referral("Morwenna Quince", Status.DRAFT, "more_information_needed", None),
    _referral("Bartholomew Ng", Status.CLOSED, "eligible", TODAY - timedelta(days=30)),
]


@pytest.fixture
def people(ui_repository: Repository) -> list[int]:
    return ui_repository.create_many(referral.clone() for referral in PEOPLE)


@pytest.fixture
def page(
    qtbot: QtBot, ui_repository: Repository, privacy: PrivacyMode, people: list[int]
) -> ReferralListPage:
    page = ReferralListPage(ui_repository, privacy, today=lambda: TODAY)
    qtbot.addWidget(page)
    page.resize(1024, 700)
    page.show()
    qtbot.waitExposed(page)
    return page


def _names(page: ReferralListPage) -> list[str]:
    model = page.model
    return [model.data(model.index(row, Column.SURVIVOR)) for row in range(model.rowCount())]


def _count_calls(monkeypatch: pytest.MonkeyPatch, repository: Repository) -> dict[str, int]:
    calls = {"first_page": 0, "count_summaries": 0, "list_summaries": 0}
    for name in calls:
        original: Callable[..., Any] = getattr(repository, name)

        def counted(*args: Any, _name: str = name, _original: Any = original, **kw: Any) -> Any:
            calls[_name] += 1
            return _original(*args, **kw)

        monkeypatch.setattr(repository, name, counted)
    return calls


def test_the_page_lists_every_referral_with_a_count(page: ReferralListPage) -> None:
    assert page.model.rowCount() == 4
    assert page.count_label.text() == "4 referrals"
    assert _names(page) == [r.survivor.full_name for r in PEOPLE]  # by reference
    assert page.search.placeholderText() == SEARCH_PLACEHOLDER
    for widget in (page.search, page.status_filter, page.outcome_filter, page.overdue_only):
        assert widget.accessibleName()
    assert page.table.accessibleName() == "Referrals"
    assert page.table.accessibleDescription() == "4 referrals"


def test_typing_searches_after_a_pause_with_one_count_and_one_page(
    qtbot: QtBot,
    page: ReferralListPage,
    ui_repository: Repository,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = _count_calls(monkeypatch, ui_repository)
    qtbot.keyClicks(page.search, "quartermaine")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    assert _names(page) == ["Zelda Quartermaine"]
    assert page.count_label.text() == "1 referral"
    # One count and one page, together, and not one per keystroke.
    assert calls == {"first_page": 1, "count_summaries": 0, "list_summaries": 0}

    page.search.clear()
    qtbot.waitUntil(lambda: page.model.rowCount() == 4)
    qtbot.keyClicks(page.search, "no such person")
    qtbot.waitUntil(lambda: page.model.rowCount() == 0)
    assert page.count_label.text() == "No referrals match"


def test_short_and_awkward_searches_work_as_you_type(qtbot: QtBot, page: ReferralListPage) -> None:
    qtbot.keyClicks(page.search, "q")  # the start of a word of the name
    qtbot.waitUntil(lambda: page.model.rowCount() == 2)
    assert set(_names(page)) == {"Zelda Quartermaine", "Morwenna Quince"}
    qtbot.keyClicks(page.search, 'u"/')
    qtbot.waitUntil(lambda: page.model.rowCount() == 0)
    page.search.setText("zq 987/65")  # full_referral's crime reference, typed loosely
    qtbot.waitUntil(lambda: page.model.rowCount() == 4)


def test_filters_narrow_the_list_and_combine(qtbot: QtBot, page: ReferralListPage) -> None:
    page.status_filter.setCurrentIndex(page.status_filter.findText(Status.CLOSED.label))
    assert set(_names(page)) == {"Aled Brightwater", "Bartholomew Ng"}
    page.outcome_filter.setCurrentIndex(page.outcome_filter.findText("Eligible"))
    assert _names(page) == ["Bartholomew Ng"]
    page.status_filter.setCurrentIndex(0)
    assert set(_names(page)) == {"Zelda Quartermaine", "Bartholomew Ng"}
    qtbot.mouseClick(page.overdue_only, Qt.MouseButton.LeftButton)
    assert page.overdue_only.isChecked()
    # Bartholomew's referral is closed: a date passed on it is not a follow-up overdue.
    assert set(_names(page)) == {"Zelda Quartermaine"}
    page.outcome_filter.setCurrentIndex(page.outcome_filter.findText("More information needed"))
    assert _names(page) == []
    assert page.count_label.text() == "No referrals match"
    page.outcome_filter.setCurrentIndex(page.outcome_filter.findText("All"))
    qtbot.mouseClick(page.overdue_only, Qt.MouseButton.LeftButton)
    assert not page.overdue_only.isChecked()
    qtbot.keyClicks(page.search, "ng")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    assert _names(page) == ["Bartholomew Ng"]
    assert [page.status_filter.itemText(i) for i in range(page.status_filter.count())] == [
        "All statuses",
        *(status.label for status in Status),
    ]


def _click_header(qtbot: QtBot, page: ReferralListPage, column: Column) -> None:
    header = page.table.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(
        header.viewport(),
        Qt.MouseButton.LeftButton,
        pos=QPoint(x, header.height() // 2),
    )


def test_clicking_a_header_sorts_by_that_column(qtbot: QtBot, page: ReferralListPage) -> None:
    _click_header(qtbot, page, Column.SURVIVOR)
    assert _names(page) == sorted(r.survivor.full_name for r in PEOPLE)
    _click_header(qtbot, page, Column.SURVIVOR)
    assert _names(page) == sorted((r.survivor.full_name for r in PEOPLE), reverse=True)
    _click_header(qtbot, page, Column.FOLLOW_UP)
    assert _names(page)[0] == "Bartholomew Ng"  # the most overdue first
    assert _names(page)[-1] == "Morwenna Quince"  # none: blanks last
    header = page.table.horizontalHeader()
    assert header.sortIndicatorSection() == Column.FOLLOW_UP


def test_enter_or_a_double_click_opens_the_referral(
    qtbot: QtBot, page: ReferralListPage, people: list[int]
) -> None:
    page.table.setFocus()
    page.table.selectRow(1)
    with qtbot.waitSignal(page.open_record) as opened:
        qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert opened.args == [people[1]]
    qtbot.keyClick(page.table, Qt.Key.Key_Down)
    with qtbot.waitSignal(page.open_record) as opened:
        qtbot.keyClick(page.table, Qt.Key.Key_Enter)
    assert opened.args == [people[2]]
    rect = page.table.visualRect(page.model.index(3, Column.STATUS))
    viewport = page.table.viewport()
    with qtbot.waitSignal(page.open_record) as opened:  # a real double-click: press, then again
        qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened.args == [people[3]]


def test_enter_in_the_search_box_goes_to_the_first_result(
    qtbot: QtBot, page: ReferralListPage, people: list[int]
) -> None:
    qtbot.keyClicks(page.search, "quince")
    qtbot.keyClick(page.search, Qt.Key.Key_Return)  # at once, without waiting for the pause
    assert page.model.rowCount() == 1
    assert page.table.hasFocus()
    with qtbot.waitSignal(page.open_record) as opened:
        qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert opened.args == [people[2]]


def test_the_keyboard_reaches_everything_and_tab_leaves_the_table(
    qtbot: QtBot, page: ReferralListPage
) -> None:
    page.search.setFocus()
    order: list[QWidget | None] = []
    for _ in range(5):
        order.append(page.focusWidget())
        qtbot.keyClick(page.focusWidget(), Qt.Key.Key_Tab)
    assert order == [
        page.search,
        page.status_filter,
        page.outcome_filter,
        page.overdue_only,
        page.table,
    ]
    assert page.focusWidget() is not page.table  # Tab moved on instead of cell to cell
    assert page.table.selectionBehavior() == QAbstractItemView.SelectionBehavior.SelectRows


def test_privacy_mode_shows_initials_at_once(
    page: ReferralListPage, privacy: PrivacyMode, ui_repository: Repository,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    calls = _count_calls(monkeypatch, ui_repository)
    privacy.set_masked(True)
    assert _names(page) == ["Z. Q.", "A. B.", "M. Q.", "B. N."]
    assert calls == {"first_page": 0, "count_summaries": 0, "list_summaries": 0}  # not asked again
    privacy.set_masked(False)
    assert _names(page)[0] == "Zelda Quartermaine"


def test_overdue_follow_ups_say_so_in_words_and_in_red(page: ReferralListPage) -> None:
    model = page.model
    overdue = model.index(0, Column.FOLLOW_UP)  # Zelda: three days ago
    text = model.data(overdue)
    assert text.startswith("Overdue") and "29 May 2026" in text
    assert model.data(overdue, Qt.ItemDataRole.AccessibleTextRole) == "Overdue: 29 May 2026"
    brush = model.data(overdue, Qt.ItemDataRole.ForegroundRole)
    assert isinstance(brush, QBrush) and brush.color().name() == OVERDUE_COLOUR
    assert model.data(overdue, Qt.ItemDataRole.FontRole).bold()
    assert model.data(overdue, Qt.ItemDataRole.ToolTipRole) == "Ring the force"
    later = model.index(1, Column.FOLLOW_UP)
    assert model.data(later) == "4 June 2026"
    assert model.data(later, Qt.ItemDataRole.ForegroundRole) is None
    assert model.data(model.index(2, Column.FOLLOW_UP)) == ""
    assert model.data(model.index(0, Column.ELIGIBILITY)) == "Eligible"
    assert model.data(model.index(2, Column.ELIGIBILITY)) == "More information needed"
    assert model.data(model.index(0, Column.DECISION_DATE)) == "14 March 2009"
    assert model.data(model.index(0, Column.FORCE)) == "Cymru-Wales"


def test_refresh_shows_changes_made_elsewhere_and_keeps_the_selection(
    page: ReferralListPage, ui_repository: Repository, people: list[int]
) -> None:
    page.table.selectRow(2)
    ui_repository.save(PEOPLE[0].clone())
    ui_repository.delete(people[0])
    page.refresh()
    assert page.count_label.text() == "4 referrals"
    assert page.selected_id() == people[2]
    assert "Zelda Quartermaine" in _names(page)


def test_thousands_of_referrals_load_a_page_at_a_time(
    qtbot: QtBot, ui_repository: Repository, privacy: PrivacyMode
) -> None:
    started = time.perf_counter()
    ui_repository.create_many(generate_referrals(3000, seed=11, today=TODAY))
    generated = time.perf_counter() - started
    assert generated < 15  # about 2 s on a laptop; generous for a slow CI machine

    model = ReferralTableModel(ui_repository, privacy, lambda: TODAY, page_size=200)
    model.reload()
    assert model.total == ui_repository.count_summaries() == 3000
    assert model.rowCount() == 200
    assert model.canFetchMore(model.index(-1, -1))
    model.fetchMore(model.index(-1, -1))
    assert model.rowCount() == 400
    assert len({model.summary(row).id for row in range(400)}) == 400

    page = ReferralListPage(ui_repository, privacy, today=lambda: TODAY)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    assert page.count_label.text() == "3,000 referrals"
    assert page.model.rowCount() < 3000
    page.table.scrollToBottom()  # the view asks for more as it nears the end
    qtbot.waitUntil(lambda: page.model.rowCount() > 200)
    assert page.model.rowCount() < 3000
    qtbot.keyClicks(page.search, "smith")
    qtbot.waitUntil(lambda: page.model.total == ui_repository.count_summaries("smith"))
    assert page.model.rowCount() == min(200, page.model.total)


def test_several_can_be_selected_for_printing_or_export_and_the_page_renders_whole(
    qtbot: QtBot,
    ui_repository: Repository,
    privacy: PrivacyMode,
    people: list[int],
    text_scale: float,
    tmp_path: Path,
) -> None:
    page = ReferralListPage(ui_repository, privacy, today=lambda: TODAY)
    qtbot.addWidget(page)
    page.resize(1024, 700)
    page.show()
    qtbot.waitExposed(page)
    assert not page.print_button.isEnabled()
    assert not page.export_button.isEnabled()
    table = page.table
    first = table.visualRect(page.model.index(0, Column.REFERENCE)).center()
    third = table.visualRect(page.model.index(2, Column.REFERENCE)).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=first)
    qtbot.mouseClick(
        table.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier, third
    )
    chosen = page.selected_ids()
    assert len(chosen) == 2
    assert page.print_button.isEnabled()
    with qtbot.waitSignal(page.print_selected) as asked:
        qtbot.mouseClick(page.print_button, Qt.MouseButton.LeftButton)
    assert asked.args == [chosen]
    with qtbot.waitSignal(page.export_selected) as asked:
        qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    assert asked.args == [chosen]
    for button in (page.print_button, page.export_button):
        assert button.width() >= button.sizeHint().width(), button.text()
        assert button.geometry().right() <= page.width()
    scale = "200" if text_scale > 1 else "100"
    assert page.grab().save(str(screenshot_folder(tmp_path) / f"list_selected_{scale}.png"))
