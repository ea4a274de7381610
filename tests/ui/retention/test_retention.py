"""The retention page and its setting: real database, real widgets, buttons clicked for real."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtWidgets import QApplication, QLabel, QStyle, QStyleOptionViewItem, QWidget
from pytestqt.qtbot import QtBot

from referral_app.domain.audit import AuditAction
from referral_app.domain.dates import add_years, describe_day
from referral_app.domain.referral import Referral, Status, StatusChange
from referral_app.storage.errors import RecordNotFoundError
from referral_app.storage.repository import Repository
from referral_app.ui.retention.page import Column, DeleteForGoodDialog, RetentionPage
from referral_app.ui.retention.settings import KEY, RetentionSettings
from tests.storage.conftest import full_referral
from tests.ui.conftest import screenshot_folder
from tests.ui.record_helpers import click, settle

TODAY = date.today()


def closed(repository: Repository, name: str, status: Status, years: int) -> Referral:
    """A referral closed or withdrawn ``years`` ago, at midday here."""
    day = add_years(TODAY, -years)
    referral = full_referral(name)
    started = day - timedelta(days=60)
    referral.status_history = [
        StatusChange(Status.DRAFT, datetime.combine(started, time(12)).astimezone()),
        StatusChange(status, datetime.combine(day, time(12)).astimezone()),
    ]
    return repository.save(referral)


@pytest.fixture
def settings(tmp_path: Path) -> RetentionSettings:
    return RetentionSettings(QSettings(str(tmp_path / "retention.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def referrals(ui_repository: Repository) -> dict[str, Referral]:
    return {
        "closed 7": closed(ui_repository, "Closed Seven", Status.CLOSED, 7),
        "closed 5": closed(ui_repository, "Closed Five", Status.CLOSED, 5),
        "withdrawn 8": closed(ui_repository, "Withdrawn Eight", Status.WITHDRAWN, 8),
        "open": ui_repository.save(full_referral("Still Open")),
    }


def make_page(qtbot: QtBot, repository: Repository, settings: RetentionSettings) -> RetentionPage:
    page = RetentionPage(repository, settings=settings, today=lambda: TODAY)
    qtbot.addWidget(page)
    page.resize(1024, 760)
    page.show()
    qtbot.waitExposed(page)
    return page


def listed(page: RetentionPage) -> list[str]:
    return [item.reference for item in page.model.items]


def cell_centre(page: RetentionPage, row: int, column: Column) -> QPoint:
    return page.table.visualRect(page.model.index(row, column)).center()


def tick_box_centre(page: RetentionPage, row: int) -> QPoint:
    """Where the tick box of a row is drawn, as the view's own style works it out."""
    index = page.model.index(row, Column.REFERENCE)
    option = QStyleOptionViewItem()
    option.initFrom(page.table)
    option.rect = page.table.visualRect(index)
    option.features = (
        QStyleOptionViewItem.ViewItemFeature.HasCheckIndicator
        | QStyleOptionViewItem.ViewItemFeature.HasDisplay
    )
    option.text = str(index.data())
    style = page.table.style()
    box = style.subElementRect(QStyle.SubElement.SE_ItemViewItemCheckIndicator, option, page.table)
    return box.center()


def click_cell(qtbot: QtBot, page: RetentionPage, point: QPoint) -> None:
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=point)


def cut_off(widget: QWidget) -> list[str]:
    """Wrapped labels shown shorter than their text needs: text a reader would lose."""
    return [
        label.text()[:40]
        for label in widget.findChildren(QLabel)
        if label.isVisible()
        and label.wordWrap()
        and label.text()
        and label.height() < label.heightForWidth(label.width())
    ]


# The setting


