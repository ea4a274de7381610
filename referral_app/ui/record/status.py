"""The two dialogs that change where a referral stands: a new status, and deletion for good.

Both are deliberate steps with consequences outside the app (a referral sent, a record gone),
so both say plainly what will happen and change nothing until the advocate confirms.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from referral_app.domain.dates import PartialDate, describe_day
from referral_app.domain.referral import (
    NEEDS_CONSENT,
    Referral,
    Status,
    StatusChangeError,
    allowed_changes,
    utc_now,
)
from referral_app.storage.errors import StorageError
from referral_app.storage.repository import Repository
from referral_app.ui.common.privacy import PrivacyMode
from referral_app.ui.widgets.error_summary import ErrorSummary, Problem
from referral_app.ui.widgets.partial_date import PartialDateEdit
from referral_app.ui.widgets.text import (
    field_error,
    field_label,
    heading,
    hint,
    mark_invalid,
    show_field_error,
)
from referral_app.ui.wizard.survivor import (
    INDICATORS,
    SizedLineEdit,
    TextArea,
    check_day,
    optional,
)

NEW_STATUS = "What is the new status?"
WHEN = "Date of the change"
NOTE = optional("Note")
STATUS_MESSAGE = "Select the referral's new status"
WHEN_MESSAGE = "Enter the date of the change, including the day"
#: What a status means for what comes after, shown under its radio button.
CONSEQUENCES: dict[Status, str] = {
    Status.CLOSED: "A closed referral cannot be moved to any other status.",
    Status.WITHDRAWN: "The survivor can take it up again later: it then goes back to a draft.",
}
NEEDS_CONSENT_HINT = "Needs the survivor's consent to be recorded in full first."
#: The warning button's look (GOV.UK warning button); the yellow focus state is the app's.
WARNING_BUTTON = (
    "QPushButton#warningButton { background: #d4351c; color: #ffffff; border: none;"
    " border-bottom: 2px solid #55150b; padding: 0.45em 1.2em; font-weight: bold; }"
    " QPushButton#warningButton:hover { background: #aa2a16; }"
    " QPushButton#warningButton:focus { background: #ffdd00; color: #0b0c0c;"
    " border-bottom: 2px solid #0b0c0c; }"
    " QPushButton#warningButton:disabled { background: #f3c4bb; color: #6f2112; }"
)


def local_day(moment: datetime) -> date:
    """The day a stored moment fell on here (stored moments are UTC)."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone().date()


def moment_on(day: date) -> datetime:
    """When a change dated ``day`` happened, in UTC: now if ``day`` is today here, else midday,
    so the day shown back is the same whatever the time zone (UK and Europe)."""
    now = utc_now()
    if now.astimezone().date() == day:
        return now
    return datetime.combine(day, time(12), tzinfo=UTC)


