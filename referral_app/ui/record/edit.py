"""Reading and editing a saved referral's sections with the guided form's own pages.

The dialog holds the very page the form uses (same fields, hints, messages and checks), so a
record can never be saved in a state the form would have refused. Eligibility answers are
changed in ``record.eligibility``, because changing them means checking the case again.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QGuiApplication, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from referral_app.domain.advice import OUTCOME_SENTENCES, decided_by_name, flag_texts
from referral_app.domain.dates import describe_day
from referral_app.domain.eligibility import RULESETS, Assessment, Outcome
from referral_app.domain.flow import DETAIL_PAGES, Draft, Page, applicable_pages
from referral_app.domain.referral import Referral, StatusChangeError
from referral_app.storage.errors import ConflictError, StorageError
from referral_app.storage.repository import Repository
from referral_app.ui.common.privacy import PrivacyMode
from referral_app.ui.record import pending
from referral_app.ui.record.status import local_day
from referral_app.ui.widgets.conflict import Choice, ask, differences
from referral_app.ui.widgets.error_summary import Problem
from referral_app.ui.wizard.against_survivor import AgainstSurvivorPage
from referral_app.ui.wizard.age import AgePage
from referral_app.ui.wizard.case import CasePage
from referral_app.ui.wizard.consent import ConsentPage
from referral_app.ui.wizard.contact import ADDRESS, EMAIL, PHONE, ContactPage
from referral_app.ui.wizard.decision import DecisionPage
from referral_app.ui.wizard.decision_date import DecisionDatePage
from referral_app.ui.wizard.follow_up import FollowUpPage
from referral_app.ui.wizard.new_evidence import NewEvidencePage
from referral_app.ui.wizard.page import WizardPage
from referral_app.ui.wizard.reported import ReportedPage
from referral_app.ui.wizard.risk import RiskPage
from referral_app.ui.wizard.survivor import (
    NAME,
    NOT_GIVEN,
    OTHERS,
    PREVIOUS_NAMES,
    SurvivorPage,
    without_optional,
)
from referral_app.ui.wizard.where import WherePage

#: The sections a record's Edit buttons open: the form's detail pages, in the form's order.
EDITABLE: tuple[Page, ...] = DETAIL_PAGES
#: The eligibility questions, whose answers the record words with the form's own pages.
QUESTION_PAGES: dict[Page, type[WizardPage]] = {
    Page.WHERE: WherePage,
    Page.AGAINST_SURVIVOR: AgainstSurvivorPage,
    Page.AGE: AgePage,
    Page.REPORTED: ReportedPage,
    Page.DECISION: DecisionPage,
    Page.DECISION_DATE: DecisionDatePage,
    Page.NEW_EVIDENCE: NewEvidencePage,
    Page.RISK: RiskPage,
}
NAME_ROWS = {NAME, without_optional(PREVIOUS_NAMES), without_optional(OTHERS)}
CONTACT_ROWS = {without_optional(PHONE), without_optional(EMAIL), without_optional(ADDRESS)}


def make_detail_page(
    page: Page,
    parent: QWidget | None = None,
    *,
    advocate_name: str = "",
    today: Callable[[], date] = date.today,
) -> WizardPage:
    """A new instance of the form's page for ``page`` (one of :data:`EDITABLE`)."""
    if page is Page.SURVIVOR:
        return SurvivorPage(parent)
    if page is Page.CONTACT:
        return ContactPage(parent)
    if page is Page.CASE:
        return CasePage(parent)
    if page is Page.CONSENT:
        return ConsentPage(parent, advocate_name=advocate_name)
    if page is Page.FOLLOW_UP:
        return FollowUpPage(parent, today=today)
    raise ValueError(f"{page.value} is not a section that can be edited")


