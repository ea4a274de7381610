"""Moving this computer's referrals to the team's server: all or nothing, matched by uid.

The import's own machinery does the work (``transfer``): the server's copy is checked whole
before anything changes, every referral goes in with its history in one transaction, and a
referral already on the server (the same uid) is left as it is unless the advocate chooses to
replace it. The local file is not changed; deleting it afterwards is the advocate's choice.
"""

from __future__ import annotations

from collections.abc import Collection

from referral_app.domain.referral import Referral
from referral_app.storage import exporting, transfer
from referral_app.storage.db import Database


def local_caseload(local: Database) -> list[Referral]:
    """Every referral of the local file, whole, in id order."""
    return exporting.load_referrals(local, exporting.all_referral_ids(local))


def preview_move(local: Database, team: Database) -> tuple[list[Referral], transfer.ImportPlan]:
    """The local referrals and what moving them would do (new there, the same, different)."""
    referrals = local_caseload(local)
    return referrals, transfer.plan_import(team, referrals)


def move_to_team(
    team: Database,
    referrals: list[Referral],
    plan: transfer.ImportPlan,
    replace: Collection[str] = (),
) -> transfer.ImportResult:
    """Do what ``plan`` says on the server in one transaction (``replace``: the uids of the
    differing referrals to overwrite there). Raises
    :class:`~referral_app.storage.transfer.ImportChangedError` if the server changed since
    the preview, and changes nothing then."""
    return transfer.apply_import(team, referrals, plan, replace)
