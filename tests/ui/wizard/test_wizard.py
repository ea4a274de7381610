"""The guided form end to end: from "New referral" to a referral read back from storage."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from referral_app.domain.advice import FIND_OUT, GUIDE_NOTE, INSTEAD, NOT_A_JUDGEMENT
from referral_app.domain.flow import Draft, Page
from referral_app.domain.referral import Referral, Status
from referral_app.storage.repository import Repository
from referral_app.ui.window.main_window import MainWindow
from referral_app.ui.wizard.wizard import ReferralWizard
from tests.ui.wizard_driver import ELIGIBLE, TODAY, Case, Driver


@pytest.fixture
def window(qtbot: QtBot, ui_repository: Repository) -> MainWindow:
    window = MainWindow(repository=ui_repository)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def start(qtbot: QtBot, window: MainWindow, ruleset: str = "csarp-2025") -> Driver:
    qtbot.mouseClick(window.home.new_button, __import__("PySide6").QtCore.Qt.MouseButton.LeftButton)
    wizard = window.wizard
    assert isinstance(wizard, ReferralWizard)
    wizard._today = lambda: TODAY  # the fixed day the worked examples use
    for page in wizard.pages.values():
        if hasattr(page, "_today"):
            page._today = lambda: TODAY  # type: ignore[attr-defined]
    wizard.draft.ruleset = ruleset
    return Driver(qtbot, wizard)


def save(qtbot: QtBot, driver: Driver) -> Referral:
    with qtbot.waitSignal(driver.wizard.saved, timeout=10_000) as saved:
        driver.cont()
    referral = saved.args[0]
    assert isinstance(referral, Referral)
    return referral


def outcome_text(driver: Driver) -> str:
    from PySide6.QtWidgets import QLabel

    return "\n".join(label.text() for label in driver.widget.findChildren(QLabel))


def test_an_eligible_case_from_new_referral_to_saved(
    qtbot: QtBot, window: MainWindow, ui_repository: Repository
) -> None:
    driver = start(qtbot, window)
    case = Case()
    driver.answer_questions(case)
    text = outcome_text(driver)
    assert "the case fits the Panel's terms" in text
    assert "The request goes first to" in text
    assert GUIDE_NOTE in text
    assert NOT_A_JUDGEMENT in text
    driver.fill_details(case)
    saved = save(qtbot, driver)

    stored = ui_repository.get(saved.id)  # type: ignore[arg-type]
    assert stored.survivor.full_name == "Zelda Quartermaine"
    assert str(stored.survivor.date_of_birth) == "1990-05-01"
    assert str(stored.case.offence_start) == "2003"
    assert str(stored.case.decision_date) == "2009-03-14"
    assert stored.case.police_force == "Kent"
    assert stored.answers == ELIGIBLE
    (assessment,) = stored.assessments
    assert (assessment.outcome, assessment.reasons) == ("eligible", [])
    assert assessment.flags == ["route_via_original_force"]
    assert assessment.answers["decision_date"] == "2009-03-14"
    assert stored.consent.complete
    assert stored.status is Status.DRAFT
    assert ui_repository.drafts() == []
    assert [e.action for e in ui_repository.audit_events()][-1] == "create"
    assert window.pages.currentWidget() is window.saved_page
    assert saved.reference in window.saved_page.reference.text()


OUT_OF_SCOPE = [
    ("outside_england_wales", {"offence_in_england_or_wales": "no"}, {}),
    ("not_sexual_offence_against_survivor", {"sexual_offence_against_survivor": "no"}, {}),
    ("not_under_18", {"under_18_at_offence": "no"}, {"began": ("", "6", "2008")}),
    ("not_reported_to_police", {"reported_to_police": "no"}, {}),
    ("prosecuted", {"decision": "prosecuted"}, {}),
    ("live_investigation", {"decision": "live"}, {}),
    ("new_evidence", {"new_evidence": "yes"}, {}),
    ("no_risk", {"offender_may_pose_risk": "no"}, {}),
    ("decision_after_cutoff", {}, {"decided": ("2", "7", "2019"), "ruleset": "csarp-2013"}),
]


@pytest.mark.parametrize(
    ("reason", "answers", "other"), OUT_OF_SCOPE, ids=[r[0] for r in OUT_OF_SCOPE]
)
def test_each_reason_a_case_is_out_of_scope_gives_its_advice(
    qtbot: QtBot,
    window: MainWindow,
    ui_repository: Repository,
    reason: str,
    answers: dict[str, str],
    other: dict[str, object],
) -> None:
    driver = start(qtbot, window, str(other.get("ruleset", "csarp-2025")))
    case = Case(answers={**ELIGIBLE, **answers})
    for name in ("began", "decided"):
        if name in other:
            setattr(case, name, other[name])
    driver.answer_questions(case)
    text = outcome_text(driver)
    assert "outside the Panel's terms" in text
    assert INSTEAD[reason] in text
    assert GUIDE_NOTE in text
    driver.fill_details(case)
    saved = save(qtbot, driver)
    (assessment,) = ui_repository.get(saved.id).assessments  # type: ignore[arg-type]
    assert assessment.outcome == "not_eligible"
    assert assessment.reasons == [reason]


def test_a_case_needing_more_information_says_what_to_find_out(
    qtbot: QtBot, window: MainWindow, ui_repository: Repository
) -> None:
    driver = start(qtbot, window)
    case = Case(answers={**ELIGIBLE, "decision": "unknown"}, decided=None)
    driver.answer_questions(case)
    text = outcome_text(driver)
    assert "You need to find out more" in text
    assert FIND_OUT["decision"] in text
    driver.fill_details(case)
    saved = save(qtbot, driver)
    (assessment,) = ui_repository.get(saved.id).assessments  # type: ignore[arg-type]
    assert (assessment.outcome, assessment.reasons) == ("more_information_needed", ["decision"])


def test_a_recent_decision_is_in_scope_through_the_widened_mandate_with_vrr(
    qtbot: QtBot, window: MainWindow, ui_repository: Repository
) -> None:
    driver = start(qtbot, window)
    case = Case(decided=("8", "10", "2026"))
    driver.answer_questions(case)
    text = outcome_text(driver)
    assert "announced on 16 January 2025" in text
    assert "1 April 2025" in text
    assert "Victims' Right to Review may be a quicker route" in text
    assert "end on 7 January 2027" in text
    driver.fill_details(case)
    saved = save(qtbot, driver)
    (assessment,) = ui_repository.get(saved.id).assessments  # type: ignore[arg-type]
    assert assessment.flags == ["widened_mandate", "vrr_may_apply", "route_via_original_force"]


def test_the_cps_decision_asks_for_the_cps_area(
    qtbot: QtBot, window: MainWindow, ui_repository: Repository
) -> None:
    driver = start(qtbot, window)
    case = Case(answers={**ELIGIBLE, "decision": "cps_nfa"}, cps_area="Cymru-Wales")
    driver.answer_questions(case)
    driver.fill_details(case)
    saved = save(qtbot, driver)
    stored = ui_repository.get(saved.id)  # type: ignore[arg-type]
    assert stored.case.decided_by == "cps"
    assert stored.case.cps_area == "Cymru-Wales"


def test_no_report_skips_the_questions_about_the_decision(qtbot: QtBot, window: MainWindow) -> None:
    driver = start(qtbot, window)
    driver.answer_questions(Case(answers={**ELIGIBLE, "reported_to_police": "no"}))
    visited = driver.wizard.draft.history
    assert Page.DECISION not in visited and Page.DECISION_DATE not in visited


def test_draft_is_saved_as_the_advocate_goes(
    qtbot: QtBot, window: MainWindow, ui_repository: Repository
) -> None:
    driver = start(qtbot, window)
    driver.choose("yes")
    driver.cont()
    assert len(ui_repository.drafts()) == 1  # saved on the page change
    driver.choose("unsure")
    # ... and within two seconds of stopping, without leaving the page.
    qtbot.waitUntil(
        lambda: (
            (ui_repository.load_draft(ui_repository.drafts()[0].id) or {})
            .get("referral", {})
            .get("eligibility", {})
            .get("answers", {})
            .get("sexual_offence_against_survivor")
            == "unsure"
        ),
        timeout=5000,
    )
    stored = Draft.from_dict(ui_repository.load_draft(ui_repository.drafts()[0].id) or {})
    assert stored.page is Page.AGAINST_SURVIVOR


def test_a_draft_that_cannot_be_written_says_why_and_keeps_what_was_typed(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from referral_app.storage.errors import WriteFailedError

    driver = start(qtbot, window)
    driver.choose("yes")

    def full(*args: object) -> int:
        raise WriteFailedError("the disk is full")

    monkeypatch.setattr(driver.wizard.repository, "save_draft", full)
    assert driver.wizard.save_draft() is False
    assert driver.wizard.draft_status.text() == (
        "The draft could not be saved just now (the disk is full)."
    )
    assert driver.widget.selected() == "yes"  # type: ignore[attr-defined]
