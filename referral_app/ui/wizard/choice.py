"""A question answered by choosing one option (GOV.UK radios), with "Not sure" set apart."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtWidgets import QButtonGroup, QFrame, QLabel, QRadioButton, QVBoxLayout, QWidget

from referral_app.domain.flow import Draft
from referral_app.ui.widgets.error_summary import Problem
from referral_app.ui.widgets.text import hint
from referral_app.ui.wizard.page import WizardPage


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    hint: str = ""


YES = Option("yes", "Yes")
NO = Option("no", "No")
NOT_SURE = Option("unsure", "Not sure")


class ChoicePage(WizardPage):
    """Subclasses set ``key`` (the eligibility key), ``options`` and ``required_message``."""

    key: str
    options: tuple[Option, ...] = (YES, NO, NOT_SURE)
    required_message: str = "Select an answer"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.build_before_choices()
        self.group_box = QFrame(self)
        self.group_box.setObjectName("choiceGroup")
        self.group_box.setAccessibleName(self.title)
        layout = QVBoxLayout(self.group_box)
        # Room on the left for the red bar that marks a question with an error.
        layout.setContentsMargins(12, 0, 0, 0)
        layout.setSpacing(8)
        self.buttons = QButtonGroup(self)
        self.radios: dict[str, QRadioButton] = {}
        for option in self.options:
            if option.value in ("unsure", "unknown") and len(self.options) > 2:
                divider = QLabel("or", self.group_box)
                divider.setAccessibleName("or")
                layout.addWidget(divider)
            radio = QRadioButton(option.label, self.group_box)
            radio.setObjectName(f"option_{option.value}")
            radio.setAccessibleName(option.label)
            if option.hint:
                radio.setAccessibleDescription(option.hint)
            self.buttons.addButton(radio)
            self.radios[option.value] = radio
            radio.toggled.connect(self._emit_changed)
            layout.addWidget(radio)
            if option.hint:
                note = hint(option.hint, self.group_box)
                note.setContentsMargins(26, 0, 0, 4)
                layout.addWidget(note)
        first = next(iter(self.radios.values()))
        self.group_box.setFocusProxy(first)
        self.body.addWidget(self.error_label_for(self.group_box))
        self.body.addWidget(self.group_box)

    def build_before_choices(self) -> None:
        """Add what comes above the options. Made first, so that Tab reaches it first too."""

    def _emit_changed(self, checked: bool) -> None:
        if checked:
            self.changed.emit()

    def selected(self) -> str | None:
        for value, radio in self.radios.items():
            if radio.isChecked():
                return value
        return None

    def select(self, value: str | None) -> None:
        radio = self.radios.get(value or "")
        if radio is not None:
            radio.setChecked(True)
            return
        self.buttons.setExclusive(False)
        for button in self.radios.values():
            button.setChecked(False)
        self.buttons.setExclusive(True)

    def label_of(self, value: str | None) -> str:
        return next((o.label for o in self.options if o.value == value), "Not answered")

    def first_field(self) -> QWidget | None:
        value = self.selected()
        return self.radios[value] if value else next(iter(self.radios.values()))

    def field_for_key(self, key: str) -> QWidget | None:
        return self.group_box if key == self.key else None

    def load(self, draft: Draft) -> None:
        self.select(draft.referral.answers.get(self.key))

    def store(self, draft: Draft) -> None:
        draft.set_answer(self.key, self.selected())

    def validate(self, draft: Draft, today: date) -> list[Problem]:
        if self.selected() is None:
            return [Problem(self.required_message, self.group_box)]
        return []

    def summary(self, draft: Draft) -> list[tuple[str, str]]:
        return [(self.title, self.label_of(draft.referral.answers.get(self.key)))]
