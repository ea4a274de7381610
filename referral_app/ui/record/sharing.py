"""On a team's server: whose referral it is, who else may see and change it, and changing that.

An advocate shares their own referrals with colleagues (covering a day off, say) and stops
sharing them; a manager may also give a referral to another advocate (when someone leaves).
The server's policies decide in the end: what it refuses is said in one plain sentence, and
every change is in the audit log.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from referral_app.storage import sharing
from referral_app.storage.errors import StorageError
from referral_app.storage.repository import Repository
from referral_app.ui.common.team import Team
from referral_app.ui.widgets.text import field_label, heading, hint


def who_can_see(owner: str, shared: list[str], me: str) -> str:
    """One line for the record: whose it is and who else has it."""
    whose = "You" if owner == me else owner
    if not shared:
        return f"{whose} (not shared)"
    names = ", ".join("you" if name == me else name for name in shared)
    return f"{whose}, shared with {names}"


class SharingDialog(QDialog):
    """Tick who else may see the referral; a manager may also choose who it belongs to."""

    def __init__(
        self,
        repository: Repository,
        referral_id: int,
        reference: str,
        team: Team,
        advocates: list[str],
        *,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._repository = repository
        self._referral_id = referral_id
        self._team = team
        self.setWindowTitle(f"Sharing: {reference}")
        self.setModal(True)
        database = repository.database
        self._owner = sharing.owner_of(database, referral_id)
        self._shared = set(sharing.shared_with(database, referral_id))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(10)
        layout.addWidget(heading("Who can see and change this referral", self))
        self.owner_box = QComboBox(self)
        for name in sorted({*advocates, self._owner}):
            self.owner_box.addItem(name, name)
        self.owner_box.setCurrentIndex(self.owner_box.findData(self._owner))
        self.owner_box.setEnabled(team.is_manager)
        layout.addWidget(field_label("&Belongs to", self.owner_box, self))
        if not team.is_manager:
            layout.addWidget(hint("Only a manager can give a referral to someone else.", self))
        layout.addWidget(self.owner_box, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(field_label("Also shared with", None, self))
        self.boxes: dict[str, QCheckBox] = {}
        for name in advocates:
            box = QCheckBox(name, self)
            box.setChecked(name in self._shared)
            self.boxes[name] = box
            layout.addWidget(box)
        self.owner_box.currentIndexChanged.connect(self._owner_changed)
        self._owner_changed()
        self.problem = QLabel("", self)
        self.problem.setObjectName("fieldError")
        self.problem.setWordWrap(True)
        self.problem.hide()
        layout.addWidget(self.problem)
        self.save_button = QPushButton("&Save", self)
        self.save_button.setObjectName("primaryButton")
        self.save_button.setDefault(True)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setObjectName("secondaryButton")
        row = QHBoxLayout()
        row.addWidget(self.save_button)
        row.addWidget(self.cancel_button)
        row.addStretch(1)
        layout.addStretch(1)
        layout.addLayout(row)
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)

    def _owner_changed(self) -> None:
        """The owner always sees it: no box for them."""
        owner = self.owner_box.currentData()
        for name, box in self.boxes.items():
            box.setVisible(name != owner)

    def save(self) -> None:
        database = self._repository.database
        owner = str(self.owner_box.currentData())
        wanted = {name for name, box in self.boxes.items() if box.isChecked() and name != owner}
        try:
            for name in sorted(wanted - self._shared):
                sharing.share(database, self._referral_id, name)
            if owner != self._owner:
                sharing.reassign(database, self._referral_id, owner)
            for name in sorted(self._shared - wanted):
                sharing.unshare(database, self._referral_id, name)
        except StorageError as error:
            self.problem.setText(str(error))
            self.problem.show()
            return
        self.accept()


class SharingRow(QWidget):
    """The record's "Who can see it" line, with Sharing… to change it."""

    changed = Signal(int)

    def __init__(self, repository: Repository, team: Team, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._repository = repository
        self._team = team
        self._referral: tuple[int, str] | None = None
        self.label = QLabel("", self)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(True)
        self.button = QPushButton("Sh&aring…", self)
        self.button.setObjectName("secondaryButton")
        self.button.setAccessibleName("Sharing")
        self.button.clicked.connect(self.open_dialog)
        self.dialog: SharingDialog | None = None
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(12)
        row.addWidget(self.label)
        row.addWidget(self.button, 0, Qt.AlignmentFlag.AlignTop)
        row.addStretch(1)

    def show_for(self, referral_id: int | None, reference: str = "") -> None:
        if referral_id is None:
            self._referral = None
            self.label.clear()
            return
        self._referral = (referral_id, reference)
        database = self._repository.database
        try:
            owner = sharing.owner_of(database, referral_id)
            shared = sharing.shared_with(database, referral_id)
        except StorageError as error:
            self.label.setText(str(error))
            return
        self.label.setText(who_can_see(owner, shared, self._team.me))
        self.button.setEnabled(self._team.is_manager or owner == self._team.me)

    def open_dialog(self) -> None:
        if self._referral is None:
            return
        referral_id, reference = self._referral
        advocates = list(self._team.advocates)
        if not advocates:
            from referral_app.storage.team import TeamDatabase

            database = self._repository.database
            if isinstance(database, TeamDatabase):
                advocates = database.team_members()
        dialog = SharingDialog(
            self._repository, referral_id, reference, self._team, advocates, parent=self
        )
        self.dialog = dialog
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.show_for(referral_id, reference)
            self.changed.emit(referral_id)
        dialog.deleteLater()
        self.dialog = None
