"""Initial schema: survivors, referrals and their history, the advocate, the audit log.

Revision ID: 0001
Revises:
Create Date: 2026-11-21 19:43:03.340763
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "advocate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), server_default="", nullable=False),
        sa.Column("organisation", sa.String(length=200), server_default="", nullable=False),
        sa.Column("phone", sa.String(length=200), server_default="", nullable=False),
        sa.Column("email", sa.String(length=200), server_default="", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_advocate")),
    )
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("occurred_at", sa.String(length=32), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("actor", sa.String(length=200), server_default="", nullable=False),
        sa.Column("referral_id", sa.Integer(), nullable=True),
        sa.Column("detail", sa.String(length=200), server_default="", nullable=False),
        sa.Column("previous_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
        sa.UniqueConstraint("hash", name=op.f("uq_audit_event_hash")),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_event_action"), ["action"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_audit_event_referral_id"), ["referral_id"], unique=False
        )

    op.create_table(
        "survivor",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("full_name", sa.String(length=200), server_default="", nullable=False),
        sa.Column("previous_names", sa.JSON(), nullable=False),
        sa.Column("date_of_birth", sa.String(length=10), nullable=True),
        sa.Column("pronouns", sa.String(length=200), server_default="", nullable=False),
        sa.Column("phone", sa.String(length=200), server_default="", nullable=False),
        sa.Column("email", sa.String(length=200), server_default="", nullable=False),
        sa.Column("address", sa.Text(), server_default="", nullable=False),
        sa.Column("voicemail_ok", sa.Boolean(), nullable=True),
        sa.Column("letters_ok", sa.Boolean(), nullable=True),
        sa.Column("safe_times", sa.String(length=200), server_default="", nullable=False),
        sa.Column("via_advocate_only", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("language", sa.String(length=200), server_default="", nullable=False),
        sa.Column("interpreter_needed", sa.Boolean(), nullable=True),
        sa.Column("access_needs", sa.Text(), server_default="", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survivor")),
    )
    op.create_table(
        "referral",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=32), nullable=False),
        sa.Column("survivor_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("updated_at", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=40), nullable=False),
        sa.Column("police_force", sa.String(length=200), nullable=True),
        sa.Column("crime_references", sa.JSON(), nullable=False),
        sa.Column("decided_by", sa.String(length=20), nullable=True),
        sa.Column("cps_area", sa.String(length=200), nullable=True),
        sa.Column("decision_date", sa.String(length=10), nullable=True),
        sa.Column("date_reported", sa.String(length=10), nullable=True),
        sa.Column("offence_start", sa.String(length=10), nullable=True),
        sa.Column("offence_end", sa.String(length=10), nullable=True),
        sa.Column("location", sa.String(length=200), server_default="", nullable=False),
        sa.Column("group_based", sa.String(length=10), nullable=True),
        sa.Column("offender_count", sa.Integer(), nullable=True),
        sa.Column("offender_alive_and_known", sa.String(length=10), nullable=True),
        sa.Column("account", sa.Text(), server_default="", nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("consent_to_referral", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("consent_share_force", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("consent_share_cps", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("consent_share_panel", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("consent_given_on", sa.Date(), nullable=True),
        sa.Column("consent_method", sa.String(length=10), nullable=True),
        sa.Column("consent_recorded_by", sa.String(length=200), server_default="", nullable=False),
        sa.Column("consent_withdrawn_on", sa.Date(), nullable=True),
        sa.Column("follow_up_due", sa.Date(), nullable=True),
        sa.Column("follow_up_purpose", sa.String(length=200), server_default="", nullable=False),
        sa.ForeignKeyConstraint(
            ["survivor_id"], ["survivor.id"], name=op.f("fk_referral_survivor_id_survivor")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referral")),
        sa.UniqueConstraint("reference", name=op.f("uq_referral_reference")),
    )
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.create_index("ix_referral_decision_date", ["decision_date"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_referral_follow_up_due"), ["follow_up_due"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_referral_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_referral_survivor_id"), ["survivor_id"], unique=False)

    op.create_table(
        "assessment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("referral_id", sa.Integer(), nullable=False),
        sa.Column("ruleset", sa.String(length=20), nullable=False),
        sa.Column("outcome", sa.String(length=40), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("flags", sa.JSON(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("assessed_at", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["referral_id"],
            ["referral.id"],
            name=op.f("fk_assessment_referral_id_referral"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment")),
    )
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assessment_referral_id"), ["referral_id"], unique=False
        )

    op.create_table(
        "review_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("referral_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("requested_on", sa.String(length=10), nullable=True),
        sa.Column("result", sa.Text(), server_default="", nullable=False),
        sa.ForeignKeyConstraint(
            ["referral_id"],
            ["referral.id"],
            name=op.f("fk_review_request_referral_id_referral"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_request")),
    )
    with op.batch_alter_table("review_request", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_review_request_referral_id"), ["referral_id"], unique=False
        )

    op.create_table(
        "status_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("referral_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=40), nullable=False),
        sa.Column("changed_at", sa.String(length=32), nullable=False),
        sa.Column("note", sa.Text(), server_default="", nullable=False),
        sa.Column("changed_by", sa.String(length=200), server_default="", nullable=False),
        sa.ForeignKeyConstraint(
            ["referral_id"],
            ["referral.id"],
            name=op.f("fk_status_change_referral_id_referral"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_status_change")),
    )
    with op.batch_alter_table("status_change", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_status_change_referral_id"), ["referral_id"], unique=False
        )

    if op.get_bind().dialect.name == "sqlite":
        # Refuse any change to or removal of an audit event made through a connection. The
        # hash chain detects tampering done outside the app; these stop it happening by mistake.
        op.execute(
            "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event "
            "BEGIN SELECT RAISE(ABORT, 'audit events cannot be changed'); END"
        )
        op.execute(
            "CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event "
            "BEGIN SELECT RAISE(ABORT, 'audit events cannot be removed'); END"
        )


def downgrade() -> None:

    with op.batch_alter_table("status_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_status_change_referral_id"))

    op.drop_table("status_change")
    with op.batch_alter_table("review_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_request_referral_id"))

    op.drop_table("review_request")
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessment_referral_id"))

    op.drop_table("assessment")
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_referral_survivor_id"))
        batch_op.drop_index(batch_op.f("ix_referral_status"))
        batch_op.drop_index(batch_op.f("ix_referral_follow_up_due"))
        batch_op.drop_index("ix_referral_decision_date")

    op.drop_table("referral")
    op.drop_table("survivor")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_event_referral_id"))
        batch_op.drop_index(batch_op.f("ix_audit_event_action"))

    op.drop_table("audit_event")
    op.drop_table("advocate")
