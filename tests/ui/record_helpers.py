"""Helpers shared by the tests of the record view and its dialogs."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from referral_app.storage.repository import Repository
from referral_app.ui.common.privacy import PrivacyMode
from referral_app.ui.record.view import RecordView
from referral_app.ui.widgets.partial_date import PartialDateEdit

TODAY = date.today()

#: Record views made by a test, deleted after it (see the ``destroy_views`` fixture).
VIEWS: list[RecordView] = []


def settle() -> None:
    """Let nested word-wrapped layouts finish (each pass may grow the next), without sleeping."""
    for _ in range(10):
        QApplication.processEvents()


def open_view(
    qtbot: QtBot, repository: Repository, privacy: PrivacyMode, referral_id: int
) -> RecordView:
    view = RecordView(repository, privacy, today=lambda: TODAY)
    VIEWS.append(view)
    view.resize(1024, 760)
    view.show()
    qtbot.waitExposed(view)
    view.show_referral(referral_id)
    return view


def texts(widget: QWidget) -> list[str]:
    """Every piece of text showing, in the order the labels were made."""
    return [
        label.text()
        for label in widget.findChildren(QLabel)
        if label.isVisibleTo(widget) and label.text()
    ]


def click(qtbot: QtBot, button: QAbstractButton) -> None:
    """Click where a person would: on the indicator and label of a radio or checkbox."""
    if isinstance(button, QRadioButton | QCheckBox):
        point = QPoint(8, button.height() // 2)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=point)
    else:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def retype(qtbot: QtBot, box: QLineEdit | QPlainTextEdit, text: str) -> None:
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(box, Qt.Key.Key_Delete)
    if text:
        qtbot.keyClicks(box, text)


def type_date(qtbot: QtBot, widget: PartialDateEdit, day: date | None) -> None:
    parts = ("", "", "") if day is None else (str(day.day), str(day.month), str(day.year))
    for box, text in zip((widget.day_box, widget.month_box, widget.year_box), parts, strict=True):
        retype(qtbot, box, text)


def audit_actions(repository: Repository, referral_id: int) -> list[str]:
    return [e.action for e in repository.audit_events() if e.referral_id == referral_id]
