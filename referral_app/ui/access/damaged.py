"""What the unlock screen shows when the database file is damaged.

Said plainly: what is wrong, that nothing has been changed, and the way back (the newest
backup that opens and passes its check), with what restoring it means for the damaged file
and for anything saved after the backup was made.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtWidgets import QVBoxLayout, QWidget

from referral_app.ui.widgets.text import body_text, em, heading

HEADING = "The database file is damaged"
WHAT = (
    "A check of the file that holds your referrals found damage. This can happen after a "
    "disk fault, a power cut or a failing drive."
)
NOTHING_CHANGED = "Nothing has been changed: the file is exactly as it was."
NO_BACKUP = (
    "No backup of this database opens with this passphrase and passes its check, so the app "
    "cannot offer one. Do not delete anything. Ask your organisation's IT support for help, "
    "and tell them the file is damaged."
)


def when_text(made_at: datetime) -> str:
    """A backup's time as the advocate reads it: local time, day first."""
    local = made_at.astimezone()
    return f"{local:%A} {local.day} {local:%B %Y at %H:%M}"


def backup_found_text(made_at: datetime, database_path: Path) -> tuple[str, str]:
    return (
        f"The newest good backup was made on {when_text(made_at)}. Anything saved after "
        "that is not in it.",
        "Restoring it puts it in place of the damaged file. The damaged file is kept beside "
        f"it, still encrypted (as {database_path.name}.damaged- followed by today's date), "
        "for your IT support to look at.",
    )


class DamagePanel(QWidget):
    """The damage page's text; the dialog around it holds the buttons."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(HEADING)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(em(self))
        self._layout.addWidget(heading(HEADING, self))
        for paragraph in (WHAT, NOTHING_CHANGED):
            self._layout.addWidget(body_text(paragraph, self))
        self.advice: list[QWidget] = []

    def set_advice(self, paragraphs: tuple[str, ...]) -> None:
        for widget in self.advice:
            widget.deleteLater()
        self.advice = [body_text(paragraph, self) for paragraph in paragraphs]
        for widget in self.advice:
            self._layout.addWidget(widget)
            widget.show()  # added after the page was shown
