"""Privacy mode: survivor names and contact details masked on screen, for shared spaces.

The setting is a user-interface preference (remembered in QSettings, never anything about a
survivor); every view that shows names asks ``PrivacyMode`` how to show them and listens for
changes, so switching it takes effect everywhere at once.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QSettings, Signal

_KEY = "privacy/masked"
MASK = "••••••"


def initials(name: str) -> str:
    """``Zelda Quartermaine`` as ``Z. Q.``: enough to tell records apart, not to identify."""
    parts = [part for part in name.replace("-", " ").split() if part]
    return " ".join(f"{part[0].upper()}." for part in parts) or MASK


class PrivacyMode(QObject):
    changed = Signal(bool)

    def __init__(self, store: QSettings | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store if store is not None else QSettings()
        self._masked = self._store.value(_KEY, False, type=bool) is True

    @property
    def masked(self) -> bool:
        return self._masked

    def set_masked(self, masked: bool) -> None:
        if masked == self._masked:
            return
        self._masked = masked
        self._store.setValue(_KEY, masked)
        self._store.sync()
        self.changed.emit(masked)

    def name(self, full_name: str) -> str:
        """A survivor's name as it may be shown now."""
        return initials(full_name) if self._masked else full_name

    def contact(self, detail: str) -> str:
        """A phone number, email or address as it may be shown now."""
        return MASK if self._masked and detail else detail
