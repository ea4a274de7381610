"""Commands run from a terminal, without a window: listing and restoring backups.

Restoring is done with the app closed, so it must not need the app's own windows; it asks for
the passphrase without echoing it, and changes nothing unless that passphrase opens the backup.
"""

from __future__ import annotations

import getpass
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from referral_app.storage import backup
from referral_app.storage.errors import StorageError


def list_backups(database: Path, out: TextIO = sys.stdout) -> int:
    backups = backup.list_backups(database)
    if not backups:
        print(f"No backups yet for {database}.", file=out)
        return 0
    print(f"Backups of {database}, newest first:", file=out)
    for path in backups:
        print(f"  {path}", file=out)
    return 0


def restore_backup(
    source: Path,
    database: Path,
    out: TextIO = sys.stdout,
    err: TextIO = sys.stderr,
    ask: Callable[[str], str] = getpass.getpass,
) -> int:
    passphrase = ask("Passphrase of the backup (the database passphrase when it was made): ")
    try:
        kept = backup.restore(source, database, passphrase)
    except StorageError as error:
        print(str(error), file=err)
        return 1
    print(f"Restored {source.name} to {database}.", file=out)
    if kept is not None:
        print(f"The database it replaced is kept, still encrypted, at {kept}.", file=out)
    return 0
