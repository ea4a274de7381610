"""The app on a team's server, through its real windows, against a real PostgreSQL server
(TLS from the test's own CA, SCRAM): signing in, locking and signing in again, and two
advocates changing the same referral."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from referral_app.domain.flow import Page
from referral_app.storage.repository import Repository
from referral_app.storage.team import TeamDatabase
from referral_app.ui.access.sign_in import SignInDialog
from referral_app.ui.access.start import sign_in_to
from referral_app.ui.common.privacy import PrivacyMode
from referral_app.ui.common.settings import ServerAddress, Settings
from referral_app.ui.record.edit import EditDialog
from referral_app.ui.widgets.conflict import Choice, ConflictDialog
from referral_app.ui.window.main_window import MainWindow
from tests.storage.conftest import full_referral
from tests.storage.pg_server import PgServer
from tests.storage.team_fixtures import PASSWORDS
from tests.ui.conftest import screenshot_folder

SignIn = Callable[[str], TeamDatabase]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def address(pg_server: PgServer, team_dbname: str) -> ServerAddress:
    return ServerAddress(pg_server.host, pg_server.port, team_dbname, Path(pg_server.ca_file))


@pytest.fixture
def window(
    qtbot: QtBot, sign_in: SignIn, settings: Settings, tmp_path: Path
) -> Iterator[MainWindow]:
    privacy = PrivacyMode(QSettings(str(tmp_path / "privacy.ini"), QSettings.Format.IniFormat))
    main = MainWindow(settings=settings, repository=Repository(sign_in("alice")), privacy=privacy)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    yield main
    if main.repository is not None:
        main.repository.database.close()


def test_signing_in_with_a_wrong_then_the_right_password(
    qtbot: QtBot, address: ServerAddress, settings: Settings, tmp_path: Path
) -> None:
    dialog = SignInDialog(address, settings, sign_in_to)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.user.edit.setText("alice")
    dialog.password.edit.setText("not alice's password")
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    [message] = dialog.summary.messages()
    assert "password" in message and "Traceback" not in message
    assert dialog.database is None
    folder = screenshot_folder(tmp_path)
    dialog.grab().save(str(folder / "team-sign-in-refused.png"))
    dialog.password.edit.setText(PASSWORDS["alice"])
    with qtbot.waitSignal(dialog.accepted, timeout=15_000):
        qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    assert isinstance(dialog.database, TeamDatabase)
    assert dialog.database.signed_in().role == "alice"
    dialog.database.close()
    assert settings.server_user() == "alice"
    assert PASSWORDS["alice"] not in (tmp_path / "ui.ini").read_text()


def test_on_the_server_the_file_actions_are_not_offered(window: MainWindow) -> None:
    assert window.team
    for action in (window.backup_now_action, window.restore_action):
        assert not action.isVisible()
    assert not window.records.passphrase_action.isVisible()


def test_locking_closes_the_connection_and_the_same_advocate_signs_in_again(
    qtbot: QtBot, window: MainWindow
) -> None:
    referral = window.repository.save(full_referral()) if window.repository else None
    assert referral is not None and referral.id is not None
    window.open_record(referral.id)
    database = window.repository.database if window.repository else None
    with qtbot.waitSignal(window.locked):
        window.lock()
    assert database is not None and not database.is_open
    dialog = window.unlock_dialog
    assert isinstance(dialog, SignInDialog)
    assert dialog.user.text() == "alice" and dialog.user.edit.isReadOnly()
    assert dialog.windowTitle() == "CSARP Referrals — Locked"
    dialog.password.edit.setText(PASSWORDS["alice"])
    with qtbot.waitSignal(window.unlocked, timeout=15_000):
        qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    assert window.record_view is not None
    assert window.pages.currentWidget() is window.record_view
    assert window.record_view.referral is not None
    assert window.record_view.referral.id == referral.id


def _answer_conflict(choice: Choice, seen: list[ConflictDialog]) -> None:
    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ConflictDialog):
            QTimer.singleShot(10, poll)
            return
        seen.append(dialog)
        button = {
            Choice.MINE: dialog.mine_button,
            Choice.THEIRS: dialog.theirs_button,
            Choice.BACK: dialog.back_button,
        }[choice]
        button.click()

    QTimer.singleShot(0, poll)


@pytest.mark.parametrize("choice", [Choice.MINE, Choice.THEIRS, Choice.BACK])
def test_a_change_saved_meanwhile_shows_both_versions_and_the_advocate_chooses(
    qtbot: QtBot, sign_in: SignIn, choice: Choice, tmp_path: Path
) -> None:
    alice = Repository(sign_in("alice"))
    referral = alice.save(full_referral(name="Araminta Original"))
    assert referral.id is not None
    alice_db = alice.database
    from referral_app.storage import sharing

    sharing.share(alice_db, referral.id, "bob")
    dialog = EditDialog(alice, alice.get(referral.id), Page.SURVIVOR)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.page.full_name.setText("Araminta Alice-Typed")  # type: ignore[attr-defined]

    bob = Repository(sign_in("bob"))
    theirs = bob.get(referral.id)
    theirs.survivor.full_name = "Araminta Bob-Saved"
    bob.save(theirs)

    seen: list[ConflictDialog] = []
    _answer_conflict(choice, seen)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert len(seen) == 1
    shown = [label.text() for label in seen[0].findChildren(QLabel)]
    assert "Araminta Alice-Typed" in shown and "Araminta Bob-Saved" in shown
    assert any("bob saved a change" in text.lower() for text in shown)
    if choice is Choice.BACK:
        folder = screenshot_folder(tmp_path)
        seen[0].grab().save(str(folder / "team-conflict-real.png"))
    stored = alice.get(referral.id).survivor.full_name
    if choice is Choice.MINE:
        assert stored == "Araminta Alice-Typed"
        assert not dialog.isVisible()
    elif choice is Choice.THEIRS:
        assert stored == "Araminta Bob-Saved"
        assert not dialog.isVisible()
    else:
        assert stored == "Araminta Bob-Saved"
        assert dialog.isVisible()
        assert dialog.page.full_name.text() == "Araminta Alice-Typed"  # type: ignore[attr-defined]
        # Having seen both, Save keeps what Alice typed.
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert alice.get(referral.id).survivor.full_name == "Araminta Alice-Typed"


def _team_window(qtbot: QtBot, database: TeamDatabase, tmp_path: Path, name: str) -> MainWindow:
    settings = Settings(QSettings(str(tmp_path / f"{name}.ini"), QSettings.Format.IniFormat))
    privacy = PrivacyMode(QSettings(str(tmp_path / f"{name}-p.ini"), QSettings.Format.IniFormat))
    main = MainWindow(settings=settings, repository=Repository(database), privacy=privacy)
    qtbot.addWidget(main)
    main.resize(1100, 700)
    main.show()
    qtbot.waitExposed(main)
    return main


def _listed(window: MainWindow) -> list[str]:
    page = window.list_page
    assert page is not None
    return sorted(page.model.summary(row).survivor_name for row in range(page.model.rowCount()))


def _whose(window: MainWindow, label: str) -> None:
    page = window.list_page
    assert page is not None
    index = page.whose_filter.findText(label)
    assert index >= 0, [page.whose_filter.itemText(i) for i in range(page.whose_filter.count())]
    page.whose_filter.setCurrentIndex(index)


def test_whose_referrals_mine_shared_and_a_managers_view_by_advocate(
    qtbot: QtBot, sign_in: SignIn, tmp_path: Path
) -> None:
    from referral_app.storage import sharing

    alice, bob = Repository(sign_in("alice")), Repository(sign_in("bob"))
    alice.save(full_referral(name="Alma Alicesown", crime_ref="AA 1/26"))
    shared = bob.save(full_referral(name="Bruno Bobshared", crime_ref="BB 2/26"))
    bob.save(full_referral(name="Bianca Bobsown", crime_ref="BB 3/26"))
    assert shared.id is not None
    sharing.share(bob.database, shared.id, "alice")

    window = _team_window(qtbot, sign_in("alice"), tmp_path, "alice")
    window.show_list()
    assert _listed(window) == ["Alma Alicesown", "Bruno Bobshared"]
    _whose(window, "Mine")
    assert _listed(window) == ["Alma Alicesown"]
    _whose(window, "Shared with me")
    assert _listed(window) == ["Bruno Bobshared"]
    page = window.list_page
    assert page is not None
    assert not any(
        page.whose_filter.itemText(i).startswith("By advocate")
        for i in range(page.whose_filter.count())
    )
    assert not window.retention_action.isVisible()

    manager = _team_window(qtbot, sign_in("mia"), tmp_path, "mia")
    manager.show_list()
    assert _listed(manager) == ["Alma Alicesown", "Bianca Bobsown", "Bruno Bobshared"]
    _whose(manager, "By advocate: bob")
    assert _listed(manager) == ["Bianca Bobsown", "Bruno Bobshared"]
    _whose(manager, "Everyone's")
    assert manager.retention_action.isVisible()
    folder = screenshot_folder(tmp_path)
    manager.grab().save(str(folder / "team-manager-caseload.png"))


def _answer_sharing(act: Callable[[object], None]) -> None:
    from referral_app.ui.record.sharing import SharingDialog

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, SharingDialog):
            QTimer.singleShot(10, poll)
            return
        act(dialog)

    QTimer.singleShot(0, poll)


def test_sharing_a_referral_from_its_record_and_a_manager_giving_it_away(
    qtbot: QtBot, sign_in: SignIn, tmp_path: Path
) -> None:
    from referral_app.ui.record.sharing import SharingDialog

    alice_window = _team_window(qtbot, sign_in("alice"), tmp_path, "alice")
    assert alice_window.repository is not None
    referral = alice_window.repository.save(full_referral(name="Sorrel Sharewell"))
    assert referral.id is not None
    alice_window.open_record(referral.id)
    view = alice_window.record_view
    assert view is not None and view.sharing is not None
    assert view.sharing.label.text() == "You (not shared)"
    assert not view.delete_button.isVisibleTo(view)

    def share_with_bob(dialog: object) -> None:
        assert isinstance(dialog, SharingDialog)
        assert not dialog.owner_box.isEnabled()  # only a manager gives referrals away
        dialog.boxes["bob"].setChecked(True)
        dialog.save_button.click()

    _answer_sharing(share_with_bob)
    view.sharing.button.click()
    assert view.sharing.label.text() == "You, shared with bob"
    bob = Repository(sign_in("bob"))
    assert bob.get(referral.id).survivor.full_name == "Sorrel Sharewell"
    folder = screenshot_folder(tmp_path)
    alice_window.grab().save(str(folder / "team-record-shared.png"))

    manager = _team_window(qtbot, sign_in("mia"), tmp_path, "mia")
    manager.open_record(referral.id)
    assert manager.record_view is not None and manager.record_view.sharing is not None
    assert manager.record_view.delete_button.isVisibleTo(manager.record_view)

    def give_to_bob(dialog: object) -> None:
        assert isinstance(dialog, SharingDialog)
        dialog.owner_box.setCurrentIndex(dialog.owner_box.findData("bob"))
        dialog.save_button.click()

    _answer_sharing(give_to_bob)
    manager.record_view.sharing.button.click()
    assert manager.record_view.sharing.label.text() == "bob (not shared)"
    from referral_app.storage import sharing

    assert sharing.owner_of(bob.database, referral.id) == "bob"
    # Alice no longer owns it, and it is no longer shared with her: the server hides it.
    from referral_app.storage.errors import StorageError

    with pytest.raises(StorageError):
        alice_window.repository.get(referral.id)


CANARY = "Quintessa Nowhere-on-disk"


def _files_holding(folder: Path, needle: bytes, since: float, server: Path) -> list[str]:
    found: list[str] = []
    if not folder.exists():
        return found
    for path in folder.rglob("*"):
        if path.is_relative_to(server):
            continue  # the test's own PostgreSQL server, standing in for the team's
        try:
            if path.is_file() and path.stat().st_mtime >= since and needle in path.read_bytes():
                found.append(path.name)
        except OSError:
            continue
    return found


def test_on_the_server_nothing_about_a_survivor_is_written_to_this_computer(
    qtbot: QtBot, sign_in: SignIn, tmp_path: Path, pg_server: PgServer
) -> None:
    """Saving, opening, searching, an edit kept at locking and signing in again: the app's own
    folders, its settings and the temporary folder hold no survivor's name afterwards."""
    import tempfile
    import time

    from referral_app.storage import paths
    from tests.conftest import _SANDBOX

    since = time.time() - 1
    window = _team_window(qtbot, sign_in("alice"), tmp_path, "canary")
    assert window.repository is not None
    referral = window.repository.save(full_referral(name=CANARY))
    assert referral.id is not None
    window.show_list()
    assert window.list_page is not None
    window.list_page.search.setText("Quintessa")
    window.list_page.refresh()
    window.open_record(referral.id)
    view = window.record_view
    assert view is not None
    dialog = view.edit_section(Page.SURVIVOR)
    assert dialog is not None
    dialog.page.full_name.setText(CANARY + " Kept")  # type: ignore[attr-defined]
    with qtbot.waitSignal(window.locked):
        window.lock()
    signing_in = window.unlock_dialog
    assert isinstance(signing_in, SignInDialog)
    signing_in.password.edit.setText(PASSWORDS["alice"])
    with qtbot.waitSignal(window.unlocked, timeout=15_000):
        signing_in.sign_in_button.click()
    window.close()
    assert window.repository is not None
    window.repository.database.close()  # signed in again: not one the fixture opened
    needles = [CANARY.encode(), CANARY.encode("utf-16-le")]
    folders = {
        paths.default_database_path().parent,
        paths.default_log_folder(),
        _SANDBOX,
        Path(tempfile.gettempdir()),
    }
    found = [
        name
        for folder in folders
        for needle in needles
        for name in _files_holding(folder, needle, since, pg_server.folder)
    ]
    assert found == []


