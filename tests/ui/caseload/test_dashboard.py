"""The "at a glance" page: counts, follow-ups and VRR windows as the data says, rows that open."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from referral_app.domain.referral import FollowUp, Status
from referral_app.storage.db import Database
from referral_app.storage.repository import Repository
from referral_app.ui.caseload.dashboard import DashboardPage, RecordRow, StatusChart
from referral_app.ui.common.privacy import PrivacyMode
from tests.storage.test_overview import TODAY, vrr_referral, with_follow_up
from tests.ui.caseload.test_rescreen_page import assert_nothing_cut_off, settle
from tests.ui.conftest import screenshot_folder


def make_page(qtbot: QtBot, database: Database, privacy: PrivacyMode) -> DashboardPage:
    page = DashboardPage(database, privacy, today=lambda: TODAY)
    qtbot.addWidget(page)
    page.resize(1024, 760)
    page.show()
    qtbot.waitExposed(page)
    return page


def populate(repository: Repository) -> dict[str, int]:
    """A small caseload with follow-ups, VRR windows and a spread of statuses."""
    referrals = {
        "vrr_soon": vrr_referral("Hannah Okonkwo", "2026-09-01"),  # closes in 10 days
        "vrr_later": vrr_referral("Iris Lund", "2026-10-21"),  # closes in two months
        "vrr_closed": vrr_referral("Jude Amari", "2026-07-21"),  # closed in October
        "overdue": with_follow_up("Kit Adeyemi", TODAY - timedelta(days=3), "Call the force"),
        "due": with_follow_up("Lee Brandt", TODAY + timedelta(days=7), "Post the letter"),
        "later": with_follow_up("Mo Farrant", TODAY + timedelta(days=8), "Chase the CPS"),
    }
    ids = {}
    for key, referral in referrals.items():
        if key.startswith("vrr"):
            referral.follow_up = FollowUp()  # full_referral's is due today
        saved = repository.save(referral)
        assert saved.id is not None
        ids[key] = saved.id
    for key in ("overdue", "due", "later"):
        repository.change_status(ids[key], Status.READY_TO_SEND)
    repository.change_status(ids["later"], Status.SENT)
    repository.change_status(ids["vrr_closed"], Status.WITHDRAWN)
    return ids


def titles(page: DashboardPage, key: str) -> list[str]:
    return [row.title for row in page.rows[key]]


def test_counts_follow_the_data(
    qtbot: QtBot, ui_repository: Repository, ui_database: Database, privacy: PrivacyMode
) -> None:
    ids = populate(ui_repository)
    page = make_page(qtbot, ui_database, privacy)
    chart = page.chart
    counts = dict(chart.rows)
    assert len(counts) == len(Status)
    assert counts[Status.DRAFT.label] == 2
    assert counts[Status.READY_TO_SEND.label] == 2
    assert counts[Status.SENT.label] == 1
    assert counts[Status.WITHDRAWN.label] == 1
    assert sum(counts.values()) == 6
    assert page.total.text() == "6 referrals in all."
    assert "Being prepared: 2; Ready to send: 2; Sent to the force or CPS Area: 1" in (
        chart.accessibleDescription()
    )

    ui_repository.change_status(ids["due"], Status.SENT)
    ui_repository.change_status(ids["vrr_closed"], Status.DRAFT)
    page.refresh()
    counts = dict(page.chart.rows)
    assert counts[Status.READY_TO_SEND.label] == 1
    assert counts[Status.SENT.label] == 2
    assert counts[Status.WITHDRAWN.label] == 0
    assert counts[Status.DRAFT.label] == 3


def test_follow_ups_and_vrr_windows_list_exactly_what_is_due(
    qtbot: QtBot, ui_repository: Repository, ui_database: Database, privacy: PrivacyMode
) -> None:
    ids = populate(ui_repository)
    page = make_page(qtbot, ui_database, privacy)
    reference = {key: ui_repository.get(i).reference for key, i in ids.items()}

    assert titles(page, "follow_ups") == [
        f"{reference['overdue']} · Kit Adeyemi",
        f"{reference['due']} · Lee Brandt",
    ]
    overdue, due = page.rows["follow_ups"]
    assert overdue.detail == ("Overdue: was due on 18 November 2026 (3 days ago). Call the force")
    assert due.detail == "Due in 7 days, 28 November 2026. Post the letter"
    assert titles(page, "vrr") == [f"{reference['vrr_soon']} · Hannah Okonkwo"]
    assert page.rows["vrr"][0].detail == (
        "Decision of 1 September 2026: the last day is 30 November 2026 (in 9 days)."
    )
    assert page.follow_ups_empty.isHidden()
    assert page.vrr_empty.isHidden()
    assert overdue.accessibleName() == f"Open {reference['overdue']} · Kit Adeyemi"


def test_rows_open_the_record_by_click_and_by_keyboard(
    qtbot: QtBot, ui_repository: Repository, ui_database: Database, privacy: PrivacyMode
) -> None:
    ids = populate(ui_repository)
    page = make_page(qtbot, ui_database, privacy)
    overdue, due = page.rows["follow_ups"]
    with qtbot.waitSignal(page.open_record) as opened:
        qtbot.mouseClick(due, Qt.MouseButton.LeftButton)
    assert opened.args == [ids["due"]]

    (vrr,) = page.rows["vrr"]
    for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
        vrr.setFocus()
        with qtbot.waitSignal(page.open_record) as opened:
            qtbot.keyClick(vrr, key)
        assert opened.args == [ids["vrr_soon"]]
    assert overdue.focusPolicy() == Qt.FocusPolicy.StrongFocus


def test_empty_states_in_words(qtbot: QtBot, ui_database: Database, privacy: PrivacyMode) -> None:
    page = make_page(qtbot, ui_database, privacy)
    assert page.chart.isHidden()
    assert page.total.text() == "There are no referrals yet."
    assert page.follow_ups_empty.isVisible()
    assert page.follow_ups_empty.text() == "Nothing due in the next 7 days."
    assert page.vrr_empty.isVisible()
    assert page.vrr_empty.text() == (
        "No Victims' Right to Review windows close in the next 14 days."
    )
    assert page.rows == {"follow_ups": [], "vrr": []}


def test_privacy_mode_hides_names_and_follows_changes(
    qtbot: QtBot, ui_repository: Repository, ui_database: Database, privacy: PrivacyMode
) -> None:
    populate(ui_repository)
    privacy.set_masked(True)
    page = make_page(qtbot, ui_database, privacy)
    names = ("Kit Adeyemi", "Lee Brandt", "Hannah Okonkwo")

    def shown() -> str:
        rows = page.rows["follow_ups"] + page.rows["vrr"]
        labels = page.findChildren(QLabel)
        return " ".join(
            [row.title for row in rows]
            + [row.accessibleName() for row in rows]
            + [label.text() for label in labels]
        )

    assert not any(name in shown() for name in names)
    assert titles(page, "vrr")[0].endswith(" · H. O.")
    privacy.set_masked(False)
    assert all(name in shown() for name in names)
    privacy.set_masked(True)
    assert not any(name in shown() for name in names)


def test_the_chart_stacks_labels_when_narrow(qtbot: QtBot) -> None:
    chart = StatusChart()
    qtbot.addWidget(chart)
    chart.set_counts(dict.fromkeys(Status, 1))
    wide = chart.sizeHint().width()
    assert chart.side_by_side(wide)
    assert not chart.side_by_side(wide // 3)
    assert chart.heightForWidth(wide // 3) > chart.heightForWidth(wide)


def test_a_row_grows_to_fit_wrapped_text(qtbot: QtBot) -> None:
    row = RecordRow("CSARP-2026-00001 · A name", "A long purpose, " * 20)
    qtbot.addWidget(row)
    assert row.heightForWidth(200) > row.heightForWidth(2000)


def test_renders_whole(
    qtbot: QtBot,
    ui_repository: Repository,
    ui_database: Database,
    privacy: PrivacyMode,
    tmp_path: Path,
    text_scale: float,
) -> None:
    folder = screenshot_folder(tmp_path)
    tag = f"{text_scale:g}x"
    page = make_page(qtbot, ui_database, privacy)

    def shoot(name: str) -> None:
        settle()
        content = page.scroller.widget()
        assert page.scroller.horizontalScrollBar().maximum() == 0, f"{name} scrolls sideways"
        assert_nothing_cut_off(content, name)
        page.grab().save(str(folder / f"dashboard_{name}_{tag}.png"))
        content.grab().save(str(folder / f"dashboard_{name}_whole_{tag}.png"))

    shoot("empty")
    populate(ui_repository)
    ui_repository.save(
        with_follow_up(
            "Nadia Okonkwo-Fairweather",
            TODAY,
            "Ask the force whether the officer in the case has replied about the decision letter",
        )
    )
    page.refresh()
    shoot("with_data")
    privacy.set_masked(True)
    shoot("privacy")
    page.resize(560, 700)
    shoot("narrow")
