"""Each referral's identity across databases, for export and import, and the request letter.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21 22:30:00.000000

Referrals already stored get a random identity each; it says nothing about the survivor.
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_referral = sa.table("referral", sa.column("id", sa.Integer()), sa.column("uid", sa.String()))


def upgrade() -> None:
    op.add_column("referral", sa.Column("uid", sa.String(length=36), nullable=True))
    op.add_column(
        "referral", sa.Column("request_letter", sa.Text(), server_default="", nullable=False)
    )
    bind = op.get_bind()
    ids = bind.execute(sa.select(_referral.c.id)).scalars().all()
    if ids:
        bind.execute(
            _referral.update()
            .where(_referral.c.id == sa.bindparam("referral_id"))
            .values(uid=sa.bindparam("new_uid")),
            [{"referral_id": id_, "new_uid": str(uuid.uuid4())} for id_ in ids],
        )
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.alter_column("uid", existing_type=sa.String(length=36), nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_referral_uid"), ["uid"])


def downgrade() -> None:
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_referral_uid"), type_="unique")
        batch_op.drop_column("request_letter")
        batch_op.drop_column("uid")