def test_a_whole_referral_on_the_server_form_record_status_pdf_and_every_page(
    qtbot: QtBot,
    sign_in: SignIn,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """As an advocate would use it on the team's server: the guided form (its draft kept on
    the server), the saved record, a status change, the PDF summary, then At a glance,
    Re-screen, the audit log (intact) and, for the manager, the team's dashboard and retention."""
    from PySide6.QtWidgets import QFileDialog

    from referral_app.ui.printing.dialog import PrintDialog
    from tests.ui.test_rules_v2 import CASES, pdf_text, start

    window = _team_window(qtbot, sign_in("alice"), tmp_path, "walk")
    repository = window.repository
    assert repository is not None
    driver = start(qtbot, window)
    example = CASES["discontinued"]
    driver.answer_questions(example.case)
    assert driver.wizard.draft.draft_id is not None  # the draft is on the server
    driver.fill_details(example.case)
    with qtbot.waitSignal(driver.wizard.saved, timeout=15_000) as saved_signal:
        driver.cont()
    saved = saved_signal.args[0]
    assert saved.id is not None

    window.open_record(saved.id)
    view = window.record_view
    assert view is not None
    status = view.change_status()
    assert status is not None
    chosen = next(iter(status.radios))
    status.radios[chosen].setChecked(True)
    status.ok_button.click()
    assert repository.get(saved.id).status is chosen

    dialog = PrintDialog(repository, [saved.id])
    qtbot.addWidget(dialog)
    target = tmp_path / "summary.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args: (str(target), "PDF (*.pdf)"))
    qtbot.mouseClick(dialog.pdf_button, Qt.MouseButton.LeftButton)
    assert saved.reference in pdf_text(target)
    dialog.close()

    for show in (window.show_dashboard, window.show_rescreen, window.show_audit_log):
        show()
        assert window.pages.currentWidget() is not window.home
    assert repository.verify_audit().intact

    manager = _team_window(qtbot, sign_in("mia"), tmp_path, "walk-mia")
    manager.show_dashboard()
    assert manager.dashboard is not None
    manager.show_retention()
    assert manager.pages.currentWidget() is manager.retention_page
    folder = screenshot_folder(tmp_path)
    manager.show_dashboard()
    manager.grab().save(str(folder / "team-manager-dashboard.png"))


@pytest.mark.parametrize("choice", [Choice.MINE, Choice.THEIRS])
def test_a_letter_saved_meanwhile_by_someone_else_shows_both(
    qtbot: QtBot, sign_in: SignIn, choice: Choice
) -> None:
    from referral_app.storage import sharing
    from referral_app.ui.printing.letter import LetterDialog

    alice = Repository(sign_in("alice"))
    referral = alice.save(full_referral(name="Letitia Letterwell"))
    assert referral.id is not None
    sharing.share(alice.database, referral.id, "bob")
    dialog = LetterDialog(alice, referral.id)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.editor.setPlainText("Alice's letter to the force.")

    bob = Repository(sign_in("bob"))
    theirs = bob.get(referral.id)
    theirs.request_letter = "Bob's letter to the force."
    bob.save(theirs)

    seen: list[ConflictDialog] = []
    _answer_conflict(choice, seen)
    dialog.save()
    assert len(seen) == 1
    shown = [label.text() for label in seen[0].findChildren(QLabel)]
    assert "Alice's letter to the force." in shown and "Bob's letter to the force." in shown
    stored = alice.get(referral.id).request_letter
    wanted = "Alice's" if choice is Choice.MINE else "Bob's"
    assert stored == f"{wanted} letter to the force."
    assert dialog.text() == stored
    dialog.close()


def test_at_locking_a_letter_saved_meanwhile_is_kept_beside_this_one(
    qtbot: QtBot, sign_in: SignIn
) -> None:
    from referral_app.storage import sharing
    from referral_app.ui.printing.letter import KEPT_AT_LOCK, LetterDialog

    alice = Repository(sign_in("alice"))
    referral = alice.save(full_referral(name="Lorna Lockletter"))
    assert referral.id is not None
    sharing.share(alice.database, referral.id, "bob")
    dialog = LetterDialog(alice, referral.id)
    qtbot.addWidget(dialog)
    dialog.editor.setPlainText("Alice's words.")
    bob = Repository(sign_in("bob"))
    theirs = bob.get(referral.id)
    theirs.request_letter = "Bob's words."
    bob.save(theirs)
    dialog.prepare_for_lock()
    stored = alice.get(referral.id).request_letter
    assert stored == f"Bob's words.\n\n{KEPT_AT_LOCK}\n\nAlice's words."


def test_answers_changed_meanwhile_by_someone_else_show_both(
    qtbot: QtBot, sign_in: SignIn
) -> None:
    from referral_app.storage import sharing
    from referral_app.ui.record.eligibility import EligibilityDialog

    alice = Repository(sign_in("alice"))
    referral = alice.save(full_referral(name="Evadne Eligible"))
    assert referral.id is not None
    sharing.share(alice.database, referral.id, "bob")
    dialog = EligibilityDialog(alice, alice.get(referral.id), start=Page.NEW_EVIDENCE)
    qtbot.addWidget(dialog)
    dialog.show()

    bob = Repository(sign_in("bob"))
    theirs = bob.get(referral.id)
    theirs.answers["new_evidence"] = "yes"
    bob.save(theirs)

    seen: list[ConflictDialog] = []
    _answer_conflict(Choice.THEIRS, seen)
    dialog.save()
    assert len(seen) == 1
    assert seen[0].findChildren(QLabel)  # both versions of the answer were shown
    assert alice.get(referral.id).answers["new_evidence"] == "yes"
    assert not dialog.isVisible()


def test_a_follow_up_set_meanwhile_by_someone_else_is_shown_not_replaced(
    qtbot: QtBot, sign_in: SignIn, tmp_path: Path
) -> None:
    from datetime import date

    from referral_app.domain.referral import FollowUp, Status
    from referral_app.storage import sharing
    from referral_app.ui.record.view import FOLLOW_UP_CHANGED

    window = _team_window(qtbot, sign_in("alice"), tmp_path, "follow")
    assert window.repository is not None
    referral = window.repository.save(full_referral(name="Fenella Followup"))
    assert referral.id is not None
    sharing.share(window.repository.database, referral.id, "bob")
    sent = window.repository.get(referral.id)
    sent.change_status(Status.READY_TO_SEND, by="alice")
    sent.change_status(Status.SENT, by="alice")
    window.repository.save(sent)
    window.open_record(referral.id)
    view = window.record_view
    assert view is not None
    assert view.next_step_button.isEnabled(), view.next_step_button.text()

    bob = Repository(sign_in("bob"))
    theirs = bob.get(referral.id)
    theirs.follow_up = FollowUp(date(2027, 2, 1), "Bob will call the force")
    bob.save(theirs)

    view.next_step_button.click()
    assert view.problem.text() == FOLLOW_UP_CHANGED
    stored = bob.get(referral.id).follow_up
    assert stored.purpose == "Bob will call the force"
    assert view.referral is not None and view.referral.follow_up == stored
