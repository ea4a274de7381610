"""Many advocates writing at once on a team's server: the audit chain never forks, and no
change is lost (a save from an older version is refused, never silently applied)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace

from referral_app.domain.audit import AuditAction
from referral_app.storage.errors import ConflictError
from referral_app.storage.repository import Repository
from referral_app.storage.team import TeamDatabase
from tests.storage.conftest import full_referral

SignIn = Callable[[str], TeamDatabase]
WRITERS = 6
ROUNDS = 8


def _run_together(work: Callable[[int], None]) -> list[BaseException]:
    """Run ``work(n)`` on WRITERS threads released at the same moment; their errors."""
    start = threading.Barrier(WRITERS)
    errors: list[BaseException] = []

    def run(number: int) -> None:
        start.wait()
        try:
            work(number)
        except BaseException as error:  # reported to the test below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def test_concurrent_writers_leave_the_audit_chain_intact(sign_in: SignIn) -> None:
    roles = ["alice", "bob", "mia"]
    # Each writer its own connection (its own signed-in database), as on separate laptops.
    repositories = [Repository(sign_in(roles[n % len(roles)])) for n in range(WRITERS)]

    def work(number: int) -> None:
        repository = repositories[number]
        saved = repository.save(full_referral(f"Writer {number} Example"))
        assert saved.id is not None
        for _ in range(ROUNDS):
            repository.open_record(saved.id)
            repository.record_event(AuditAction.PRINT, saved.id)

    assert _run_together(work) == []
    check = repositories[0].verify_audit()
    assert check.intact, check.describe()
    assert check.events_checked == WRITERS * (1 + 2 * ROUNDS)
    actors = {event.actor for event in repositories[0].audit_events()}
    assert actors == set(roles)


def test_concurrent_saves_of_one_referral_lose_nothing(sign_in: SignIn) -> None:
    repositories = [Repository(sign_in("alice")) for _ in range(WRITERS)]
    saved = repositories[0].save(full_referral())
    assert saved.id is not None
    referral_id = saved.id
    kept: list[str] = []
    conflicts: list[ConflictError] = []
    lock = threading.Lock()

    def work(number: int) -> None:
        repository = repositories[number]
        for round_ in range(ROUNDS):
            opened = repository.get(referral_id)
            name = f"Person {number}-{round_}"
            change = replace(opened, others_to_keep_out=[*opened.others_to_keep_out, name])
            try:
                repository.save(change)
            except ConflictError as conflict:
                assert name not in conflict.theirs.others_to_keep_out
                with lock:
                    conflicts.append(conflict)
                continue
            with lock:
                kept.append(name)

    assert _run_together(work) == []
    stored = repositories[0].get(referral_id)
    # Every save that was accepted is there; every refused one was told, and is not.
    assert sorted(stored.others_to_keep_out) == sorted(kept)
    assert stored.version == 1 + len(kept)
    assert len(kept) + len(conflicts) == WRITERS * ROUNDS
    assert repositories[0].verify_audit().intact
