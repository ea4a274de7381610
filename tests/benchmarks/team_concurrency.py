"""Many advocates saving and searching at once on a team's PostgreSQL server.

    python -m tests.benchmarks.team_concurrency [--advocates 20] [--seconds 60]

Starts a throwaway server (``tests/storage/pg_server.py``) and gives each advocate their own
role and their own connection (a thread each, as many laptops would be). For the time given,
each advocate in turn opens a referral, changes it and saves it, then searches as if typing;
half the saves go to a few referrals shared with everybody, so saves collide. At the end:
every accepted change must be in the stored referral and every refused one must have been
refused with a ConflictError (no lost update), and the audit chain must verify. The 95th
percentile save time is set against the same save on the local encrypted file.

The advocates are threads of one Python process, so on a small machine they also queue for
the interpreter: the server-side figures are an upper bound.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from referral_app.storage import sharing
from referral_app.storage.access import create_database
from referral_app.storage.errors import ConflictError
from referral_app.storage.repository import Repository
from referral_app.storage.team import TeamDatabase, TeamSettings
from tests.storage.conftest import ADVOCATE, PASSPHRASE, full_referral
from tests.storage.pg_server import find_binaries, make_team_database, running_server

PASSWORD = "bench lantern quartz meadow {n}"
SHARED = 4
OWN = 5


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] * 1000 if len(values) > 1 else 0.0


def _save_once(repository: Repository, referral_id: int, marker: str) -> bool:
    opened = repository.get(referral_id)
    changed = replace(opened, others_to_keep_out=[*opened.others_to_keep_out, marker])
    try:
        repository.save(changed)
    except ConflictError:
        return False
    return True


def _local_p95(saves: int) -> float:
    with tempfile.TemporaryDirectory() as folder:
        database = create_database(Path(folder) / "referrals.db", PASSPHRASE, ADVOCATE)
        try:
            repository = Repository(database)
            saved = repository.save(full_referral())
            assert saved.id is not None
            times = []
            for n in range(saves):
                start = time.perf_counter()
                _save_once(repository, saved.id, f"local {n}")
                times.append(time.perf_counter() - start)
        finally:
            database.close()
    return _p95(times)


def measure(advocates: int, seconds: float, out: Callable[[str], None] = print) -> list[str]:
    binaries = find_binaries()
    if binaries is None:
        raise SystemExit("PostgreSQL's server programs are not installed")
    roles = [f"bench_{n}" for n in range(advocates)]
    with running_server(binaries) as server:
        make_team_database(
            server, "bench", {role: PASSWORD.format(n=n) for n, role in enumerate(roles)}
        )
        databases = [
            TeamDatabase.sign_in(
                TeamSettings(server.host, server.port, "bench", server.ca_file, role),
                PASSWORD.format(n=n),
            )
            for n, role in enumerate(roles)
        ]
        repositories = [Repository(database) for database in databases]
        shared = []
        for n in range(SHARED):
            saved = repositories[0].save(full_referral(f"Shared Person{n}"))
            assert saved.id is not None
            shared.append(saved.id)
            for role in roles[1:]:
                sharing.share(databases[0], saved.id, role)
        own = [
            [r.id for r in (repo.save(full_referral(f"Own{n} Person{k}")) for k in range(OWN))]
            for n, repo in enumerate(repositories)
        ]
        accepted: dict[int, list[str]] = {id_: [] for id_ in shared}
        save_times: list[float] = []
        search_times: list[float] = []
        refused = 0
        lock = threading.Lock()
        stop = time.monotonic() + seconds
        start_line = threading.Barrier(advocates)

        def advocate(n: int) -> None:
            nonlocal refused
            dice = random.Random(n)
            repository = repositories[n]
            start_line.wait()
            count = 0
            while time.monotonic() < stop:
                count += 1
                target = dice.choice(shared) if count % 2 else dice.choice(own[n])
                marker = f"{n}-{count}"
                began = time.perf_counter()
                kept = _save_once(repository, target, marker)
                took = time.perf_counter() - began
                began = time.perf_counter()
                for typed in ("per", "pers", "perso"):
                    repository.first_page(typed)
                searched = (time.perf_counter() - began) / 3
                with lock:
                    save_times.append(took)
                    search_times.append(searched)
                    if kept and target in accepted:
                        accepted[target].append(marker)
                    refused += not kept

        threads = [threading.Thread(target=advocate, args=(n,)) for n in range(advocates)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        lost = 0
        for id_, markers in accepted.items():
            stored = repositories[0].get(id_).others_to_keep_out
            lost += len(set(markers) - set(stored)) + len(set(stored) - set(markers))
        check = repositories[0].verify_audit()
        for database in databases:
            database.close()
    local = _local_p95(200)
    team = _p95(save_times)
    rows = [
        f"| {advocates} advocates saving and searching for {seconds:.0f} s on PostgreSQL: "
        f"95th-percentile save | {team:.0f} ms | {local:.0f} ms (the same save on the local "
        f"file, alone) | {team / local:.1f}x | reported | n/a |",
        f"| The same run: saves, refused as conflicts, lost updates, audit chain | "
        f"{len(save_times)} saves, {refused} refused | {lost} lost | n/a | no lost update, "
        f"chain intact | {'yes' if lost == 0 and check.intact else '**no**'} "
        f"({check.events_checked} events verified) |",
        f"| The same run: median search per keystroke while others save | "
        f"{statistics.median(search_times) * 1000:.0f} ms | n/a | n/a | none | n/a |",
    ]
    for row in rows:
        out(row)
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.team_concurrency")
    parser.add_argument("--advocates", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args(argv)
    measure(args.advocates, args.seconds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
