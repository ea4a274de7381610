"""The database's own facts: its identity, and a passphrase change still being finished.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 17:00:00.000000

Every database gets a random identity (it says nothing about anyone), which its backups carry
in their names, so that one database never rotates out another's backups.
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    table = op.create_table(
        "database_info",
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_database_info")),
    )
    op.bulk_insert(table, [{"key": "identity", "value": uuid.uuid4().hex}])


def downgrade() -> None:
    op.drop_table("database_info")
