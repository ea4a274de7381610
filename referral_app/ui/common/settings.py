"""The one place that reads and writes QSettings.

QSettings holds only how the app looks and behaves for this user (window geometry, the lock
delay, privacy mode, the folder last saved to for each kind of file, where the records live
and the team server's address and user name): never anything about a survivor or a case, and
never a password.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from PySide6.QtCore import QByteArray, QSettings

from referral_app.ui.common.save_location import default_save_folder

#: Minutes without keyboard or mouse input before the app locks itself: it cannot be turned off.
LOCK_MINUTES_DEFAULT = 5
LOCK_MINUTES_RANGE = (1, 15)
#: PostgreSQL's own port, offered until the advocate is told another.
DEFAULT_PORT = 5432
#: Where the records live: the encrypted file on this computer, or the team's server.
Where = Literal["computer", "server"]


@dataclass(frozen=True)
class ServerAddress:
    """How to reach the team's server: never who signs in, never a password."""

    host: str
    port: int
    database: str
    ca_certificate: Path


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

    def where(self) -> Where | None:
        """Where the records live, once chosen on the first run."""
        value = self._store.value("records/where")
        if value == "computer":
            return "computer"
        return "server" if value == "server" else None

    def server_address(self) -> ServerAddress | None:
        """The team server's address as last given, if it is whole."""
        host = self._store.value("server/host")
        database = self._store.value("server/database")
        ca = self._store.value("server/ca_certificate")
        try:
            port = int(str(self._store.value("server/port", DEFAULT_PORT)))
        except ValueError:
            return None
        if not all(isinstance(value, str) and value for value in (host, database, ca)):
            return None
        return ServerAddress(str(host), port, str(database), Path(str(ca)))

    def server_user(self) -> str:
        """The name the advocate last signed in with (their role's name is not a secret)."""
        value = self._store.value("server/user", "")
        return value if isinstance(value, str) else ""

    def use_computer(self) -> None:
        self._store.setValue("records/where", "computer")
        self._store.sync()

    def use_server(self, address: ServerAddress) -> None:
        self._store.setValue("records/where", "server")
        self._store.setValue("server/host", address.host)
        self._store.setValue("server/port", address.port)
        self._store.setValue("server/database", address.database)
        self._store.setValue("server/ca_certificate", str(address.ca_certificate))
        self._store.sync()

    def set_server_user(self, user: str) -> None:
        self._store.setValue("server/user", user)
        self._store.sync()
