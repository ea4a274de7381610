"""The caseload list: a search index, and the columns it sorts and filters on, filled for
every referral already stored.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 09:00:00.000000

Frozen like every migration: the name folding and the search document are copied here rather
than imported, so that later changes to the repository cannot change what this step did. The
index's SQLite statements come from ``storage/db.py`` (the one home of SQLite-only SQL), as a
versioned constant that is never edited.
"""

import re
import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from referral_app.storage.db import SEARCH_INDEX_INSERT, SEARCH_INDEX_V1, SEARCH_TABLE

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_referral = sa.table(
    "referral",
    sa.column("id", sa.Integer()),
    sa.column("reference", sa.String()),
    sa.column("survivor_id", sa.Integer()),
    sa.column("police_force", sa.String()),
    sa.column("cps_area", sa.String()),
    sa.column("decided_by", sa.String()),
    sa.column("crime_references", sa.JSON()),
    sa.column("force_or_area", sa.String()),
    sa.column("latest_outcome", sa.String()),
    sa.column("survivor_name_key", sa.String()),
)
_survivor = sa.table(
    "survivor",
    sa.column("id", sa.Integer()),
    sa.column("full_name", sa.String()),
    sa.column("previous_names", sa.JSON()),
)
_assessment = sa.table(
    "assessment",
    sa.column("id", sa.Integer()),
    sa.column("referral_id", sa.Integer()),
    sa.column("outcome", sa.String()),
)


def _tidy(text: str | None) -> str:
    return " ".join((text or "").split())


def _name_key(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    return _tidy("".join(c for c in decomposed if not unicodedata.combining(c)).casefold())


_FILTER_INDEXES = {
    "ix_referral_status_filters": ["status", "follow_up_due", "latest_outcome"],
    "ix_referral_outcome_filters": ["latest_outcome", "status", "follow_up_due"],
    "ix_referral_follow_up_filters": ["follow_up_due", "status", "latest_outcome"],
}
_SORT_KEYS = ["survivor_name_key", "force_or_area", "decision_date"]


def upgrade() -> None:
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.add_column(sa.Column("force_or_area", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("latest_outcome", sa.String(length=40), nullable=True))
        batch_op.add_column(
            sa.Column("survivor_name_key", sa.String(length=200), server_default="", nullable=False)
        )
        batch_op.create_index(
            batch_op.f("ix_referral_force_or_area"), ["force_or_area"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_referral_survivor_name_key"), ["survivor_name_key"], unique=False
        )
        # The filters, in any combination, with every sort key: answered from an index alone.
        # They take over from the single-column indexes on status and follow-up date.
        batch_op.drop_index("ix_referral_status")
        batch_op.drop_index("ix_referral_follow_up_due")
        for name, columns in _FILTER_INDEXES.items():
            batch_op.create_index(name, columns + _SORT_KEYS, unique=False)

    bind = op.get_bind()
    r = _referral.c
    bind.execute(
        _referral.update().values(
            force_or_area=sa.case(
                (r.decided_by == "cps", sa.func.coalesce(r.cps_area, r.police_force)),
                else_=sa.func.coalesce(r.police_force, r.cps_area),
            ),
            latest_outcome=sa.select(_assessment.c.outcome)
            .where(_assessment.c.referral_id == r.id)
            .order_by(_assessment.c.id.desc())
            .limit(1)
            .scalar_subquery(),
        )
    )
    names = bind.execute(
        sa.select(r.id, _survivor.c.full_name).join(_survivor, _survivor.c.id == r.survivor_id)
    ).all()
    if names:
        bind.execute(
            _referral.update()
            .where(r.id == sa.bindparam("referral_id"))
            .values(survivor_name_key=sa.bindparam("key")),
            [{"referral_id": id_, "key": _name_key(name or "")} for id_, name in names],
        )

    if bind.dialect.name != "sqlite":
        return  # other databases search with LIKE and need no index
    for statement in SEARCH_INDEX_V1:
        op.execute(statement)
    rows = bind.execute(
        sa.select(
            r.id,
            r.reference,
            r.police_force,
            r.cps_area,
            r.crime_references,
            _survivor.c.full_name,
            _survivor.c.previous_names,
        ).join(_survivor, _survivor.c.id == r.survivor_id)
    ).all()
    documents = [
        {
            "id": row.id,
            "survivor_name": _tidy(row.full_name),
            "previous_names": "\n".join(_tidy(name) for name in row.previous_names or []),
            "crime_references": "\n".join(
                re.sub(r"\s+", "", ref).upper() for ref in row.crime_references or []
            ),
            "force_and_area": "\n".join(_tidy(x) for x in (row.police_force, row.cps_area) if x),
            "reference": row.reference,
        }
        for row in rows
    ]
    if documents:
        bind.execute(sa.text(SEARCH_INDEX_INSERT), documents)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"DROP TABLE {SEARCH_TABLE}")
    with op.batch_alter_table("referral", schema=None) as batch_op:
        for name in _FILTER_INDEXES:
            batch_op.drop_index(name)
        batch_op.create_index("ix_referral_follow_up_due", ["follow_up_due"], unique=False)
        batch_op.create_index("ix_referral_status", ["status"], unique=False)
        batch_op.drop_index(batch_op.f("ix_referral_survivor_name_key"))
        batch_op.drop_index(batch_op.f("ix_referral_force_or_area"))
        batch_op.drop_column("survivor_name_key")
        batch_op.drop_column("latest_outcome")
        batch_op.drop_column("force_or_area")
