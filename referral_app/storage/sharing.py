"""Who a referral belongs to on a team's server, and who else it is shared with.

The server enforces all of it (migration 0009's policies and triggers): an advocate may share
their own referrals; only a manager may give a referral to another advocate. These functions
say what is wanted; a refusal comes back as :class:`~referral_app.storage.errors.NotAllowedError`.
Each change is audited with role names only.
"""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from referral_app.domain.audit import AuditAction
from referral_app.domain.referral import utc_now
from referral_app.storage import audit
from referral_app.storage.db import Database
from referral_app.storage.errors import RecordNotFoundError
from referral_app.storage.models import ReferralRow, ReferralShareRow


def owner_of(database: Database, referral_id: int) -> str:
    with database.session() as session:
        owner = session.scalar(select(ReferralRow.owner).where(ReferralRow.id == referral_id))
        if owner is None:
            raise RecordNotFoundError(referral_id)
        return owner


def shared_with(database: Database, referral_id: int) -> list[str]:
    """The roles a referral is shared with (those the signed-in role may see), by name."""
    with database.session() as session:
        return list(
            session.scalars(
                select(ReferralShareRow.role_name)
                .where(ReferralShareRow.referral_id == referral_id)
                .order_by(ReferralShareRow.role_name)
            )
        )


def share(database: Database, referral_id: int, role: str) -> None:
    """Let ``role`` see and edit the referral too (the owner or a manager may)."""
    with database.session() as session:
        _require(session, referral_id)
        if session.get(ReferralShareRow, (referral_id, role)) is None:
            share_row = ReferralShareRow(
                referral_id=referral_id, role_name=role, shared_at=utc_now()
            )
            session.add(share_row)
            session.flush()
            audit.record(session, AuditAction.SHARE, referral_id, f"with {role}")


def unshare(database: Database, referral_id: int, role: str) -> None:
    with database.session() as session:
        _require(session, referral_id)
        removed = session.execute(
            delete(ReferralShareRow).where(
                ReferralShareRow.referral_id == referral_id, ReferralShareRow.role_name == role
            )
        )
        if removed.rowcount:  # type: ignore[attr-defined]
            audit.record(session, AuditAction.UNSHARE, referral_id, f"with {role}")


def reassign(database: Database, referral_id: int, owner: str) -> None:
    """Give the referral to ``owner`` (a manager's action; the server refuses anyone else)."""
    with database.session() as session:
        row = session.scalar(
            select(ReferralRow).where(ReferralRow.id == referral_id).with_for_update()
        )
        if row is None:
            raise RecordNotFoundError(referral_id)
        previous = row.owner
        row.owner = owner
        row.version += 1
        session.flush()
        audit.record(session, AuditAction.REASSIGN, referral_id, f"{previous} -> {owner}")


def _require(session: Session, referral_id: int) -> None:
    if session.scalar(select(ReferralRow.id).where(ReferralRow.id == referral_id)) is None:
        raise RecordNotFoundError(referral_id)
