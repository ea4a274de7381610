"""The outcome: the result in one sentence, then why, criterion by criterion, and what next.

Not being eligible is an outcome, never an error: the page explains and points to what the
survivor can do instead.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from referral_app.domain.advice import (
    OUTCOME_SENTENCES,
    QUESTIONS,
    STATUS_WORDS,
    advice_for,
    answer_words,
    decided_by_name,
    other_routes_for,
)
from referral_app.domain.dates import PartialDate, describe_day
from referral_app.domain.eligibility import RULESETS, Assessment, InvalidAnswers, assess
from referral_app.domain.flow import Draft, Page, page_for_key
from referral_app.domain.support import case_facts, services_for
from referral_app.services.support import support_list
from referral_app.ui.guide.support import SupportPanel
from referral_app.ui.widgets.error_summary import Problem
from referral_app.ui.widgets.text import heading
from referral_app.ui.wizard.page import WizardPage


def _paragraph(text: str, parent: QWidget, name: str = "") -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setAccessibleName(text)
    if name:
        label.setObjectName(name)
    return label


class OutcomePage(WizardPage):
    page = Page.OUTCOME
    title = "What the answers mean"
    continue_label = "Continue to referral details"

    def __init__(self, today: Callable[[], date], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._today = today
        self.assessment: Assessment | None = None
        self._invalid: list[Problem] = []

    def load(self, draft: Draft) -> None:
        self.clear_body()
        try:
            self.assessment = assess(draft.eligibility_answers(), draft.ruleset, self._today())
        except InvalidAnswers as problem:
            self.assessment = None
            self._show_invalid(problem)
            return
        self._show(self.assessment, draft)

    def validate(self, draft: Draft, today: date) -> list[Problem]:
        return list(self._invalid) if self.assessment is None else []

    def _show_invalid(self, problem: InvalidAnswers) -> None:
        """Answers that do not fit together: each with a link to the page to change it."""
        self.body.addWidget(
            _paragraph("Some answers do not fit together. Change them to see the result.", self)
        )
        self._invalid = []
        for error in problem.errors:
            page = page_for_key(error.key)
            message = error.message[:1].upper() + error.message[1:]
            row = QPushButton(f"Change: {message}", self)
            row.setObjectName("changeLink")
            row.setAccessibleName(f"Change: {message}")
            if page is not None:
                row.clicked.connect(lambda _=False, p=page: self.navigate.emit(p.value))
            self.body.addWidget(row)
            self._invalid.append(Problem(message, row))
        self.show_problems(self._invalid)

    def _show(self, assessment: Assessment, draft: Draft) -> None:
        panel = QFrame(self)
        panel.setObjectName("outcomePanel")
        panel_layout = QVBoxLayout(panel)
        sentence = _paragraph(OUTCOME_SENTENCES[assessment.outcome], panel, "outcomeSentence")
        font = sentence.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        sentence.setFont(font)
        panel_layout.addWidget(sentence)
        self.body.addWidget(panel)
        self.outcome_sentence = sentence

        self.body.addWidget(heading("Question by question", self, level=2))
        self.body.addLayout(self._criteria_grid(assessment))
        self._show_advice(assessment, draft)

    def _criteria_grid(self, assessment: Assessment) -> QGridLayout:
        grid = QGridLayout()
        grid.setHorizontalSpacing(18)
        grid.setVerticalSpacing(8)
        for column, title in enumerate(("Question", "Answer given", "Result")):
            header = _paragraph(title, self, "fieldLabel")
            grid.addWidget(header, 0, column)
        for row, criterion in enumerate(assessment.criteria, start=1):
            if criterion.key == "decision_date" and criterion.answer:
                answer = PartialDate.parse(criterion.answer).describe()
            else:
                answer = answer_words(criterion.answer)
            if criterion.derived:
                answer += " (from the dates)"
            result = STATUS_WORDS[criterion.status]
            cells = (QUESTIONS.get(criterion.key, criterion.question), answer, result)
            for column, text in enumerate(cells):
                name = f"criterion_{criterion.status.value}" if column == 2 else ""
                cell = _paragraph(text, self, name)
                grid.addWidget(cell, row, column, Qt.AlignmentFlag.AlignTop)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        grid.setColumnStretch(2, 1)
        return grid

    def _show_advice(self, assessment: Assessment, draft: Draft) -> None:
        answers = draft.eligibility_answers()
        advice = advice_for(assessment, answers, decided_by_name(draft.referral.case))
        sections = (
            ("What the survivor can do instead", advice.instead + advice.routes, "advice"),
            ("What to find out", advice.find_out, "advice"),
        )
        for title, texts, name in sections:
            if texts:
                self.body.addWidget(heading(title, self, level=2))
                for text in texts:
                    self.body.addWidget(_paragraph(f"• {text}", self, name))
        if advice.flags:
            self.body.addWidget(heading("Also", self, level=2))
            for flag in advice.flags:
                self.body.addWidget(_paragraph(f"• {flag.text}", self, f"flag_{flag.flag}"))
        others = other_routes_for(assessment, answers)
        if others:
            self.body.addWidget(heading("Other routes", self, level=2))
            for text in others:
                self.body.addWidget(_paragraph(f"• {text}", self, "otherRoute"))
        self.body.addWidget(heading("Support for the survivor", self, level=2))
        today = self._today()
        services = services_for(support_list(), case_facts(draft.referral, today))
        self.support = SupportPanel(services, None, self._today, self)
        self.body.addWidget(self.support)

        warning = QFrame(self)
        warning.setObjectName("warningText")
        warning_layout = QVBoxLayout(warning)
        for note in advice.notes:
            warning_layout.addWidget(_paragraph(note, warning, "guideNote"))
        self.body.addWidget(warning)
        ruleset = RULESETS[assessment.ruleset].title
        when = describe_day(assessment.today)
        self.body.addWidget(_paragraph(f"Checked under the {ruleset}, on {when}.", self, "hint"))

    def summary(self, draft: Draft) -> list[tuple[str, str]]:
        if self.assessment is None:
            return []
        return [("Result", OUTCOME_SENTENCES[self.assessment.outcome])]
