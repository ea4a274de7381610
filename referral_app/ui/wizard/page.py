"""What every page of the guided form shares: the GOV.UK question-page layout and contract.

A page copies the draft into its widgets (``load``), copies its widgets back into the draft
(``store``, always, even when what is typed is not valid yet, so nothing is lost), and says
what is wrong (``validate``) only when the advocate presses Continue.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QLayout, QScrollArea, QVBoxLayout, QWidget

from referral_app.domain.dates import PartialDate, PartialDateError
from referral_app.domain.eligibility import InvalidAnswers, assess
from referral_app.domain.flow import Draft, Page
from referral_app.ui.widgets.error_summary import ErrorSummary, Problem
from referral_app.ui.widgets.partial_date import PartialDateEdit
from referral_app.ui.widgets.text import field_error, heading, hint, mark_invalid, show_field_error

#: Question pages are easier to read in a column of about this many characters.
READING_WIDTH_CHARS = 75


class WizardPage(QWidget):
    """Base of every page. Subclasses set ``page`` and ``title`` and fill ``self.body``."""

    page: Page
    title: str = ""
    help_text: str = ""
    #: The wizard's Continue button says this on the page (e.g. "Save referral").
    continue_label: str = "Continue"

    changed = Signal()
    #: Asks the wizard to show another page (the value of a ``Page``), e.g. a Change link.
    navigate = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"page_{self.page.value}")
        self.setAccessibleName(self.title)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(32, 24, 32, 24)
        outer.setSpacing(14)
        self.error_summary = ErrorSummary(self)
        outer.addWidget(self.error_summary)
        self.heading = heading(self.title, self)
        outer.addWidget(self.heading)
        self.help = hint(self.help_text, self)
        self.help.setVisible(bool(self.help_text))
        outer.addWidget(self.help)
        self.body = QVBoxLayout()
        self.body.setSpacing(12)
        outer.addLayout(self.body)
        outer.addStretch(1)
        width = self.fontMetrics().averageCharWidth() * READING_WIDTH_CHARS
        self.setMaximumWidth(max(width, 640) + 64)
        self._errors: dict[QWidget, QLabel] = {}
        self._dates: list[PartialDateEdit] = []

    # The contract with the wizard

    def load(self, draft: Draft) -> None:
        """Show what the draft holds."""

    def store(self, draft: Draft) -> None:
        """Copy every field into the draft, valid or not."""

    def validate(self, draft: Draft, today: date) -> list[Problem]:
        """The problems to fix before the advocate may go on (none by default)."""
        return []

    def summary(self, draft: Draft) -> list[tuple[str, str]]:
        """(question, answer) rows for the check-your-answers page."""
        return []

    def first_field(self) -> QWidget | None:
        """Where the keyboard focus goes when the page is shown."""
        return None

    def field_for_key(self, key: str) -> QWidget | None:
        """The field that answers eligibility ``key``, for problems the rules find."""
        return None

    def clear_body(self) -> None:
        """Remove everything from the body (pages that are rebuilt each time they are shown)."""
        _empty_layout(self.body)

    # Dates

    def register_date(self, widget: PartialDateEdit) -> PartialDateEdit:
        """Dates show their own messages; the page only needs to know they are there."""
        self._dates.append(widget)
        widget.changed.connect(self.changed)
        return widget

    @staticmethod
    def load_date(
        widget: PartialDateEdit, draft: Draft, key: str, value: PartialDate | None
    ) -> None:
        """Show the stored date, or the text typed last time if it was not a date yet."""
        typed = draft.raw.get(key)
        if typed and len(typed) == 3:
            widget.set_texts(*typed)
        else:
            widget.setValue(value)

    @staticmethod
    def read_date(widget: PartialDateEdit, draft: Draft, key: str) -> PartialDate | None:
        """The date if it is one; otherwise keep the typed text in the draft and give None."""
        try:
            value = widget.value()
        except PartialDateError:
            draft.raw[key] = list(widget.texts())
            return None
        draft.raw.pop(key, None)
        return value

    # Errors

    def error_label_for(self, field: QWidget) -> QLabel:
        """The error line that belongs to ``field``; add it to the layout beside the field."""
        label = self._errors.get(field)
        if label is None:
            label = field_error(self)
            self._errors[field] = label
        return label

    def show_problems(self, problems: Sequence[Problem]) -> None:
        """Show the summary and a message by each field (or clear them all)."""
        by_field = {problem.field: problem.message for problem in problems if problem.field}
        for widget in self._dates:
            widget.set_error(by_field.get(widget))
        for field, label in self._errors.items():
            message = by_field.get(field)
            show_field_error(label, message)
            mark_invalid(field, message is not None)
        self.error_summary.show_problems(problems)
        if not problems:
            return
        self.error_summary.setFocus(Qt.FocusReason.OtherFocusReason)


def show_page(scroller: QScrollArea, page: WizardPage, draft: Draft, keeper: QWidget) -> None:
    """Load ``page`` from ``draft`` and make it the scroll area's own widget.

    Not a stack of every page: the scroll range is then this page's height, so wrapped text
    gets the height it needs. The page it replaces is hidden and kept by ``keeper``.
    """
    page.show_problems([])
    page.load(draft)
    shown = scroller.widget()
    if shown is page:
        return
    if shown is not None:
        scroller.takeWidget()
        shown.hide()
        shown.setParent(keeper)
    scroller.setWidget(page)
    page.show()


def rule_problems(page: WizardPage, draft: Draft, today: date) -> list[Problem]:
    """Answers that cannot be true together: by the field when it is on ``page``, else in
    the summary only (the answer on the other page, or this one, must change)."""
    try:
        assess(draft.eligibility_answers(), draft.ruleset, today)
    except InvalidAnswers as invalid:
        return [
            Problem(error.message[:1].upper() + error.message[1:], page.field_for_key(error.key))
            for error in invalid.errors
        ]
    return []


def _empty_layout(layout: QLayout) -> None:
    while (item := layout.takeAt(0)) is not None:
        widget = item.widget()
        child = item.layout()
        if widget is not None:
            widget.deleteLater()
        elif child is not None:
            _empty_layout(child)
