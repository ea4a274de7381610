"""Support for the survivor, what happens next, and the new printouts, through the real UI."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pypdf
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel
from pytestqt.qtbot import QtBot

from referral_app.domain.next_steps import NEXT_STEPS
from referral_app.domain.referral import Status
from referral_app.services.pdf import MARKING
from referral_app.storage.repository import Repository
from referral_app.ui.common.privacy import PrivacyMode
from referral_app.ui.guide.support import SupportPanel, SupportServicesDialog
from referral_app.ui.printing.dialog import PrintDialog
from referral_app.ui.printing.outputs import AUTHORITY, HANDOUT
from referral_app.ui.window.main_window import MainWindow
from tests.storage.conftest import full_referral
from tests.ui.conftest import screenshot_folder
from tests.ui.record_helpers import TODAY, open_view, settle
from tests.ui.test_rules_v2 import CASES, start


def pdf_text(path: Path) -> tuple[str, int]:
    reader = pypdf.PdfReader(io.BytesIO(path.read_bytes()))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    return text, len(reader.pages)


def answer_save_as(monkeypatch: pytest.MonkeyPatch, target: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args: (str(target), "PDF"))


@pytest.fixture
def window(qtbot: QtBot, ui_repository: Repository) -> MainWindow:
    window = MainWindow(repository=ui_repository)
    qtbot.addWidget(window)
    window.resize(1100, 860)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_the_result_page_lists_support_and_prints_a_handout_naming_no_one(
    qtbot: QtBot,
    window: MainWindow,
    ui_repository: Repository,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    driver = start(qtbot, window)
    driver.answer_questions(CASES["group_based"].case)
    panel = driver.widget.findChild(SupportPanel)
    assert isinstance(panel, SupportPanel)
    shown = "\n".join(label.text() for label in panel.findChildren(QLabel))
    for name in ("NSPCC Helpline", "NAPAC", "The Survivors Trust", "Victim Support"):
        assert name in shown
    assert "Childline" not in shown  # born in 1990: 36 now
    qtbot.mouseClick(panel.handout_button, Qt.MouseButton.LeftButton)
    dialog = panel.dialog
    assert dialog is not None
    target = tmp_path / "handout.pdf"
    answer_save_as(monkeypatch, target)
    qtbot.mouseClick(dialog.pdf_button, Qt.MouseButton.LeftButton)
    text, pages = pdf_text(target)
    assert pages == 1
    assert "NSPCC Helpline" in text and "0808 800 5000" in text
    assert MARKING not in text and "Zelda" not in text
    assert dialog.message.text() == "Saved as handout.pdf."
    assert ui_repository.audit_events()[-1].action != "print"  # it is about no referral


def test_help_lists_every_service_with_its_date(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, text_scale: float
) -> None:
    window.support_action.trigger()
    dialog = window.findChild(SupportServicesDialog)
    assert isinstance(dialog, SupportServicesDialog)
    qtbot.waitExposed(dialog)
    text = dialog.text.toPlainText()
    assert "last checked on 3 December 2026" in text
    for name in ("Childline", "Live Fear Free", "SurvivorsUK", "NAPAC", "Victim Support"):
        assert name in text
    assert text.count("checked on 3 December 2026.") >= 8
    scale = "200" if text_scale > 1 else "100"
    assert dialog.grab().save(str(screenshot_folder(tmp_path) / f"help-support-{scale}.png"))
    dialog.close()


def test_the_record_says_what_happens_next_and_offers_the_follow_up(
    qtbot: QtBot,
    ui_repository: Repository,
    privacy: PrivacyMode,
    tmp_path: Path,
    text_scale: float,
) -> None:
    referral = full_referral()
    referral.change_status(Status.READY_TO_SEND, by="Ann")
    referral.change_status(Status.SENT, by="Ann")
    stored = ui_repository.save(referral)
    assert stored.id is not None
    view = open_view(qtbot, ui_repository, privacy, stored.id)
    settle()
    step = NEXT_STEPS[Status.SENT]
    assert step.text in view.next_step_label.text()
    button = view.next_step_button
    assert button.isEnabled()
    scale = "200" if text_scale > 1 else "100"
    assert view.grab().save(str(screenshot_folder(tmp_path) / f"record-next-step-{scale}.png"))
    with qtbot.waitSignal(view.changed, timeout=5000):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    saved = ui_repository.get(stored.id)
    assert saved.follow_up.due == TODAY + timedelta(days=step.follow_up_days)
    assert saved.follow_up.purpose == step.follow_up_purpose
    assert not view.next_step_button.isEnabled()  # already the next follow-up
    assert step.follow_up_purpose in view.follow_up_label.text()


def test_the_upheld_nfa_step_says_there_is_no_appeal() -> None:
    text = NEXT_STEPS[Status.PANEL_UPHELD_NFA].text
    assert "no appeal beyond the Panel" in text
    assert "by letter, with support offered" in text


def test_the_print_dialog_prints_the_authority_form_and_the_handout(
    qtbot: QtBot, ui_repository: Repository, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stored = ui_repository.save(full_referral())
    assert stored.id is not None
    dialog = PrintDialog(ui_repository, [stored.id])
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.choice_buttons[AUTHORITY].click()
    target = tmp_path / "form.pdf"
    answer_save_as(monkeypatch, target)
    qtbot.mouseClick(dialog.pdf_button, Qt.MouseButton.LeftButton)
    text, _ = pdf_text(target)
    assert "Consent and authority" in text and "Zelda Quartermaine" in text
    dialog.choice_buttons[HANDOUT].click()
    handout = tmp_path / "handout.pdf"
    answer_save_as(monkeypatch, handout)
    qtbot.mouseClick(dialog.pdf_button, Qt.MouseButton.LeftButton)
    text, pages = pdf_text(handout)
    assert pages == 1 and MARKING not in text
    assert "Zelda" not in text and stored.reference not in text
    assert "Live Fear Free" in text  # Dyfed-Powys, CPS Cymru-Wales: Wales
    events = [e.detail for e in ui_repository.audit_events() if e.referral_id == stored.id]
    assert "consent and authority form, pdf" in events and "support handout, pdf" in events
    QApplication.processEvents()
    dialog.close()


def test_a_welsh_speaking_survivor_from_new_referral_to_the_letter_handout_and_form(
    qtbot: QtBot,
    window: MainWindow,
    ui_repository: Repository,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """17 now, group-based abuse in Cardiff in 2016, police NFA in 2018, no suspect interviewed."""
    from tests.ui.wizard_driver import ELIGIBLE, Case

    case = Case(
        answers={**ELIGIBLE, "group_based": "yes", "suspect_interviewed": "no"},
        birth=("", "3", "2009"),
        began=("", "2", "2016"),
        decided=("", "6", "2018"),
        name="Eira Llewelyn",
        force="South Wales",
    )
    driver = start(qtbot, window)
    driver.answer_questions(case)
    said = "\n".join(label.text() for label in driver.widget.findChildren(QLabel))
    assert "Operation Beaconport" in said
    assert "Childline" in said and "Live Fear Free" in said  # 17, and Wales not ruled out yet
    driver.fill_details(case)
    with qtbot.waitSignal(driver.wizard.saved, timeout=10_000) as saved:
        driver.cont()
    referral_id = saved.args[0].id
    stored = ui_repository.get(referral_id)
    stored.survivor.language = "Welsh"  # as set on the record's contact section
    ui_repository.save(stored)

    dialog = PrintDialog(ui_repository, [referral_id])
    qtbot.addWidget(dialog)
    dialog.show()
    texts: dict[str, str] = {}
    for what in ("letter", AUTHORITY, HANDOUT):
        dialog.choice_buttons[what].click()
        target = tmp_path / f"{what}.pdf"
        answer_save_as(monkeypatch, target)
        qtbot.mouseClick(dialog.pdf_button, Qt.MouseButton.LeftButton)
        texts[what], _ = pdf_text(target)
    letter = texts["letter"]
    for expected in (
        "South Wales Police",
        "Eira Llewelyn, born March 2009",
        "In June 2018, the police decided to take no further action",
        "would like correspondence in Welsh",
        "announced on 16 January 2025",
    ):
        assert expected in letter
    assert "Victims' Right to Review" not in letter
    assert (
        "Eira Llewelyn" in texts[AUTHORITY] and "I authorise South Wales Police" in texts[AUTHORITY]
    )
    handout = texts[HANDOUT]
    assert "Eira" not in handout and MARKING not in handout
    for name in ("Childline", "Live Fear Free", "NSPCC Helpline", "NAPAC"):
        assert name in handout
    dialog.close()
