"""Killed at any moment of a save, a delete, a backup, a passphrase change or a restore, the
app loses no save it reported as done, and at least one checked backup still opens.

A worker process (``crash_mixed_worker.py``) does those steps in a random order and prints
each one once it has returned; it is killed with SIGKILL after a random delay, many times over.
After every kill the database must open (with one of the two passphrases: a kill during a
change may leave either), hold every referral whose save was printed and whose deletion was
not, pass ``PRAGMA integrity_check``, and at least one backup must open and pass it too.

``MIXED_CRASH_ROUNDS`` sets the number of kills (3 by default, to keep the suite fast; the
long run is 200 or more), and ``CRASH_REPORT`` names a file for a one-line summary.
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
from collections import Counter
from pathlib import Path
from typing import IO

from referral_app.storage import backup
from referral_app.storage.access import create_database
from referral_app.storage.db import Database
from referral_app.storage.errors import StorageError, WrongPassphraseError
from referral_app.storage.repository import Repository
from tests.storage.conftest import ADVOCATE, PASSPHRASE

ROOT = Path(__file__).resolve().parents[2]
WORKER = Path(__file__).with_name("crash_mixed_worker.py")
SEED = 20_261_203
ROUNDS = int(os.environ.get("MIXED_CRASH_ROUNDS", "3"))
MAX_DELAY = 2.0  # seconds of work before the kill; random within this
READY_TIMEOUT = 120.0
OTHER_PASSPHRASE = "quiet harbour lantern bicycle 93"
PASSPHRASES = (PASSPHRASE, OTHER_PASSPHRASE)


def _pump(stream: IO[bytes], lines: queue.Queue[str | None]) -> None:
    for raw in stream:
        if raw.endswith(b"\n"):  # a line cut short by the kill proves nothing
            lines.put(raw.decode("utf-8").rstrip("\n"))
    lines.put(None)


def _run_round(db_path: Path, tag: str, first: int, delay: float, seed: int) -> list[str]:
    """Start a worker, let it work for ``delay`` seconds once ready, kill it; its lines."""
    process = subprocess.Popen(
        [sys.executable, str(WORKER), str(db_path), tag, str(seed)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(f"{PASSPHRASES[first]}\n{PASSPHRASES[1 - first]}\n".encode())
    process.stdin.close()
    lines: queue.Queue[str | None] = queue.Queue()
    reader = threading.Thread(target=_pump, args=(process.stdout, lines), daemon=True)
    reader.start()
    printed: list[str] = []
    try:
        ready = lines.get(timeout=READY_TIMEOUT)
        assert ready is not None and ready.startswith("ready"), (
            f"worker {tag} not ready: {process.stderr.read().decode() if process.stderr else ''}"
        )
        printed.append(ready)
        kill_at = time.monotonic() + delay
        while True:
            try:
                line = lines.get(timeout=max(0.0, kill_at - time.monotonic()))
            except queue.Empty:
                break
            if line is None:
                break
            printed.append(line)
    finally:
        process.kill()
        process.wait()
        reader.join(READY_TIMEOUT)
    while (line := lines.get_nowait() if not lines.empty() else None) is not None:
        printed.append(line)
    problem = process.stderr.read().decode("utf-8", "replace") if process.stderr else ""
    if process.stderr:
        process.stderr.close()
    process.stdout.close()
    if os.name == "posix":
        assert process.returncode == -signal.SIGKILL, f"worker {tag} ended by itself: {problem}"
    assert problem == "", f"worker {tag} wrote to stderr: {problem}"
    return printed


def _open_either(db_path: Path, first: int) -> tuple[Database, int]:
    for index in (first, 1 - first):
        try:
            return Database.unlock(db_path, PASSPHRASES[index]), index
        except WrongPassphraseError:
            continue
    raise AssertionError("neither passphrase opens the database")


def _a_good_backup_opens(db_path: Path) -> bool:
    """Whether a backup (the newest first) opens with either passphrase and passes its check."""
    for path in backup.list_backups(db_path):
        for passphrase in PASSPHRASES:
            try:
                backup.check_backup(path, passphrase)
            except StorageError:
                continue
            return True
    return False


def test_kills_across_save_backup_rekey_restore_and_delete_lose_nothing(tmp_path: Path) -> None:
    db_path = tmp_path / "data" / "referrals.db"
    create_database(db_path, PASSPHRASE, ADVOCATE).close()
    rng = random.Random(SEED)
    confirmed: set[int] = set()
    steps: Counter[str] = Counter()
    first = 0
    started = time.monotonic()
    passed = 0
    try:
        for round_number in range(ROUNDS):
            printed = _run_round(
                db_path, f"r{round_number}", first, rng.uniform(0, MAX_DELAY), rng.randrange(10**9)
            )
            for line in printed[1:]:
                word, _, rest = line.partition(" ")
                steps[word] += 1
                if word == "saved":
                    confirmed.add(int(rest))
                elif word == "deleting":  # cut short, it may have happened or not
                    confirmed.discard(int(rest))

            database, first = _open_either(db_path, first)
            try:
                stored = set(Repository(database).list_ids())
                intact = database.integrity_ok()
            finally:
                database.close()
            missing = sorted(confirmed - stored)
            assert not missing, f"round {round_number}: confirmed saves lost: {missing}"
            assert intact, f"round {round_number}: integrity_check failed after the kill"
            assert _a_good_backup_opens(db_path), f"round {round_number}: no good backup opens"
            for kept in db_path.parent.glob(f"{db_path.name}.before-restore-*"):
                kept.unlink()  # the worker's restores each keep one; they only fill the disk
            passed += 1
    finally:
        report = os.environ.get("CRASH_REPORT")
        if report:
            done = ", ".join(f"{word} {count}" for word, count in sorted(steps.items()))
            Path(report).write_text(
                f"mixed crash safety: {passed}/{ROUNDS} kills passed, {len(confirmed)} saves "
                f"confirmed and present, steps returned: {done}; seed {SEED}, "
                f"{time.monotonic() - started:.0f} s\n",
                encoding="utf-8",
            )
