"""The one place that reads and writes QSettings.

QSettings holds only how the app looks and behaves for this user (window geometry, later
the lock delay and privacy mode): never anything about a survivor or a case.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings


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