def test_the_period_is_six_years_until_changed_and_is_remembered(tmp_path: Path) -> None:
    path = str(tmp_path / "retention.ini")
    assert RetentionSettings(QSettings(path, QSettings.Format.IniFormat)).years() == 6
    RetentionSettings(QSettings(path, QSettings.Format.IniFormat)).set_years(9)
    assert RetentionSettings(QSettings(path, QSettings.Format.IniFormat)).years() == 9
    for nonsense in ("abc", "0", "21", ""):
        store = QSettings(path, QSettings.Format.IniFormat)
        store.setValue(KEY, nonsense)
        assert RetentionSettings(store).years() == 6
    with pytest.raises(ValueError, match="1 to 20"):
        RetentionSettings(QSettings(path, QSettings.Format.IniFormat)).set_years(21)


def test_the_default_store_is_the_test_sandbox(_isolated_settings: Path) -> None:
    settings = RetentionSettings()
    settings.set_years(11)
    try:
        assert QSettings().fileName().startswith(str(_isolated_settings))
        assert RetentionSettings().years() == 11
    finally:
        QSettings().remove(KEY)


# The list


def test_the_list_shows_exactly_those_past_the_period(
    qtbot: QtBot,
    ui_repository: Repository,
    settings: RetentionSettings,
    referrals: dict[str, Referral],
) -> None:
    page = make_page(qtbot, ui_repository, settings)
    assert page.years.value() == 6
    assert listed(page) == [referrals["withdrawn 8"].reference, referrals["closed 7"].reference]
    assert page.count_label.text() == "2 referrals past the retention period, oldest first"
    assert page.model.text(1, Column.STATUS) == "Closed"
    assert page.model.text(1, Column.CLOSED_ON) == describe_day(add_years(TODAY, -7))
    assert page.model.text(1, Column.DUE_ON) == describe_day(add_years(TODAY, -1))
    assert not page.delete_button.isEnabled()
    assert page.ticked_label.text() == "Tick the referrals to delete."

    page.years.setFocus()
    qtbot.keyClick(page.years, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(page.years, "4")
    assert len(listed(page)) == 2  # nothing changes while the number is being typed
    qtbot.keyClick(page.years, Qt.Key.Key_Return)
    assert listed(page)[-1] == referrals["closed 5"].reference
    assert settings.years() == 4

    qtbot.keyClick(page.years, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(page.years, "9")
    qtbot.keyClick(page.years, Qt.Key.Key_Return)
    assert listed(page) == []
    assert page.count_label.text() == (
        "No referrals are past the retention period: nothing needs deleting."
    )
    assert page.table.isHidden()
    assert page.delete_button.isHidden()
    assert RetentionPage(ui_repository, settings=settings).years.value() == 9
    shown = "\n".join(
        page.model.text(row, column) for row in range(page.model.rowCount()) for column in Column
    )
    assert "Closed Seven" not in shown


def test_rows_are_ticked_by_click_by_their_box_and_by_space(
    qtbot: QtBot,
    ui_repository: Repository,
    settings: RetentionSettings,
    referrals: dict[str, Referral],
) -> None:
    page = make_page(qtbot, ui_repository, settings)
    click_cell(qtbot, page, tick_box_centre(page, 0))
    assert page.model.is_ticked(0)
    assert page.ticked_label.text() == "1 of 2 ticked"
    assert page.delete_button.isEnabled()
    click_cell(qtbot, page, tick_box_centre(page, 0))
    assert not page.model.is_ticked(0)
    click_cell(qtbot, page, cell_centre(page, 1, Column.STATUS))
    assert page.model.is_ticked(1)
    qtbot.keyClick(page.table, Qt.Key.Key_Space)  # the row clicked is the current one
    assert not page.model.is_ticked(1)
    click(qtbot, page.tick_all)
    assert [page.model.is_ticked(row) for row in range(2)] == [True, True]
    assert page.tick_all.isChecked()
    click(qtbot, page.tick_all)
    assert page.model.ticked() == []
    assert not page.delete_button.isEnabled()


# Deleting


def open_dialog(qtbot: QtBot, page: RetentionPage, rows: list[int]) -> DeleteForGoodDialog:
    for row in rows:
        click_cell(qtbot, page, cell_centre(page, row, Column.CLOSED_ON))
    click(qtbot, page.delete_button)
    dialog = page.dialog
    assert isinstance(dialog, DeleteForGoodDialog)
    qtbot.waitExposed(dialog)
    assert QApplication.activeModalWidget() is dialog
    return dialog


def test_ticked_referrals_are_deleted_after_typing_delete(
    qtbot: QtBot,
    ui_repository: Repository,
    settings: RetentionSettings,
    referrals: dict[str, Referral],
) -> None:
    page = make_page(qtbot, ui_repository, settings)
    doomed = [referrals["withdrawn 8"], referrals["closed 7"]]
    dialog = open_dialog(qtbot, page, [0, 1])
    assert dialog.references.text() == ", ".join(r.reference for r in doomed)
    assert "This cannot be undone." in dialog.message.text()
    assert dialog.message.text().startswith("These 2 referrals will be deleted")
    assert not dialog.delete_button.isEnabled()
    qtbot.keyClicks(dialog.confirm, "delet")
    assert not dialog.delete_button.isEnabled()
    qtbot.keyClicks(dialog.confirm, "e")
    assert dialog.delete_button.isEnabled()
    assert dialog.delete_button.text() == "&Delete 2 referrals for good"

    with qtbot.waitSignal(page.deleted) as deleted:
        click(qtbot, dialog.delete_button)
    assert deleted.args == [sorted(r.id for r in doomed)]
    assert not dialog.isVisible()
    assert page.message.text() == "2 referrals were deleted for good."
    assert listed(page) == []
    for referral in doomed:
        assert referral.id is not None
        with pytest.raises(RecordNotFoundError):
            ui_repository.get(referral.id)
    assert ui_repository.get(referrals["closed 5"].id or 0) == referrals["closed 5"]
    actions = [(e.action, e.referral_id) for e in ui_repository.audit_events()][-2:]
    assert actions == [(AuditAction.DELETE, r.id) for r in doomed]


def test_enter_and_cancel_delete_nothing(
    qtbot: QtBot,
    ui_repository: Repository,
    settings: RetentionSettings,
    referrals: dict[str, Referral],
) -> None:
    page = make_page(qtbot, ui_repository, settings)
    dialog = open_dialog(qtbot, page, [1])
    assert dialog.message.text().startswith("This referral will be deleted")
    qtbot.keyClicks(dialog.confirm, "DELETE")
    qtbot.keyClick(dialog.confirm, Qt.Key.Key_Return)  # Enter is Cancel's, never Delete's
    assert not dialog.isVisible()
    dialog = open_dialog(qtbot, page, [])
    qtbot.keyClicks(dialog.confirm, "DELETE")
    with qtbot.assertNotEmitted(page.deleted):
        click(qtbot, dialog.cancel_button)
    assert len(listed(page)) == 2
    assert page.model.is_ticked(1)  # the ticks stay for another go
    assert page.message.isHidden()
    assert ui_repository.get(referrals["closed 7"].id or 0) == referrals["closed 7"]


def test_the_page_and_dialog_render_whole(
    qtbot: QtBot,
    ui_repository: Repository,
    settings: RetentionSettings,
    referrals: dict[str, Referral],
    tmp_path: Path,
    text_scale: float,
) -> None:
    folder = screenshot_folder(tmp_path)
    tag = f"{text_scale:g}x"
    page = make_page(qtbot, ui_repository, settings)
    settle()
    page.grab().save(str(folder / f"retention_{tag}.png"))
    assert cut_off(page) == []
    dialog = open_dialog(qtbot, page, [0, 1])
    qtbot.keyClicks(dialog.confirm, "DELETE")
    settle()
    assert dialog.scroller.horizontalScrollBar().maximum() == 0
    dialog.grab().save(str(folder / f"retention_dialog_{tag}.png"))
    assert cut_off(dialog) == []
    with qtbot.waitSignal(page.deleted):
        click(qtbot, dialog.delete_button)
    settle()
    page.grab().save(str(folder / f"retention_deleted_{tag}.png"))
    assert cut_off(page) == []
