"""When the decision was made: approximate, or not known."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QCheckBox, QWidget

from referral_app.domain.flow import Draft, Page
from referral_app.ui.widgets.error_summary import Problem
from referral_app.ui.widgets.partial_date import PartialDateEdit
from referral_app.ui.wizard.page import WizardPage

NOT_KNOWN_KEY = "decision_date_not_known"
ENTER_OR_NOT_KNOWN = "Enter the date the decision was made, or select that it is not known"


class DecisionDatePage(WizardPage):
    page = Page.DECISION_DATE
    title = "When was the decision made?"
    help_text = (
        "The decision letter gives the date. An approximate date is fine: the year, or the month "
        "and year. Since January 2025 the Panel can look at decisions made at any time, "
        "including after 2013; a recent decision may have a quicker route."
    )

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.date = self.register_date(
            PartialDateEdit(
                "Date of the decision",
                "the decision was made",
                "For example, 14 3 2009, or 3 2009, or 2009.",
                parent=self,
            )
        )
        self.not_known = QCheckBox("The date is not known", self)
        self.not_known.setAccessibleName("The date of the decision is not known")
        self.not_known.toggled.connect(self._not_known_toggled)
        self.body.addWidget(self.date)
        self.body.addWidget(self.not_known)

    def _not_known_toggled(self, checked: bool) -> None:
        if checked:
            self.date.clear_error()
        self.changed.emit()

    def first_field(self) -> QWidget | None:
        return self.date

    def field_for_key(self, key: str) -> QWidget | None:
        return self.date if key == "decision_date" else None

    def load(self, draft: Draft) -> None:
        self.load_date(self.date, draft, "decision_date", draft.referral.case.decision_date)
        self.not_known.setChecked(draft.raw.get(NOT_KNOWN_KEY) == ["yes"])

    def store(self, draft: Draft) -> None:
        value = self.read_date(self.date, draft, "decision_date")
        if self.not_known.isChecked():
            draft.raw[NOT_KNOWN_KEY] = ["yes"]
            value = None
        else:
            draft.raw.pop(NOT_KNOWN_KEY, None)
        draft.referral.case.decision_date = value

    def validate(self, draft: Draft, today: date) -> list[Problem]:
        if self.not_known.isChecked():
            if self.date.is_empty():
                return []
            both = "Remove the date, or untick 'The date is not known'"
            return [Problem(both, self.date)]
        if self.date.is_empty():
            return [Problem(ENTER_OR_NOT_KNOWN, self.date)]
        message = self.date.check(today)
        return [Problem(message, self.date)] if message else []

    def summary(self, draft: Draft) -> list[tuple[str, str]]:
        value = draft.referral.case.decision_date
        return [(self.title, value.describe() if value else "Not known")]
