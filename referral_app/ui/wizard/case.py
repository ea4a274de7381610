"""About the case: what the police force or CPS Area needs to find it, and what came since.

Only the force is required (the request goes to it first). Offence and decision dates are not
asked again here: the eligibility pages hold them.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import QComboBox, QCompleter, QFrame, QPushButton, QVBoxLayout, QWidget

from referral_app.domain.dates import PartialDateError
from referral_app.domain.flow import Draft, Page
from referral_app.domain.reference import CPS_AREAS, POLICE_FORCES
from referral_app.domain.referral import (
    Answer,
    DecisionMaker,
    ReviewKind,
    ReviewRequest,
    normalise_crime_reference,
)
from referral_app.ui.widgets.error_summary import Problem
from referral_app.ui.widgets.partial_date import EXAMPLE_HINT, PartialDateEdit
from referral_app.ui.widgets.text import heading, hint
from referral_app.ui.wizard.page import WizardPage
from referral_app.ui.wizard.survivor import (
    LEFT_BORDER,
    NOT_GIVEN,
    YES_NO_UNSURE,
    RadioGroup,
    SizedLineEdit,
    TextArea,
    add_field,
    date_answer,
    optional,
    space_questions,
    text_answer,
    without_optional,
)

FORCE = "Police force"
REFERENCES = optional("Crime reference numbers")
DECIDED_BY = optional("Who made the decision?")
CPS_AREA = "CPS Area"
REPORTED = optional("When it was reported to the police")
LOCATION = optional("Where it happened")
COUNT = optional("How many alleged offenders were there?")
ALIVE = optional("Is the alleged offender alive and known?")
ACCOUNT = optional("A short account")
REVIEWS = optional("Earlier requests for a review")
DECIDERS = (
    (DecisionMaker.POLICE.value, "The police"),
    (DecisionMaker.CPS.value, "The CPS"),
    (DecisionMaker.UNKNOWN.value, "Not known"),
)
REPORTED_KEY = "case.date_reported"
COUNT_KEY = "case.offender_count"
REVIEW_PREFIX = "case.earlier_reviews."

KIND_LABELS: dict[ReviewKind, str] = {
    ReviewKind.POLICE_VRR: "Police VRR (Victims' Right to Review)",
    ReviewKind.CPS_VRR: "CPS VRR (Victims' Right to Review)",
    ReviewKind.COMPLAINT: "Complaint",
    ReviewKind.OTHER: "Other",
}

FORCE_MISSING = "Select the police force that dealt with the report"
FORCE_UNKNOWN = "Select a police force from the list"
AREA_MISSING = "Select the CPS Area"
COUNT_MESSAGE = "Enter the number of alleged offenders as a number from 1 to 999"


def known_force(text: str) -> str | None:
    """The force's name as listed, whatever the capitals typed; None if it is not listed."""
    wanted = " ".join(text.split()).casefold()
    return next((force for force in POLICE_FORCES if force.casefold() == wanted), None)


