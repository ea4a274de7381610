"""After Lock, no Qt object anywhere holds a survivor's text: not a visible widget, not a
closed dialog nobody deleted, not a model, document, action or window, not the clipboard.

Each case opens a page or a dialog with a record on it (a canary name and crime reference),
locks, lets Qt delete what locking dropped, then walks every QObject there is (Qt's own tree
from the application and every window, and every wrapper Python still holds) for the canary.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QAbstractItemModel, QEvent, QModelIndex, QObject, QSettings, Qt
from PySide6.QtGui import QGuiApplication, QTextDocument, QWindow
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from referral_app.domain.flow import Page
from referral_app.storage.db import Database
from referral_app.storage.repository import Repository
from referral_app.ui.common.privacy import PrivacyMode
from referral_app.ui.common.settings import Settings
from referral_app.ui.window.main_window import MainWindow
from tests.services.transfer.conftest import export
from tests.storage.conftest import full_referral

CANARY = "Wilhelmina Canarybright"
CANARY_REF = "CAN 4242/77"
MARKS = ("Canarybright", "4242/77")
_ROLES = (
    Qt.ItemDataRole.DisplayRole,
    Qt.ItemDataRole.EditRole,
    Qt.ItemDataRole.ToolTipRole,
    Qt.ItemDataRole.AccessibleTextRole,
    Qt.ItemDataRole.AccessibleDescriptionRole,
    Qt.ItemDataRole.UserRole,
)
_TEXT_METHODS = (
    "text",
    "toPlainText",
    "placeholderText",
    "title",
    "windowTitle",
    "accessibleName",
    "accessibleDescription",
    "toolTip",
    "statusTip",
    "whatsThis",
    "iconText",
    "currentText",
)


def _ask(method: Callable[[QModelIndex], object], index: QModelIndex, default: int) -> int:
    """A model's count, or ``default`` where its kind keeps the method private (a list
    model's columnCount, a table model's hasChildren)."""
    try:
        return int(method(index))  # type: ignore[call-overload]
    except TypeError:
        return default


def _model_texts(model: QAbstractItemModel, parent: QModelIndex, found: list[str]) -> None:
    columns = max(_ask(model.columnCount, parent, 1), 1)
    for row in range(_ask(model.rowCount, parent, 0)):
        for column in range(columns):
            index = model.index(row, column, parent)
            found += [str(model.data(index, role)) for role in _ROLES]
            if column == 0 and _ask(model.hasChildren, index, 0):
                _model_texts(model, index, found)
    for column in range(columns):
        found.append(str(model.headerData(column, Qt.Orientation.Horizontal)))


def texts_of(thing: QObject | QWindow) -> list[str]:
    """Every text a Qt object can give out without being asked a question."""
    found = [thing.objectName()]
    for name in _TEXT_METHODS:
        method = getattr(thing, name, None)
        if callable(method):
            try:
                value = method()
            except TypeError:  # needs arguments: not a plain text getter here
                continue
            if isinstance(value, str):
                found.append(value)
    if isinstance(thing, QAbstractItemModel):
        _model_texts(thing, QModelIndex(), found)
    if isinstance(thing, QTextDocument):
        found.append(thing.toPlainText())
    items = getattr(thing, "count", None)
    item_text = getattr(thing, "itemText", None) or getattr(thing, "tabText", None)
    if callable(items) and callable(item_text):
        with contextlib.suppress(TypeError):
            found += [str(item_text(i)) for i in range(items())]
    return found


def every_qt_object() -> list[QObject | QWindow]:
    """Qt's object tree from the application and each window, and every wrapper Python
    holds (a parentless model or document is in no tree)."""
    app = QApplication.instance()
    assert app is not None
    roots: list[QObject] = [app, *QApplication.topLevelWidgets()]
    roots += QGuiApplication.topLevelWindows()
    roots += [o for o in gc.get_objects() if isinstance(o, QObject) and shiboken6.isValid(o)]
    seen: dict[int, QObject] = {}
    pending = list(roots)
    while pending:
        item = pending.pop()
        if not shiboken6.isValid(item) or id(item) in seen:
            continue
        seen[id(item)] = item
        pending += item.children()
    return list(seen.values())


def leaks() -> list[str]:
    # What the event loop does next: whatever locking let go of with deleteLater() goes.
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
    found = [
        f"{type(thing).__name__}: {text[:60]}"
        for thing in every_qt_object()
        for text in texts_of(thing)
        if any(mark in text for mark in MARKS)
    ]
    clipboard = QApplication.clipboard()
    data = clipboard.mimeData()
    formats = data.formats() if data is not None else []
    for kind in formats:
        if any(mark.encode() in bytes(data.data(kind).data()) for mark in MARKS):
            found.append(f"clipboard {kind}")
    return found


@pytest.fixture
def window(
    qtbot: QtBot, ui_repository: Repository, ui_database: Database, tmp_path: Path
) -> Iterator[MainWindow]:
    settings = Settings(QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    privacy = PrivacyMode(QSettings(str(tmp_path / "privacy.ini"), QSettings.Format.IniFormat))
    main = MainWindow(settings=settings, repository=ui_repository, privacy=privacy)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    yield main
    if main.repository is not None and main.repository.database is not ui_database:
        main.repository.database.close()


def _record(window: MainWindow) -> int:
    assert window.repository is not None
    saved = window.repository.save(full_referral(CANARY, CANARY_REF))
    assert saved.id is not None
    window.open_record(saved.id)
    return saved.id


def _view(window: MainWindow) -> object:
    _record(window)
    assert window.record_view is not None
    return window.record_view


def _closed_export(window: MainWindow) -> None:
    """The case that leaked: an Export dialog closed by the advocate, never deleted."""
    record_id = _record(window)
    window.records.export_referrals([record_id])
    dialog = window.records.dialog
    assert dialog is not None
    dialog.reject()
    assert not dialog.isVisible()


def _import_preview(window: MainWindow, qtbot: QtBot, tmp_path: Path) -> None:
    assert window.repository is not None
    window.repository.save(full_referral(CANARY, CANARY_REF))
    path = export(window.repository, tmp_path / "e.zip")
    window.repository.delete(window.repository.list_ids()[-1])
    window.records.import_referrals()
    dialog = window.records.dialog
    from referral_app.ui.transfer import ImportDialog

    assert isinstance(dialog, ImportDialog)
    dialog.file_path = path
    dialog.passphrase.edit.setText("orbit lantern velvet quarry maple hollow")
    with qtbot.waitSignal(dialog.state_changed, timeout=10_000, check_params_cb="preview".__eq__):
        dialog.check()


def _wizard(window: MainWindow) -> None:
    window.new_referral()
    assert window.wizard is not None
    window.wizard.findChildren(QWidget)  # built
    from PySide6.QtWidgets import QLineEdit

    for edit in window.wizard.findChildren(QLineEdit):
        edit.setText(CANARY)
        break


PLACES: dict[str, Callable[..., object]] = {
    "list": lambda w, *_: (_record(w), w.show_list()),
    "record": lambda w, *_: _record(w),
    "edit dialog": lambda w, *_: _view(w).edit_section(Page.SURVIVOR),  # type: ignore[attr-defined]
    "letter": lambda w, *_: _view(w).edit_letter(),  # type: ignore[attr-defined]
    "print dialog": lambda w, *_: _view(w).print_referral(),  # type: ignore[attr-defined]
    "status dialog": lambda w, *_: _view(w).change_status(),  # type: ignore[attr-defined]
    "export dialog": lambda w, *_: w.records.export_referrals([_record(w)]),
    "closed export dialog": lambda w, *_: _closed_export(w),
    "import preview": _import_preview,
    "dashboard": lambda w, *_: (_record(w), w.show_dashboard()),
    "rescreen": lambda w, *_: (_record(w), w.show_rescreen()),
    "audit log": lambda w, *_: (_record(w), w.show_audit_log()),
    "retention": lambda w, *_: (_record(w), w.show_retention()),
    "wizard": lambda w, *_: _wizard(w),
}


@pytest.mark.parametrize("place", list(PLACES))
def test_nothing_holds_survivor_text_after_locking(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, place: str
) -> None:
    PLACES[place](window, qtbot, tmp_path)
    QApplication.clipboard().setText(CANARY)
    if place != "wizard":
        assert leaks(), "the canary should be somewhere before locking"
    with qtbot.waitSignal(window.locked, timeout=10_000):
        window.lock_action.trigger()
    assert leaks() == []
