"""The one place that reads and writes QSettings.

QSettings holds only how the app looks and behaves for this user (window geometry, the lock
delay, privacy mode, the folder last saved to for each kind of file): never anything about a
survivor or a case.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from referral_app.ui.common.save_location import default_save_folder

#: Minutes without keyboard or mouse input before the app locks itself: it cannot be turned off.
LOCK_MINUTES_DEFAULT = 5
LOCK_MINUTES_RANGE = (1, 15)


class Settings:
    """Typed access to the user's UI preferences."""

    def __init__(self, store: QSettings | None = None) -> None:
        self._store = store if store is not None else QSettings()

    def window_geometry(self) -> QByteArray | None:
        value = self._store.value("window/geometry")
        return value if isinstance(value, QByteArray) else None

    def set_window_geometry(self, geometry: QByteArray) -> None:
        self._store.setValue("window/geometry", geometry)
        self._store.sync()

    def lock_minutes(self) -> int:
        """The idle lock delay, always within :data:`LOCK_MINUTES_RANGE`."""
        low, high = LOCK_MINUTES_RANGE
        try:
            value = int(str(self._store.value("lock/minutes", LOCK_MINUTES_DEFAULT)))
        except ValueError:
            return LOCK_MINUTES_DEFAULT
        return min(max(value, low), high)

    def set_lock_minutes(self, minutes: int) -> None:
        low, high = LOCK_MINUTES_RANGE
        self._store.setValue("lock/minutes", min(max(int(minutes), low), high))
        self._store.sync()

    def save_folder(self, kind: str) -> Path:
        """Where a save dialog for ``kind`` of file ("pdf", "export", "audit") starts: the
        folder last used for that kind while it still exists, else Documents (or home when
        Documents is cloud-synced), never the working directory, which means nothing to an
        advocate."""
        value = self._store.value(f"folders/{kind}")
        if isinstance(value, str) and value and Path(value).is_absolute() and Path(value).is_dir():
            return Path(value)
        return default_save_folder()

    def set_save_folder(self, kind: str, folder: Path) -> None:
        self._store.setValue(f"folders/{kind}", str(folder))
        self._store.sync()
