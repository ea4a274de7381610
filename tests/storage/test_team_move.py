"""Moving a laptop's referrals to the team's server, and each advocate's own details there."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from referral_app.domain.referral import Advocate
from referral_app.storage.access import create_database
from referral_app.storage.errors import TeamServerError
from referral_app.storage.move import move_to_team, preview_move
from referral_app.storage.repository import Repository
from referral_app.storage.team import TeamDatabase
from referral_app.storage.transfer import Disposition
from tests.storage.conftest import ADVOCATE, PASSPHRASE, full_referral

SignIn = Callable[[str], TeamDatabase]


def test_a_laptops_referrals_move_all_at_once_and_only_once(
    sign_in: SignIn, tmp_path: Path
) -> None:
    local = create_database(tmp_path / "referrals.db", PASSPHRASE, ADVOCATE)
    try:
        mine = [Repository(local).save(full_referral(name)) for name in ("Ann One", "Bea Two")]
        alice = sign_in("alice")

        referrals, plan = preview_move(local, alice)
        assert [item.disposition for item in plan.items] == [Disposition.NEW] * 2
        result = move_to_team(alice, referrals, plan)
        assert len(result.added) == 2
        moved = Repository(alice).all()
        assert sorted(r.uid for r in moved) == sorted(r.uid for r in mine)
        assert {r.survivor.full_name for r in moved} == {"Ann One", "Bea Two"}
        assert Repository(alice).verify_audit().intact

        # Again: nothing new, nothing doubled.
        referrals, plan = preview_move(local, alice)
        assert [item.disposition for item in plan.items] == [Disposition.SAME] * 2
        assert move_to_team(alice, referrals, plan).unchanged == 2

        # Another advocate cannot see alice's copies, so the server refuses to take them
        # twice, in one plain sentence, and nothing of the move is kept.
        bob = sign_in("bob")
        referrals, plan = preview_move(local, bob)
        with pytest.raises(TeamServerError, match="already on the team's server"):
            move_to_team(bob, referrals, plan)
        assert Repository(bob).count() == 0
    finally:
        local.close()


def test_each_advocate_keeps_their_own_details(sign_in: SignIn) -> None:
    alice, bob = Repository(sign_in("alice")), Repository(sign_in("bob"))
    alice.save_advocate(Advocate("Alice Advocate", "Safe Space", "01632 960001", "a@example.org"))
    assert bob.advocate() is None
    bob.save_advocate(Advocate("Bob Advocate", "Safe Space", "01632 960002", "b@example.org"))
    assert alice.advocate() == Advocate(
        "Alice Advocate", "Safe Space", "01632 960001", "a@example.org"
    )
    assert bob.advocate() is not None and bob.advocate().name == "Bob Advocate"  # type: ignore[union-attr]
