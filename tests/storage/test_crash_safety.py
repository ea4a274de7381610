"""A process killed at any moment loses no save it reported as done, and leaves no damage.

A worker process (``crash_worker.py``) saves referrals in a loop and prints each id once its
save has returned; it is killed with SIGKILL after a random delay, many times over. After every
kill the database must open, hold every referral whose id was printed, and pass SQLite's
``PRAGMA integrity_check``.

``CRASH_ROUNDS`` raises the number of kills (50 by default) for a longer run by hand, and
``CRASH_REPORT`` names a file to which a one-line summary is written.
"""

from __future__ import annotations

import os
import queue
import random
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from referral_app.storage.access import create_database
from referral_app.storage.db import Database
from referral_app.storage.repository import Repository
from tests.storage.conftest import ADVOCATE, PASSPHRASE
from tests.storage.crash_worker import survivor_name

ROOT = Path(__file__).resolve().parents[2]
WORKER = Path(__file__).with_name("crash_worker.py")
SEED = 20_261_121
ROUNDS = int(os.environ.get("CRASH_ROUNDS", "50"))
MAX_DELAY = 0.3  # seconds of saving before the kill; random within this
READY_TIMEOUT = 60.0


class _Lines:
    """The lines a child process prints, read on a thread so waiting can have a deadline."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._thread = threading.Thread(target=self._pump, args=(stream,), daemon=True)
        self._thread.start()
        self.ended = False

    def _pump(self, stream: IO[bytes]) -> None:
        for raw in stream:
            if raw.endswith(b"\n"):  # a line cut short by the kill proves nothing
                self._queue.put(raw.decode("utf-8").rstrip("\n"))
        self._queue.put(None)

    def next(self, deadline: float) -> str | None:
        """The next line, or None at end of output or once ``deadline`` has passed."""
        if self.ended:
            return None
        try:
            line = self._queue.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            return None
        if line is None:
            self.ended = True
        return line

    def rest(self) -> list[str]:
        """Every line still to come; call once the process is dead."""
        lines = []
        while (line := self.next(time.monotonic() + READY_TIMEOUT)) is not None:
            lines.append(line)
        self.join()
        return lines

    def join(self) -> None:
        """Wait for the reading thread; the process must be dead."""
        self._thread.join(READY_TIMEOUT)


@dataclass
class _Tally:
    rounds_passed: int = 0
    rounds_with_saves: int = 0
    confirmed: dict[int, str] = field(default_factory=dict)  # id -> survivor name
    stored: int = 0

    def summary(self, elapsed: float) -> str:
        return (
            f"crash safety: {self.rounds_passed}/{ROUNDS} rounds passed "
            f"({self.rounds_with_saves} killed after at least one save), "
            f"{len(self.confirmed)} referrals confirmed, {self.stored} stored, "
            f"seed {SEED}, {elapsed:.1f} s"
        )


class _Worker:
    """One worker process. It is started early so that its imports overlap the previous round:
    it opens the database only once :meth:`unlock` hands it the passphrase."""

    def __init__(self, db_path: Path, tag: str, stderr: Path) -> None:
        self.tag = tag
        self._stderr_path = stderr
        self._stderr = stderr.open("wb")
        self._process = subprocess.Popen(
            [sys.executable, str(WORKER), str(db_path), tag],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            cwd=ROOT,
        )
        assert self._process.stdout is not None
        self._lines = _Lines(self._process.stdout)
        self._ready_at = 0.0

    def problem(self) -> str:
        return self._stderr_path.read_text(encoding="utf-8", errors="replace")

    def unlock(self) -> None:
        """Hand over the passphrase and wait until the database is open."""
        stdin = self._process.stdin
        assert stdin is not None
        stdin.write(PASSPHRASE.encode("utf-8") + b"\n")
        stdin.close()
        line = self._lines.next(time.monotonic() + READY_TIMEOUT)
        if line != "ready":
            self.stop()
            raise AssertionError(f"worker {self.tag} not ready ({line!r}): {self.problem()}")
        self._ready_at = time.monotonic()

    def kill_after(self, delay: float) -> list[int]:
        """Let it save for ``delay`` seconds, SIGKILL it; the ids whose saves had returned."""
        kill_at = self._ready_at + delay
        printed = []
        while (line := self._lines.next(kill_at)) is not None:
            printed.append(line)
        self._process.kill()  # SIGKILL on POSIX: no handler, no clean-up, no flush
        self._process.wait()
        printed.extend(self._lines.rest())
        self.stop()
        problem = self.problem()
        if os.name == "posix":
            assert self._process.returncode == -signal.SIGKILL, (
                f"worker {self.tag} ended by itself ({self._process.returncode}): {problem}"
            )
        assert problem == "", f"worker {self.tag} wrote to stderr: {problem}"
        self._stderr_path.unlink()
        return [int(line) for line in printed]

    def stop(self) -> None:
        """Kill it if it still runs and release its pipes; safe to call more than once."""
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        self._lines.join()  # before closing the pipe it reads
        for stream in (self._process.stdin, self._process.stdout):
            if stream is not None:
                stream.close()
        self._stderr.close()


def test_killed_saves_lose_nothing_confirmed_and_never_corrupt(tmp_path: Path) -> None:
    db_path = tmp_path / "data" / "referrals.db"
    create_database(db_path, PASSPHRASE, ADVOCATE).close()
    rng = random.Random(SEED)
    tally = _Tally()
    started = time.monotonic()
    workers = tmp_path / "workers"
    workers.mkdir()
    following: _Worker | None = _Worker(db_path, "r0", workers / "r0.stderr")
    current: _Worker | None = None
    try:
        for round_number in range(ROUNDS):
            current, following = following, None
            assert current is not None
            tag = current.tag
            current.unlock()
            if round_number + 1 < ROUNDS:
                next_tag = f"r{round_number + 1}"
                following = _Worker(db_path, next_tag, workers / f"{next_tag}.stderr")
            ids = current.kill_after(rng.uniform(0, MAX_DELAY))
            names = {referral_id: survivor_name(tag, n) for n, referral_id in enumerate(ids)}
            reused = names.keys() & tally.confirmed.keys()
            assert not reused, f"round {round_number}: ids handed out twice: {sorted(reused)}"
            tally.confirmed.update(names)
            tally.rounds_with_saves += bool(ids)

            database = Database.unlock(db_path, PASSPHRASE)
            try:
                repository = Repository(database)
                stored = set(repository.list_ids())
                found = {i: repository.get(i).survivor.full_name for i in names}
                intact = database.integrity_ok()
            finally:
                database.close()
            tally.stored = len(stored)
            missing = sorted(tally.confirmed.keys() - stored)
            assert not missing, f"round {round_number}: confirmed saves lost: {missing}"
            assert found == names, f"round {round_number}: referrals stored wrongly"
            assert intact, f"round {round_number}: integrity_check failed after the kill"
            tally.rounds_passed += 1

        assert tally.rounds_with_saves > ROUNDS // 2, "the kills mostly came before any save"
        with Database.unlock(db_path, PASSPHRASE) as database:
            everything = Repository(database).all()
        by_id = {referral.id: referral.survivor.full_name for referral in everything}
        assert {i: by_id.get(i) for i in tally.confirmed} == tally.confirmed
    finally:
        for worker in (current, following):
            if worker is not None:
                worker.stop()
        report = os.environ.get("CRASH_REPORT")
        if report:
            summary = tally.summary(time.monotonic() - started)
            Path(report).write_text(summary + "\n", encoding="utf-8")
