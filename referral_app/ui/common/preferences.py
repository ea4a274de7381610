"""Settings the advocate may change: how soon the app locks itself when left alone.

The lock cannot be switched off, only set between one and fifteen minutes: a laptop left open
in a shared office is the case it exists for.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from referral_app.ui.common.settings import LOCK_MINUTES_RANGE
from referral_app.ui.widgets.text import field_label, heading, hint


class PreferencesDialog(QDialog):
    """Lock after N minutes without use; Save applies it at once."""

    def __init__(self, minutes: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.setAccessibleName("Settings")
        self.setModal(True)
        self.minutes = QSpinBox(self)
        low, high = LOCK_MINUTES_RANGE
        self.minutes.setRange(low, high)
        self.minutes.setValue(minutes)
        self.minutes.setSuffix(" minutes")
        self.minutes.setAccessibleName("Lock after this many minutes without use")
        self.minutes.setMaximumWidth(self.fontMetrics().horizontalAdvance("00 minutes") * 2)
        self.save_button = QPushButton("&Save", self)
        self.save_button.setObjectName("primaryButton")
        self.save_button.setAccessibleName("Save")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.accept)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setObjectName("secondaryButton")
        self.cancel_button.setAccessibleName("Cancel")
        self.cancel_button.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 16)
        layout.setSpacing(12)
        layout.addWidget(heading("Settings", self))
        layout.addWidget(field_label("&Lock the app after", self.minutes, self))
        layout.addWidget(
            hint(
                f"When nobody has used the keyboard or mouse for this long, the app locks "
                f"and asks for the passphrase again. Choose from {low} to {high} minutes; it "
                "cannot be switched off. Ctrl+L locks at once, and F12 hides everything.",
                self,
            )
        )
        layout.addWidget(self.minutes)
        layout.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 70)
        self.resize(self.minimumWidth(), self.heightForWidth(self.minimumWidth()))

    def chosen_minutes(self) -> int:
        return self.minutes.value()
