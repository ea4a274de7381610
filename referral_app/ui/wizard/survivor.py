"""About the survivor: who the referral is about, and what helps them take part.

The first detail page, so it also holds the few field helpers the detail pages share (radios
that may be left unanswered, text boxes sized from the font, the label-hint-error-field block).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QSizePolicy,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from referral_app.domain.dates import PartialDate, Precision
from referral_app.domain.flow import Draft, Page
from referral_app.ui.widgets.error_summary import Problem
from referral_app.ui.widgets.partial_date import PartialDateEdit
from referral_app.ui.widgets.text import field_label, hint
from referral_app.ui.wizard.page import WizardPage

OPTIONAL = " (optional)"
NOT_GIVEN = "Not given"
#: Radio values for yes/no questions; the "don't know" value differs by question.
YES, NO = "yes", "no"
YES_NO_UNSURE = ((YES, "Yes"), (NO, "No"), ("unsure", "Not sure"))
#: Checkbox and radio circles grow with the text (the style's own stay small at 200% text).
INDICATORS = "QCheckBox::indicator, QRadioButton::indicator { width: 0.9em; height: 0.9em; }"
#: Frames drawn here set "border: none" first: a lone border-left leaves the other sides to
#: the platform, which then draws no border at all.
LEFT_BORDER = "border: none; border-left: {width}px solid {colour};"


def optional(label: str) -> str:
    """GOV.UK marks optional questions rather than required ones: most here are optional."""
    return f"{label}{OPTIONAL}"


# Fields the detail pages share


class TextArea(QPlainTextEdit):
    """A multi-line box ``rows`` lines tall in the current font, so it grows at 200% text.

    Tab moves to the next field instead of typing a tab: a keyboard user must never be stuck.
    """

    def __init__(self, rows: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows = rows
        self.setTabChangesFocus(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:
        margins = self.contentsMargins()
        height = (
            self.fontMetrics().lineSpacing() * self._rows
            + round(self.document().documentMargin() * 2)
            + margins.top()
            + margins.bottom()
            + self.frameWidth() * 2
        )
        return QSize(super().sizeHint().width(), height)

    def minimumSizeHint(self) -> QSize:
        return QSize(super().minimumSizeHint().width(), self.sizeHint().height())

    def lines(self) -> list[str]:
        """One entry per non-empty line, as typed apart from surrounding spaces."""
        return [line.strip() for line in self.toPlainText().splitlines() if line.strip()]


class SizedLineEdit(QLineEdit):
    """A one-line box about ``chars`` characters wide in the current font (GOV.UK widths).

    A box the length of the answer tells the advocate what is expected; sizing it from the
    font keeps that true when the system text size is doubled.
    """

    def __init__(self, chars: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._chars = chars

    def sizeHint(self) -> QSize:
        size = super().sizeHint()
        metrics = self.fontMetrics()
        # Qt's hint is 17 "x" plus frame and margins: keep the frame, change the text part.
        wanted = metrics.averageCharWidth() * self._chars + metrics.horizontalAdvance("0")
        size.setWidth(size.width() - metrics.horizontalAdvance("x") * 17 + wanted)
        return size


class RadioGroup(QFrame):
    """One answer from a few (GOV.UK radios), which may also be left unanswered.

    Nothing is selected until the advocate chooses: a preselected answer is too easily
    confirmed without being asked. Tab enters the group, the arrow keys move within it and
    Space selects.
    """

    changed = Signal()

    def __init__(
        self,
        question: str,
        options: Sequence[tuple[str, str]],
        parent: QWidget | None = None,
        *,
        inline: bool = True,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("radioGroup")
        # GOV.UK marks a question with an error by a red bar down its left side.
        invalid = LEFT_BORDER.format(width=4, colour="#d4351c")
        self.setStyleSheet(
            f'{INDICATORS} QFrame#radioGroup[invalid="true"] {{ {invalid} padding-left: 0.5em; }}'
        )
        self.setAccessibleName(question)
        layout: QHBoxLayout | QVBoxLayout = QHBoxLayout(self) if inline else QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(self.fontMetrics().horizontalAdvance("0000") if inline else 6)
        self._buttons = QButtonGroup(self)
        self.radios: dict[str, QRadioButton] = {}
        for value, text in options:
            radio = QRadioButton(text, self)
            radio.setObjectName(f"option_{value}")
            radio.setAccessibleName(text)
            radio.setAccessibleDescription(question)
            radio.toggled.connect(self._toggled)
            self._buttons.addButton(radio)
            self.radios[value] = radio
            layout.addWidget(radio)
        if inline:
            layout.addStretch(1)
        self.setFocusProxy(next(iter(self.radios.values())))

    def _toggled(self, checked: bool) -> None:
        if checked:
            self.changed.emit()

    def value(self) -> str | None:
        return next((value for value, radio in self.radios.items() if radio.isChecked()), None)

    def set_value(self, value: str | None) -> None:
        """Select ``value``; None (or a value not offered) leaves every radio unselected."""
        radio = self.radios.get(value or "")
        if radio is not None:
            radio.setChecked(True)
            return
        self._buttons.setExclusive(False)
        for button in self.radios.values():
            button.setChecked(False)
        self._buttons.setExclusive(True)

    def label_of(self, value: str | None) -> str:
        radio = self.radios.get(value or "")
        return radio.text() if radio is not None else NOT_GIVEN


def space_questions(page: WizardPage) -> None:
    """More room between questions than within one, as GOV.UK spaces form groups; and room
    inside a field marked with the (thicker) red error border, or the text touches it."""
    page.body.setSpacing(round(page.fontMetrics().height() * 1.3))
    page.setStyleSheet(
        f"{INDICATORS} "
        'QLineEdit[invalid="true"], QComboBox[invalid="true"], QPlainTextEdit[invalid="true"] '
        "{ padding: 1px 3px; }"
    )


def add_field(
    page: WizardPage,
    label: str,
    field: QWidget,
    hint_text: str = "",
    *,
    narrow: bool = False,
    into: QVBoxLayout | None = None,
    error: bool = True,
) -> QVBoxLayout:
    """Label, hint, error line, then the field (GOV.UK order), kept close as one block.

    ``narrow`` fields keep their own width instead of stretching across the page. The block
    goes at the end of the page body, or of ``into``. Fields that come and go (rows of a list)
    take ``error=False``: the page keeps its error lines for as long as it lives.
    """
    block = QVBoxLayout()
    block.setSpacing(4)
    block.addWidget(field_label(label, field, page))
    if hint_text:
        block.addWidget(hint(hint_text, page))
        if not field.accessibleDescription():
            field.setAccessibleDescription(hint_text)
    if error:
        block.addWidget(page.error_label_for(field))
    if narrow:
        block.addWidget(field, 0, Qt.AlignmentFlag.AlignLeft)
    else:
        block.addWidget(field)
    (into or page.body).addLayout(block)
    return block


def add_checkbox(page: WizardPage, box: QCheckBox, hint_text: str = "") -> None:
    """A single checkbox is its own label; its hint sits under it, in line with the text."""
    box.setAccessibleName(box.text().replace("&", ""))
    block = QVBoxLayout()
    block.setSpacing(2)
    block.addWidget(box)
    if hint_text:
        box.setAccessibleDescription(hint_text)
        note = hint(hint_text, page)
        indent = page.style().pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth, None, box)
        note.setContentsMargins(indent + box.fontMetrics().horizontalAdvance("0"), 0, 0, 0)
        block.addWidget(note)
    page.body.addLayout(block)


def load_choice(group: RadioGroup, draft: Draft, key: str, value: bool | None) -> None:
    """Show a yes/no fact; a "Not sure"-style answer is kept in ``draft.raw`` (the record
    holds only None for it) so the radio the advocate chose comes back."""
    if value is None:
        remembered = draft.raw.get(key)
        group.set_value(remembered[0] if remembered else None)
    else:
        group.set_value(YES if value else NO)


def read_choice(group: RadioGroup, draft: Draft, key: str) -> bool | None:
    choice = group.value()
    if choice in (YES, NO):
        draft.raw.pop(key, None)
        return choice == YES
    if choice is None:
        draft.raw.pop(key, None)
    else:
        draft.raw[key] = [choice]
    return None


def choice_answer(group: RadioGroup, draft: Draft, key: str, value: bool | None) -> str:
    if value is not None:
        return group.label_of(YES if value else NO)
    remembered = draft.raw.get(key)
    return group.label_of(remembered[0]) if remembered else NOT_GIVEN


def text_answer(text: str) -> str:
    return text.strip() or NOT_GIVEN


def date_answer(value: PartialDate | date | None, draft: Draft, key: str) -> str:
    """A date in words; text that is not a date yet is shown as typed, marked as such."""
    if isinstance(value, date):
        return PartialDate.from_date(value).describe()
    if value is not None:
        return value.describe()
    typed = " ".join(part for part in draft.raw.get(key, []) if part.strip())
    return f"{typed} (not a complete date yet)" if typed else NOT_GIVEN


def load_day(widget: PartialDateEdit, draft: Draft, key: str, value: date | None) -> None:
    """Show a date that must be a real day (consent, follow-up), or the text typed last time."""
    WizardPage.load_date(widget, draft, key, PartialDate.from_date(value) if value else None)


def read_day(widget: PartialDateEdit, draft: Draft, key: str) -> date | None:
    """The day if one is given in full; a year or month alone is kept as typed, like any
    text that is not a date yet, because the record can only hold a full date."""
    value = WizardPage.read_date(widget, draft, key)
    if value is None:
        return None
    if value.precision is Precision.DAY:
        return value.first
    draft.raw[key] = list(widget.texts())
    return None


def check_day(widget: PartialDateEdit, latest: date, message: str, required: bool) -> str | None:
    """Check a date that must be a full day: the widget's own message first (a month of 13,
    a date after ``latest``), then ``message`` if the day is missing (or all of it, when
    ``required``)."""
    problem = widget.check(latest)
    if problem:
        return problem
    value = widget.value()
    if (value is None and required) or (value is not None and value.precision != Precision.DAY):
        widget.set_error(message)
        return message
    return None


def without_optional(label: str) -> str:
    return label.removesuffix(OPTIONAL)


# The page

NAME = "Full name"
PREVIOUS_NAMES = optional("Names used at the time of the report")
OTHERS = optional("Other people to keep out of a redacted copy")
BIRTH = optional("Date of birth")
PRONOUNS = optional("Pronouns")
LANGUAGE = optional("Preferred language")
INTERPRETER = optional("Does the survivor need an interpreter?")
ACCESS = optional("Access needs")
INTERPRETER_KEY = "survivor.interpreter_needed"


class SurvivorPage(WizardPage):
    page = Page.SURVIVOR
    title = "About the survivor"
    help_text = (
        "The police force or CPS Area needs the survivor's name to find the case. Everything "
        "else here is optional: add only what the survivor is happy to share, and what will "
        "help them take part."
    )

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        space_questions(self)
        self.full_name = SizedLineEdit(40, self)
        add_field(self, NAME, self.full_name, narrow=True)
        self.previous_names = TextArea(3, self)
        add_field(
            self,
            PREVIOUS_NAMES,
            self.previous_names,
            "If the survivor was known by another name when they reported, the force will need "
            "it to find the case. Put each name on its own line.",
        )
        self.others = TextArea(3, self)
        add_field(
            self,
            OTHERS,
            self.others,
            "Family members and anyone else named in the account whose names would show who the "
            "survivor is. A redacted copy proposes hiding them wherever they appear. Put each "
            "name on its own line.",
        )
        self.birth = self.register_date(
            PartialDateEdit(
                BIRTH,
                "of birth",
                "Filled in from the eligibility questions; if you change it here, it changes "
                "there too. If you only know the year, leave day and month empty.",
                parent=self,
            )
        )
        self.body.addWidget(self.birth)
        self.pronouns = SizedLineEdit(20, self)
        add_field(
            self, PRONOUNS, self.pronouns, "For example, she/her, he/him or they/them.", narrow=True
        )
        self.language = SizedLineEdit(20, self)
        add_field(
            self,
            LANGUAGE,
            self.language,
            "The language the survivor would like to be contacted in.",
            narrow=True,
        )
        self.interpreter = RadioGroup(INTERPRETER, YES_NO_UNSURE, self)
        add_field(self, INTERPRETER, self.interpreter)
        self.access_needs = TextArea(3, self)
        add_field(
            self,
            ACCESS,
            self.access_needs,
            "Anything that would make contact or meetings easier, for example step-free "
            "access, large print, or breaks during long conversations.",
        )
        for edit in (self.full_name, self.pronouns, self.language):
            edit.textEdited.connect(self.changed)
        for area in (self.previous_names, self.others, self.access_needs):
            area.textChanged.connect(self.changed)
        self.interpreter.changed.connect(self.changed)

    def first_field(self) -> QWidget | None:
        return self.full_name

    def load(self, draft: Draft) -> None:
        survivor = draft.referral.survivor
        blocked = self.blockSignals(True)  # showing the draft is not an edit
        try:
            self.full_name.setText(survivor.full_name)
            self.previous_names.setPlainText("\n".join(survivor.previous_names))
            self.others.setPlainText("\n".join(draft.referral.others_to_keep_out))
            self.load_date(self.birth, draft, "date_of_birth", survivor.date_of_birth)
            self.pronouns.setText(survivor.pronouns)
            self.language.setText(survivor.language)
            load_choice(self.interpreter, draft, INTERPRETER_KEY, survivor.interpreter_needed)
            self.access_needs.setPlainText(survivor.access_needs)
        finally:
            self.blockSignals(blocked)

    def store(self, draft: Draft) -> None:
        survivor = draft.referral.survivor
        survivor.full_name = self.full_name.text().strip()
        survivor.previous_names = self.previous_names.lines()
        draft.referral.others_to_keep_out = self.others.lines()
        # The same key as the eligibility "age" page, which asks for the same date.
        survivor.date_of_birth = self.read_date(self.birth, draft, "date_of_birth")
        survivor.pronouns = self.pronouns.text().strip()
        survivor.language = self.language.text().strip()
        survivor.interpreter_needed = read_choice(self.interpreter, draft, INTERPRETER_KEY)
        survivor.access_needs = self.access_needs.toPlainText().strip()

    def validate(self, draft: Draft, today: date) -> list[Problem]:
        problems = []
        if not self.full_name.text().strip():
            problems.append(Problem("Enter the survivor's full name", self.full_name))
        message = self.birth.check(today)
        if message:
            problems.append(Problem(message, self.birth))
        return problems

    def summary(self, draft: Draft) -> list[tuple[str, str]]:
        survivor = draft.referral.survivor
        return [
            (NAME, text_answer(survivor.full_name)),
            (without_optional(PREVIOUS_NAMES), "\n".join(survivor.previous_names) or NOT_GIVEN),
            (without_optional(OTHERS), "\n".join(draft.referral.others_to_keep_out) or NOT_GIVEN),
            # No date of birth: the eligibility answers on the same page already show it.
            (without_optional(PRONOUNS), text_answer(survivor.pronouns)),
            (without_optional(LANGUAGE), text_answer(survivor.language)),
            (
                without_optional(INTERPRETER),
                choice_answer(
                    self.interpreter, draft, INTERPRETER_KEY, survivor.interpreter_needed
                ),
            ),
            (without_optional(ACCESS), text_answer(survivor.access_needs)),
        ]
