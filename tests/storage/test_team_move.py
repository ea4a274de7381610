"""Moving a laptop's referrals to the team's server (the import's preview and transaction, from
the encrypted file), and each advocate's own details there."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from referral_app.domain.referral import Advocate
from referral_app.services.transfer.import_ import preview_import, run_import
from referral_app.services.transfer.move import read_local_database
from referral_app.storage.access import create_database
from referral_app.storage.errors import TeamServerError
from referral_app.storage.repository import Repository
from referral_app.storage.team import TeamDatabase
from referral_app.storage.transfer import Disposition
from tests.storage.conftest import ADVOCATE, PASSPHRASE, full_referral

SignIn = Callable[[str], TeamDatabase]


def test_a_laptops_referrals_move_all_at_once_and_only_once(
    sign_in: SignIn, tmp_path: Path
) -> None:
    path = tmp_path / "referrals.db"
    local = create_database(path, PASSPHRASE, ADVOCATE)
    mine = [Repository(local).save(full_referral(name)) for name in ("Ann One", "Bea Two")]
    local.close()
    alice = Repository(sign_in("alice"))

    preview = preview_import(alice, read_local_database(path, PASSPHRASE))
    assert [item.disposition for item in preview.plan.items] == [Disposition.NEW] * 2
    result = run_import(alice, preview)
    assert len(result.added) == 2
    moved = alice.all()
    assert sorted(r.uid for r in moved) == sorted(r.uid for r in mine)
    assert {r.survivor.full_name for r in moved} == {"Ann One", "Bea Two"}
    assert alice.verify_audit().intact

    # Again: nothing new, nothing doubled.
    preview = preview_import(alice, read_local_database(path, PASSPHRASE))
    assert [item.disposition for item in preview.plan.items] == [Disposition.SAME] * 2
    assert run_import(alice, preview).unchanged == 2

    # Another advocate cannot see alice's copies, so the server refuses to take them
    # twice, in one plain sentence, and nothing of the move is kept.
    bob = Repository(sign_in("bob"))
    preview = preview_import(bob, read_local_database(path, PASSPHRASE))
    with pytest.raises(TeamServerError, match="already on the team's server"):
        run_import(bob, preview)
    assert bob.count() == 0


def test_each_advocate_keeps_their_own_details(sign_in: SignIn) -> None:
    alice, bob = Repository(sign_in("alice")), Repository(sign_in("bob"))
    alice.save_advocate(Advocate("Alice Advocate", "Safe Space", "01632 960001", "a@example.org"))
    assert bob.advocate() is None
    bob.save_advocate(Advocate("Bob Advocate", "Safe Space", "01632 960002", "b@example.org"))
    assert alice.advocate() == Advocate(
        "Alice Advocate", "Safe Space", "01632 960001", "a@example.org"
    )
    assert bob.advocate() is not None and bob.advocate().name == "Bob Advocate"  # type: ignore[union-attr]
