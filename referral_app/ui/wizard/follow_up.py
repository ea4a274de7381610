"""Next follow-up: a reminder of when to check on the referral next, and why.

Both parts are optional, but a date without a reason is a reminder nobody can act on, so a
date needs its purpose. The date is usually in the future, so the "today or in the past" rule
of other dates does not apply here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from referral_app.domain.advice import vrr_follow_up, vrr_window
from referral_app.domain.dates import PartialDate
from referral_app.domain.flow import Draft, Page
from referral_app.ui.widgets.error_summary import Problem
from referral_app.ui.widgets.partial_date import PartialDateEdit
from referral_app.ui.widgets.text import hint
from referral_app.ui.wizard.page import WizardPage
from referral_app.ui.wizard.survivor import (
    SizedLineEdit,
    add_field,
    check_day,
    date_answer,
    load_day,
    optional,
    read_day,
    space_questions,
    text_answer,
    without_optional,
)

DUE = optional("Follow-up date")
PURPOSE = "What the follow-up is for"
DUE_KEY = "follow_up.due"
DUE_MESSAGE = "Enter the follow-up date, including the day"
PURPOSE_MESSAGE = "Enter what the follow-up is for"
#: The quick picks: (button text, days from today).
QUICK_PICKS = (("In &2 weeks", 14), ("In &4 weeks", 28))


class FollowUpPage(WizardPage):
    page = Page.FOLLOW_UP
    title = "Next follow-up"
    help_text = (
        "A reminder of when to check on this referral next, for example to chase a reply from "
        "the force or to call the survivor with news. You can leave this empty and set it "
        "later."
    )

    def __init__(
        self, parent: QWidget | None = None, *, today: Callable[[], date] = date.today
    ) -> None:
        super().__init__(parent)
        space_questions(self)
        self._today = today
        self.due = self.register_date(
            PartialDateEdit(
                DUE, "of the follow-up", "For example, 27 3 2026, or pick one below.", parent=self
            )
        )
        block = QVBoxLayout()
        block.setSpacing(self.fontMetrics().height())
        block.addWidget(self.due)
        picks = QHBoxLayout()
        picks.setSpacing(self.fontMetrics().horizontalAdvance("00"))
        self.quick_picks: list[QPushButton] = []
        for text, days in QUICK_PICKS:
            button = QPushButton(text, self)
            button.setObjectName("secondaryButton")
            plain = text.replace("&", "")
            button.setAccessibleName(f"Set the follow-up date {plain.lower()}")
            button.clicked.connect(lambda _=False, days=days: self.pick(days))
            picks.addWidget(button)
            self.quick_picks.append(button)
        picks.addStretch(1)
        block.addLayout(picks)
        # Offered when the decision's Victims' Right to Review window is still open.
        self.vrr_note = hint("", self)
        self.vrr_button = QPushButton("Use the &VRR deadline", self)
        self.vrr_button.setObjectName("secondaryButton")
        self.vrr_button.setAccessibleName(
            "Set the follow-up a week before the Victims' Right to Review window ends"
        )
        self.vrr_button.clicked.connect(self.pick_vrr)
        vrr_row = QHBoxLayout()
        vrr_row.addWidget(self.vrr_button)
        vrr_row.addStretch(1)
        block.addWidget(self.vrr_note)
        block.addLayout(vrr_row)
        self._vrr: tuple[date, str] | None = None
        self.body.addLayout(block)
        self.purpose = SizedLineEdit(50, self)
        add_field(
            self,
            PURPOSE,
            self.purpose,
            "Needed if you set a date. For example, call the force about their reply.",
            narrow=True,
        )
        self.purpose.textEdited.connect(self.changed)

    def pick(self, days: int) -> None:
        """Fill in the date ``days`` from today (a quick pick is an edit, so it is saved)."""
        self.due.setValue(PartialDate.from_date(self._today() + timedelta(days=days)))
        self.changed.emit()

    def pick_vrr(self) -> None:
        """Fill in the follow-up for the VRR window: its date and what it is for."""
        if self._vrr is None:
            return
        due, purpose = self._vrr
        self.due.setValue(PartialDate.from_date(due))
        self.purpose.setText(purpose)
        self.changed.emit()

    def _offer_vrr(self, draft: Draft) -> None:
        today = self._today()
        window = vrr_window(draft.eligibility_answers(), today)
        self._vrr = None if window is None else vrr_follow_up(window, today)
        if self._vrr is not None and window is not None:
            self.vrr_note.setText(
                f"The Victims' Right to Review window for this decision: {window.words}"
            )
        self.vrr_note.setVisible(self._vrr is not None)
        self.vrr_button.setVisible(self._vrr is not None)

    def first_field(self) -> QWidget | None:
        return self.due

    def load(self, draft: Draft) -> None:
        self._offer_vrr(draft)
        follow_up = draft.referral.follow_up
        blocked = self.blockSignals(True)  # showing the draft is not an edit
        try:
            load_day(self.due, draft, DUE_KEY, follow_up.due)
            self.purpose.setText(follow_up.purpose)
        finally:
            self.blockSignals(blocked)

    def store(self, draft: Draft) -> None:
        follow_up = draft.referral.follow_up
        follow_up.due = read_day(self.due, draft, DUE_KEY)
        follow_up.purpose = self.purpose.text().strip()

    def validate(self, draft: Draft, today: date) -> list[Problem]:
        problems = []
        # No latest date: a follow-up is meant to be in the future.
        message = check_day(self.due, date.max, DUE_MESSAGE, required=False)
        if message:
            problems.append(Problem(message, self.due))
        if not self.due.is_empty() and not self.purpose.text().strip():
            problems.append(Problem(PURPOSE_MESSAGE, self.purpose))
        return problems

    def summary(self, draft: Draft) -> list[tuple[str, str]]:
        follow_up = draft.referral.follow_up
        return [
            (without_optional(DUE), date_answer(follow_up.due, draft, DUE_KEY)),
            (PURPOSE, text_answer(follow_up.purpose)),
        ]
