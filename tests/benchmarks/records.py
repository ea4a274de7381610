"""Saving a referral from the guided form, and opening a record.

Saving is ``Repository.save_from_draft``, which the form's Save button calls (the referral
with its history, assessment, search index row and audit event, and its draft dropped, in one
durable transaction). Opening is ``Repository.open_record`` (read whole, and audited), and
``RecordView.show_referral``, which calls it and lays the record out on screen. Each is held
against the same rows read or written by hand-written SQL (see ``raw_sql``), on the caseload's
database, and each uses referrals the others have not touched, so none finds another's pages
already in SQLite's cache.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from PySide6.QtWidgets import QApplication, QLabel, QScrollArea, QVBoxLayout, QWidget

from referral_app.domain.record_format import referral_to_dict
from referral_app.storage.access import open_database
from referral_app.storage.repository import Repository
from referral_app.ui.common.privacy import PrivacyMode
from referral_app.ui.record.view import RecordView
from tests.benchmarks import raw_sql
from tests.benchmarks.figures import Figure, Kind, Target, median, percentile
from tests.benchmarks.workspace import (
    PASSPHRASE,
    Workspace,
    collector_paused,
    raw_connection,
    timed,
)
from tests.generate import generate_referrals


def _spread(name: str, times: list[float]) -> str:
    return f"{name}: median {median(times):.1f} ms, 95th percentile {percentile(times, 95):.1f} ms"


def run_save(workspace: Workspace) -> list[Figure]:
    count = workspace.scale.saves
    fresh = list(generate_referrals(2 * count, seed=7, today=workspace.today))
    database = open_database(workspace.caseload, PASSPHRASE)
    connection = raw_connection(workspace.caseload)
    app: list[float] = []
    by_hand: list[float] = []
    floor: list[float] = []
    try:
        repository = Repository(database)
        with collector_paused():
            for index in range(count):
                mine, theirs = fresh[2 * index], fresh[2 * index + 1]
                draft = repository.save_draft(referral_to_dict(mine))
                app.append(timed(repository.save_from_draft, mine, draft))
                draft = raw_sql.new_draft(connection, referral_to_dict(theirs))
                by_hand.append(timed(raw_sql.save, connection, theirs, draft))
                draft = raw_sql.new_draft(connection, {})
                floor.append(timed(raw_sql.durable_write, connection, draft))
    finally:
        connection.close()
        database.close()
    app, by_hand, floor = ([t * 1000 for t in times] for times in (app, by_hand, floor))
    return [
        Figure(
            "Saving a referral from the form (Repository.save_from_draft)",
            median(app),
            median(by_hand),
            "ms",
            "a like referral's rows by hand-written SQL, in one durable transaction",
            notes=(
                f"{count} generated referrals each way (alternately) into the caseload's database",
                _spread("app", app),
                _spread("hand-written", by_hand),
                _spread("one durable one-row write (the commit's floor)", floor),
            ),
        )
    ]


def _sample(workspace: Workspace, size: int, seed: int) -> list[int]:
    return random.Random(seed).sample(range(1, workspace.scale.referrals + 1), size)


def run_open(workspace: Workspace, app: QApplication | None = None) -> list[Figure]:
    count = workspace.scale.opens
    qt = app or QApplication.instance()
    database = open_database(workspace.caseload, PASSPHRASE)
    connection = raw_connection(workspace.caseload)
    view: RecordView | None = None
    try:
        repository = Repository(database)
        view = RecordView(repository, PrivacyMode(), lambda: workspace.today)
        view.resize(1100, 800)
        view.show()
        shown = view

        def show(referral_id: int) -> Callable[[], None]:
            def showing() -> None:
                shown.show_referral(referral_id)
                if qt is not None:
                    qt.processEvents()  # laid out and painted, as the advocate sees it

            return showing

        with collector_paused():
            opened = [timed(repository.open_record, i) for i in _sample(workspace, count, 1)]
            rendered = []
            texts: list[list[str]] = []
            for i in _sample(workspace, count, 2):
                rendered.append(timed(show(i)))
                texts.append(
                    [label.text() for label in shown.findChildren(QLabel) if label.isVisible()]
                )
            by_hand = [
                timed(raw_sql.open_record, connection, i) for i in _sample(workspace, count, 3)
            ]
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            scroll.resize(1100, 800)
            scroll.show()
            plain = [timed(_plain_page(scroll, lines, qt)) for lines in texts]
            scroll.close()
            scroll.deleteLater()
    finally:
        if view is not None:
            view.close()
            view.deleteLater()
        connection.close()
        database.close()
    opened, rendered, by_hand, plain = (
        [t * 1000 for t in ts] for ts in (opened, rendered, by_hand, plain)
    )
    plain_total = [read + page for read, page in zip(by_hand, plain, strict=True)]
    against = "the same rows read, and the audit event written, by hand-written SQL"
    return [
        Figure(
            "Opening a record (Repository.open_record)",
            median(opened),
            median(by_hand),
            "ms",
            against,
            notes=(
                f"{count} different referrals each way, picked at random from the caseload",
                _spread("app", opened),
                _spread("hand-written", by_hand),
            ),
        ),
        Figure(
            "Opening and showing a record (RecordView.show_referral)",
            median(rendered),
            median(by_hand),
            "ms",
            against,
            notes=(
                _spread("app, until laid out and painted", rendered),
                f"of which reading it (open_record, above): {median(opened):.1f} ms",
            ),
        ),
        Figure(
            "Opening and showing a record, against a plain Qt page",
            median(rendered),
            median(plain_total),
            "ms",
            "the rows read by hand-written SQL, then a plain page of labels with the same text",
            Target(Kind.RATIO_AT_MOST, 1.5),
            notes=(
                _spread("plain page, laid out and painted", plain),
                _spread("read by hand and plain page", plain_total),
            ),
        ),
    ]


def _plain_page(
    scroll: QScrollArea, lines: list[str], qt: QApplication | None
) -> Callable[[], None]:
    """The least Qt needs to show a record's text: a page of word-wrapped labels, made afresh
    in a window already on screen (as the record view fills its page afresh), laid out and
    painted."""

    def showing() -> None:
        page = QWidget()
        layout = QVBoxLayout(page)
        for line in lines:
            label = QLabel(line, page)
            label.setWordWrap(True)
            layout.addWidget(label)
        scroll.setWidget(page)  # the page before is deleted
        if qt is not None:
            qt.processEvents()

    return showing
