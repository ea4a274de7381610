"""The eligibility question pages, in the form's order, for the form and for Change answers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtWidgets import QWidget

from referral_app.ui.wizard.against_survivor import AgainstSurvivorPage
from referral_app.ui.wizard.age import AgePage
from referral_app.ui.wizard.decision import DecisionPage
from referral_app.ui.wizard.decision_date import DecisionDatePage
from referral_app.ui.wizard.group_based import GroupBasedPage
from referral_app.ui.wizard.new_evidence import NewEvidencePage
from referral_app.ui.wizard.outcome import OutcomePage
from referral_app.ui.wizard.page import WizardPage
from referral_app.ui.wizard.reported import ReportedPage
from referral_app.ui.wizard.risk import RiskPage
from referral_app.ui.wizard.suspect_interviewed import SuspectInterviewedPage
from referral_app.ui.wizard.where import WherePage


def question_pages(today: Callable[[], date], parent: QWidget) -> list[WizardPage]:
    """Every question page and then the result page (``domain.flow`` decides which show)."""
    return [
        WherePage(parent),
        AgainstSurvivorPage(parent),
        AgePage(parent),
        ReportedPage(parent),
        DecisionPage(parent),
        DecisionDatePage(parent),
        SuspectInterviewedPage(parent),
        NewEvidencePage(parent),
        RiskPage(parent),
        GroupBasedPage(parent),
        OutcomePage(today, parent),
    ]