class RecordWording(QObject):
    """The record's rows in the form's own words: each from the form page's ``summary()``.

    The pages are made once, never shown, and only asked for their rows, so a record can never
    word an answer differently from the check-answers page. Names and contact details are
    passed through privacy mode on the way out.
    """

    def __init__(self, privacy: PrivacyMode, today: Callable[[], date], parent: QWidget) -> None:
        super().__init__(parent)
        self._privacy = privacy
        self._holder = QWidget(parent)
        self._holder.hide()
        self._pages: dict[Page, WizardPage] = {
            page: kind(self._holder) for page, kind in QUESTION_PAGES.items()
        }
        for page in EDITABLE:
            self._pages[page] = make_detail_page(page, self._holder, today=today)

    def rows(self, page: Page, draft: Draft) -> list[tuple[str, str]]:
        """The form page's own rows, with names and contact details as privacy mode allows."""
        rows = []
        for question, answer in self._pages[page].summary(draft):
            shown = answer
            if answer != NOT_GIVEN and question in NAME_ROWS:
                shown = "\n".join(self._privacy.name(line) for line in answer.splitlines())
            elif answer != NOT_GIVEN and question in CONTACT_ROWS:
                shown = self._privacy.contact(answer)
            rows.append((question, shown))
        return rows

    def eligibility_rows(self, draft: Draft) -> list[tuple[str, str]]:
        """The answers to the questions that apply, then the latest assessment of them."""
        applicable = applicable_pages(draft.eligibility_answers())
        rows = []
        for page in QUESTION_PAGES:
            if page in applicable:
                rows += self.rows(page, draft)
        latest = draft.referral.latest_assessment
        if latest is None:
            return [*rows, ("Result", "Not checked yet")]
        ruleset = RULESETS.get(latest.ruleset)
        rows += [
            ("Result", OUTCOME_SENTENCES.get(latest.outcome, latest.outcome)),
            ("Rules used", ruleset.title if ruleset else latest.ruleset),
            ("Checked on", describe_day(local_day(latest.assessed_at))),
        ]
        case = draft.referral.case
        if latest.outcome not in {outcome.value for outcome in Outcome}:
            return rows
        # Only what flag_texts() reads: the stored record keeps no VRR deadline.
        assessment = Assessment(
            Outcome(latest.outcome),
            list(latest.reasons),
            list(latest.flags),
            latest.ruleset,
            local_day(latest.assessed_at),
        )
        decision = draft.referral.answers.get("decision")
        flags = flag_texts(assessment, decided_by_name(case), decision)
        if flags:
            rows.append(("Also", "\n\n".join(flag.text for flag in flags)))
        return rows


