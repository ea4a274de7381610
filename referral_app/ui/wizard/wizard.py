"""The guided form as one widget: one page at a time, Back and Continue, drafts as it goes.

The order of pages is ``domain.flow``'s; this class only moves between them, validates on
Continue, and keeps the draft in the encrypted database: on every page change and within two
seconds of typing stopping, so a crash loses at most the field being typed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import date

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from referral_app.domain.eligibility import DATE_KEYS, InvalidAnswers, assess
from referral_app.domain.flow import (
    DETAIL_PAGES,
    QUESTION_PAGES,
    Draft,
    Page,
    applicable_pages,
    next_page,
)
from referral_app.domain.referral import AssessmentRecord, Referral, utc_now
from referral_app.storage.errors import StorageError, WriteFailedError
from referral_app.storage.repository import Repository
from referral_app.ui.widgets.announce import announce
from referral_app.ui.widgets.error_summary import Problem
from referral_app.ui.wizard.case import CasePage
from referral_app.ui.wizard.check import CheckPage
from referral_app.ui.wizard.consent import ConsentPage
from referral_app.ui.wizard.contact import ContactPage
from referral_app.ui.wizard.decision_date import NOT_KNOWN_KEY
from referral_app.ui.wizard.follow_up import FollowUpPage
from referral_app.ui.wizard.page import WizardPage, rule_problems, show_page
from referral_app.ui.wizard.questions import question_pages
from referral_app.ui.wizard.survivor import SurvivorPage

log = logging.getLogger(__name__)

AUTOSAVE_DELAY_MS = 2000


class _StatusLine(QLabel):
    """A one-line status that ends in "…" when the buttons beside it need the room."""

    def paintEvent(self, event: QPaintEvent) -> None:
        text = self.fontMetrics().elidedText(
            self.text(), Qt.TextElideMode.ElideRight, self.contentsRect().width()
        )
        painter = QPainter(self)
        self.style().drawItemText(
            painter,
            self.contentsRect(),
            int(self.alignment()),
            self.palette(),
            self.isEnabled(),
            text,
            self.foregroundRole(),
        )


class ReferralWizard(QWidget):
    """From the first question to a saved referral."""

    saved = Signal(object)  # the stored Referral
    closed = Signal()  # left without saving; the draft is kept unless it was discarded

    def __init__(
        self,
        repository: Repository,
        draft: Draft | None = None,
        *,
        advocate_name: str = "",
        today: Callable[[], date] = date.today,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("referralWizard")
        self.repository = repository
        self.draft = draft or Draft()
        self._today = today
        self.pages: dict[Page, WizardPage] = {}
        self._build(advocate_name)
        self._autosave = QTimer(self)
        self._autosave.setSingleShot(True)
        self._autosave.setInterval(AUTOSAVE_DELAY_MS)
        self._autosave.timeout.connect(self.save_draft)
        self._show(self.draft.page)

    # Building

    def _build(self, advocate_name: str) -> None:
        pages: list[WizardPage] = [
            *question_pages(self._today, self),
            SurvivorPage(self),
            ContactPage(self),
            CasePage(self),
            ConsentPage(self, advocate_name=advocate_name),
            FollowUpPage(self, today=self._today),
            CheckPage(self._rows_for, applicable_pages_of, self),
        ]
        for page in pages:
            self.pages[page.page] = page
            page.hide()
            page.changed.connect(self._edited)
            page.navigate.connect(self._change)
        # The page shown is the scroll area's own widget (not a stack of all of them), so the
        # scroll range is that page's height and wrapped text gets the height it needs.
        self.scroller = QScrollArea(self)
        self.scroller.setWidgetResizable(True)
        self.scroller.setFrameShape(QScrollArea.Shape.NoFrame)
        # Not a Tab stop: the keyboard goes from the page's last field straight to Back.
        self.scroller.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        self.progress = QLabel(self)
        self.progress.setObjectName("hint")
        self.progress.setContentsMargins(32, 12, 32, 0)
        self.back_button = QPushButton("&Back", self)
        self.back_button.setObjectName("secondaryButton")
        self.back_button.setAccessibleName("Back")
        self.back_button.clicked.connect(self.go_back)
        self.continue_button = QPushButton("&Continue", self)
        self.continue_button.setObjectName("primaryButton")
        self.continue_button.clicked.connect(self.go_on)
        self.close_button = QPushButton("Save and c&lose", self)
        self.close_button.setObjectName("secondaryButton")
        self.close_button.setToolTip("Keep this referral as a draft and come back to it later")
        self.close_button.clicked.connect(self.save_and_close)
        self.discard_button = QPushButton("&Discard", self)
        self.discard_button.setObjectName("secondaryButton")
        self.discard_button.setToolTip("Delete everything entered for this referral")
        self.discard_button.clicked.connect(self.discard)
        self.draft_status = _StatusLine(self)
        self.draft_status.setObjectName("hint")
        # At large text sizes the buttons need the room: the draft line gives way, not them.
        self.draft_status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

        bar = QHBoxLayout()
        bar.setContentsMargins(32, 8, 32, 16)
        bar.addWidget(self.back_button)
        bar.addWidget(self.continue_button)
        bar.addSpacing(24)
        bar.addWidget(self.draft_status, 1)
        bar.addWidget(self.close_button)
        bar.addWidget(self.discard_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.progress)
        layout.addWidget(self.scroller, 1)
        layout.addLayout(bar)

    # Where we are

    @property
    def current(self) -> WizardPage:
        return self.pages[self.draft.page]

    def _show(self, page: Page) -> None:
        self.draft.page = page
        if page is Page.CHECK:
            self.draft.returning_to_check = False  # back where a Change link would return
        widget = self.pages[page]
        show_page(self.scroller, widget, self.draft, self)
        label = widget.continue_label
        self.continue_button.setText(label if "&" in label else f"&{label}")
        self.continue_button.setAccessibleName(label.replace("&", ""))
        self.back_button.setEnabled(bool(self.draft.history))
        self.progress.setText(self._progress_text(page))
        self.scroller.verticalScrollBar().setValue(0)
        first = widget.first_field()
        (first or self.continue_button).setFocus(Qt.FocusReason.OtherFocusReason)

    def _progress_text(self, page: Page) -> str:
        answers = self.draft.eligibility_answers()
        if page in QUESTION_PAGES:
            questions = [p for p in applicable_pages(answers) if p in QUESTION_PAGES]
            return f"Eligibility: question {questions.index(page) + 1} of {len(questions)}"
        if page in DETAIL_PAGES:
            return f"Referral details: part {DETAIL_PAGES.index(page) + 1} of {len(DETAIL_PAGES)}"
        return "Eligibility: result" if page is Page.OUTCOME else "Check and save"

    # Moving

    def go_on(self) -> None:
        """Continue: check this page, then show the next one (or save on the last)."""
        page = self.current
        page.store(self.draft)
        problems = page.validate(self.draft, self._today())
        if not problems and page.page in QUESTION_PAGES:
            problems = rule_problems(page, self.draft, self._today())
        if problems:
            page.show_problems(problems)
            self.save_draft()
            return
        page.show_problems([])
        if page.page is Page.CHECK:
            self._save_referral()
            return
        self.draft.history.append(page.page)
        self._show(self._after(page.page))
        self.save_draft()

    def _after(self, page: Page) -> Page:
        answers = self.draft.eligibility_answers()
        if self.draft.returning_to_check:
            if page in QUESTION_PAGES:
                unanswered = [
                    p
                    for p in applicable_pages(answers)
                    if p in QUESTION_PAGES and not self._answered(p)
                ]
                return unanswered[0] if unanswered else Page.OUTCOME
            self.draft.returning_to_check = False
            return Page.CHECK
        return next_page(page, answers) or Page.CHECK

    def _answered(self, page: Page) -> bool:
        referral = self.draft.referral
        if page is Page.DECISION_DATE:
            not_known = self.draft.raw.get(NOT_KNOWN_KEY) == ["yes"]
            return referral.case.decision_date is not None or not_known
        key = {Page.AGE: "under_18_at_offence"}.get(page, getattr(self.pages[page], "key", ""))
        return key in referral.answers

    def go_back(self) -> None:
        """Back: keep what is on this page, unchecked, and show the one before."""
        self.current.store(self.draft)
        if not self.draft.history:
            return
        self._show(self.draft.history.pop())
        self.save_draft()

    def _change(self, page_value: str) -> None:
        """A Change link: go to that page, and come back to where we were after it."""
        self.current.store(self.draft)
        self.draft.history.append(self.draft.page)
        self.draft.returning_to_check = self.draft.page is Page.CHECK or (
            self.draft.returning_to_check
        )
        self._show(Page(page_value))
        self.save_draft()

    def _rows_for(self, page: Page, draft: Draft) -> Sequence[tuple[str, str]]:
        return self.pages[page].summary(draft)

    # Keeping the work

    def _edited(self) -> None:
        self._autosave.start()
        self.draft_status.setText("")

    def save_draft(self) -> bool:
        """Write the draft now; returns False (and says so on screen) if it could not be."""
        self._autosave.stop()
        self.current.store(self.draft)
        try:
            self.draft.draft_id = self.repository.save_draft(
                self.draft.to_dict(), self.draft.draft_id
            )
        except (StorageError, RuntimeError, OSError) as error:
            log.warning("draft not saved: %s", type(error).__name__)
            # A full disk or a read-only file is said as such; what is typed stays on screen.
            reason = f" ({error.reason})" if isinstance(error, WriteFailedError) else ""
            self._show_draft_status(f"The draft could not be saved just now{reason}.")
            return False
        self._show_draft_status("Draft saved")
        return True

    def _show_draft_status(self, text: str) -> None:
        """Show, and say to screen readers when it is news (not at every autosave)."""
        if self.draft_status.text() != text:
            announce(self.draft_status, text)
        self.draft_status.setText(text)

    def save_and_close(self) -> None:
        self.save_draft()
        self.closed.emit()

    def discard(self) -> None:
        answer = QMessageBox.question(
            self,
            "Discard this referral?",
            "Everything entered for this referral will be deleted. This cannot be undone.",
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Discard:
            return
        self._autosave.stop()
        if self.draft.draft_id is not None:
            self.repository.discard_draft(self.draft.draft_id)
            self.draft.draft_id = None
        self.closed.emit()

    def _save_referral(self) -> None:
        try:
            referral = self.referral_to_save()
        except InvalidAnswers as invalid:
            # Only reachable if answers were changed without going through Continue.
            problems = [Problem(e.message[:1].upper() + e.message[1:]) for e in invalid.errors]
            self.current.show_problems(problems)
            return
        try:
            saved = self.repository.save_from_draft(referral, self.draft.draft_id)
        except StorageError as error:
            self.current.show_problems([Problem(str(error))])
            return
        self._autosave.stop()
        self.draft.draft_id = None
        self.saved.emit(saved)

    def referral_to_save(self) -> Referral:
        """The referral as it will be stored: answers, details and this assessment."""
        answers = self.draft.eligibility_answers()
        result = assess(answers, self.draft.ruleset, self._today())
        referral = self.draft.referral.clone()
        referral.answers = {k: v for k, v in answers.items() if k not in DATE_KEYS}
        referral.assessments = [
            AssessmentRecord(
                result.ruleset,
                str(result.outcome),
                list(result.reasons),
                list(result.flags),
                utc_now(),
                dict(answers),
            )
        ]
        return referral


def applicable_pages_of(draft: Draft) -> list[Page]:
    return applicable_pages(draft.eligibility_answers())
