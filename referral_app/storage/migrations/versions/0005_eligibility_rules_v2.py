"""Eligibility rules v2: "Was it group-based?" becomes an eligibility answer; and the day the
survivor's signed consent and authority form came back.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 17:10:00.000000

The engine now reads ``group_based`` (for the Operation Beaconport flag), so each referral's
answer moves from its own column into the eligibility answers, where the engine, the form and
the record format look for it. Every stored answer is kept; the new decision values and the
optional ``suspect_interviewed`` key need no change to stored rows, and stored assessments are
read as they are (v2 accepts every v1 answer).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_referral = sa.table(
    "referral",
    sa.column("id", sa.Integer()),
    sa.column("group_based", sa.String()),
    sa.column("answers", sa.JSON()),
)


def upgrade() -> None:
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(_referral.c.id, _referral.c.group_based, _referral.c.answers).where(
            _referral.c.group_based.is_not(None)
        )
    ).all()
    changes = []
    for row in rows:
        answers = dict(row.answers or {})
        answers.setdefault("group_based", row.group_based)
        changes.append({"referral_id": row.id, "new_answers": answers})
    if changes:
        bind.execute(
            _referral.update()
            .where(_referral.c.id == sa.bindparam("referral_id"))
            .values(answers=sa.bindparam("new_answers", type_=sa.JSON())),
            changes,
        )
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.drop_column("group_based")
        batch_op.add_column(sa.Column("consent_authority_received_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.drop_column("consent_authority_received_on")
        batch_op.add_column(sa.Column("group_based", sa.String(length=10), nullable=True))
    bind = op.get_bind()
    rows = bind.execute(sa.select(_referral.c.id, _referral.c.answers)).all()
    changes = [
        {"referral_id": row.id, "value": (row.answers or {}).get("group_based")}
        for row in rows
        if (row.answers or {}).get("group_based") is not None
    ]
    if changes:
        bind.execute(
            _referral.update()
            .where(_referral.c.id == sa.bindparam("referral_id"))
            .values(group_based=sa.bindparam("value")),
            changes,
        )
