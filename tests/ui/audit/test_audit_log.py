"""The audit log page, on a real encrypted database, with its buttons clicked for real."""

from __future__ import annotations

import csv
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel, QWidget
from pytestqt.qtbot import QtBot

from referral_app.domain.audit import AuditAction
from referral_app.domain.referral import Advocate, Referral, Status
from referral_app.storage.audit import event_hash
from referral_app.storage.audit_query import CSV_COLUMNS
from referral_app.storage.db import Database
from referral_app.storage.repository import Repository
from referral_app.ui.audit.page import (
    ORDER_MESSAGE,
    PAGE_SIZE,
    RECORD_MESSAGE,
    AuditLogPage,
    Column,
    when_words,
)
from tests.generate import populate
from tests.permissions import assert_owner_only
from tests.storage.conftest import full_referral
from tests.ui.conftest import screenshot_folder
from tests.ui.record_helpers import click, retype, settle, type_date

TODAY = date.today()
NAMES = ("Zelda Quartermaine", "Yusuf Bellweather-Oakes")


@pytest.fixture
def history(ui_repository: Repository) -> tuple[Referral, Referral]:
    """Two referrals: one opened and moved on, the other deleted."""
    kept = ui_repository.save(full_referral(NAMES[0]))
    gone = ui_repository.save(full_referral(NAMES[1], "yb 111/22"))
    assert kept.id is not None
    assert gone.id is not None
    ui_repository.open_record(kept.id)
    ui_repository.change_status(kept.id, Status.READY_TO_SEND, "Checked")
    ui_repository.delete(gone.id)
    return kept, gone


def make_page(qtbot: QtBot, repository: Repository) -> AuditLogPage:
    page = AuditLogPage(repository, today=lambda: TODAY)
    qtbot.addWidget(page)
    page.resize(1024, 760)
    page.show()
    qtbot.waitExposed(page)
    return page


def column(page: AuditLogPage, which: Column) -> list[str]:
    return [page.model.text(row, which) for row in range(page.model.rowCount())]


def all_text(page: AuditLogPage) -> str:
    return "\n".join("\n".join(column(page, which)) for which in Column)


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


def test_events_are_listed_newest_first_in_words(
    qtbot: QtBot, ui_repository: Repository, history: tuple[Referral, Referral]
) -> None:
    kept, gone = history
    page = make_page(qtbot, ui_repository)
    events = ui_repository.audit_events()
    assert page.model.rowCount() == page.model.total == len(events)
    assert page.count_label.text() == f"{len(events)} events, newest first"
    assert column(page, Column.ACTION)[:5] == [
        "Referral deleted",
        "Status changed",
        "Record opened",
        "Referral created",
        "Referral created",
    ]
    assert column(page, Column.RECORD)[:5] == [
        f"deleted record #{gone.id}",
        kept.reference,
        kept.reference,
        f"deleted record #{gone.id}",
        kept.reference,
    ]
    assert column(page, Column.DETAIL)[1] == "Being prepared → Ready to send"
    assert column(page, Column.WHEN)[0] == when_words(events[-1].occurred_at)
    assert str(TODAY.year) in column(page, Column.WHEN)[0]
    assert column(page, Column.ACTION)[-1] == "Your details changed"
    shown = all_text(page)
    assert not [name for name in NAMES if name.split()[0] in shown]


