"""Saves referrals until it is killed; run by ``test_crash_safety.py``, never by pytest itself.

Usage: ``python tests/storage/crash_worker.py DATABASE_PATH TAG`` with the passphrase as the
first line of stdin (never on the command line, where other users could see it).

It opens the database as the app does, prints ``ready``, then saves referrals named
``Crash Survivor TAG-0``, ``Crash Survivor TAG-1``, ... and prints each one's id only after its
save has returned, flushing every line, so every id the parent reads is a save the app
reported as done.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def survivor_name(tag: str, number: int) -> str:
    return f"Crash Survivor {tag}-{number}"


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print("usage: crash_worker.py DATABASE_PATH TAG  (passphrase on stdin)", file=sys.stderr)
        return 2
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))

    from referral_app.storage.access import open_database
    from referral_app.storage.repository import Repository
    from tests.storage.conftest import full_referral

    path, tag = Path(argv[1]), argv[2]
    passphrase = sys.stdin.readline().rstrip("\n")
    database = open_database(path, passphrase, make_backup=False)
    repository = Repository(database)
    print("ready", flush=True)
    number = 0
    while True:  # until killed; a closed stdout (parent gone) ends it with BrokenPipeError
        referral = full_referral(survivor_name(tag, number), f"CR {tag}/{number}")
        saved = repository.save(referral)
        print(saved.id, flush=True)
        number += 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
