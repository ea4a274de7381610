"""The tables, as typed SQLAlchemy 2 models.

Nothing outside storage sees these rows: the repository turns them into domain objects.
Types and constraints stay portable (no SQLite-only SQL here) so an organisation can move to a
shared PostgreSQL server by configuration. Constraint names follow one convention so that
Alembic migrations can refer to them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Dialect,
    FetchedValue,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from referral_app.domain.dates import PartialDate

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class PartialDateType(TypeDecorator[PartialDate]):
    """Stores ``2009``, ``2009-03`` or ``2009-03-14`` as written, so precision survives."""

    impl = String(10)
    cache_ok = True

    def process_bind_param(self, value: PartialDate | None, dialect: Dialect) -> str | None:
        return None if value is None else value.isoformat()

    def process_result_value(self, value: str | None, dialect: Dialect) -> PartialDate | None:
        return None if value is None else PartialDate.parse(value)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out, stored as ISO text on every database."""

    impl = String(32)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("datetimes must carry a time zone")
        return value.astimezone(UTC).isoformat(timespec="microseconds")

    def process_result_value(self, value: str | None, dialect: Dialect) -> datetime | None:
        return None if value is None else datetime.fromisoformat(value)


int_pk = Annotated[int, mapped_column(Integer, primary_key=True)]
text = Annotated[str, mapped_column(Text, default="", server_default="")]
short = Annotated[str, mapped_column(String(200), default="", server_default="")]
maybe_short = Annotated[str | None, mapped_column(String(200))]
partial_date = Annotated[PartialDate | None, mapped_column(PartialDateType)]
maybe_bool = Annotated[bool | None, mapped_column(Boolean)]
flag = Annotated[bool, mapped_column(Boolean, default=False, server_default="0")]
timestamp = Annotated[datetime, mapped_column(UTCDateTime)]
string_list = Annotated[list[str], mapped_column(JSON, default=list)]
# A server role's name. Filled in by the server (PostgreSQL: the signed-in role, as the
# column's default; on the local file: blank), never by the app, so it cannot be forged there.
server_role = Annotated[str, mapped_column(String(63), server_default=FetchedValue())]


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class AdvocateRow(Base):
    """The advocate who uses this copy of the app: set once, printed on every record."""

    __tablename__ = "advocate"

    id: Mapped[int_pk]
    name: Mapped[short]
    organisation: Mapped[short]
    phone: Mapped[short]
    email: Mapped[short]
    #: On a team server, whose details these are: each advocate sees and edits their own.
    owner: Mapped[server_role]


class SurvivorRow(Base):
    __tablename__ = "survivor"

    id: Mapped[int_pk]
    full_name: Mapped[short]
    previous_names: Mapped[string_list]
    date_of_birth: Mapped[partial_date]
    pronouns: Mapped[short]
    phone: Mapped[short]
    email: Mapped[short]
    address: Mapped[text]
    voicemail_ok: Mapped[maybe_bool]
    letters_ok: Mapped[maybe_bool]
    safe_times: Mapped[short]
    via_advocate_only: Mapped[flag]
    language: Mapped[short]
    interpreter_needed: Mapped[maybe_bool]
    access_needs: Mapped[text]
    #: Who entered the survivor (a team server lets them see the row before its referral).
    owner: Mapped[server_role]

    referrals: Mapped[list[ReferralRow]] = relationship(back_populates="survivor")


class ReferralRow(Base):
    __tablename__ = "referral"

    id: Mapped[int_pk]
    reference: Mapped[str] = mapped_column(String(32), unique=True)
    # The referral's identity across databases, kept by export and import.
    uid: Mapped[str] = mapped_column(String(36), unique=True)
    survivor_id: Mapped[int] = mapped_column(ForeignKey("survivor.id"), index=True)
    created_at: Mapped[timestamp]
    updated_at: Mapped[timestamp]
    status: Mapped[str] = mapped_column(String(40))
    #: Raised by one at every change: a save made from an older version is refused
    #: (``ConflictError``) instead of overwriting someone else's newer change.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    #: On a team server, the advocate (role) the referral belongs to; a manager may change it.
    owner: Mapped[server_role]

    # The case
    police_force: Mapped[maybe_short]
    crime_references: Mapped[string_list]
    decided_by: Mapped[str | None] = mapped_column(String(20))
    cps_area: Mapped[maybe_short]
    decision_date: Mapped[partial_date]
    date_reported: Mapped[partial_date]
    offence_start: Mapped[partial_date]
    offence_end: Mapped[partial_date]
    location: Mapped[short]
    offender_count: Mapped[int | None]
    offender_alive_and_known: Mapped[str | None] = mapped_column(String(10))
    account: Mapped[text]

    # Eligibility answers under the spec's keys
    answers: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)

    # Consent
    consent_to_referral: Mapped[flag]
    consent_share_force: Mapped[flag]
    consent_share_cps: Mapped[flag]
    consent_share_panel: Mapped[flag]
    consent_given_on: Mapped[date | None]
    consent_method: Mapped[str | None] = mapped_column(String(10))
    consent_recorded_by: Mapped[short]
    consent_withdrawn_on: Mapped[date | None]
    consent_authority_received_on: Mapped[date | None]

    # Next follow-up
    follow_up_due: Mapped[date | None] = mapped_column(Date)
    follow_up_purpose: Mapped[short]

    # The letter asking the force or CPS Area to reconsider, as the advocate last saved it
    request_letter: Mapped[text]

    # The redacted copy: other people named in free text whom it must not show, and the
    # choices the advocate confirmed when last reviewing it (see storage/mapping.py)
    others_to_keep_out: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    redaction_choices: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    # Kept by the repository for the caseload list, so that it can filter and sort on them
    # through indexes instead of working them out for every row: the force or CPS Area that
    # made the decision, the outcome of the latest assessment, and the survivor's name folded
    # (case and accents ignored) for sorting by name and for one- and two-letter searches.
    force_or_area: Mapped[str | None] = mapped_column(String(200), index=True)
    latest_outcome: Mapped[str | None] = mapped_column(String(40))
    survivor_name_key: Mapped[str] = mapped_column(
        String(200), default="", server_default="", index=True
    )

    survivor: Mapped[SurvivorRow] = relationship(back_populates="referrals")
    status_changes: Mapped[list[StatusChangeRow]] = relationship(
        back_populates="referral",
        cascade="all, delete-orphan",
        order_by="StatusChangeRow.id",
    )
    assessments: Mapped[list[AssessmentRow]] = relationship(
        back_populates="referral",
        cascade="all, delete-orphan",
        order_by="AssessmentRow.id",
    )
    reviews: Mapped[list[ReviewRequestRow]] = relationship(
        back_populates="referral",
        cascade="all, delete-orphan",
        order_by="ReviewRequestRow.id",
    )