class EditDialog(QDialog):
    """The form's page for one section, with Save changes and Cancel.

    Save checks the page as Continue does in the form. With problems, they are shown on the
    page and everything typed stays as it is; without, only this section is written over a
    fresh copy of the stored record, so nothing changed elsewhere since the view was loaded
    (a status change, say) is lost. Cancel, or Esc, leaves the record as it was.
    """

    def __init__(
        self,
        repository: Repository,
        referral: Referral,
        section: Page,
        *,
        today: Callable[[], date] = date.today,
        advocate_name: str = "",
        parent: QWidget | None = None,
        restored: Draft | None = None,
    ) -> None:
        super().__init__(parent)
        if referral.id is None:
            raise ValueError("only a saved referral can be edited")
        self._repository = repository
        self._referral_id = referral.id
        self._today = today
        self.section = section
        #: The record as stored after Save; None until then.
        self.saved: Referral | None = None
        self.draft = restored or Draft(referral=referral.clone(), page=section)
        self._as_stored = referral.clone()
        self.page = make_detail_page(section, advocate_name=advocate_name, today=today)
        self.page.load(self.draft)
        self.setWindowTitle(f"Edit {self.page.title.lower()}: {referral.reference}")
        self.setAccessibleName(f"Edit {self.page.title.lower()}")
        self.setModal(True)
        self._build()

    def _build(self) -> None:
        self.scroller = QScrollArea(self)
        self.scroller.setWidgetResizable(True)
        self.scroller.setFrameShape(QFrame.Shape.NoFrame)
        self.scroller.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroller.setWidget(self.page)
        self.save_button = QPushButton("&Save changes", self)
        self.save_button.setObjectName("primaryButton")
        self.save_button.setAccessibleName("Save changes")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setObjectName("secondaryButton")
        self.cancel_button.setAccessibleName("Cancel")
        self.cancel_button.setToolTip("Close without saving; the record stays as it was")
        self.cancel_button.clicked.connect(self.reject)
        bar = QHBoxLayout()
        bar.setContentsMargins(32, 8, 32, 16)
        bar.setSpacing(self.fontMetrics().horizontalAdvance("000"))
        bar.addWidget(self.save_button)
        bar.addWidget(self.cancel_button)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroller, 1)
        layout.addLayout(bar)
        self._fit_to_screen()

    def showEvent(self, event: QShowEvent) -> None:
        """The keyboard starts in the section's first field, as on the form's page."""
        super().showEvent(event)
        first = self.page.first_field()
        (first or self.save_button).setFocus(Qt.FocusReason.OtherFocusReason)

    def _fit_to_screen(self) -> None:
        """As wide as the page's reading column and as tall as it needs, within the screen."""
        hint = self.page.sizeHint()
        width = max(self.page.maximumWidth(), hint.width())  # the page's reading column
        width += self.scroller.verticalScrollBar().sizeHint().width()
        height = hint.height() + self.save_button.sizeHint().height() + 32
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is not None:
            room = screen.availableGeometry()
            width = min(width, room.width() - 40)
            height = min(height, round(room.height() * 0.85))
        self.resize(width, height)

    def save(self) -> None:
        """Check the page; if all is well, store this section and close."""
        self.page.store(self.draft)
        problems = self.page.validate(self.draft, self._today())
        if problems:
            self._show(problems)
            return
        try:
            stored = self._repository.get(self._referral_id)
            fresh = Draft(referral=stored.clone(), raw=self.draft.raw)
            self.page.store(fresh)
            if self._changed_meanwhile(stored):
                choice = self._choose(fresh.referral, stored)
                if choice is Choice.BACK:
                    return
                if choice is Choice.THEIRS:
                    self.saved = stored
                    self.accept()
                    return
            self.saved = self._repository.save(fresh.referral)
        except ConflictError as conflict:
            # Saved by someone else in the moment between reading and writing: say so, and
            # keep everything typed; Save again shows both versions.
            self._show([Problem(str(conflict))])
            return
        except (StorageError, StatusChangeError) as error:
            self._show([Problem(str(error))])
            return
        self.page.show_problems([])
        self.accept()

    def _rows(self, referral: Referral) -> list[tuple[str, str]]:
        return self.page.summary(Draft(referral=referral.clone()))

    def _changed_meanwhile(self, stored: Referral) -> bool:
        """Whether someone else changed this section since the dialog opened (a change to
        another section is kept as it is: only this section is written)."""
        return stored.version != self._as_stored.version and self._rows(stored) != self._rows(
            self._as_stored
        )

    def _choose(self, mine: Referral, theirs: Referral) -> Choice:
        """Both versions of this section, side by side; the advocate chooses."""
        from referral_app.storage.audit_query import last_change

        shown = differences(self._rows(mine), self._rows(theirs))
        who = last_change(self._repository.database, self._referral_id)
        choice = ask(self, shown, who, theirs.updated_at)
        if choice is Choice.BACK:
            self._as_stored = theirs.clone()  # seen: the next Save keeps what is typed
        return choice

    def prepare_for_lock(self) -> None:
        """The app is locking: keep what was typed, to be offered again on unlocking."""
        self.page.store(self.draft)
        if self.draft.referral != self._as_stored or self.draft.raw:
            pending.keep(self._repository, self._referral_id, self.section, self.draft)

    def _show(self, problems: list[Problem]) -> None:
        self.page.show_problems(problems)
        self.scroller.verticalScrollBar().setValue(0)