class ReviewRow(QFrame):
    """One earlier review request: what kind, when it was asked for, and what came of it.

    Its fields are named with the request's number ("Request 2: type of request"), so a
    screen reader user knows which request they are in.
    """

    changed = Signal()
    remove_requested = Signal(object)

    def __init__(self, number: int, page: WizardPage) -> None:
        super().__init__(page)
        self.setObjectName("reviewRow")
        border = LEFT_BORDER.format(width=4, colour="#b1b4b6")
        self.setStyleSheet(f"QFrame#reviewRow {{ {border} }}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 4, 0, 4)
        layout.setSpacing(page.body.spacing())
        title = f"Request {number}"
        layout.addWidget(heading(title, self, level=3))
        self.kind = QComboBox(self)
        for kind, label in KIND_LABELS.items():
            self.kind.addItem(label, kind.value)
        self.kind.setAccessibleName(f"{title}: type of request")
        add_field(page, "Type of request", self.kind, narrow=True, into=layout, error=False)
        when = optional("When it was requested")
        approximate = "If you only know the year, leave day and month empty."
        self.date = PartialDateEdit(when, "it was requested", approximate, parent=self)
        self.date.setAccessibleName(f"{title}: {when}")
        for box, part in zip(
            (self.date.day_box, self.date.month_box, self.date.year_box),
            ("day", "month", "year"),
            strict=True,
        ):
            box.setAccessibleName(f"{title}: {when}, {part}")
        layout.addWidget(self.date)
        self.result = SizedLineEdit(40, self)
        outcome = optional("What came of it")
        self.result.setAccessibleName(f"{title}: {outcome}")
        add_field(
            page,
            outcome,
            self.result,
            "For example, decision upheld.",
            narrow=True,
            into=layout,
            error=False,
        )
        self.remove = QPushButton(f"Remove request {number}", self)
        self.remove.setObjectName("secondaryButton")
        self.remove.setAccessibleName(f"Remove request {number}")
        self.remove.clicked.connect(lambda _=False: self.remove_requested.emit(self))
        layout.addWidget(self.remove, 0, Qt.AlignmentFlag.AlignLeft)
        self.kind.currentIndexChanged.connect(self.changed)
        self.date.changed.connect(self.changed)
        self.result.textEdited.connect(self.changed)

    def inputs(self) -> list[QWidget]:
        """In reading order, for the page's Tab order."""
        boxes = (self.date.day_box, self.date.month_box, self.date.year_box)
        return [self.kind, *boxes, self.result, self.remove]

    def set_review(self, review: ReviewRequest, texts: Sequence[str] | None = None) -> None:
        """Show ``review``; ``texts`` are date boxes typed earlier that were not a date yet."""
        self.kind.setCurrentIndex(self.kind.findData(review.kind.value))
        if texts and len(texts) == 3:
            self.date.set_texts(*texts)
        else:
            self.date.setValue(review.requested_on)
        self.result.setText(review.result)

    def review(self) -> ReviewRequest:
        """The request as shown; a date that is not a date yet is left out (the page keeps
        its text in the draft)."""
        try:
            requested_on = self.date.value()
        except PartialDateError:
            requested_on = None
        kind = ReviewKind(self.kind.currentData())
        return ReviewRequest(kind, requested_on, self.result.text().strip())


class CasePage(WizardPage):
    page = Page.CASE
    title = "About the case"
    help_text = (
        "These details help the police force or CPS Area find the case and see what has "
        "happened since. Only the police force is needed now; you can add the rest later."
    )

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        space_questions(self)
        self._build_force()
        self._build_decision()
        self._build_details()
        self._build_reviews()
        self.force.editTextChanged.connect(self.changed)
        self.references.textChanged.connect(self.changed)
        self.cps_area.currentIndexChanged.connect(self.changed)
        for edit in (self.location, self.count):
            edit.textEdited.connect(self.changed)
        for group in (self.decided_by, self.alive):
            group.changed.connect(self.changed)
        self.account.textChanged.connect(self.changed)
        self.decided_by.changed.connect(self._show_cps_area)
        self._show_cps_area()

    def _build_force(self) -> None:
        self.force = QComboBox(self)
        self.force.setEditable(True)
        self.force.addItems(POLICE_FORCES)
        self.force.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        completer = QCompleter(list(POLICE_FORCES), self.force)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.force.setCompleter(completer)
        self.force.setCurrentIndex(-1)
        add_field(
            self,
            FORCE,
            self.force,
            "The force the crime was reported to. Start typing to see matching forces.",
            narrow=True,
        )
        edit = self.force.lineEdit()
        if edit is not None:  # always, as the box is editable
            edit.setAccessibleName(FORCE)
            edit.setAccessibleDescription(self.force.accessibleDescription())

        self.references = TextArea(3, self)
        add_field(
            self,
            REFERENCES,
            self.references,
            "One on each line, for example AB/12345/09. They are saved in capital letters "
            "without spaces.",
        )

    def _build_decision(self) -> None:
        self.decided_by = RadioGroup(DECIDED_BY, DECIDERS, self)
        add_field(
            self,
            DECIDED_BY,
            self.decided_by,
            "Filled in from your answer about what happened to the report.",
        )
        # GOV.UK "conditional reveal": the CPS Area is asked just under the CPS answer.
        self.cps_reveal = QFrame(self)
        self.cps_reveal.setObjectName("conditionalReveal")
        border = LEFT_BORDER.format(width=4, colour="#b1b4b6")
        self.cps_reveal.setStyleSheet(f"QFrame#conditionalReveal {{ {border} }}")
        reveal = QVBoxLayout(self.cps_reveal)
        reveal.setContentsMargins(12, 0, 0, 0)
        self.cps_area = QComboBox(self.cps_reveal)
        self.cps_area.addItems(CPS_AREAS)
        self.cps_area.setPlaceholderText("Select a CPS Area")
        self.cps_area.setCurrentIndex(-1)
        add_field(
            self,
            CPS_AREA,
            self.cps_area,
            "The CPS Area that decided not to charge.",
            narrow=True,
            into=reveal,
        )
        self.body.addWidget(self.cps_reveal)

    def _build_details(self) -> None:
        self.reported = self.register_date(
            PartialDateEdit(REPORTED, "it was reported", EXAMPLE_HINT, parent=self)
        )
        self.body.addWidget(self.reported)
        self.location = SizedLineEdit(30, self)
        add_field(
            self, LOCATION, self.location, "Town or area, for example Aberystwyth.", narrow=True
        )
        self.count = SizedLineEdit(4, self)
        validator = QIntValidator(1, 999, self.count)
        validator.setLocale(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
        self.count.setValidator(validator)
        add_field(self, COUNT, self.count, "Leave this empty if it is not known.", narrow=True)
        self.alive = RadioGroup(ALIVE, YES_NO_UNSURE, self)
        add_field(self, ALIVE, self.alive, "Known means it is known who they are.")
        self.account = TextArea(5, self)
        add_field(
            self,
            ACCOUNT,
            self.account,
            "Only what the force needs to find the case. Do not include anything the survivor "
            "has not agreed to share.",
        )

    def _build_reviews(self) -> None:
        intro = QVBoxLayout()
        intro.setSpacing(4)
        intro.addWidget(heading(REVIEWS, self, level=2))
        intro.addWidget(
            hint(
                "For example, a Victims' Right to Review (VRR) request or a complaint to the "
                "force or the CPS. Add one for each request.",
                self,
            )
        )
        self.body.addLayout(intro)
        self.rows_layout = QVBoxLayout()
        self.rows_layout.setSpacing(12)
        self.body.addLayout(self.rows_layout)
        self.rows: list[ReviewRow] = []
        self.add_button = QPushButton("Add a review request", self)
        self.add_button.setObjectName("secondaryButton")
        self.add_button.setAccessibleName("Add a review request")
        self.add_button.clicked.connect(self._add_clicked)
        self.body.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)

    # The CPS Area and the list of earlier reviews

    def _cps_decided(self) -> bool:
        return self.decided_by.value() == DecisionMaker.CPS.value

    def _show_cps_area(self) -> None:
        self.cps_reveal.setVisible(self._cps_decided())

    def _add_row(self, review: ReviewRequest, texts: Sequence[str] | None = None) -> ReviewRow:
        row = ReviewRow(len(self.rows) + 1, self)
        row.set_review(review, texts)
        row.changed.connect(self.changed)
        row.remove_requested.connect(self._remove_row)
        self.rows_layout.addWidget(row)
        self.rows.append(row)
        return row

    def _add_clicked(self) -> None:
        kind = ReviewKind.CPS_VRR if self._cps_decided() else ReviewKind.POLICE_VRR
        row = self._add_row(ReviewRequest(kind))
        self._after_rows_changed()
        row.kind.setFocus(Qt.FocusReason.OtherFocusReason)
        self.changed.emit()

    def _remove_row(self, row: ReviewRow) -> None:
        """Renumber by rebuilding: every label and accessible name says which request it is."""
        index = self.rows.index(row)
        kept = [(r.review(), list(r.date.texts())) for r in self.rows if r is not row]
        self._set_rows(kept)
        target = self.rows[index - 1].kind if index > 0 else self.add_button
        target.setFocus(Qt.FocusReason.OtherFocusReason)
        self.changed.emit()

    def _set_rows(self, reviews: Sequence[tuple[ReviewRequest, Sequence[str] | None]]) -> None:
        for old in self.rows:
            self.rows_layout.removeWidget(old)
            old.hide()
            old.deleteLater()
        self.rows = []
        for review, texts in reviews:
            self._add_row(review, texts)
        self._after_rows_changed()

    def _after_rows_changed(self) -> None:
        more = "Add another review request" if self.rows else "Add a review request"
        self.add_button.setText(more)
        self.add_button.setAccessibleName(more)
        # Rows are made after the rest of the page; put them back in reading order for Tab.
        chain: list[QWidget] = [self.account]
        for row in self.rows:
            chain.extend(row.inputs())
        chain.append(self.add_button)
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def show_problems(self, problems: Sequence[Problem]) -> None:
        """Row dates come and go, so the page shows their messages itself."""
        by_field = {problem.field: problem.message for problem in problems}
        for row in self.rows:
            row.date.set_error(by_field.get(row.date))
        super().show_problems(problems)

    # The contract with the wizard

    def first_field(self) -> QWidget | None:
        return self.force

    def load(self, draft: Draft) -> None:
        case = draft.referral.case
        blocked = self.blockSignals(True)  # showing the draft is not an edit
        try:
            self.force.setCurrentIndex(-1)
            self.force.setEditText(case.police_force or "")
            self.references.setPlainText("\n".join(case.crime_references))
            self.decided_by.set_value(case.decided_by.value if case.decided_by else None)
            self.cps_area.setCurrentIndex(self.cps_area.findText(case.cps_area or ""))
            self.load_date(self.reported, draft, REPORTED_KEY, case.date_reported)
            self.location.setText(case.location)
            typed = draft.raw.get(COUNT_KEY)
            count = "" if case.offender_count is None else str(case.offender_count)
            self.count.setText(typed[0] if typed else count)
            alive = case.offender_alive_and_known
            self.alive.set_value(alive.value if alive else None)
            self.account.setPlainText(case.account)
            self._set_rows(
                [
                    (review, draft.raw.get(f"{REVIEW_PREFIX}{index}.requested_on"))
                    for index, review in enumerate(case.earlier_reviews)
                ]
            )
            self._show_cps_area()
        finally:
            self.blockSignals(blocked)

    def store(self, draft: Draft) -> None:
        case = draft.referral.case
        text = self.force.currentText().strip()
        case.police_force = (known_force(text) or text) or None
        case.crime_references = [normalise_crime_reference(r) for r in self.references.lines()]
        decided = self.decided_by.value()
        case.decided_by = DecisionMaker(decided) if decided else None
        # Kept even when the police decided, so changing the answer back loses nothing.
        case.cps_area = self.cps_area.currentText() if self.cps_area.currentIndex() >= 0 else None
        case.date_reported = self.read_date(self.reported, draft, REPORTED_KEY)
        case.location = self.location.text().strip()
        case.offender_count = self._read_count(draft)
        alive = self.alive.value()
        case.offender_alive_and_known = Answer(alive) if alive else None
        case.account = self.account.toPlainText().strip()
        for key in [key for key in draft.raw if key.startswith(REVIEW_PREFIX)]:
            del draft.raw[key]
        reviews = []
        for index, row in enumerate(self.rows):
            review = row.review()
            key = f"{REVIEW_PREFIX}{index}.requested_on"
            review.requested_on = self.read_date(row.date, draft, key)
            reviews.append(review)
        case.earlier_reviews = reviews

    def _read_count(self, draft: Draft) -> int | None:
        text = self.count.text().strip()
        if text.isdigit() and 1 <= int(text) <= 999:
            draft.raw.pop(COUNT_KEY, None)
            return int(text)
        if text:
            draft.raw[COUNT_KEY] = [self.count.text()]
        else:
            draft.raw.pop(COUNT_KEY, None)
        return None

    def validate(self, draft: Draft, today: date) -> list[Problem]:
        problems = []
        text = self.force.currentText().strip()
        if not text:
            problems.append(Problem(FORCE_MISSING, self.force))
        elif known_force(text) is None:
            problems.append(Problem(FORCE_UNKNOWN, self.force))
        if self._cps_decided() and self.cps_area.currentIndex() < 0:
            problems.append(Problem(AREA_MISSING, self.cps_area))
        message = self.reported.check(today)
        if message:
            problems.append(Problem(message, self.reported))
        count = self.count.text().strip()
        if count and not (count.isdigit() and 1 <= int(count) <= 999):
            problems.append(Problem(COUNT_MESSAGE, self.count))
        for row in self.rows:
            message = row.date.check(today)
            if message:
                problems.append(Problem(message, row.date))
        return problems

    def summary(self, draft: Draft) -> list[tuple[str, str]]:
        case = draft.referral.case
        decided = case.decided_by.value if case.decided_by else None
        typed_count = draft.raw.get(COUNT_KEY)
        count = str(case.offender_count) if case.offender_count is not None else None
        alive = case.offender_alive_and_known
        rows = [
            (FORCE, case.police_force or NOT_GIVEN),
            (without_optional(REFERENCES), "\n".join(case.crime_references) or NOT_GIVEN),
            (without_optional(DECIDED_BY), self.decided_by.label_of(decided)),
        ]
        if case.decided_by is DecisionMaker.CPS:
            rows.append((CPS_AREA, case.cps_area or NOT_GIVEN))
        rows += [
            (without_optional(REPORTED), date_answer(case.date_reported, draft, REPORTED_KEY)),
            (without_optional(LOCATION), text_answer(case.location)),
            (without_optional(COUNT), count or (typed_count[0] if typed_count else NOT_GIVEN)),
            (without_optional(ALIVE), self.alive.label_of(alive.value if alive else None)),
            (without_optional(ACCOUNT), case.account.strip() or NOT_GIVEN),
        ]
        if not case.earlier_reviews:
            return [*rows, (without_optional(REVIEWS), NOT_GIVEN)]
        for index, review in enumerate(case.earlier_reviews, start=1):
            key = f"{REVIEW_PREFIX}{index - 1}.requested_on"
            rows.append((f"Earlier review request {index}", describe_review(review, draft, key)))
        return rows


def describe_review(review: ReviewRequest, draft: Draft, key: str) -> str:
    """One line for the check page: "CPS VRR, requested May 2009: Decision upheld"."""
    text = KIND_LABELS[review.kind]
    when = date_answer(review.requested_on, draft, key)
    if when != NOT_GIVEN:
        text += f", requested {when}"
    return f"{text}: {review.result}" if review.result.strip() else text
