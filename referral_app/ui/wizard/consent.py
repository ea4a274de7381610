"""Consent: what the survivor has agreed to, when, how, and whether they have withdrawn it.

A referral may be saved as a draft without consent (the survivor may want time to think), so
missing consent is never an error here; it only stops the referral being marked ready to send
(see :func:`consent_complete`). What is entered is still checked, so the record can be relied on.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QFrame, QLabel, QVBoxLayout, QWidget

from referral_app.domain.flow import Draft, Page
from referral_app.domain.referral import Consent, ConsentMethod
from referral_app.ui.widgets.error_summary import Problem
from referral_app.ui.widgets.partial_date import PartialDateEdit
from referral_app.ui.wizard.page import WizardPage
from referral_app.ui.wizard.survivor import (
    NOT_GIVEN,
    RadioGroup,
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

AGREED = optional("What has the survivor agreed to?")
GIVEN = "Date consent was given"
METHOD = "How was consent given?"
RECORDED_BY = optional("Who recorded the consent")
WITHDRAWN = optional("Date consent was withdrawn")
AUTHORITY = optional("Date the signed consent and authority form came back")
GIVEN_KEY = "consent.given_on"
WITHDRAWN_KEY = "consent.withdrawn_on"
AUTHORITY_KEY = "consent.authority_received_on"
METHODS = ((ConsentMethod.VERBAL.value, "Verbally"), (ConsentMethod.WRITTEN.value, "In writing"))
#: The parts of consent, as the record names them and as the page asks them.
PARTS = (
    ("to_referral", "Making this referral"),
    ("share_with_force", "Sharing it with the police force"),
    ("share_with_cps", "Sharing it with the CPS"),
    ("share_with_panel", "Sharing it with the Panel"),
)

WARNING = (
    "The referral cannot be marked ready to send without consent to refer and to share with "
    "the force or CPS Area and the Panel."
)
GIVEN_MESSAGE = "Enter the date consent was given, including the day"
METHOD_MESSAGE = "Select how consent was given"
WITHDRAWN_MESSAGE = "Enter the date consent was withdrawn, including the day"
AUTHORITY_MESSAGE = "Enter the date the signed form came back, including the day"
WITHDRAWN_ORDER_MESSAGE = (
    "The date consent was withdrawn must be the same as or after the date it was given"
)
NEEDED = "Needed if the survivor has agreed to anything above."


def consent_complete(consent: Consent) -> bool:
    """Enough consent to send: to refer, to share with the Panel and with whoever decided
    (force or CPS), with when and how it was given, and not withdrawn since."""
    return bool(
        consent.to_referral
        and consent.share_with_panel
        and (consent.share_with_force or consent.share_with_cps)
        and consent.given_on is not None
        and consent.method is not None
        and not consent.withdrawn
    )


class ConsentPage(WizardPage):
    page = Page.CONSENT
    title = "Consent"
    help_text = (
        "Nothing is shared without the survivor's agreement. Ask about each part on its own "
        "and tick only what they have agreed to. They can change their mind at any time."
    )

    def __init__(self, parent: QWidget | None = None, advocate_name: str = "") -> None:
        super().__init__(parent)
        space_questions(self)
        self._advocate_name = advocate_name
        warning = QFrame(self)
        warning.setObjectName("warningText")
        warning_layout = QVBoxLayout(warning)
        warning_layout.setContentsMargins(12, 4, 0, 4)
        self.warning = QLabel(WARNING, warning)
        self.warning.setWordWrap(True)
        self.warning.setTextFormat(Qt.TextFormat.PlainText)
        self.warning.setObjectName("fieldLabel")  # bold, as GOV.UK warning text is
        self.warning.setAccessibleName(f"Warning: {WARNING}")
        warning_layout.addWidget(self.warning)
        self.body.addWidget(warning)

        self.agreed = QFrame(self)
        parts = QVBoxLayout(self.agreed)
        parts.setContentsMargins(0, 0, 0, 0)
        parts.setSpacing(6)
        self.parts: dict[str, QCheckBox] = {}
        for name, text in PARTS:
            box = QCheckBox(text, self.agreed)
            box.setObjectName(name)
            box.setAccessibleName(text)
            box.setAccessibleDescription(without_optional(AGREED))
            box.toggled.connect(self.changed)
            parts.addWidget(box)
            self.parts[name] = box
        self.agreed.setFocusProxy(self.parts["to_referral"])
        add_field(self, AGREED, self.agreed, "Select all that apply.")

        example = f"{NEEDED} For example, 27 3 2025."
        self.given = self.register_date(
            PartialDateEdit(GIVEN, "consent was given", example, parent=self)
        )
        self.body.addWidget(self.given)
        self.method = RadioGroup(METHOD, METHODS, self)
        add_field(self, METHOD, self.method, NEEDED)
        self.recorded_by = SizedLineEdit(30, self)
        add_field(
            self, RECORDED_BY, self.recorded_by, "The person who noted the consent.", narrow=True
        )
        self.withdrawn = self.register_date(
            PartialDateEdit(
                WITHDRAWN,
                "consent was withdrawn",
                "Only if the survivor has withdrawn their consent. For example, 27 3 2025.",
                parent=self,
            )
        )
        self.body.addWidget(self.withdrawn)
        self.authority = self.register_date(
            PartialDateEdit(
                AUTHORITY,
                "the signed form came back",
                "The form is printed from the record (Print: consent and authority form) for "
                "the survivor to sign. For example, 27 3 2025.",
                parent=self,
            )
        )
        self.body.addWidget(self.authority)
        self.method.changed.connect(self.changed)
        self.recorded_by.textEdited.connect(self.changed)

    def _any_consent(self) -> bool:
        return any(box.isChecked() for box in self.parts.values())

    def first_field(self) -> QWidget | None:
        return self.parts["to_referral"]

    def load(self, draft: Draft) -> None:
        consent = draft.referral.consent
        blocked = self.blockSignals(True)  # showing the draft is not an edit
        try:
            for name, box in self.parts.items():
                box.setChecked(bool(getattr(consent, name)))
            load_day(self.given, draft, GIVEN_KEY, consent.given_on)
            self.method.set_value(consent.method.value if consent.method else None)
            # Usually the advocate using the app records it: saves typing their own name.
            self.recorded_by.setText(consent.recorded_by or self._advocate_name)
            load_day(self.withdrawn, draft, WITHDRAWN_KEY, consent.withdrawn_on)
            load_day(self.authority, draft, AUTHORITY_KEY, consent.authority_received_on)
        finally:
            self.blockSignals(blocked)

    def store(self, draft: Draft) -> None:
        consent = draft.referral.consent
        for name, box in self.parts.items():
            setattr(consent, name, box.isChecked())
        consent.given_on = read_day(self.given, draft, GIVEN_KEY)
        method = self.method.value()
        consent.method = ConsentMethod(method) if method else None
        consent.recorded_by = self.recorded_by.text().strip()
        consent.withdrawn_on = read_day(self.withdrawn, draft, WITHDRAWN_KEY)
        consent.authority_received_on = read_day(self.authority, draft, AUTHORITY_KEY)

    def validate(self, draft: Draft, today: date) -> list[Problem]:
        problems = []
        needed = self._any_consent()
        message = check_day(self.given, today, GIVEN_MESSAGE, required=needed)
        if message:
            problems.append(Problem(message, self.given))
        if needed and self.method.value() is None:
            problems.append(Problem(METHOD_MESSAGE, self.method))
        message = check_day(self.withdrawn, today, WITHDRAWN_MESSAGE, required=False)
        if message is None:
            given, withdrawn = self.given.value(), self.withdrawn.value()
            if given and withdrawn and withdrawn.first < given.first:
                message = WITHDRAWN_ORDER_MESSAGE
                self.withdrawn.set_error(message)
        if message:
            problems.append(Problem(message, self.withdrawn))
        message = check_day(self.authority, today, AUTHORITY_MESSAGE, required=False)
        if message:
            problems.append(Problem(message, self.authority))
        return problems

    def summary(self, draft: Draft) -> list[tuple[str, str]]:
        consent = draft.referral.consent
        agreed = [text for name, text in PARTS if getattr(consent, name)]
        method = consent.method.value if consent.method else None
        return [
            (without_optional(AGREED), "\n".join(agreed) or NOT_GIVEN),
            (GIVEN, date_answer(consent.given_on, draft, GIVEN_KEY)),
            (METHOD, self.method.label_of(method)),
            (without_optional(RECORDED_BY), text_answer(consent.recorded_by)),
            (without_optional(WITHDRAWN), date_answer(consent.withdrawn_on, draft, WITHDRAWN_KEY)),
            (
                without_optional(AUTHORITY),
                date_answer(consent.authority_received_on, draft, AUTHORITY_KEY),
            ),
        ]
