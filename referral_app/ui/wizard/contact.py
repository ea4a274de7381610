"""How to contact the survivor safely: the ways that are safe, and the ones that are not.

Nothing here is required (a survivor may want every contact to go through the advocate), but
what is given is checked, because a mistyped number could reach the wrong person.
"""

from __future__ import annotations

import re
from datetime import date

from PySide6.QtWidgets import QCheckBox, QWidget

from referral_app.domain.flow import Draft, Page
from referral_app.ui.widgets.error_summary import Problem
from referral_app.ui.wizard.page import WizardPage
from referral_app.ui.wizard.survivor import (
    NO,
    NOT_GIVEN,
    YES,
    RadioGroup,
    SizedLineEdit,
    TextArea,
    add_checkbox,
    add_field,
    choice_answer,
    load_choice,
    optional,
    read_choice,
    space_questions,
    text_answer,
    without_optional,
)

ADVOCATE_ONLY = "Contact the survivor only through their advocate"
PHONE = optional("Phone number")
EMAIL = optional("Email address")
ADDRESS = optional("Postal address")
VOICEMAIL = optional("Is it safe to leave a voicemail?")
LETTERS = optional("Is it safe to send letters?")
SAFE_TIMES = optional("Safe times to call")
YES_NO_NOT_ASKED = ((YES, "Yes"), (NO, "No"), ("not_asked", "Not asked"))
VOICEMAIL_KEY = "survivor.contact.voicemail_ok"
LETTERS_KEY = "survivor.contact.letters_ok"

PHONE_MESSAGE = "Enter a phone number, like 01632 960 001 or 07700 900 982"
EMAIL_MESSAGE = "Enter an email address in the correct format, like name@example.com"
# Digits, spaces, brackets and hyphens as people write them, with + only at the start; 7 to 15
# digits covers UK numbers with or without +44 and international ones (E.164 allows 15).
_PHONE = re.compile(r"\+?[0-9 ()\-]+")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def phone_is_valid(text: str) -> bool:
    digits = sum(character.isdigit() for character in text)
    return bool(_PHONE.fullmatch(text.strip())) and 7 <= digits <= 15


def email_is_valid(text: str) -> bool:
    return bool(_EMAIL.fullmatch(text.strip()))


class ContactPage(WizardPage):
    page = Page.CONTACT
    title = "How to contact the survivor safely"
    help_text = (
        "Getting this wrong can put someone at risk: a letter, voicemail or call at the wrong "
        "time can be seen or heard by the person who harmed them, or by someone they have not "
        "told. Check each answer with the survivor. Nothing on this page is required."
    )

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        space_questions(self)
        self.advocate_only = QCheckBox(ADVOCATE_ONLY, self)
        add_checkbox(
            self,
            self.advocate_only,
            "Tick this if the force, the CPS and the Panel must not contact the survivor "
            "directly, for any reason.",
        )
        self.phone = SizedLineEdit(20, self)
        add_field(
            self,
            PHONE,
            self.phone,
            "For numbers outside the UK, include the country code.",
            narrow=True,
        )
        self.email = SizedLineEdit(30, self)
        add_field(self, EMAIL, self.email, narrow=True)
        self.address = TextArea(4, self)
        add_field(self, ADDRESS, self.address)
        self.voicemail = RadioGroup(VOICEMAIL, YES_NO_NOT_ASKED, self)
        add_field(self, VOICEMAIL, self.voicemail, "Think about who else might hear it.")
        self.letters = RadioGroup(LETTERS, YES_NO_NOT_ASKED, self)
        add_field(self, LETTERS, self.letters, "Think about who else might open the post.")
        self.safe_times = SizedLineEdit(40, self)
        add_field(
            self,
            SAFE_TIMES,
            self.safe_times,
            "For example, weekdays between 10am and 12pm.",
            narrow=True,
        )
        self.advocate_only.toggled.connect(self.changed)
        for edit in (self.phone, self.email, self.safe_times):
            edit.textEdited.connect(self.changed)
        self.address.textChanged.connect(self.changed)
        self.voicemail.changed.connect(self.changed)
        self.letters.changed.connect(self.changed)

    def first_field(self) -> QWidget | None:
        return self.advocate_only

    def load(self, draft: Draft) -> None:
        survivor = draft.referral.survivor
        contact = survivor.contact
        blocked = self.blockSignals(True)  # showing the draft is not an edit
        try:
            self.advocate_only.setChecked(contact.via_advocate_only)
            self.phone.setText(survivor.phone)
            self.email.setText(survivor.email)
            self.address.setPlainText(survivor.address)
            load_choice(self.voicemail, draft, VOICEMAIL_KEY, contact.voicemail_ok)
            load_choice(self.letters, draft, LETTERS_KEY, contact.letters_ok)
            self.safe_times.setText(contact.safe_times)
        finally:
            self.blockSignals(blocked)

    def store(self, draft: Draft) -> None:
        survivor = draft.referral.survivor
        contact = survivor.contact
        contact.via_advocate_only = self.advocate_only.isChecked()
        survivor.phone = self.phone.text().strip()
        survivor.email = self.email.text().strip()
        survivor.address = self.address.toPlainText().strip()
        contact.voicemail_ok = read_choice(self.voicemail, draft, VOICEMAIL_KEY)
        contact.letters_ok = read_choice(self.letters, draft, LETTERS_KEY)
        contact.safe_times = self.safe_times.text().strip()

    def validate(self, draft: Draft, today: date) -> list[Problem]:
        problems = []
        if self.phone.text().strip() and not phone_is_valid(self.phone.text()):
            problems.append(Problem(PHONE_MESSAGE, self.phone))
        if self.email.text().strip() and not email_is_valid(self.email.text()):
            problems.append(Problem(EMAIL_MESSAGE, self.email))
        return problems

    def summary(self, draft: Draft) -> list[tuple[str, str]]:
        survivor = draft.referral.survivor
        contact = survivor.contact
        return [
            (ADVOCATE_ONLY, "Yes" if contact.via_advocate_only else "No"),
            (without_optional(PHONE), text_answer(survivor.phone)),
            (without_optional(EMAIL), text_answer(survivor.email)),
            (without_optional(ADDRESS), survivor.address.strip() or NOT_GIVEN),
            (
                without_optional(VOICEMAIL),
                choice_answer(self.voicemail, draft, VOICEMAIL_KEY, contact.voicemail_ok),
            ),
            (
                without_optional(LETTERS),
                choice_answer(self.letters, draft, LETTERS_KEY, contact.letters_ok),
            ),
            (without_optional(SAFE_TIMES), text_answer(contact.safe_times)),
        ]
