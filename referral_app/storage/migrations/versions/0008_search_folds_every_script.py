"""The search index holds names folded in every script and crime references as letters and
digits only, so that "ωμεγα" finds "Ωμέγα" and "47-ZQ-2015" finds "47/ZQ/2015/99123".

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 17:00:00.000000

Only the index's rows change (they are made again from the referrals); no table or column.
Frozen like every migration: the folding is copied here rather than imported.
"""

import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from referral_app.storage.db import SEARCH_INDEX_INSERT, SEARCH_TABLE

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_referral = sa.table(
    "referral",
    sa.column("id", sa.Integer()),
    sa.column("reference", sa.String()),
    sa.column("survivor_id", sa.Integer()),
    sa.column("police_force", sa.String()),
    sa.column("cps_area", sa.String()),
    sa.column("crime_references", sa.JSON()),
)
_survivor = sa.table(
    "survivor",
    sa.column("id", sa.Integer()),
    sa.column("full_name", sa.String()),
    sa.column("previous_names", sa.JSON()),
)


def _tidy(text: str | None) -> str:
    return " ".join((text or "").split())


def _fold(name: str | None) -> str:
    decomposed = unicodedata.normalize("NFKD", name or "")
    return _tidy("".join(c for c in decomposed if not unicodedata.combining(c)).casefold())


def _crime_reference(text: str) -> str:
    return "".join(c for c in text if c.isalnum()).upper()


def _crime_references(references: list[str], fold: bool) -> str:
    forms = ["".join(ref.split()).upper() for ref in references]
    if fold:
        forms += [_crime_reference(ref) for ref in references]
    return "\n".join(dict.fromkeys(forms))


def _documents(bind: sa.Connection, fold: bool) -> list[dict[str, object]]:
    r = _referral.c
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
    name = _fold if fold else _tidy
    return [
        {
            "id": row.id,
            "survivor_name": name(row.full_name),
            "previous_names": "\n".join(name(n) for n in row.previous_names or []),
            "crime_references": _crime_references(row.crime_references or [], fold),
            "force_and_area": "\n".join(name(x) for x in (row.police_force, row.cps_area) if x),
            "reference": row.reference,
        }
        for row in rows
    ]


def _rebuild(fold: bool) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return  # other databases search with LIKE and have no index
    documents = _documents(bind, fold)
    # secure-delete is on: the old rows' trigrams are gone with them.
    op.execute(f"DELETE FROM {SEARCH_TABLE}")  # noqa: S608 (a constant table name)
    if documents:
        bind.execute(sa.text(SEARCH_INDEX_INSERT), documents)


def upgrade() -> None:
    _rebuild(fold=True)


def downgrade() -> None:
    _rebuild(fold=False)
