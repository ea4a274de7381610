"""Age at the time: the dates, what they show, and the advocate's confirmation."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from referral_app.domain.advice import QUESTIONS
from referral_app.domain.dates import PartialDateError
from referral_app.domain.eligibility import derive_under_18
from referral_app.domain.flow import Draft, Page
from referral_app.ui.widgets.error_summary import Problem
from referral_app.ui.widgets.partial_date import PartialDateEdit
from referral_app.ui.widgets.text import heading
from referral_app.ui.wizard.choice import NOT_SURE, ChoicePage, Option

_APPROXIMATE = "If you only know the year, or the month and year, that is enough."


class AgePage(ChoicePage):
    page = Page.AGE
    key = "under_18_at_offence"
    title = QUESTIONS["under_18_at_offence"]
    help_text = (
        "The Panel looks at abuse that began when the survivor was a child (under 18). "
        "Approximate dates are fine; when they settle it, the answer is filled in for you to "
        "check."
    )
    options = (
        Option("yes", "Yes, under 18"),
        Option("no", "No, 18 or over"),
        NOT_SURE,
    )
    required_message = "Select whether the survivor was under 18 when the abuse began"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        for date_widget in (self.birth, self.began):
            date_widget.changed.connect(self._update_finding)
        self._update_finding()

    def build_before_choices(self) -> None:
        """The dates first, then what they show, then (below) the answer to confirm."""
        self.birth = self.register_date(
            PartialDateEdit("Date of birth", "of birth", _APPROXIMATE, parent=self)
        )
        self.began = self.register_date(
            PartialDateEdit("When the abuse began", "the abuse began", _APPROXIMATE, parent=self)
        )
        self.ended = self.register_date(
            PartialDateEdit(
                "When it ended (optional)",
                "the abuse ended",
                "Leave empty if it happened once, or if it is not known.",
                parent=self,
            )
        )
        self.finding = QFrame(self)
        self.finding.setObjectName("insetText")
        finding_layout = QVBoxLayout(self.finding)
        self.finding_text = QLabel(self.finding)
        self.finding_text.setWordWrap(True)
        finding_layout.addWidget(self.finding_text)
        self.question = heading("Was the survivor under 18 when the abuse began?", self, level=3)
        for widget in (self.birth, self.began, self.ended, self.finding, self.question):
            self.body.addWidget(widget)

    def _derived(self) -> str | None:
        try:
            born, began = self.birth.value(), self.began.value()
        except PartialDateError:
            return None
        if born is None or began is None:
            return None
        return derive_under_18(born, began)

    def _update_finding(self) -> None:
        derived = self._derived()
        if derived is None:
            self.finding.hide()
            return
        age = "under 18" if derived == "yes" else "18 or over"
        self.finding_text.setText(
            f"From these dates, the survivor was {age} when the abuse began. Check the answer "
            "below."
        )
        self.finding_text.setAccessibleName(self.finding_text.text())
        self.finding.show()
        if self.selected() in (None, "unsure"):
            self.select(derived)

    def first_field(self) -> QWidget | None:
        return self.birth

    def field_for_key(self, key: str) -> QWidget | None:
        fields: dict[str, QWidget] = {
            "date_of_birth": self.birth,
            "offence_start": self.began,
            "offence_end": self.ended,
            "under_18_at_offence": self.group_box,
        }
        return fields.get(key)

    def load(self, draft: Draft) -> None:
        referral = draft.referral
        self.load_date(self.birth, draft, "date_of_birth", referral.survivor.date_of_birth)
        self.load_date(self.began, draft, "offence_start", referral.case.offence_start)
        self.load_date(self.ended, draft, "offence_end", referral.case.offence_end)
        super().load(draft)
        self._update_finding()

    def store(self, draft: Draft) -> None:
        referral = draft.referral
        referral.survivor.date_of_birth = self.read_date(self.birth, draft, "date_of_birth")
        referral.case.offence_start = self.read_date(self.began, draft, "offence_start")
        referral.case.offence_end = self.read_date(self.ended, draft, "offence_end")
        super().store(draft)

    def validate(self, draft: Draft, today: date) -> list[Problem]:
        problems = []
        for widget in (self.birth, self.began, self.ended):
            message = widget.check(today)
            if message:
                problems.append(Problem(message, widget))
        return problems + super().validate(draft, today)

    def summary(self, draft: Draft) -> list[tuple[str, str]]:
        referral = draft.referral
        dates = (
            ("Date of birth", referral.survivor.date_of_birth),
            ("When the abuse began", referral.case.offence_start),
            ("When it ended", referral.case.offence_end),
        )
        rows = [(label, value.describe() if value else "Not given") for label, value in dates]
        answer = self.label_of(draft.referral.answers.get(self.key))
        return [*rows, ("Under 18 when the abuse began", answer)]