def test_filtering_by_action_and_by_record(
    qtbot: QtBot, ui_repository: Repository, history: tuple[Referral, Referral]
) -> None:
    kept, gone = history
    page = make_page(qtbot, ui_repository)
    everything = page.model.total

    page.action.setCurrentIndex(page.action.findText("Record opened"))
    click(qtbot, page.apply_button)
    assert column(page, Column.ACTION) == ["Record opened"]
    assert page.count_label.text() == "1 event, newest first"

    page.action.setCurrentIndex(0)
    retype(qtbot, page.record, f" {kept.reference.lower()} ")
    qtbot.keyClick(page.record, Qt.Key.Key_Return)
    assert set(column(page, Column.RECORD)) == {kept.reference}
    assert column(page, Column.ACTION) == ["Status changed", "Record opened", "Referral created"]

    retype(qtbot, page.record, f"#{gone.id}")
    click(qtbot, page.apply_button)
    assert column(page, Column.ACTION) == ["Referral deleted", "Referral created"]
    retype(qtbot, page.record, gone.reference)  # its number is in the reference
    click(qtbot, page.apply_button)
    assert column(page, Column.ACTION) == ["Referral deleted", "Referral created"]

    retype(qtbot, page.record, "Quartermaine")
    click(qtbot, page.apply_button)
    assert page.error_summary.messages() == [RECORD_MESSAGE]
    assert page.record_error.text() == f"Error: {RECORD_MESSAGE}"
    assert page.record.text() == "Quartermaine"  # nothing typed is lost
    assert column(page, Column.ACTION) == ["Referral deleted", "Referral created"]

    click(qtbot, page.clear_button)
    assert page.record.text() == ""
    assert page.error_summary.isHidden()
    assert page.model.total == everything


def test_filtering_by_dates(
    qtbot: QtBot, ui_repository: Repository, history: tuple[Referral, Referral]
) -> None:
    page = make_page(qtbot, ui_repository)
    everything = page.model.total

    type_date(qtbot, page.date_from, TODAY + timedelta(days=1))
    click(qtbot, page.apply_button)
    assert page.model.total == 0
    assert page.count_label.text() == "No events match these filters"

    type_date(qtbot, page.date_from, TODAY)
    type_date(qtbot, page.date_to, TODAY)
    click(qtbot, page.apply_button)
    assert page.model.total == everything

    type_date(qtbot, page.date_from, None)
    retype(qtbot, page.date_to.year_box, str(TODAY.year - 1))
    retype(qtbot, page.date_to.month_box, "")
    retype(qtbot, page.date_to.day_box, "")
    click(qtbot, page.apply_button)
    assert page.model.total == 0  # up to the end of last year

    retype(qtbot, page.date_from.year_box, str(TODAY.year))
    click(qtbot, page.apply_button)
    assert page.error_summary.messages() == [ORDER_MESSAGE]
    assert page.model.total == 0  # the last filter that made sense still applies

    type_date(qtbot, page.date_to, None)
    retype(qtbot, page.date_from.day_box, "31")
    retype(qtbot, page.date_from.month_box, "2")
    click(qtbot, page.apply_button)
    assert page.error_summary.messages() == [
        f"The date to show from must be a real date: February {TODAY.year} has no day 31"
    ]


def test_verifying_says_whether_the_chain_holds(
    qtbot: QtBot,
    ui_repository: Repository,
    ui_database: Database,
    history: tuple[Referral, Referral],
) -> None:
    page = make_page(qtbot, ui_repository)
    count = len(ui_repository.audit_events())
    click(qtbot, page.verify_button)
    assert page.result.text() == f"The audit log is intact: {count} events checked."
    assert page.result.good

    third = ui_repository.audit_events()[2]
    with ui_database.engine.begin() as connection:
        connection.exec_driver_sql("DROP TRIGGER audit_event_no_update")
        connection.exec_driver_sql(f"UPDATE audit_event SET detail = 'x' WHERE id = {third.id}")
    click(qtbot, page.verify_button)
    lines = page.result.text().splitlines()
    assert lines[0] == (
        f"The audit log has been altered: the chain breaks at event {third.id} "
        f"({when_words(third.occurred_at)})."
    )
    assert lines[1] == "Its contents were changed after it was written."
    assert not page.result.good


