"""Saves, deletes, backs up, changes the passphrase and restores until it is killed; run by
``test_crash_mixed.py``, never by pytest itself.

Usage: ``python tests/storage/crash_mixed_worker.py DATABASE_PATH TAG SEED`` with the two
passphrases it may find the database under on the first two lines of stdin. It prints
``ready N`` (N: which passphrase opened it), then for each step a line before it starts
(``deleting ID``, ``rekeying``) where the parent must allow for either outcome, and a line
once it has returned (``saved ID``, ``deleted ID``, ``backup``, ``passphrase N``,
``restored``), flushing every line.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def say(text: str) -> None:
    print(text, flush=True)


def main(argv: list[str]) -> int:
    if len(argv) != 4:
        print("usage: crash_mixed_worker.py DATABASE_PATH TAG SEED", file=sys.stderr)
        return 2
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))

    from referral_app.storage import backup
    from referral_app.storage.access import change_passphrase, open_database
    from referral_app.storage.errors import WrongPassphraseError
    from referral_app.storage.repository import Repository
    from tests.storage.conftest import full_referral

    path, tag, rng = Path(argv[1]), argv[2], random.Random(int(argv[3]))
    passphrases = [sys.stdin.readline().rstrip("\n") for _ in range(2)]
    try:
        current = 0
        database = open_database(path, passphrases[0], make_backup=False)
    except WrongPassphraseError:
        current = 1
        database = open_database(path, passphrases[1], make_backup=False)
    repository = Repository(database)
    say(f"ready {current}")
    mine: list[int] = []
    number = 0
    while True:  # until killed
        step = rng.choices(
            ["save", "delete", "backup", "rekey", "restore"], weights=[50, 10, 15, 10, 15]
        )[0]
        if step == "save" or (step == "delete" and not mine):
            saved = repository.save(full_referral(f"Mixed {tag}-{number}", f"MX {tag}/{number}"))
            number += 1
            assert saved.id is not None
            mine.append(saved.id)
            say(f"saved {saved.id}")
        elif step == "delete":
            doomed = mine.pop(rng.randrange(len(mine)))
            say(f"deleting {doomed}")
            repository.delete(doomed)
            say(f"deleted {doomed}")
        elif step == "backup":
            backup.make_backup(database, passphrases[current])
            say("backup")
        elif step == "rekey":
            say("rekeying")
            change_passphrase(database, passphrases[current], passphrases[1 - current])
            current = 1 - current
            say(f"passphrase {current}")
        else:
            made = backup.make_backup(database, passphrases[current])
            database.close()
            backup.restore(made, path, passphrases[current])
            database = open_database(path, passphrases[current], make_backup=False)
            repository = Repository(database)
            say("restored")


if __name__ == "__main__":
    sys.exit(main(sys.argv))
