"""A team's shared caseload: a version on every referral, owners, sharing, and on PostgreSQL
the roles, grants, row-level security, append-only audit triggers and the trigram search.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 19:30:00.000000

On both databases: ``referral.version`` (optimistic locking), ``owner`` on referrals, survivors
and the advocate's details, ``author`` on drafts, and the ``referral_share`` table. On the
local file the owner columns stay blank (there is one advocate). On PostgreSQL they default to
the signed-in role, and the server itself decides who sees what (see the README, "Team
server"). Frozen like every migration: the statements are written out here, never imported.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: The group roles each advocate's own role joins (cluster-wide, made once by the first init).
ADVOCATES = "csarp_advocate"
MANAGERS = "csarp_manager"

_OWNED = (("referral", "owner"), ("survivor", "owner"), ("advocate", "owner"), ("draft", "author"))

# The names of ADVOCATES and MANAGERS, written out.
_ROLES = """
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'csarp_advocate') THEN
        CREATE ROLE csarp_advocate NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'csarp_manager') THEN
        CREATE ROLE csarp_manager NOLOGIN IN ROLE csarp_advocate;
    END IF;
END
$$
"""

_FUNCTIONS = (
    # Whether the signed-in role is a manager (a superuser counts as one).
    f"""CREATE FUNCTION csarp_is_manager() RETURNS boolean LANGUAGE sql STABLE
    AS $$ SELECT pg_has_role(current_user, '{MANAGERS}', 'MEMBER') $$""",
    # A referral's owner, read past row-level security, so that the sharing table's policies
    # can ask it without the referral's own policy (which reads the sharing table) recursing.
    """CREATE FUNCTION csarp_referral_owner(wanted integer) RETURNS text LANGUAGE sql STABLE
    SECURITY DEFINER SET search_path = pg_catalog, public
    AS $$ SELECT owner FROM public.referral WHERE id = wanted $$""",
    "REVOKE ALL ON FUNCTION csarp_referral_owner(integer) FROM PUBLIC",
    f"GRANT EXECUTE ON FUNCTION csarp_referral_owner(integer) TO {ADVOCATES}",
    """CREATE FUNCTION csarp_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'audit events cannot be changed or removed'
            USING ERRCODE = 'insufficient_privilege';
    END $$""",
    """CREATE FUNCTION csarp_audit_actor() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF NEW.actor IS DISTINCT FROM current_user::text THEN
            RAISE EXCEPTION 'an audit event must name the signed-in role'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
    END $$""",
    """CREATE FUNCTION csarp_owner_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF NEW.owner IS DISTINCT FROM OLD.owner AND NOT csarp_is_manager() THEN
            RAISE EXCEPTION 'only a manager may give a referral to another advocate'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
    END $$""",
)

_TRIGGERS = (
    "CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event "
    "FOR EACH ROW EXECUTE FUNCTION csarp_audit_append_only()",
    "CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event "
    "FOR EACH STATEMENT EXECUTE FUNCTION csarp_audit_append_only()",
    "CREATE TRIGGER audit_event_actor BEFORE INSERT ON audit_event "
    "FOR EACH ROW EXECUTE FUNCTION csarp_audit_actor()",
    "CREATE TRIGGER referral_owner_change BEFORE UPDATE OF owner ON referral "
    "FOR EACH ROW EXECUTE FUNCTION csarp_owner_change()",
)

_SEARCH = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    # The folded search document (names, previous names, force and area, reference; and the
    # crime references as letters and digits), written by the app in the same transaction as
    # the referral, as the local file's FTS5 index is.
    # It also holds the referral's owner, so that a search decides who may see each match
    # from this narrow table alone: joining every match to the wide referral table for its
    # owner was most of a keystroke's time at 100,000 referrals. The owner is never the
    # writer's to give: the trigger below copies it from the referral on every write, and
    # the referral's own trigger copies a new owner across when a manager reassigns it.
    "CREATE TABLE referral_search_doc ("
    "referral_id integer PRIMARY KEY REFERENCES referral (id) ON DELETE CASCADE, "
    "names text NOT NULL, crime_references text NOT NULL, "
    "owner varchar(63) NOT NULL DEFAULT '')",
    """CREATE FUNCTION csarp_search_doc_owner() RETURNS trigger LANGUAGE plpgsql
    SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    BEGIN
        NEW.owner := coalesce(
            (SELECT owner FROM public.referral WHERE id = NEW.referral_id), '');
        RETURN NEW;
    END $$""",
    "CREATE TRIGGER referral_search_doc_owner BEFORE INSERT OR UPDATE ON referral_search_doc "
    "FOR EACH ROW EXECUTE FUNCTION csarp_search_doc_owner()",
    """CREATE FUNCTION csarp_referral_owner_to_doc() RETURNS trigger LANGUAGE plpgsql
    SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    BEGIN
        UPDATE public.referral_search_doc SET owner = NEW.owner WHERE referral_id = NEW.id;
        RETURN NULL;
    END $$""",
    "CREATE TRIGGER referral_owner_to_search_doc AFTER UPDATE OF owner ON referral "
    "FOR EACH ROW EXECUTE FUNCTION csarp_referral_owner_to_doc()",
    "CREATE INDEX ix_referral_search_doc_names ON referral_search_doc "
    "USING gin (names gin_trgm_ops)",
    "CREATE INDEX ix_referral_search_doc_crime_references ON referral_search_doc "
    "USING gin (crime_references gin_trgm_ops)",
    # One- and two-letter searches look for the start of a word of the folded name.
    "CREATE INDEX ix_referral_survivor_name_key_trgm ON referral "
    "USING gin (survivor_name_key gin_trgm_ops)",
    # Searching goes through these two functions, which run as the tables' owner: under
    # row-level security the server may not use an index for LIKE (the operator is not
    # "leakproof"), and every search would read every row. They apply the same rules as the
    # policies below, for the role that signed in (session_user: the functions themselves
    # run as their owner), and return only ids; the caller's query then reads the referrals
    # through its own policies.
    """CREATE FUNCTION csarp_search(names_pattern text, crime_pattern text,
        crime_key_pattern text) RETURNS TABLE (referral_id integer)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
    AS $$ SELECT d.referral_id FROM public.referral_search_doc d
        WHERE (d.names LIKE names_pattern OR d.crime_references LIKE crime_pattern
            OR d.crime_references LIKE crime_key_pattern)
        AND ((SELECT pg_has_role(session_user, 'csarp_manager', 'MEMBER'))
            OR d.owner = session_user::text
            OR EXISTS (SELECT 1 FROM public.referral_share s WHERE s.referral_id = d.referral_id
            AND s.role_name = session_user::text)) $$""",
    """CREATE FUNCTION csarp_name_starts(start_pattern text, word_pattern text)
    RETURNS TABLE (referral_id integer)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
    AS $$ SELECT r.id FROM public.referral r
        WHERE (r.survivor_name_key LIKE start_pattern OR r.survivor_name_key LIKE word_pattern)
        AND (r.owner = session_user::text OR pg_has_role(session_user, 'csarp_manager', 'MEMBER')
            OR EXISTS (SELECT 1 FROM public.referral_share s WHERE s.referral_id = r.id
            AND s.role_name = session_user::text)) $$""",
    "REVOKE ALL ON FUNCTION csarp_search(text, text, text) FROM PUBLIC",
    "REVOKE ALL ON FUNCTION csarp_name_starts(text, text) FROM PUBLIC",
    f"GRANT EXECUTE ON FUNCTION csarp_search(text, text, text) TO {ADVOCATES}",
    f"GRANT EXECUTE ON FUNCTION csarp_name_starts(text, text) TO {ADVOCATES}",
)

_VISIBLE = (
    "owner = current_user OR csarp_is_manager() OR EXISTS (SELECT 1 FROM referral_share s "
    "WHERE s.referral_id = referral.id AND s.role_name = current_user)"
)
_OF_VISIBLE_REFERRAL = "EXISTS (SELECT 1 FROM referral r WHERE r.id = {table}.referral_id)"
_SHARE_MANAGED = "csarp_referral_owner(referral_id) = current_user OR csarp_is_manager()"

_CHILDREN = ("status_change", "assessment", "review_request", "referral_search_doc")

_POLICIES = (
    f"CREATE POLICY referral_read ON referral FOR SELECT USING ({_VISIBLE})",
    "CREATE POLICY referral_add ON referral FOR INSERT "
    "WITH CHECK (owner = current_user OR csarp_is_manager())",
    f"CREATE POLICY referral_change ON referral FOR UPDATE USING ({_VISIBLE}) "
    f"WITH CHECK ({_VISIBLE})",
    "CREATE POLICY referral_delete ON referral FOR DELETE USING (csarp_is_manager())",
    "CREATE POLICY survivor_read ON survivor FOR SELECT USING (owner = current_user OR "
    "csarp_is_manager() OR EXISTS (SELECT 1 FROM referral r WHERE r.survivor_id = survivor.id))",
    "CREATE POLICY survivor_add ON survivor FOR INSERT "
    "WITH CHECK (owner = current_user OR csarp_is_manager())",
    "CREATE POLICY survivor_change ON survivor FOR UPDATE USING (owner = current_user OR "
    "csarp_is_manager() OR EXISTS (SELECT 1 FROM referral r WHERE r.survivor_id = survivor.id))",
    "CREATE POLICY survivor_delete ON survivor FOR DELETE USING (csarp_is_manager())",
    "CREATE POLICY share_read ON referral_share FOR SELECT "
    f"USING (role_name = current_user OR {_SHARE_MANAGED})",
    f"CREATE POLICY share_add ON referral_share FOR INSERT WITH CHECK ({_SHARE_MANAGED})",
    f"CREATE POLICY share_remove ON referral_share FOR DELETE USING ({_SHARE_MANAGED})",
    "CREATE POLICY draft_own ON draft USING (author = current_user) "
    "WITH CHECK (author = current_user)",
    "CREATE POLICY advocate_own ON advocate USING (owner = current_user) "
    "WITH CHECK (owner = current_user)",
    *(
        f"CREATE POLICY {table}_of_visible ON {table} "
        f"USING ({_OF_VISIBLE_REFERRAL.format(table=table)})"
        for table in _CHILDREN
    ),
)

_RLS_TABLES = ("referral", "survivor", "referral_share", "draft", "advocate", *_CHILDREN)

_GRANTS = (
    f"GRANT SELECT, INSERT, UPDATE ON referral, survivor TO {ADVOCATES}",
    f"GRANT DELETE ON referral, survivor TO {MANAGERS}",
    f"GRANT SELECT, INSERT, UPDATE, DELETE ON status_change, assessment, review_request, "
    f"referral_search_doc, draft TO {ADVOCATES}",
    f"GRANT SELECT, INSERT, UPDATE ON advocate TO {ADVOCATES}",
    f"GRANT SELECT, INSERT, DELETE ON referral_share TO {ADVOCATES}",
    # The audit trail: read and appended to, never changed (the triggers refuse it even to
    # the tables' owner; the grants keep app roles from trying).
    f"GRANT SELECT, INSERT ON audit_event TO {ADVOCATES}",
    f"GRANT SELECT ON database_info, alembic_version TO {ADVOCATES}",
    f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {ADVOCATES}",
    f"GRANT EXECUTE ON FUNCTION csarp_is_manager() TO {ADVOCATES}",
)


def _add_columns() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    blank = sa.text("current_user") if postgres else sa.text("''")
    op.add_column(
        "referral", sa.Column("version", sa.Integer(), server_default="1", nullable=False)
    )
    for table, name in _OWNED:
        op.add_column(
            table, sa.Column(name, sa.String(length=63), server_default=blank, nullable=False)
        )
    op.create_table(
        "referral_share",
        sa.Column("referral_id", sa.Integer(), nullable=False),
        sa.Column("role_name", sa.String(length=63), nullable=False),
        sa.Column("shared_by", sa.String(length=63), server_default=blank, nullable=False),
        sa.Column("shared_at", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["referral_id"],
            ["referral.id"],
            name=op.f("fk_referral_share_referral_id_referral"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("referral_id", "role_name", name=op.f("pk_referral_share")),
    )
    op.create_index(
        op.f("ix_referral_share_role_name"), "referral_share", ["role_name"], unique=False
    )
    if postgres:
        op.create_index("ix_referral_owner_pg", "referral", ["owner"], unique=False)


def upgrade() -> None:
    _add_columns()
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in (_ROLES, *_FUNCTIONS, *_TRIGGERS, *_SEARCH):
        op.execute(statement)
    for table in _RLS_TABLES:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    for statement in (*_POLICIES, *_GRANTS):
        op.execute(statement)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("DROP FUNCTION csarp_search(text, text, text)")
        op.execute("DROP FUNCTION csarp_name_starts(text, text)")
        op.execute("DROP TRIGGER referral_owner_to_search_doc ON referral")
        op.execute("DROP FUNCTION csarp_referral_owner_to_doc()")
        op.execute("DROP TABLE referral_search_doc")
        op.execute("DROP FUNCTION csarp_search_doc_owner()")
        op.execute("DROP INDEX ix_referral_survivor_name_key_trgm")
        op.execute("DROP INDEX ix_referral_owner_pg")
        for table in _RLS_TABLES:
            if table not in {"referral_share", "referral_search_doc"}:
                op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
        op.execute("DROP POLICY IF EXISTS referral_read ON referral")
        for name in ("referral_add", "referral_change", "referral_delete"):
            op.execute(f"DROP POLICY IF EXISTS {name} ON referral")
        for name in ("survivor_read", "survivor_add", "survivor_change", "survivor_delete"):
            op.execute(f"DROP POLICY IF EXISTS {name} ON survivor")
        op.execute("DROP POLICY IF EXISTS draft_own ON draft")
        op.execute("DROP POLICY IF EXISTS advocate_own ON advocate")
        for table in ("status_change", "assessment", "review_request"):
            op.execute(f"DROP POLICY IF EXISTS {table}_of_visible ON {table}")
        op.execute("DROP TRIGGER referral_owner_change ON referral")
        for name in ("audit_event_append_only", "audit_event_no_truncate", "audit_event_actor"):
            op.execute(f"DROP TRIGGER {name} ON audit_event")
        for function in ("csarp_owner_change()", "csarp_audit_actor()"):
            op.execute(f"DROP FUNCTION {function}")
        op.execute("DROP FUNCTION csarp_audit_append_only()")
    op.drop_index(op.f("ix_referral_share_role_name"), table_name="referral_share")
    op.drop_table("referral_share")
    if bind.dialect.name == "postgresql":
        op.execute("DROP FUNCTION csarp_referral_owner(integer)")
        op.execute("DROP FUNCTION csarp_is_manager()")
    for table, name in _OWNED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column(name)
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.drop_column("version")