def test_export_writes_the_filtered_events_to_a_private_csv(
    qtbot: QtBot,
    ui_repository: Repository,
    history: tuple[Referral, Referral],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    kept, gone = history
    asked: list[str] = []
    chosen = tmp_path / "out" / "log for the auditor"
    chosen.parent.mkdir()

    def save_as(_parent: QWidget, _title: str, suggested: str, _filter: str) -> tuple[str, str]:
        asked.append(suggested)
        return str(chosen), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    page = make_page(qtbot, ui_repository)
    retype(qtbot, page.record, f"{gone.id}")
    click(qtbot, page.apply_button)
    click(qtbot, page.export_button)

    assert Path(asked[0]).name == f"audit-log-{TODAY:%Y-%m-%d}.csv"
    written = chosen.with_name(chosen.name + ".csv")
    assert sorted(p.name for p in written.parent.iterdir()) == [written.name]  # no temp left
    assert_owner_only(written)
    raw = written.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert not [name for name in NAMES if name.split()[-1].encode() in raw]
    with written.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert [row["action"] for row in rows] == [AuditAction.DELETE, AuditAction.CREATE]
    assert {row["referral_reference"] for row in rows} == {f"deleted record #{gone.id}"}
    assert page.result.text() == f"Exported 2 events to {written.name} in {written.parent}."
    # The file alone is enough to check each event's seal.
    for row in rows:
        assert row["occurred_at"].endswith("+00:00")
        recomputed = event_hash(
            row["previous_hash"],
            datetime.fromisoformat(row["occurred_at"]),
            row["action"],
            row["actor"],
            int(row["referral_id"]),
            row["detail"],
        )
        assert recomputed == row["hash"]
    assert rows[0]["actor"] == "Ann Advocate"
    assert kept.reference not in raw.decode("utf-8-sig")


def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_written_as_text(
    qtbot: QtBot, ui_repository: Repository, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ui_repository.save_advocate(Advocate('=HYPERLINK("http://example.com")', "Org"))
    target = tmp_path / "log.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_args: (str(target), ""))
    page = make_page(qtbot, ui_repository)
    click(qtbot, page.export_button)
    with target.open(encoding="utf-8-sig", newline="") as handle:
        newest = next(csv.DictReader(handle))
    assert newest["actor"] == '\'=HYPERLINK("http://example.com")'
    assert newest["action"] == AuditAction.ADVOCATE_UPDATE


def test_cancelling_the_export_writes_nothing(
    qtbot: QtBot, ui_repository: Repository, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_args: ("", ""))
    page = make_page(qtbot, ui_repository)
    assert page.export() is None
    assert page.result.isHidden()


def test_an_export_that_cannot_be_written_says_so(
    qtbot: QtBot, ui_repository: Repository, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    missing = tmp_path / "no such folder" / "log.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_args: (str(missing), ""))
    page = make_page(qtbot, ui_repository)
    click(qtbot, page.export_button)
    [message] = page.error_summary.messages()
    assert message.startswith("The audit log was not exported: No such file or directory.")
    assert not missing.parent.exists()


def test_a_long_log_is_read_a_page_at_a_time(qtbot: QtBot, ui_repository: Repository) -> None:
    populate(ui_repository, PAGE_SIZE + 100, seed=3)
    total = len(ui_repository.audit_events())
    page = make_page(qtbot, ui_repository)
    assert page.model.total == total
    assert page.model.rowCount() == PAGE_SIZE
    page.table.scrollToBottom()
    QApplication.processEvents()
    if page.model.canFetchMore(QModelIndex()):
        page.model.fetchMore(QModelIndex())
    assert page.model.rowCount() == total
    ids = [page.model.event_at(row).id for row in range(total)]
    assert ids == sorted(ids, reverse=True)
    assert len(set(ids)) == total


def test_the_page_renders_whole(
    qtbot: QtBot,
    ui_repository: Repository,
    history: tuple[Referral, Referral],
    tmp_path: Path,
    text_scale: float,
) -> None:
    folder = screenshot_folder(tmp_path)
    page = make_page(qtbot, ui_repository)
    click(qtbot, page.verify_button)
    settle()
    tag = f"{text_scale:g}x"
    page.grab().save(str(folder / f"audit_log_{tag}.png"))
    assert cut_off(page) == []
    retype(qtbot, page.record, "nonsense")
    retype(qtbot, page.date_from.day_box, "40")
    retype(qtbot, page.date_from.year_box, str(TODAY.year))
    click(qtbot, page.apply_button)
    settle()
    page.grab().save(str(folder / f"audit_log_errors_{tag}.png"))
    page.scroller.widget().grab().save(str(folder / f"audit_log_errors_whole_{tag}.png"))
    assert cut_off(page) == []
    assert (folder / f"audit_log_errors_{tag}.png").stat().st_size > 0
