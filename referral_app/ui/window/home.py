"""The start page: what the app is for, "New referral", and any unfinished referrals."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from referral_app.domain.dates import describe_day
from referral_app.ui.widgets.text import heading, hint

if TYPE_CHECKING:
    from referral_app.storage.repository import DraftSummary

INTRO = (
    "Check whether a survivor's closed case can go to the Child Sexual Abuse Review Panel, "
    "record the referral in the encrypted database on this computer, and keep track of it."
)


def when(moment: datetime) -> str:
    local = moment.astimezone()
    return f"{describe_day(local.date())} at {local:%H:%M}"


class HomePage(QWidget):
    new_referral = Signal()
    resume_draft = Signal(int)
    discard_draft = Signal(int)

    def __init__(self, can_refer: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcomePage")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 40, 48, 40)
        layout.setSpacing(16)
        layout.addWidget(heading("Child Sexual Abuse Review Panel referrals", self))
        intro = hint(INTRO, self)
        intro.setObjectName("")
        intro.setMaximumWidth(self.fontMetrics().averageCharWidth() * 80)
        layout.addWidget(intro)
        self.drafts_box = QVBoxLayout()
        layout.addLayout(self.drafts_box)
        self.new_button = QPushButton("&New referral", self)
        self.new_button.setObjectName("primaryButton")
        self.new_button.setAccessibleName("New referral")
        self.new_button.clicked.connect(self.new_referral)
        self.new_button.setVisible(can_refer)
        row = QHBoxLayout()
        row.addWidget(self.new_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)
        self.draft_buttons: dict[int, tuple[QPushButton, QPushButton]] = {}

    def show_drafts(self, drafts: Sequence[DraftSummary]) -> None:
        """Offer to resume each unfinished referral (only when it was saved, never what)."""
        while (item := self.drafts_box.takeAt(0)) is not None:
            old = item.widget()
            if old is not None:
                old.deleteLater()
        self.draft_buttons = {}
        for draft in drafts:
            frame = QFrame(self)
            frame.setObjectName("insetText")
            inner = QVBoxLayout(frame)
            text = QLabel(
                f"You have an unfinished referral, last saved on {when(draft.updated_at)}.", frame
            )
            text.setWordWrap(True)
            text.setTextFormat(Qt.TextFormat.PlainText)
            inner.addWidget(text)
            buttons = QHBoxLayout()
            resume = QPushButton("Continue this referral", frame)
            resume.setObjectName("secondaryButton")
            resume.setAccessibleName(
                f"Continue the referral last saved on {when(draft.updated_at)}"
            )
            resume.clicked.connect(lambda _=False, i=draft.id: self.resume_draft.emit(i))
            discard = QPushButton("Discard it", frame)
            discard.setObjectName("secondaryButton")
            discard.setAccessibleName(
                f"Discard the referral last saved on {when(draft.updated_at)}"
            )
            discard.clicked.connect(lambda _=False, i=draft.id: self.discard_draft.emit(i))
            buttons.addWidget(resume)
            buttons.addWidget(discard)
            buttons.addStretch(1)
            inner.addLayout(buttons)
            self.drafts_box.addWidget(frame)
            self.draft_buttons[draft.id] = (resume, discard)


class SavedPage(QWidget):
    """Confirmation after saving, in the GOV.UK confirmation-page pattern."""

    another = Signal()
    home = Signal()
    open_record = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("savedPage")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 40, 48, 40)
        layout.setSpacing(16)
        panel = QFrame(self)
        panel.setObjectName("confirmationPanel")
        inner = QVBoxLayout(panel)
        self.title = heading("Referral saved", panel)
        self.reference = QLabel(panel)
        self.reference.setObjectName("referenceLabel")
        self.reference.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        inner.addWidget(self.title)
        inner.addWidget(self.reference)
        layout.addWidget(panel)
        self.details = hint("", self)
        layout.addWidget(self.details)
        row = QHBoxLayout()
        again = QPushButton("Start &another referral", self)
        again.setObjectName("primaryButton")
        again.clicked.connect(self.another)
        view = QPushButton("&Open the record", self)
        view.setObjectName("secondaryButton")
        view.clicked.connect(lambda _=False: self._open())
        back = QPushButton("Back to the &start page", self)
        back.setObjectName("secondaryButton")
        back.clicked.connect(self.home)
        row.addWidget(again)
        row.addWidget(view)
        row.addWidget(back)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)
        self.again_button = again
        self.view_button = view
        self._referral_id: int | None = None

    def _open(self) -> None:
        if self._referral_id is not None:
            self.open_record.emit(self._referral_id)

    def show_saved(
        self,
        reference: str,
        status_label: str,
        consent_complete: bool,
        referral_id: int | None = None,
    ) -> None:
        self._referral_id = referral_id
        self.view_button.setVisible(referral_id is not None)
        self.reference.setText(f"Reference: {reference}")
        self.reference.setAccessibleName(f"Reference {reference}")
        note = (
            f"The referral is stored, encrypted, on this computer, with the status "
            f"'{status_label}'."
        )
        if not consent_complete:
            note += " It cannot be marked ready to send until the survivor's consent is recorded."
        self.details.setText(note)
