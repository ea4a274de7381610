"""Backup files by name: which database each belongs to, when it was made, which to keep.

A backup's name is ``<database>-<UTC time>-<identity>.backup``: the database's file name, so
two databases in one folder keep apart, and its random identity, so that a new database made
where an old one was lost never counts the old one's backups as its own. Backups made before
identities existed have none in their names; they are kept until a database adopts them.

Only a copy that has passed SQLite's ``integrity_check`` is ever given a backup's name, so
every file listed here was whole when it was made.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

SUFFIX = ".backup"
#: The ladder kept of each database's backups: the last three whenever made, then the newest
#: of each of the last seven days with a backup, of the last four weeks and of the last three
#: months.
KEEP_LATEST = 3
KEEP_DAILY = 7
KEEP_WEEKLY = 4
KEEP_MONTHLY = 3
_STAMP = "%Y-%m-%d-%H%M%S-%f"


@dataclass(frozen=True)
class BackupFile:
    path: Path
    made_at: datetime
    #: The identity of the database it is a copy of; None for backups older than identities.
    identity: str | None


def backup_folder(database_path: Path) -> Path:
    return database_path.parent / "backups"


def backup_name(database_path: Path, when: datetime, identity: str | None) -> str:
    tail = f"-{identity}" if identity else ""
    return f"{database_path.stem}-{when.astimezone(UTC):{_STAMP}}{tail}{SUFFIX}"


def _pattern(database_path: Path) -> re.Pattern[str]:
    return re.compile(
        re.escape(database_path.stem)
        + r"-(\d{4}-\d{2}-\d{2}-\d{6}-\d{6})(?:-([0-9a-f]{32}))?"
        + re.escape(SUFFIX)
    )


def parse(database_path: Path, path: Path) -> BackupFile | None:
    match = _pattern(database_path).fullmatch(path.name)
    if match is None:
        return None
    try:
        made_at = datetime.strptime(match.group(1), _STAMP).replace(tzinfo=UTC)
    except ValueError:
        return None
    return BackupFile(path, made_at, match.group(2))


def list_backup_files(database_path: Path) -> list[BackupFile]:
    """Every backup named after this database, whichever identity, newest first."""
    folder = backup_folder(database_path)
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    found = [item for entry in entries if (item := parse(database_path, entry)) is not None]
    return sorted(found, key=lambda item: item.made_at, reverse=True)


def _newest_per(
    files: list[BackupFile], bucket: Callable[[datetime], Hashable], count: int
) -> Iterable[BackupFile]:
    seen: list[Hashable] = []
    for item in files:  # newest first
        key = bucket(item.made_at)
        if key in seen:
            continue
        if len(seen) == count:
            return
        seen.append(key)
        yield item


def ladder(files: list[BackupFile]) -> set[Path]:
    """The backups the rotation keeps: the latest few, then the newest of each day, week and
    month back to the ladder's length."""
    ordered = sorted(files, key=lambda item: item.made_at, reverse=True)
    keep: set[Path] = {item.path for item in ordered[:KEEP_LATEST]}
    for bucket, count in (
        (lambda when: when.date(), KEEP_DAILY),
        (lambda when: when.isocalendar()[:2], KEEP_WEEKLY),
        (lambda when: (when.year, when.month), KEEP_MONTHLY),
    ):
        keep.update(item.path for item in _newest_per(ordered, bucket, count))
    return keep


def is_leftover(database_path: Path, path: Path) -> bool:
    """A temporary copy a crash left: a backup or a restore being written, or its journal."""
    stem = re.escape(database_path.stem)
    name = re.escape(database_path.name)
    journal = r"(?:-journal|-wal|-shm)?"
    copy = rf"\.{stem}-\d{{4}}-[0-9a-f-]+{re.escape(SUFFIX)}\.[0-9a-f]{{12}}\.tmp{journal}"
    restoring = rf"\.?\.{name}\.restoring(?:\.[0-9a-f]{{12}}\.tmp)?{journal}"
    return bool(re.fullmatch(copy, path.name) or re.fullmatch(restoring, path.name))