class ScrollingDialog(QDialog):
    """A dialog whose questions scroll above a fixed row of buttons.

    At 200% text on a small screen a dialog can be taller than the screen; squeezing it would
    cut wrapped text off, so the questions scroll instead and the buttons stay in sight.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModal(True)
        inner = QWidget(self)
        self.form = QVBoxLayout(inner)
        self.form.setContentsMargins(32, 24, 32, 8)
        self.form.setSpacing(round(self.fontMetrics().height() * 1.1))
        self.scroller = QScrollArea(self)
        self.scroller.setWidgetResizable(True)
        self.scroller.setFrameShape(QFrame.Shape.NoFrame)
        self.scroller.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroller.setWidget(inner)
        self._bar = QHBoxLayout()
        self._bar.setContentsMargins(32, 8, 32, 16)
        self._bar.setSpacing(self.fontMetrics().horizontalAdvance("000"))
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(self.scroller, 1)
        outer.addLayout(self._bar)
        #: Where the keyboard starts when the dialog opens.
        self.first_field: QWidget | None = None

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.first_field is not None:
            self.first_field.setFocus(Qt.FocusReason.OtherFocusReason)

    def add_buttons(self, ok: QPushButton, cancel: QPushButton) -> None:
        cancel.setObjectName("secondaryButton")
        cancel.setAccessibleName("Cancel")
        cancel.clicked.connect(self.reject)
        self._bar.addWidget(ok)
        self._bar.addWidget(cancel)
        self._bar.addStretch(1)

    def fit(self, chars: int = 75) -> None:
        """About ``chars`` characters wide, and as tall as the questions need at that width
        (a dialog's own size hint ignores word wrap), within the screen."""
        width = min(self.fontMetrics().averageCharWidth() * chars, 1000)
        screen = self.screen()
        if screen is not None:
            width = min(width, screen.availableGeometry().width() - 40)
        self.setMinimumWidth(min(width, 400))
        self.resize(width, self._needed_height(width))

    def grow(self) -> None:
        """Taller when something new (an error summary) needs room."""
        needed = self._needed_height(self.width())
        if needed > self.height():
            self.resize(self.width(), needed)
        self.scroller.verticalScrollBar().setValue(0)

    def _needed_height(self, width: int) -> int:
        bar = self._bar.totalSizeHint().height()
        questions = self.form.totalHeightForWidth(width) if self.form.hasHeightForWidth() else 0
        needed = max(questions, self.form.totalSizeHint().height()) + bar
        screen = self.screen()
        if screen is not None:
            needed = min(needed, round(screen.availableGeometry().height() * 0.9))
        return needed


class StatusDialog(ScrollingDialog):
    """Move the referral on to one of the statuses the rules allow from where it is now.

    Only allowed changes are offered. The domain still has the last word (a referral goes out
    only with complete consent): its refusal is shown in the error summary, word for word, and
    nothing is saved.
    """

    def __init__(
        self,
        repository: Repository,
        referral: Referral,
        *,
        today: Callable[[], date] = date.today,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        if referral.id is None:
            raise ValueError("only a saved referral has a status to change")
        self._repository = repository
        self._referral = referral
        self._referral_id: int = referral.id
        self._today = today
        #: The record as stored after the change; None until then.
        self.saved: Referral | None = None
        self.setWindowTitle(f"Change the status: {referral.reference}")
        self.setAccessibleName("Change the status")
        self.setStyleSheet(INDICATORS)
        self._build()

    def _build(self) -> None:
        layout = self.form
        self.error_summary = ErrorSummary(self)
        layout.addWidget(self.error_summary)
        layout.addWidget(heading("Change the status", self))
        layout.addWidget(hint(f"It is '{self._referral.status.label}' now.", self))
        layout.addLayout(self._build_choices())
        self.when = PartialDateEdit(WHEN, "of the change", "For example, 27 3 2026.", parent=self)
        self.when.setValue(PartialDate.from_date(self._today()))
        layout.addWidget(self.when)
        self.note = TextArea(3, self)
        note_block = QVBoxLayout()
        note_block.setSpacing(4)
        note_block.addWidget(field_label(NOTE, self.note, self))
        note_hint = "For example, what the force said and when. It is kept in the history."
        self.note.setAccessibleDescription(note_hint)
        note_block.addWidget(hint(note_hint, self))
        note_block.addWidget(self.note)
        layout.addLayout(note_block)
        self.ok_button = QPushButton("Change &status", self)
        self.ok_button.setObjectName("primaryButton")
        self.ok_button.setAccessibleName("Change status")
        self.ok_button.setDefault(True)
        self.ok_button.clicked.connect(self.change)
        self.cancel_button = QPushButton("Cancel", self)
        layout.addStretch(1)
        self.add_buttons(self.ok_button, self.cancel_button)
        self.fit()
        self.first_field = self.choices

    def _build_choices(self) -> QVBoxLayout:
        """One radio per allowed status, with what it means where that is not obvious."""
        self.choices = QFrame(self)
        self.choices.setObjectName("choiceGroup")
        self.choices.setAccessibleName(NEW_STATUS)
        choices = QVBoxLayout(self.choices)
        choices.setContentsMargins(12, 0, 0, 0)
        choices.setSpacing(6)
        self.group = QButtonGroup(self)
        self.radios: dict[Status, QRadioButton] = {}
        consent_missing = not self._referral.consent.complete
        for status in allowed_changes(self._referral.status):
            radio = QRadioButton(status.label, self.choices)
            radio.setObjectName(f"status_{status.value}")
            radio.setAccessibleName(status.label)
            self.group.addButton(radio)
            self.radios[status] = radio
            choices.addWidget(radio)
            note = CONSEQUENCES.get(status)
            if status in NEEDS_CONSENT and consent_missing:
                note = NEEDS_CONSENT_HINT
            if note:
                radio.setAccessibleDescription(note)
                under = hint(note, self.choices)
                under.setContentsMargins(round(radio.fontMetrics().height() * 1.6), 0, 0, 4)
                choices.addWidget(under)
        if self.radios:
            self.choices.setFocusProxy(next(iter(self.radios.values())))
        self.status_error = field_error(self)
        block = QVBoxLayout()
        block.setSpacing(4)
        block.addWidget(field_label(NEW_STATUS, self.choices, self))
        block.addWidget(self.status_error)
        block.addWidget(self.choices)
        return block

    def chosen(self) -> Status | None:
        return next((status for status, radio in self.radios.items() if radio.isChecked()), None)

    def choose(self, status: Status) -> None:
        self.radios[status].setChecked(True)

    def _problems(self) -> list[Problem]:
        problems = []
        if self.chosen() is None:
            problems.append(Problem(STATUS_MESSAGE, self.choices))
        message = check_day(self.when, self._today(), WHEN_MESSAGE, required=True)
        if message is None and self._referral.status_history:
            latest = local_day(self._referral.status_history[-1].changed_at)
            value = self.when.value()
            if value is not None and value.first < latest:
                message = (
                    "The date of the change must be the same as or after the last change, "
                    f"{describe_day(latest)}"
                )
                self.when.set_error(message)
        if message:
            problems.append(Problem(message, self.when))
        return problems

    def _show(self, problems: list[Problem]) -> None:
        chosen_missing = any(p.field is self.choices for p in problems)
        show_field_error(self.status_error, STATUS_MESSAGE if chosen_missing else None)
        mark_invalid(self.choices, chosen_missing)
        if not any(p.field is self.when for p in problems):
            self.when.clear_error()
        self.error_summary.show_problems(problems)
        self.grow()

    def change(self) -> None:
        """Check the answers, then ask storage for the change; the rules may still refuse."""
        problems = self._problems()
        wanted = self.chosen()
        value = self.when.value() if not problems else None
        if problems or wanted is None or value is None:
            self._show(problems)
            return
        try:
            self.saved = self._repository.change_status(
                self._referral_id,
                wanted,
                self.note.toPlainText().strip(),
                at=moment_on(value.first),
            )
        except (StatusChangeError, StorageError) as error:
            self._show([Problem(str(error), self.radios[wanted])])
            return
        self._show([])
        self.accept()


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def deletion_text(referral: Referral, privacy: PrivacyMode) -> str:
    """What deleting loses, in full; the survivor's name as privacy mode allows."""
    name = privacy.name(referral.survivor.full_name) or "the survivor"
    assessments = _count(len(referral.assessments), "assessment", "assessments")
    changes = _count(len(referral.status_history), "status change", "status changes")
    return (
        f"The referral {referral.reference} for {name}, with its answers, {assessments}, "
        f"{changes} and consent record, will be deleted from this computer for good."
    )


#: What happens to the copies in backups (see storage.backup_files: the rotation's ladder).
BACKUPS_TEXT = (
    "Backups made before now still hold a copy until they are rotated out: one backup is made "
    "on each day the app is opened, and they are kept for seven days of use, then one a week "
    "for four weeks and one a month for three months, so about three months after the deletion "
    "no backup holds it."
)


class DeleteDialog(ScrollingDialog):
    """Deleting is for good, so the advocate types the reference before Delete is offered.

    Typing it (rather than pressing a second button) means the record being deleted is the
    one they meant, and that a stray Enter cannot delete anything: Cancel is the default.
    """

    def __init__(
        self,
        repository: Repository,
        referral: Referral,
        privacy: PrivacyMode,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        if referral.id is None:
            raise ValueError("only a saved referral can be deleted")
        self._repository = repository
        self._referral = referral
        self._referral_id: int = referral.id
        self.setWindowTitle(f"Delete referral {referral.reference}")
        self.setAccessibleName("Delete this referral for good")
        self.setStyleSheet(WARNING_BUTTON)
        layout = self.form
        self.error_summary = ErrorSummary(self)
        layout.addWidget(self.error_summary)
        layout.addWidget(heading("Delete this referral for good?", self))
        warning = QFrame(self)
        warning.setObjectName("warningText")
        inner = QVBoxLayout(warning)
        inner.setContentsMargins(12, 4, 0, 4)
        self.message = QLabel(deletion_text(referral, privacy), warning)
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setObjectName("fieldLabel")
        self.message.setAccessibleName(f"Warning: {self.message.text()}")
        inner.addWidget(self.message)
        layout.addWidget(warning)
        self.backups = hint(BACKUPS_TEXT, self)
        self.backups.setObjectName("")
        layout.addWidget(self.backups)
        self.confirm = SizedLineEdit(24, self)
        self.confirm.setAccessibleName(f"Type the reference {referral.reference} to confirm")
        label = field_label(f"To confirm, type the reference {referral.reference}", self.confirm)
        label.setParent(self)
        block = QVBoxLayout()
        block.setSpacing(4)
        block.addWidget(label)
        block.addWidget(self.confirm, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addLayout(block)
        self.delete_button = QPushButton("&Delete for good", self)
        self.delete_button.setObjectName("warningButton")
        self.delete_button.setAccessibleName("Delete for good")
        self.delete_button.setAutoDefault(False)
        self.delete_button.setEnabled(False)
        self.delete_button.clicked.connect(self.delete)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setDefault(True)
        layout.addStretch(1)
        self.add_buttons(self.delete_button, self.cancel_button)
        self.confirm.textChanged.connect(self._confirmed_changed)
        self.fit()
        self.first_field = self.confirm

    def confirmed(self) -> bool:
        typed = "".join(self.confirm.text().split()).upper()
        return typed == self._referral.reference.upper()

    def _confirmed_changed(self) -> None:
        self.delete_button.setEnabled(self.confirmed())

    def delete(self) -> None:
        if not self.confirmed():
            return
        try:
            self._repository.delete(self._referral_id)
        except StorageError as error:
            self.error_summary.show_problems([Problem(str(error))])
            self.grow()
            return
        self.accept()
