"""Searching as you type on a team's PostgreSQL server, against two baselines.

    python -m tests.benchmarks.team_search [--referrals 100000]

Starts a throwaway server (``tests/storage/pg_server.py``), stores the referrals as one
advocate who owns them all, and times each keystroke's search (the count and the first page of
200, as the caseload list asks: ``Repository.first_page``) signed in as that advocate, so the
server's row-level security is part of every figure. The baselines run on a driver
connection of the same role:

- hand-written SQL answering the same question from the same trigram-indexed document, the
  best way by hand: under row-level security only the search function can use the index, so
  one statement takes its matches once, counts them (``count(*) OVER ()``) and reads only the
  first 200's rows;
- a LIKE scan: the same fields searched in the tables themselves, with no index to help.

Each figure is the median of several rounds of a typed sequence of queries.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from datetime import date

import psycopg

from referral_app.storage.repository import Repository
from referral_app.storage.search import crime_reference_key, name_key
from referral_app.storage.team import TeamDatabase, TeamSettings
from tests.generate import generate_referrals
from tests.storage.pg_server import find_binaries, make_team_database, running_server

ROLE, PASSWORD = "bench_advocate", "bench lantern quartz meadow 9"
#: What an advocate types, a keystroke at a time from the third letter.
TYPED = ("jon", "jone", "jones", "wil", "will", "willi", "47zq", "47zq2", "smi", "smit")
TODAY = date(2026, 12, 3)

_PAGE = """
SELECT r.id, r.reference, s.full_name, r.status, r.force_or_area, r.decision_date,
       r.latest_outcome, r.follow_up_due, r.follow_up_purpose, r.owner
FROM referral r JOIN survivor s ON s.id = r.survivor_id
WHERE r.id IN ({matching})
ORDER BY r.id LIMIT 200
"""
# The search function the migration makes, called by hand (see migration 0009 for why a
# search under row-level security goes through it): the count and the first page from one
# evaluation of it, and only the page's 200 rows read from the tables.
_BY_HAND = """
SELECT r.id, r.reference, s.full_name, r.status, r.force_or_area, r.decision_date,
       r.latest_outcome, r.follow_up_due, r.follow_up_purpose, r.owner, m.total
FROM (SELECT referral_id, count(*) OVER () AS total
      FROM csarp_search(%(names)s, %(crime)s, %(crime)s) ORDER BY referral_id LIMIT 200) m
JOIN referral r ON r.id = m.referral_id JOIN survivor s ON s.id = r.survivor_id
ORDER BY r.id
"""
_SCAN = (
    "SELECT r.id FROM referral r JOIN survivor s ON s.id = r.survivor_id "
    "WHERE lower(s.full_name) LIKE %(names)s OR lower(s.previous_names::text) LIKE %(names)s "
    "OR lower(r.police_force) LIKE %(names)s OR lower(r.cps_area) LIKE %(names)s "
    "OR lower(r.reference) LIKE %(names)s OR upper(r.crime_references::text) LIKE %(crime)s"
)


def _medians_ms(runs: Sequence[Callable[[str], object]], rounds: int) -> list[float]:
    """Each run's median time per keystroke. The runs take turns round by round, after one
    untimed round each, so none is favoured by a cache the others warmed or by a noisy
    minute on the shared machine."""
    times: list[list[float]] = [[] for _ in runs]
    for round_ in range(rounds + 1):
        for run, taken in zip(runs, times, strict=True):
            for query in TYPED:
                start = time.perf_counter()
                run(query)
                if round_:
                    taken.append(time.perf_counter() - start)
    return [statistics.median(taken) * 1000 for taken in times]


def _parameters(query: str) -> dict[str, str]:
    return {"names": f"%{name_key(query)}%", "crime": f"%{crime_reference_key(query)}%"}


def measure(referrals: int, rounds: int = 5, out: Callable[[str], None] = print) -> list[str]:
    """Run the benchmark; returns the results as Markdown table rows."""
    binaries = find_binaries()
    if binaries is None:
        raise SystemExit("PostgreSQL's server programs are not installed")
    with running_server(binaries) as server:
        make_team_database(server, "bench", {ROLE: PASSWORD})
        settings = TeamSettings(server.host, server.port, "bench", server.ca_file, ROLE)
        with TeamDatabase.sign_in(settings, PASSWORD) as database:
            repository = Repository(database)
            start = time.perf_counter()
            repository.create_many(generate_referrals(referrals, seed=21, today=TODAY))
            out(f"stored {referrals} referrals in {time.perf_counter() - start:.1f} s")
            # What autovacuum would have done by the time anyone searched: the statistics
            # gathered, the GIN indexes' pending lists merged, the visibility map set.
            with psycopg.connect(server.admin_dsn("bench"), autocommit=True) as admin:
                admin.execute("VACUUM ANALYZE")
            with psycopg.connect(
                host=server.host,
                port=server.port,
                dbname="bench",
                user=ROLE,
                password=PASSWORD,
                sslmode="verify-full",
                sslrootcert=str(server.ca_file),
            ) as raw:

                def hand_written(query: str) -> object:
                    with raw.transaction():
                        return raw.execute(_BY_HAND, _parameters(query)).fetchall()

                def like_scan(matching: str) -> Callable[[str], object]:
                    def run(query: str) -> object:
                        parameters = _parameters(query)
                        with raw.transaction():
                            count = raw.execute(
                                f"SELECT count(*) FROM ({matching}) m", parameters
                            ).fetchone()
                            page = raw.execute(
                                _PAGE.format(matching=matching), parameters
                            ).fetchall()
                        return count, page

                    return run

                app, hand, scan = _medians_ms(
                    [repository.first_page, hand_written, like_scan(_SCAN)], rounds
                )
    rows = [
        f"| Search per keystroke on PostgreSQL, {referrals:,} referrals (count and first "
        f"page, as the signed-in advocate) | {app:.1f} ms | {hand:.1f} ms (hand-written SQL "
        f"on the same trigram index) | {app / hand:.2f}x | at most 2x | "
        f"{'yes' if app <= 2 * hand else '**no**'} |",
        f"| The same, against a LIKE scan of the tables | {app:.1f} ms | {scan:.1f} ms (the "
        f"same fields searched with LIKE, no index) | {scan / app:.1f}x faster | at least 20x "
        f"faster | {'yes' if scan >= 20 * app else '**no**'} |",
    ]
    for row in rows:
        out(row)
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.team_search")
    parser.add_argument("--referrals", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    measure(args.referrals, args.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
