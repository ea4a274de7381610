"""The confirmation before referrals are deleted for good.

Deleting cannot be undone, so the advocate reads what will be lost (everything recorded about
each referral) and must type DELETE before the button does anything; Enter means Cancel. The
dialog names referrals by reference only, so it is safe on a shared screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QVBoxLayout, QWidget

from referral_app.storage.errors import StorageError
from referral_app.storage.retention import RetentionItem, delete_for_good
from referral_app.ui.access.unlock import wait_cursor
from referral_app.ui.record.status import BACKUPS_TEXT, WARNING_BUTTON, ScrollingDialog
from referral_app.ui.widgets.page import stacked
from referral_app.ui.widgets.text import field_label, heading, hint
from referral_app.ui.wizard.survivor import SizedLineEdit

if TYPE_CHECKING:
    from referral_app.storage.repository import Repository

#: What the advocate types to confirm: a word, not a click, so nothing goes by accident.
CONFIRM_WORD = "DELETE"
AUDIT_TEXT = (
    "The audit log keeps a line for each deletion, with the record's number but nothing else "
    "about it."
)


def referrals(count: int) -> str:
    return f"{count} referral{'s' if count != 1 else ''}"


class DeleteForGoodDialog(ScrollingDialog):
    """Names what will be lost, and deletes only once DELETE is typed; Enter means Cancel.

    After trying it closes as accepted even if something went wrong part-way (``problem``
    then says what): some referrals may be gone by then, and the page shows what is left.
    """

    def __init__(
        self, repository: Repository, items: list[RetentionItem], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._repository = repository
        self.items = list(items)
        self.problem = ""
        count = referrals(len(items))
        self.setWindowTitle("Delete referrals for good")
        self.setAccessibleName(f"Delete {count} for good")
        self.setStyleSheet(WARNING_BUTTON)
        layout = self.form
        layout.addWidget(heading(f"Delete {count} for good?", self))
        warning = QFrame(self)
        warning.setObjectName("warningText")
        inner = QVBoxLayout(warning)
        inner.setContentsMargins(12, 4, 0, 4)
        these, them = ("This referral", "it") if len(items) == 1 else (f"These {count}", "them")
        self.message = QLabel(
            f"{these} will be deleted from this computer for good, with everything recorded "
            f"about {them}: the survivor's details, the answers, the assessments, the status "
            "history, the consent record and the letter. This cannot be undone.",
            warning,
        )
        self.message.setWordWrap(True)
        self.message.setObjectName("fieldLabel")
        self.message.setAccessibleName(f"Warning: {self.message.text()}")
        inner.addWidget(self.message)
        layout.addWidget(warning)
        self.references = QLabel(", ".join(item.reference for item in items), self)
        self.references.setWordWrap(True)
        self.references.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label = "Reference" if len(items) == 1 else "References"
        layout.addLayout(stacked(field_label(label, self.references, self), self.references))
        backups = hint(f"{BACKUPS_TEXT} {AUDIT_TEXT}", self)
        backups.setObjectName("")
        layout.addWidget(backups)
        self.confirm = SizedLineEdit(12, self)
        self.confirm.setAccessibleName(f"Type {CONFIRM_WORD} to confirm")
        confirm_label = field_label(f"To confirm, type {CONFIRM_WORD}", self.confirm, self)
        layout.addLayout(stacked(confirm_label, self.confirm, narrow=True))
        self.delete_button = QPushButton(f"&Delete {count} for good", self)
        self.delete_button.setObjectName("warningButton")
        self.delete_button.setAccessibleName(f"Delete {count} for good")
        self.delete_button.setAutoDefault(False)
        self.delete_button.setEnabled(False)
        self.delete_button.clicked.connect(self.delete)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setDefault(True)
        layout.addStretch(1)
        self.add_buttons(self.delete_button, self.cancel_button)
        self.confirm.textChanged.connect(self._typed)
        # Read from the top; once typing starts, the box comes into view if it was below.
        self.confirm.textEdited.connect(lambda: self.scroller.ensureWidgetVisible(self.confirm))
        self.fit()
        self.first_field = self.confirm

    def confirmed(self) -> bool:
        return self.confirm.text().strip().upper() == CONFIRM_WORD

    def _typed(self) -> None:
        self.delete_button.setEnabled(self.confirmed())

    def delete(self) -> None:
        if not self.confirmed():
            return
        ids = [item.referral_id for item in self.items]
        try:
            with wait_cursor():
                delete_for_good(self._repository, ids)
        except StorageError as error:
            self.problem = str(error)
        self.accept()
