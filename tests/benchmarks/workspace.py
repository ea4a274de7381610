"""Where a benchmark run keeps what it makes, and how big the run is.

Everything (the generated databases, exports, and the per-user folders of the subprocesses)
lives in one temporary folder made for the run, so no benchmark can touch the advocate's real
database, settings or log, and the caseload of 100,000 referrals is generated once per run.
"""

from __future__ import annotations

import gc
import os
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TypeVar

import sqlcipher3

from referral_app.domain.referral import Advocate
from referral_app.storage.access import create_database
from referral_app.storage.db import KDF_ITERATIONS, sql_string
from referral_app.storage.repository import Repository
from tests.generate import generate_referrals, populate

_T = TypeVar("_T")

REPO_ROOT = Path(__file__).resolve().parents[2]
#: The database passphrase of every benchmark database (quotes on purpose, as in the tests).
PASSPHRASE = "orbit 'tiger\" lamp; violet -- drop"
ADVOCATE = Advocate("Ann Advocate", "Safe Space Charity", "01632 960000", "ann@example.org")
_USER_FOLDERS = ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME")


@dataclass(frozen=True)
class Scale:
    """How much each benchmark does. The full run measures; the smoke run only proves that
    every benchmark still runs and produces its figures."""

    referrals: int = 100_000
    #: Start-ups of the app and of the bare window, each (the median is reported).
    starts: int = 9
    #: Subprocesses per database for peak memory.
    memory_runs: int = 3
    #: Unlocks of each database for the first screen.
    unlocks: int = 5
    #: Times the whole keystroke sequence is typed (each keystroke's median is kept).
    search_rounds: int = 3
    exported: int = 10_000
    summaries: int = 20
    saves: int = 40
    opens: int = 40
    assessments: int = 50_000


FULL = Scale()
SMOKE = Scale(
    referrals=200,
    starts=1,
    memory_runs=1,
    unlocks=1,
    search_rounds=1,
    exported=200,
    summaries=1,
    saves=2,
    opens=2,
    assessments=500,
)


def sandbox_environment(root: Path) -> dict[str, str]:
    """Environment variables that keep a process's per-user folders inside ``root``.

    On Linux the app finds its log, settings and default database through these (platformdirs
    and Qt both read them); the benchmarks always name their database explicitly as well.
    """
    folders = {name: str(root / name.lower()) for name in _USER_FOLDERS}
    for folder in folders.values():
        Path(folder).mkdir(parents=True, exist_ok=True, mode=0o700)
    return folders | {"QT_QPA_PLATFORM": "offscreen"}


def measured(action: Callable[..., _T], *arguments: object) -> tuple[float, _T]:
    """Seconds ``action(*arguments)`` takes, and what it returned."""
    started = time.perf_counter()
    result = action(*arguments)
    return time.perf_counter() - started, result


def timed(action: Callable[..., object], *arguments: object) -> float:
    """Seconds ``action(*arguments)`` takes."""
    return measured(action, *arguments)[0]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a measurement runs.

    A collection lands on whichever measurement happens to be running when the count of new
    objects tips over, adding tens of milliseconds to one keystroke and none to the next; the
    baselines are measured the same way, so pausing it keeps both honest.
    """
    was_enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def raw_connection(path: Path) -> sqlcipher3.Connection:
    """A driver connection to a benchmark database, set up as the app sets up its own, for
    the hand-written SQL the app's queries are held against."""
    connection = sqlcipher3.connect(str(path), isolation_level=None)
    connection.execute("PRAGMA cipher_log_level = NONE")
    connection.execute(f"PRAGMA key = {sql_string(PASSPHRASE)}")
    connection.execute(f"PRAGMA kdf_iter = {KDF_ITERATIONS}")
    connection.execute("SELECT count(*) FROM sqlite_master").fetchall()
    connection.execute("PRAGMA journal_mode = WAL").fetchall()
    connection.execute("PRAGMA synchronous = FULL")
    connection.execute("PRAGMA secure_delete = ON")
    connection.execute("PRAGMA foreign_keys = ON")
    connection.execute("PRAGMA busy_timeout = 5000")
    return connection


@dataclass(frozen=True)
class Generation:
    """How long storing the generated caseload took, and generating it alone."""

    count: int
    stored_seconds: float
    generated_seconds: float


class Workspace:
    """The run's temporary folder: its databases, files, and sandboxed per-user folders."""

    def __init__(self, root: Path, scale: Scale, today: date | None = None) -> None:
        self.root = root
        self.scale = scale
        self.today = today or date.today()
        self.user_folders = sandbox_environment(root / "user")
        self._caseload: Path | None = None
        self._empty: Path | None = None
        self.generation: Generation | None = None

    def child_environment(self) -> dict[str, str]:
        """The environment for a subprocess: this one's, with the sandboxed folders, and the
        repository first on the import path whether or not the app is installed.

        Compiled bytecode is kept (in the workspace, not the repository), as an installed
        app's is: with PYTHONDONTWRITEBYTECODE, as CI sets it, every start would compile the
        app's source again and the start-up figure would measure the compiler.
        """
        path = os.pathsep.join(p for p in (str(REPO_ROOT), os.environ.get("PYTHONPATH")) if p)
        environment = os.environ | self.user_folders
        environment.pop("PYTHONDONTWRITEBYTECODE", None)
        return environment | {
            "PYTHONPATH": path,
            "PYTHONPYCACHEPREFIX": str(self.root / "bytecode"),
        }

    def path(self, name: str) -> Path:
        """A new file's path in the workspace."""
        folder = self.root / "files"
        folder.mkdir(exist_ok=True, mode=0o700)
        return folder / name

    @property
    def caseload(self) -> Path:
        """The database of ``scale.referrals`` generated referrals, made on first use."""
        if self._caseload is None:
            self._caseload = self._make("caseload", self.scale.referrals)
        return self._caseload

    @property
    def empty(self) -> Path:
        """A database with the advocate's details and no referrals."""
        if self._empty is None:
            self._empty = self._make("empty", 0)
        return self._empty

    def _make(self, name: str, count: int) -> Path:
        path = self.root / name / "referrals.db"
        database = create_database(path, PASSPHRASE, ADVOCATE)
        try:
            if count:
                stored = timed(populate, Repository(database), count, 0, self.today)
                with collector_paused():  # as populate pauses it
                    generated = timed(deque, generate_referrals(count, 0, self.today), 0)
                self.generation = Generation(count, stored, generated)
        finally:
            database.close()
        return path


def python() -> str:
    """The interpreter running the benchmarks, for their subprocesses."""
    return sys.executable
