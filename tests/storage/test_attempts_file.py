"""The failed-attempts file beside the database cannot be turned against the advocate:
whatever is put there, the app starts, unlocks with the right passphrase, and keeps the wait
after wrong ones (in memory, if the file cannot be written)."""

from __future__ import annotations

import json
import os
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from referral_app.storage.access import open_database
from referral_app.storage.attempts import FREE_ATTEMPTS, FailedAttempts
from referral_app.storage.db import Database
from referral_app.storage.errors import TooManyAttemptsError, WrongPassphraseError
from tests.storage.conftest import PASSPHRASE

WRONG = "not the passphrase at all"


@pytest.fixture
def closed(db_path: Path, database: Database) -> Path:
    database.close()
    return db_path


def _attempts_file(db_path: Path) -> Path:
    return FailedAttempts.beside(db_path).path


def _opens_within(db_path: Path, seconds: float = 60.0) -> bool:
    """Open and close the database on a thread, so a hang fails the test instead of the run."""
    done = threading.Event()
    failure: list[BaseException] = []

    def run() -> None:
        try:
            open_database(db_path, PASSPHRASE, make_backup=False).close()
        except BaseException as error:  # reported by the assertion below
            failure.append(error)
        finally:
            done.set()

    threading.Thread(target=run, daemon=True).start()
    finished = done.wait(seconds)
    assert not failure, failure
    return finished


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"\x00\xff garbage \x80",
        b"{not json",
        b'{"a": 1}',
        b"[1, 2, null]",
        b'["x"]' * 5000,
        b"[" * 60_000,  # nested too deep for the JSON reader
        b"[" * 1_000_000,  # far larger than any real file
    ],
)
def test_a_garbled_attempts_file_never_stops_an_unlock(closed: Path, content: bytes) -> None:
    _attempts_file(closed).write_bytes(content)
    assert _opens_within(closed)
    assert not _attempts_file(closed).exists()


def test_a_fifo_in_place_of_the_attempts_file_never_hangs_the_app(closed: Path) -> None:
    os.mkfifo(_attempts_file(closed))
    assert FailedAttempts.beside(closed).next_try_at() is None
    assert _opens_within(closed, 30.0), "unlocking hung on the FIFO"


def test_times_in_the_future_or_without_a_zone_count_as_now(closed: Path) -> None:
    future = datetime.now(UTC) + timedelta(days=3650)
    items = [future.isoformat()] * (FREE_ATTEMPTS - 1) + ["2026-11-21T09:00:00"]
    _attempts_file(closed).write_text(json.dumps(items), encoding="utf-8")
    moment = datetime.now(UTC)
    # Five tries counted as made now: the usual first wait, not ten years.
    with pytest.raises(TooManyAttemptsError) as raised:
        open_database(closed, PASSPHRASE, make_backup=False, now=moment)
    assert raised.value.retry_at <= moment + timedelta(seconds=30)
    # Pinned when first read: the wait runs out instead of moving along with the clock.
    later = moment + timedelta(seconds=31)
    assert FailedAttempts.beside(closed).next_try_at(later) == raised.value.retry_at
    open_database(closed, PASSPHRASE, make_backup=False, now=later).close()


def test_an_unwritable_attempts_file_keeps_the_wait_in_memory(closed: Path) -> None:
    _attempts_file(closed).mkdir()  # cannot be replaced by a file, whoever the user is
    with pytest.raises(WrongPassphraseError):  # not an OSError from writing the file
        open_database(closed, WRONG, make_backup=False)
    attempts = FailedAttempts.beside(closed)
    start = datetime.now(UTC)
    for second in range(FREE_ATTEMPTS):
        with pytest.raises(WrongPassphraseError):
            open_database(
                closed,
                WRONG,
                make_backup=False,
                now=start + timedelta(seconds=second),
                attempts=attempts,
            )
    assert attempts.unsaved
    with pytest.raises(TooManyAttemptsError):
        open_database(
            closed,
            PASSPHRASE,
            make_backup=False,
            now=start + timedelta(seconds=6),
            attempts=attempts,
        )
    database = open_database(
        closed, PASSPHRASE, make_backup=False, now=start + timedelta(minutes=5), attempts=attempts
    )
    database.close()
    assert attempts.next_try_at(start + timedelta(minutes=5)) is None
