"""Changing a saved referral's eligibility answers: the form's own question pages, then the
result under the current rules, kept as a new assessment in the referral's history.

The questions come one at a time, as in the form, because which of them matter depends on the
answers (a case never reported has no decision to ask about). Continue checks each page as the
form does; the last step shows what the answers now mean, and saving writes the answers and
the new assessment in one transaction. Cancel, or Esc, leaves the record as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from referral_app.domain.eligibility import DATE_KEYS, DEFAULT_RULESET, InvalidAnswers, assess
from referral_app.domain.flow import (
    PAGE_KEYS,
    QUESTION_PAGES,
    Draft,
    Page,
    applicable_pages,
    next_page,
)
from referral_app.domain.referral import AssessmentRecord, Referral, StatusChangeError, utc_now
from referral_app.storage.errors import StorageError
from referral_app.storage.repository import Repository
from referral_app.ui.record import pending
from referral_app.ui.widgets.conflict import Choice, ask, differences
from referral_app.ui.widgets.error_summary import Problem
from referral_app.ui.wizard.page import WizardPage, rule_problems, show_page
from referral_app.ui.wizard.questions import question_pages

SAVE_LABEL = "Save answers and result"


def apply_answers(target: Referral, edited: Draft, record: AssessmentRecord) -> Referral:
    """``target`` with the edited eligibility answers, their dates and the new assessment.

    Only what the question pages own is copied, so anything else stored since the dialog
    opened stays as it is.
    """
    answers = edited.eligibility_answers()
    result = target.clone()
    result.answers = {
        key: value for key, value in edited.referral.answers.items() if key not in DATE_KEYS
    }
    result.survivor.date_of_birth = edited.referral.survivor.date_of_birth
    case, source = result.case, edited.referral.case
    case.offence_start, case.offence_end = source.offence_start, source.offence_end
    case.decision_date, case.decided_by = source.decision_date, source.decided_by
    record.answers = dict(answers)
    result.assessments.append(record)
    return result


class EligibilityDialog(QDialog):
    """The question pages for a saved referral, Back and Continue, then the new result."""

    def __init__(
        self,
        repository: Repository,
        referral: Referral,
        *,
        start: Page = Page.WHERE,
        today: Callable[[], date] = date.today,
        parent: QWidget | None = None,
        restored: Draft | None = None,
    ) -> None:
        super().__init__(parent)
        if referral.id is None:
            raise ValueError("only a saved referral can be changed")
        self._repository = repository
        self._referral_id = referral.id
        self._today = today
        #: The record as stored after saving; None until then.
        self.saved: Referral | None = None
        self.draft = restored or Draft(referral=referral.clone(), ruleset=DEFAULT_RULESET)
        self._as_stored = referral.clone()
        self.pages: dict[Page, WizardPage] = {}
        self.setWindowTitle(f"Change eligibility answers: {referral.reference}")
        self.setAccessibleName("Change eligibility answers")
        self.setModal(True)
        self._build()
        self._show(self.draft.page if restored is not None else start)

    def _build(self) -> None:
        kinds = question_pages(self._today, self)
        for page in kinds:
            page.hide()
            page.navigate.connect(self._change)
            self.pages[page.page] = page
        self.progress = QLabel(self)
        self.progress.setObjectName("hint")
        self.progress.setWordWrap(True)
        self.progress.setContentsMargins(32, 12, 32, 0)
        self.scroller = QScrollArea(self)
        self.scroller.setWidgetResizable(True)
        self.scroller.setFrameShape(QFrame.Shape.NoFrame)
        self.scroller.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.back_button = self._button("&Back", "secondaryButton", self.go_back)
        self.continue_button = self._button("&Continue", "primaryButton", self.go_on)
        self.continue_button.setDefault(True)
        self.cancel_button = self._button("Cancel", "secondaryButton", self.reject)
        self.cancel_button.setToolTip("Close without saving; the record stays as it was")
        bar = QHBoxLayout()
        bar.setContentsMargins(32, 8, 32, 16)
        bar.setSpacing(self.fontMetrics().horizontalAdvance("000"))
        bar.addWidget(self.back_button)
        bar.addWidget(self.continue_button)
        bar.addStretch(1)
        bar.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.progress)
        layout.addWidget(self.scroller, 1)
        layout.addLayout(bar)
        self._fit_to_screen()

    def _button(self, text: str, style: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(style)
        button.setAccessibleName(text.replace("&", ""))
        button.clicked.connect(slot)
        return button

    def _fit_to_screen(self) -> None:
        """As wide as a page's reading column, and tall enough for most pages, on screen."""
        page = self.pages[Page.AGE]  # the longest question page
        width = page.maximumWidth() + self.scroller.verticalScrollBar().sizeHint().width()
        height = page.sizeHint().height() + self.continue_button.sizeHint().height() * 3
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is not None:
            room = screen.availableGeometry()
            width = min(width, room.width() - 40)
            height = min(height, round(room.height() * 0.85))
        self.resize(width, height)

    # Where we are

    @property
    def current(self) -> WizardPage:
        return self.pages[self.draft.page]

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        first = self.current.first_field()
        (first or self.continue_button).setFocus(Qt.FocusReason.OtherFocusReason)

    def _show(self, page: Page) -> None:
        self.draft.page = page
        widget = self.pages[page]
        show_page(self.scroller, widget, self.draft, self)
        label = SAVE_LABEL if page is Page.OUTCOME else "Continue"
        self.continue_button.setText(f"&{label}")
        self.continue_button.setAccessibleName(label)
        self.back_button.setEnabled(bool(self.draft.history))
        self.progress.setText(self._progress_text(page))
        self.scroller.verticalScrollBar().setValue(0)
        first = widget.first_field()
        (first or self.continue_button).setFocus(Qt.FocusReason.OtherFocusReason)

    def _progress_text(self, page: Page) -> str:
        if page is Page.OUTCOME:
            return "The result under the current rules"
        questions = [
            p for p in applicable_pages(self.draft.eligibility_answers()) if p in QUESTION_PAGES
        ]
        if page not in questions:
            return "Eligibility questions"
        return f"Eligibility: question {questions.index(page) + 1} of {len(questions)}"

    # Moving

    def go_on(self) -> None:
        """Continue: check this page, then show the next question, the result, or save."""
        page = self.current
        page.store(self.draft)
        problems = page.validate(self.draft, self._today())
        if not problems and page.page in QUESTION_PAGES:
            problems = rule_problems(page, self.draft, self._today())
        if problems:
            self._show_problems(problems)
            return
        page.show_problems([])
        if page.page is Page.OUTCOME:
            self.save()
            return
        self.draft.history.append(page.page)
        after = next_page(page.page, self.draft.eligibility_answers())
        self._show(after if after in QUESTION_PAGES else Page.OUTCOME)

    def go_back(self) -> None:
        """Back: keep what is on this page, unchecked, and show the one before."""
        self.current.store(self.draft)
        if self.draft.history:
            self._show(self.draft.history.pop())

    def _change(self, page_value: str) -> None:
        """A link on the result page to an answer that does not fit: go back to it."""
        self.current.store(self.draft)
        self.draft.history.append(self.draft.page)
        self._show(Page(page_value))

    def _show_problems(self, problems: list[Problem]) -> None:
        self.current.show_problems(problems)
        self.scroller.verticalScrollBar().setValue(0)

    def _date_not_finished(self, page: WizardPage) -> bool:
        keys = {"date_of_birth", "offence_start", "offence_end", "decision_date"}
        applicable = applicable_pages(self.draft.eligibility_answers())
        return page.page in applicable and any(
            key in self.draft.raw for key in keys & set(PAGE_KEYS.get(page.page, ()))
        )

    def prepare_for_lock(self) -> None:
        """The app is locking: keep the answers as typed, to be offered again on unlocking."""
        self.current.store(self.draft)
        if self.draft.referral != self._as_stored or self.draft.raw:
            pending.keep(self._repository, self._referral_id, Page.OUTCOME, self.draft)

    # Saving

    def save(self) -> None:
        """Write the answers and the new assessment in one step, then close."""
        unfinished = [page for page in self.pages.values() if self._date_not_finished(page)]
        if unfinished:
            # A date typed but not a date yet counts as no date: saving would wipe the stored one.
            self.draft.history.append(self.draft.page)
            self._show(unfinished[0].page)
            self.go_on()  # shows that page's own message by the date
            return
        try:
            result = assess(self.draft.eligibility_answers(), self.draft.ruleset, self._today())
        except InvalidAnswers as invalid:  # only if answers changed without Continue
            messages = [e.message[:1].upper() + e.message[1:] for e in invalid.errors]
            self._show_problems([Problem(message) for message in messages])
            return
        record = AssessmentRecord(
            result.ruleset,
            str(result.outcome),
            list(result.reasons),
            list(result.flags),
            utc_now(),
        )
        try:
            fresh = self._repository.get(self._referral_id)
            mine = apply_answers(fresh, self.draft, record)
            if self._rows(fresh) != self._rows(self._as_stored):
                choice = self._choose(mine, fresh)
                if choice is Choice.BACK:
                    return
                if choice is Choice.THEIRS:
                    self.saved = fresh
                    self.accept()
                    return
            self.saved = self._repository.save(mine)
        except (StorageError, StatusChangeError) as error:
            self._show_problems([Problem(str(error))])
            return
        self.accept()

    def _rows(self, referral: Referral) -> list[tuple[str, str]]:
        """The answers in the question pages' own words (the check-answers page's rows)."""
        draft = Draft(referral=referral.clone())
        return [row for page in self.pages.values() for row in page.summary(draft)]

    def _choose(self, mine: Referral, theirs: Referral) -> Choice:
        """Someone else changed the answers since this dialog opened: both, side by side."""
        from referral_app.storage.audit_query import last_change

        shown = differences(self._rows(mine), self._rows(theirs))
        who = last_change(self._repository.database, self._referral_id)
        choice = ask(self, shown, who, theirs.updated_at)
        if choice is Choice.BACK:
            self._as_stored = theirs.clone()  # seen: the next Save keeps what is typed
        return choice
