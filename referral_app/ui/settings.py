"""The one place that reads and writes QSettings.

QSettings holds only how the app looks and behaves for this user (window geometry, the lock
delay, privacy mode): never anything about a survivor or a case.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings

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
