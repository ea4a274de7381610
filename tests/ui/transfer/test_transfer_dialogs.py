"""The export and import dialogs, clicked as an advocate would, with QFileDialog stood in for.

Each test waits on the dialog's ``state_changed`` signal, never on a clock. The screenshot
test renders every state to PNG (to ``$REFERRAL_APP_SCREENSHOTS`` when set) and checks that
no text is cut off, at the default text size and at 200%.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import pyzipper  # type: ignore[import-untyped]
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from referral_app.domain.audit import AuditAction
from referral_app.domain.referral import Advocate, Referral
from referral_app.services.transfer.export import Renderer
from referral_app.services.transfer.problems import MESSAGES, Problem
from referral_app.storage.repository import Repository
from referral_app.ui.common.privacy import PrivacyMode
from referral_app.ui.transfer import ExportDialog, ImportDialog
from tests.permissions import assert_owner_only
from tests.services.transfer.conftest import EXPORT_PASSPHRASE, export, fake_pdf, rebuild
from tests.storage.conftest import full_referral
from tests.ui.conftest import screenshot_folder

WAIT = 10_000


def fake_renderer(_advocate: Advocate) -> Renderer:
    return fake_pdf


class Gate:
    """A renderer that holds each summary until the test lets it go: an export in progress."""

    def __init__(self) -> None:
        self.entered = threading.Event()
        self.open = threading.Event()

    def renderer(self, _advocate: Advocate) -> Renderer:
        def render(referral: Referral) -> bytes:
            self.entered.set()
            self.open.wait(WAIT / 1000)
            return fake_pdf(referral)

        return render


@pytest.fixture
def gate() -> Iterator[Gate]:
    gate = Gate()
    yield gate
    gate.open.set()  # never leave a worker waiting


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    chosen = tmp_path / "chosen"
    chosen.mkdir()
    return chosen


@pytest.fixture
def save_to(monkeypatch: pytest.MonkeyPatch, folder: Path) -> list[str]:
    """QFileDialog.getSaveFileName answers the suggested name in ``folder``; returns what was
    suggested."""
    suggested: list[str] = []

    def choose(_parent: QWidget, _caption: str, start: str, _filter: str) -> tuple[str, str]:
        suggested.append(start)
        return str(folder / Path(start).name), "Encrypted ZIP files (*.zip)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", choose)
    return suggested


def open_export(qtbot: QtBot, dialog: ExportDialog) -> ExportDialog:
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def states(dialog: ExportDialog | ImportDialog, wanted: str) -> Callable[[str], bool]:
    return lambda state: state == wanted


def click(qtbot: QtBot, widget: QWidget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def saved_referrals(repository: Repository, count: int) -> list[int]:
    return [repository.save(full_referral(f"Person {n}")).id or 0 for n in range(count)]


# Export


def test_export_saves_a_private_file_with_the_passphrase_shown(
    qtbot: QtBot, ui_repository: Repository, save_to: list[str], folder: Path
) -> None:
    ids = saved_referrals(ui_repository, 2)
    dialog = open_export(
        qtbot, ExportDialog.for_referrals(ui_repository, ids, renderer=fake_renderer)
    )
    words = dialog.passphrase.words.text()
    assert len(words.split(" ")) == 6
    assert "Person" not in dialog.windowTitle()
    with qtbot.waitSignal(
        dialog.state_changed, timeout=WAIT, check_params_cb=states(dialog, "saved")
    ):
        click(qtbot, dialog.save_button)
    [suggested] = save_to
    assert Path(suggested).name.startswith("referrals-export-")
    [saved] = list(folder.iterdir())
    assert_owner_only(saved)
    with pyzipper.AESZipFile(saved) as archive:
        archive.setpassword(words.encode())
        assert b"Person 1" in archive.read("records.json")
    events = [e for e in ui_repository.audit_events() if e.action == AuditAction.EXPORT]
    assert [e.referral_id for e in events] == ids
    assert dialog.close_button.isVisible()
    assert not dialog.save_button.isVisible()


def test_an_export_the_audit_log_cannot_record_is_removed(
    qtbot: QtBot,
    ui_repository: Repository,
    save_to: list[str],
    folder: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from referral_app.ui.transfer import export_dialog

    def broken(*_: object) -> None:
        raise RuntimeError("the disk holding the database went away")

    monkeypatch.setattr(export_dialog, "record_export", broken)
    ids = saved_referrals(ui_repository, 1)
    dialog = open_export(
        qtbot, ExportDialog.for_referrals(ui_repository, ids, renderer=fake_renderer)
    )
    with qtbot.waitSignal(
        dialog.state_changed, timeout=WAIT, check_params_cb=states(dialog, "failed")
    ):
        click(qtbot, dialog.save_button)
    assert list(folder.iterdir()) == []
    assert dialog.summary.messages() == [MESSAGES[Problem.NOT_RECORDED]]


def test_cancel_leaves_no_file(
    qtbot: QtBot, ui_repository: Repository, save_to: list[str], folder: Path, gate: Gate
) -> None:
    ids = saved_referrals(ui_repository, 3)
    dialog = open_export(
        qtbot, ExportDialog.for_referrals(ui_repository, ids, renderer=gate.renderer)
    )
    with qtbot.waitSignal(
        dialog.state_changed, timeout=WAIT, check_params_cb=states(dialog, "working")
    ):
        click(qtbot, dialog.save_button)
    assert gate.entered.wait(WAIT / 1000)
    assert dialog.progress.isVisible()
    assert dialog.cancel_button.text() == "Cancel export"
    with qtbot.waitSignal(
        dialog.state_changed, timeout=WAIT, check_params_cb=states(dialog, "cancelled")
    ):
        click(qtbot, dialog.cancel_button)
        gate.open.set()
    assert list(folder.iterdir()) == []
    assert dialog.cancelled_note.isVisible()
    assert not any(e.action == AuditAction.EXPORT for e in ui_repository.audit_events())


def test_closing_the_window_while_exporting_leaves_no_file(
    qtbot: QtBot, ui_repository: Repository, save_to: list[str], folder: Path, gate: Gate
) -> None:
    ids = saved_referrals(ui_repository, 2)
    dialog = open_export(
        qtbot, ExportDialog.for_referrals(ui_repository, ids, renderer=gate.renderer)
    )
    with qtbot.waitSignal(
        dialog.state_changed, timeout=WAIT, check_params_cb=states(dialog, "working")
    ):
        click(qtbot, dialog.save_button)
    assert gate.entered.wait(WAIT / 1000)
    threading.Timer(0.05, gate.open.set).start()  # the summary being made finishes meanwhile
    dialog.reject()
    assert list(folder.iterdir()) == []
    assert not dialog.isVisible()


def test_a_weak_own_passphrase_is_refused_before_anything_is_saved(
    qtbot: QtBot, ui_repository: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = saved_referrals(ui_repository, 1)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_: pytest.fail("not asked"))
    dialog = open_export(
        qtbot, ExportDialog.for_referrals(ui_repository, ids, renderer=fake_renderer)
    )
    click(qtbot, dialog.passphrase.own_box)
    assert dialog.passphrase.own.isVisible()
    assert not dialog.passphrase.words.isVisible()
    qtbot.keyClicks(dialog.passphrase.own.edit, "correct horse battery staple")
    click(qtbot, dialog.save_button)
    [message] = dialog.summary.messages()
    assert message.startswith("Your passphrase would be easier to guess")
    assert dialog.state == "ready"


def test_a_strong_own_passphrase_is_used(
    qtbot: QtBot, ui_repository: Repository, save_to: list[str], folder: Path
) -> None:
    ids = saved_referrals(ui_repository, 1)
    dialog = open_export(
        qtbot, ExportDialog.for_referrals(ui_repository, ids, renderer=fake_renderer)
    )
    own = "My cat Tibbles hid 3 socks under Gran's blue sofa, 1987!"
    click(qtbot, dialog.passphrase.own_box)
    qtbot.keyClicks(dialog.passphrase.own.edit, own)
    assert dialog.passphrase.strength.text() == "Strong enough."
    with qtbot.waitSignal(
        dialog.state_changed, timeout=WAIT, check_params_cb=states(dialog, "saved")
    ):
        click(qtbot, dialog.save_button)
    [saved] = list(folder.iterdir())
    with pyzipper.AESZipFile(saved) as archive:
        archive.setpassword(own.encode())
        assert archive.read("README.txt").startswith(b"CSARP Referrals")


def test_everything_about_one_survivor(
    qtbot: QtBot, ui_repository: Repository, save_to: list[str], folder: Path
) -> None:
    chosen = ui_repository.save(full_referral()).id or 0
    again = ui_repository.save(full_referral("ZELDA QUARTERMAINE")).id or 0
    someone_else = full_referral("Someone Else", "ab 1/1")
    someone_else.survivor.previous_names = []
    ui_repository.save(someone_else)
    dialog = open_export(
        qtbot, ExportDialog.for_survivor(ui_repository, chosen, renderer=fake_renderer)
    )
    boxes = dialog.survivor_boxes
    assert [id_ for _, id_ in boxes] == [chosen, again]
    assert all(box.isChecked() for box, _ in boxes)
    click(qtbot, boxes[1][0])
    assert dialog.chosen_ids() == [chosen]
    with qtbot.waitSignal(
        dialog.state_changed, timeout=WAIT, check_params_cb=states(dialog, "saved")
    ):
        click(qtbot, dialog.save_button)
    events = [e for e in ui_repository.audit_events() if e.action == AuditAction.EXPORT]
    assert [e.referral_id for e in events] == [chosen]


def test_privacy_mode_masks_names(
    qtbot: QtBot, ui_repository: Repository, privacy: PrivacyMode
) -> None:
    privacy.set_masked(True)
    ids = saved_referrals(ui_repository, 1)
    dialog = open_export(qtbot, ExportDialog.for_referrals(ui_repository, ids, privacy=privacy))
    texts = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "Person 0" not in texts
    assert "P. 0." in texts


# The clipboard


@pytest.fixture
def copied(qtbot: QtBot, ui_repository: Repository) -> ExportDialog:
    ids = saved_referrals(ui_repository, 1)
    dialog = open_export(
        qtbot,
        ExportDialog.for_referrals(
            ui_repository, ids, renderer=fake_renderer, clipboard_seconds=0.05
        ),
    )
    click(qtbot, dialog.passphrase.copy_button)
    assert QGuiApplication.clipboard().text() == dialog.passphrase.generated
    assert dialog.passphrase.copied.isVisible()
    return dialog


def test_the_clipboard_is_emptied_after_the_timeout(qtbot: QtBot, copied: ExportDialog) -> None:
    with qtbot.waitSignal(copied.guard.timer.timeout, timeout=WAIT):
        pass
    assert QGuiApplication.clipboard().text() == ""


def test_the_clipboard_keeps_what_the_advocate_copied_since(
    qtbot: QtBot, copied: ExportDialog
) -> None:
    QGuiApplication.clipboard().setText("the advocate's own note")
    with qtbot.waitSignal(copied.guard.timer.timeout, timeout=WAIT):
        pass
    assert QGuiApplication.clipboard().text() == "the advocate's own note"
    QGuiApplication.clipboard().clear()


def test_the_clipboard_is_emptied_when_the_window_closes(copied: ExportDialog) -> None:
    copied.guard.timer.setInterval(60_000)
    copied.guard.timer.start()
    copied.reject()
    assert QGuiApplication.clipboard().text() == ""
    assert not copied.guard.timer.isActive()
    assert copied.passphrase.words.text() == copied.passphrase.generated == ""


def test_other_words_leave_the_clipboard(qtbot: QtBot, copied: ExportDialog) -> None:
    old = copied.passphrase.generated
    click(qtbot, copied.passphrase.new_button)
    assert copied.passphrase.generated != old
    assert QGuiApplication.clipboard().text() == ""


# Import


@pytest.fixture
def export_file(ui_repository: Repository, tmp_path: Path) -> Path:
    """An export of two referrals, one of them already here, the other edited since."""
    here, edited = (ui_repository.save(full_referral(f"Person {n}")) for n in range(2))
    ui_repository.save(full_referral("Only In File", "cd 3/4"))
    path = export(ui_repository, tmp_path / "from-colleague.zip")
    ui_repository.delete(ui_repository.list_ids()[-1])
    changed = ui_repository.get(edited.id or 0)
    changed.follow_up.purpose = "Changed here since"
    ui_repository.save(changed)
    assert here.id is not None
    return path


def open_import(
    qtbot: QtBot, repository: Repository, monkeypatch: pytest.MonkeyPatch, path: Path
) -> ImportDialog:
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", lambda *_: (str(path), "Export files (*.zip)")
    )
    dialog = ImportDialog(repository)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    click(qtbot, dialog.choose_button)
    assert dialog.file_edit.text() == path.name
    return dialog


def check(qtbot: QtBot, dialog: ImportDialog, passphrase: str, wanted: str) -> None:
    dialog.passphrase.edit.clear()
    qtbot.keyClicks(dialog.passphrase.edit, passphrase)
    with qtbot.waitSignal(
        dialog.state_changed, timeout=WAIT, check_params_cb=states(dialog, wanted)
    ):
        click(qtbot, dialog.check_button)


def test_import_previews_then_imports(
    qtbot: QtBot, ui_repository: Repository, monkeypatch: pytest.MonkeyPatch, export_file: Path
) -> None:
    dialog = open_import(qtbot, ui_repository, monkeypatch, export_file)
    check(qtbot, dialog, EXPORT_PASSPHRASE, "preview")
    assert dialog.preview is not None
    counts = (len(dialog.preview.new), len(dialog.preview.same), len(dialog.preview.differing))
    assert counts == (1, 1, 1)
    assert dialog.import_button.text() == "&Import 1 referral"
    [box] = dialog.preview_panel.replace_boxes.values()
    assert not box.isChecked()
    click(qtbot, box)
    assert dialog.import_button.text() == "&Import 2 referrals"
    with qtbot.waitSignal(dialog.imported, timeout=WAIT) as imported:
        click(qtbot, dialog.import_button)
    assert dialog.state == "imported"
    assert len(imported.args[0]) == 2
    assert ui_repository.count() == 3
    purposes = {r.follow_up.purpose for r in ui_repository.all()}
    assert "Changed here since" not in purposes  # replaced by the file's version
    assert (
        dialog.confirmation.detail.text()
        == (
            "1 referral added. 1 referral replaced with the file's version. 1 referral left as "
            "they were."
        )
        or "1 referral added." in dialog.confirmation.detail.text()
    )


@pytest.mark.parametrize(
    ("problem", "make"),
    [
        (Problem.WRONG_PASSPHRASE, None),
        (Problem.NOT_AN_EXPORT, lambda path: path.write_bytes(b"just some text")),
        (
            Problem.TOO_NEW,
            lambda path: path.write_bytes(
                rebuild(
                    {
                        "manifest.json": b'{"format": "csarp-referrals-export", '
                        b'"format_version": 9, "schema_version": 9}',
                        "records.json": b"{}",
                    }
                )
            ),
        ),
    ],
    ids=["wrong-passphrase", "not-an-export", "newer-schema"],
)
def test_import_refusals_say_why_and_change_nothing(
    qtbot: QtBot,
    ui_repository: Repository,
    monkeypatch: pytest.MonkeyPatch,
    export_file: Path,
    problem: Problem,
    make: Callable[[Path], object] | None,
) -> None:
    if make is not None:
        make(export_file)
    before = (ui_repository.count(), len(ui_repository.audit_events()))
    dialog = open_import(qtbot, ui_repository, monkeypatch, export_file)
    passphrase = "not the right words at all" if make is None else EXPORT_PASSPHRASE
    check(qtbot, dialog, passphrase, "failed")
    assert dialog.summary.messages() == [MESSAGES[problem]]
    assert (ui_repository.count(), len(ui_repository.audit_events())) == before
    if problem is Problem.WRONG_PASSPHRASE:
        assert dialog.passphrase.error.isVisible()
    else:
        assert dialog.file_error.isVisible()


def test_import_asks_for_the_file_and_the_passphrase(
    qtbot: QtBot, ui_repository: Repository
) -> None:
    dialog = ImportDialog(ui_repository)
    qtbot.addWidget(dialog)
    dialog.show()
    click(qtbot, dialog.check_button)
    assert dialog.summary.messages() == ["Choose the export file", "Enter the passphrase"]


# Screenshots


def _check_nothing_cut_off(dialog: ExportDialog | ImportDialog, name: str) -> None:
    for _ in range(5):
        QApplication.processEvents()
    viewport = dialog.page.parentWidget()
    assert dialog.page.width() <= viewport.width(), f"{name} is wider than its window"
    for pushed in dialog.findChildren(QPushButton):
        if pushed.isVisible():
            assert pushed.width() >= pushed.sizeHint().width(), f"{name}: {pushed.text()}"
    for label in dialog.findChildren(QLabel):
        if label.isVisible() and label.wordWrap() and label.text():
            needed = label.heightForWidth(label.width())
            assert label.height() >= needed, f"{name}: '{label.text()[:40]}' is cut off"


def test_screenshots(
    qtbot: QtBot,
    ui_repository: Repository,
    tmp_path: Path,
    text_scale: float,
    save_to: list[str],
    gate: Gate,
    monkeypatch: pytest.MonkeyPatch,
    export_file: Path,
) -> None:
    pictures = screenshot_folder(tmp_path)
    tag = f"{text_scale:g}x"

    def shoot(widget: ExportDialog | ImportDialog, name: str) -> None:
        _check_nothing_cut_off(widget, name)
        widget.grab().save(str(pictures / f"transfer_{name}_{tag}.png"))
        widget.page.grab().save(str(pictures / f"transfer_{name}_whole_{tag}.png"))

    ids = ui_repository.list_ids()
    dialog = open_export(
        qtbot, ExportDialog.for_referrals(ui_repository, ids, renderer=gate.renderer)
    )
    shoot(dialog, "export_ready")
    click(qtbot, dialog.passphrase.copy_button)
    shoot(dialog, "export_copied")
    with qtbot.waitSignal(
        dialog.state_changed, timeout=WAIT, check_params_cb=states(dialog, "working")
    ):
        click(qtbot, dialog.save_button)
    assert gate.entered.wait(WAIT / 1000)
    shoot(dialog, "export_progress")
    with qtbot.waitSignal(
        dialog.state_changed, timeout=WAIT, check_params_cb=states(dialog, "saved")
    ):
        gate.open.set()
    shoot(dialog, "export_saved")
    dialog.reject()

    own = open_export(qtbot, ExportDialog.for_survivor(ui_repository, ids[0]))
    click(qtbot, own.passphrase.own_box)
    qtbot.keyClicks(own.passphrase.own.edit, "Password123!")
    click(qtbot, own.save_button)
    shoot(own, "export_survivor_weak_passphrase")
    own.reject()

    importing = open_import(qtbot, ui_repository, monkeypatch, export_file)
    shoot(importing, "import_choose")
    check(qtbot, importing, "wrong words", "failed")
    shoot(importing, "import_wrong_passphrase")
    check(qtbot, importing, EXPORT_PASSPHRASE, "preview")
    shoot(importing, "import_preview")
    click(qtbot, importing.import_button)
    shoot(importing, "import_done")
