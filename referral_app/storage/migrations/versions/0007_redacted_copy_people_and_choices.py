"""The redacted copy: other people to keep out of it, and the advocate's confirmed choices.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 17:00:00.000000

Both live with the referral, so they are encrypted with it. Referrals already stored list nobody
and have no choices yet: their next redacted copy starts from the proposals' defaults.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "referral", sa.Column("others_to_keep_out", sa.JSON(), server_default="[]", nullable=False)
    )
    op.add_column("referral", sa.Column("redaction_choices", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.drop_column("redaction_choices")
        batch_op.drop_column("others_to_keep_out")
