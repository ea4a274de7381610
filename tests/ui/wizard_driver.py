"""Drives the real guided form the way an advocate does: clicks, typing and keys."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QAbstractButton, QCheckBox, QRadioButton, QWidget
from pytestqt.qtbot import QtBot

from referral_app.domain.flow import Page
from referral_app.ui.widgets.partial_date import PartialDateEdit
from referral_app.ui.wizard.page import WizardPage
from referral_app.ui.wizard.wizard import ReferralWizard

TODAY = date(2026, 11, 21)

#: A case that meets every criterion; tests change one thing at a time.
ELIGIBLE: dict[str, str] = {
    "offence_in_england_or_wales": "yes",
    "sexual_offence_against_survivor": "yes",
    "under_18_at_offence": "yes",
    "reported_to_police": "yes",
    "decision": "police_nfa",
    "new_evidence": "no",
    "offender_may_pose_risk": "yes",
    "suspect_interviewed": "yes",
    "group_based": "no",
}


@dataclass
class Case:
    answers: dict[str, str] = field(default_factory=lambda: dict(ELIGIBLE))
    birth: tuple[str, str, str] = ("1", "5", "1990")
    began: tuple[str, str, str] = ("", "", "2003")
    decided: tuple[str, str, str] | None = ("14", "3", "2009")
    name: str = "Zelda Quartermaine"
    force: str = "Kent"
    cps_area: str | None = None


class Driver:
    def __init__(self, qtbot: QtBot, wizard: ReferralWizard) -> None:
        self.qtbot = qtbot
        self.wizard = wizard

    @property
    def page(self) -> Page:
        return self.wizard.draft.page

    @property
    def widget(self) -> WizardPage:
        return self.wizard.current

    def click(self, button: QAbstractButton) -> None:
        """Click where a person would: on the indicator and label, not the empty space after."""
        if isinstance(button, QRadioButton | QCheckBox):
            point = QPoint(8, button.height() // 2)
            self.qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=point)
        else:
            self.qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    def cont(self) -> None:
        self.click(self.wizard.continue_button)

    def back(self) -> None:
        self.click(self.wizard.back_button)

    def choose(self, value: str) -> None:
        radio = self.widget.radios[value]  # type: ignore[attr-defined]
        self.click(radio)
        assert radio.isChecked()

    def type_date(self, widget: PartialDateEdit, parts: tuple[str, str, str]) -> None:
        boxes = (widget.day_box, widget.month_box, widget.year_box)
        for box, text in zip(boxes, parts, strict=True):
            box.clear()
            if text:
                self.qtbot.keyClicks(box, text)

    def type_into(self, widget: QWidget, text: str) -> None:
        self.qtbot.keyClicks(widget, text)

    def answer_questions(self, case: Case) -> None:
        """From the first question to the outcome page."""
        while self.page is not Page.OUTCOME:
            page = self.page
            if page is Page.AGE:
                age = self.widget
                self.type_date(age.birth, case.birth)  # type: ignore[attr-defined]
                self.type_date(age.began, case.began)  # type: ignore[attr-defined]
                answer = case.answers.get("under_18_at_offence")
                if answer is not None:
                    self.choose(answer)
            elif page is Page.DECISION_DATE:
                if case.decided is None:
                    self.click(self.widget.not_known)  # type: ignore[attr-defined]
                else:
                    self.type_date(self.widget.date, case.decided)  # type: ignore[attr-defined]
            else:
                key = self.widget.key  # type: ignore[attr-defined]
                # The questions that change flags only default to "Not sure".
                optional = key in ("suspect_interviewed", "group_based")
                self.choose(case.answers.get(key, "unsure") if optional else case.answers[key])
            self.cont()
            assert self.page is not page, self.widget.error_summary.messages()

    def fill_details(self, case: Case) -> None:
        """From the outcome page to the check page, with what a referral needs."""
        assert self.page is Page.OUTCOME
        self.cont()
        assert self.page is Page.SURVIVOR
        self.type_into(self.widget.full_name, case.name)  # type: ignore[attr-defined]
        self.cont()
        assert self.page is Page.CONTACT
        self.cont()
        assert self.page is Page.CASE
        force = self.widget.force  # type: ignore[attr-defined]
        self.type_into(force.lineEdit(), case.force)
        if case.cps_area is not None:
            self.widget.cps_area.setCurrentText(case.cps_area)  # type: ignore[attr-defined]
        self.cont()
        assert self.page is Page.CONSENT, self.widget.error_summary.messages()
        for box in self.widget.parts.values():  # type: ignore[attr-defined]
            self.click(box)
        self.type_date(self.widget.given, ("2", "11", "2026"))  # type: ignore[attr-defined]
        self.click(self.widget.method.radios["verbal"])  # type: ignore[attr-defined]
        self.cont()
        assert self.page is Page.FOLLOW_UP, self.widget.error_summary.messages()
        self.cont()
        assert self.page is Page.CHECK, self.widget.error_summary.messages()
