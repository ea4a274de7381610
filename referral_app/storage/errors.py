"""Problems the advocate can act on, each with one plain message.

These are kept apart from bugs: the UI shows ``str(error)`` as it is, and never a traceback.
None of the messages carries personal data or the database's contents.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from referral_app.domain.referral import Referral


class StorageError(Exception):
    """A problem with the database that the user can understand and act on."""


class WrongPassphraseError(StorageError):
    def __init__(self) -> None:
        super().__init__(
            "That passphrase does not open this database. Check it and try again "
            "(passphrases are case-sensitive)."
        )


class TooManyAttemptsError(StorageError):
    """Wrong passphrases in a row: the next try has to wait (nothing else is said or done)."""

    #: What happened, without the time left (which changes as the advocate reads it).
    REASON = (
        "The passphrase was wrong several times in a row. To protect the records, each "
        "further try has to wait a little longer."
    )

    def __init__(self, retry_at: datetime, now: datetime) -> None:
        self.retry_at = retry_at
        super().__init__(f"{self.REASON} {self.wait_text(retry_at, now)}")

    @staticmethod
    def wait_text(retry_at: datetime, now: datetime) -> str:
        return f"You can try again in {describe_wait(retry_at - now)}."


def describe_wait(wait: timedelta) -> str:
    """A wait in words, rounded up to the second: "1 minute 30 seconds"."""
    seconds = max(1, int(-(-wait.total_seconds() // 1)))
    minutes, seconds = divmod(seconds, 60)
    parts = []
    if minutes:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    if seconds:
        parts.append(f"{seconds} second{'s' if seconds != 1 else ''}")
    return " ".join(parts)


class WeakPassphraseError(StorageError):
    def __init__(self, summary: str, advice: str, *, guessable: bool = True) -> None:
        self.summary = summary
        self.advice = advice
        lead = "This passphrase is too easy to guess. " if guessable else ""
        super().__init__(f"{lead}{summary} {advice}".strip())


class DatabaseInUseError(StorageError):
    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(
            "The database is already open in another copy of this app. Close the other copy "
            "first; two copies at once could damage the records."
        )


class DatabaseMissingError(StorageError):
    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(f"There is no database at {path}.")


class DatabaseExistsError(StorageError):
    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(
            f"A database already exists at {path}. Open it with its passphrase instead, or "
            "choose another location."
        )


class NotADatabaseError(StorageError):
    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(
            f"{path.name} is not a database of this app, or it is damaged. Nothing was changed."
        )


class UnreadableDatabaseError(StorageError):
    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        super().__init__(
            f"The database at {path} could not be read ({reason}). Check that the drive is "
            "connected and that you may read the file; nothing was changed."
        )


class DatabaseTooNewError(StorageError):
    def __init__(self, revision: str) -> None:
        self.revision = revision
        super().__init__(
            "This database was made by a newer version of the app. Install the newer version "
            "to open it; nothing was changed."
        )


class RecordNotFoundError(StorageError):
    def __init__(self, referral_id: int) -> None:
        self.referral_id = referral_id
        super().__init__(
            f"Referral {referral_id} is not in the database (it may have been deleted)."
        )


class UnsafeLocationError(StorageError):
    """The database's folder is a network share or a cloud-synced folder (see ``location``)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
class DamagedDatabaseError(StorageError):
    """The database file is damaged: a check found broken pages, or its first page cannot be
    read with a passphrase that opens this database's backups."""

    def __init__(self, path: Path, *, first_page: bool = False) -> None:
        self.path = path
        self.first_page = first_page
        where = (
            "Its first page cannot be read, although the passphrase opens its backups."
            if first_page
            else "A check found damaged pages in it."
        )
        super().__init__(
            f"The database file is damaged. {where} Nothing has been changed. Restore the "
            "newest good backup: the damaged file is kept aside, still encrypted, for your IT "
            "support to look at."
        )


class WrongOrDamagedError(WrongPassphraseError):
    """The passphrase does not open the file, and no backup is there to tell whether the
    passphrase is wrong or the file damaged."""

    def __init__(self) -> None:
        StorageError.__init__(
            self,
            "That passphrase does not open this database. Check it and try again "
            "(passphrases are case-sensitive). If you are sure it is right, the file may be "
            "damaged: ask your IT support to restore it from a backup.",
        )


class WriteFailedError(StorageError):
    """A change could not be written: a full disk, a read-only file or drive, a disk error."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(
            f"This could not be saved: {reason}. Everything saved before is safe, and what "
            "you typed is still on screen. Free some space or ask your IT support, then try "
            "again."
        )


class CannotWriteError(StorageError):
    """At unlock: the passphrase is right, but the database cannot be written to."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(
            f"The passphrase is right, but the records cannot be opened for changes: {reason}. "
            "Nothing was changed. Check that the drive has free space and is not read-only "
            "(your IT support can help), then unlock again."
        )


class ConflictError(StorageError):
    """Someone else saved this referral after it was opened here: saving would overwrite
    their change. ``mine`` is what was about to be saved, ``theirs`` the referral as it now
    stands (with its newer ``version``); nothing was saved, so the advocate can choose."""

    def __init__(self, mine: Referral, theirs: Referral) -> None:
        self.mine = mine
        self.theirs = theirs
        super().__init__(
            f"{theirs.reference or 'This referral'} was changed by someone else after you "
            "opened it, so your change was not saved. Nothing has been lost: compare the two "
            "versions and choose what to keep."
        )


class TeamServerError(StorageError):
    """A problem reaching or signing in to the team's server, in one plain sentence."""


class NotEncryptedError(TeamServerError):
    def __init__(self) -> None:
        super().__init__(
            "The server did not offer an encrypted connection, so the app did not connect: "
            "ask whoever runs the server to switch TLS on."
        )


class UntrustedServerError(TeamServerError):
    def __init__(self) -> None:
        super().__init__(
            "The server's certificate could not be checked against the team's CA certificate "
            "(or it names another server), so the app did not connect. Check the server's "
            "name and the CA certificate file with whoever runs the server."
        )


class SignInFailedError(TeamServerError):
    def __init__(self) -> None:
        super().__init__(
            "The server did not accept that user name and password. Check them and try "
            "again (passwords are case-sensitive)."
        )


class ServerUnreachableError(TeamServerError):
    def __init__(self) -> None:
        super().__init__(
            "The team's server could not be reached. Check the network connection and the "
            "server's address, then try again; nothing was changed."
        )


class NotAllowedError(TeamServerError):
    """The server refused an action this role may not take (row-level security, grants)."""

    def __init__(self) -> None:
        super().__init__(
            "The server did not allow this: only a manager can do it, or the referral is "
            "not yours or shared with you. Nothing was changed."
        )


class ServerSchemaError(TeamServerError):
    def __init__(self) -> None:
        super().__init__(
            "The team's server has not been set up for this version of the app. Ask whoever "
            "runs the server to run 'referral-app server init' with this version."
        )