class StatusChangeRow(Base):
    __tablename__ = "status_change"

    id: Mapped[int_pk]
    referral_id: Mapped[int] = mapped_column(
        ForeignKey("referral.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(40))
    changed_at: Mapped[timestamp]
    note: Mapped[text]
    changed_by: Mapped[short]

    referral: Mapped[ReferralRow] = relationship(back_populates="status_changes")


class AssessmentRow(Base):
    __tablename__ = "assessment"

    id: Mapped[int_pk]
    referral_id: Mapped[int] = mapped_column(
        ForeignKey("referral.id", ondelete="CASCADE"), index=True
    )
    ruleset: Mapped[str] = mapped_column(String(20))
    outcome: Mapped[str] = mapped_column(String(40))
    reasons: Mapped[string_list]
    flags: Mapped[string_list]
    answers: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    assessed_at: Mapped[timestamp]

    referral: Mapped[ReferralRow] = relationship(back_populates="assessments")


class ReviewRequestRow(Base):
    __tablename__ = "review_request"

    id: Mapped[int_pk]
    referral_id: Mapped[int] = mapped_column(
        ForeignKey("referral.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    requested_on: Mapped[partial_date]
    result: Mapped[text]

    referral: Mapped[ReferralRow] = relationship(back_populates="reviews")


class AuditEventRow(Base):
    """Append-only, hash-chained. Holds ids and actions, never personal data.

    ``referral_id`` is deliberately not a foreign key: the trail of a deleted referral stays.
    """

    __tablename__ = "audit_event"

    id: Mapped[int_pk]
    occurred_at: Mapped[timestamp]
    action: Mapped[str] = mapped_column(String(40), index=True)
    actor: Mapped[short]
    referral_id: Mapped[int | None] = mapped_column(Integer, index=True)
    detail: Mapped[short]
    previous_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class DraftRow(Base):
    """A referral still being entered in the guided form, saved as the advocate goes.

    The draft is a JSON document (the form's own format) so that an unfinished form can hold
    text that is not yet valid; it becomes real rows only when the advocate saves it.
    """

    __tablename__ = "draft"

    id: Mapped[int_pk]
    created_at: Mapped[timestamp]
    updated_at: Mapped[timestamp]
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: On a team server, the advocate typing it: drafts are private to their author.
    author: Mapped[server_role]


class ReferralShareRow(Base):
    """On a team server, a referral shared by its owner (or a manager) with another advocate,
    who may then see and edit it."""

    __tablename__ = "referral_share"

    referral_id: Mapped[int] = mapped_column(
        ForeignKey("referral.id", ondelete="CASCADE"), primary_key=True
    )
    role_name: Mapped[str] = mapped_column(String(63), primary_key=True, index=True)
    shared_by: Mapped[server_role]
    shared_at: Mapped[timestamp]


class DatabaseInfoRow(Base):
    """Facts about the database itself: its random identity (which its backups carry, so one
    database never rotates out another's) and a passphrase change still being finished."""

    __tablename__ = "database_info"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


Index("ix_referral_decision_date", ReferralRow.decision_date)
# The caseload list's filters (status, eligibility outcome, overdue follow-up), in any
# combination, are answered and counted from these indexes alone; each also holds every sort
# key, so a filtered list is sorted from the index too. Without them a filter sorted by name,
# say, reads every matching row of the (encrypted) table: over a second at 100,000 referrals.
_SORT_KEYS = (ReferralRow.survivor_name_key, ReferralRow.force_or_area, ReferralRow.decision_date)
Index(
    "ix_referral_status_filters",
    ReferralRow.status,
    ReferralRow.follow_up_due,
    ReferralRow.latest_outcome,
    *_SORT_KEYS,
)
Index(
    "ix_referral_outcome_filters",
    ReferralRow.latest_outcome,
    ReferralRow.status,
    ReferralRow.follow_up_due,
    *_SORT_KEYS,
)
Index(
    "ix_referral_follow_up_filters",
    ReferralRow.follow_up_due,
    ReferralRow.status,
    ReferralRow.latest_outcome,
    *_SORT_KEYS,
)
