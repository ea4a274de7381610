"""The audit trail: append-only and hash-chained, with ids and actions, never personal data.

Each event's hash covers its own fields and the hash of the event before it, so altering or
removing an event breaks the chain at that point, and :func:`verify` says where. Removing the
newest events leaves a shorter chain that still holds; the append-only triggers and the daily
backups (which hold the chain as it was) are what guard against that.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Table, func, insert, select
from sqlalchemy.orm import Session

from referral_app.domain.audit import AuditAction, AuditEvent, ChainCheck
from referral_app.domain.referral import utc_now
from referral_app.storage.models import AdvocateRow, AuditEventRow, UTCDateTime
from referral_app.storage.pg import lock_audit_chain

GENESIS_HASH = "0" * 64


def _stamp(when: datetime) -> str:
    # The same text the column stores, so the hash can be recomputed from what is read back.
    stored = UTCDateTime().process_bind_param(when, None)  # type: ignore[arg-type]
    return stored or ""


def event_hash(  # noqa: PLR0917 (one argument per hashed field, in chain order)
    previous_hash: str,
    occurred_at: datetime,
    action: str,
    actor: str,
    referral_id: int | None,
    detail: str,
) -> str:
    payload = json.dumps(
        [previous_hash, _stamp(occurred_at), action, actor, referral_id, detail],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def record(
    session: Session,
    action: AuditAction,
    referral_id: int | None = None,
    detail: str = "",
    at: datetime | None = None,
) -> None:
    """Append one event in the caller's transaction, so it commits with the change it records."""
    when = at or utc_now()
    actor = actor_name(session)
    _take_turn(session)
    previous = session.scalar(select(AuditEventRow.hash).order_by(AuditEventRow.id.desc()).limit(1))
    previous_hash = previous or GENESIS_HASH
    session.add(
        AuditEventRow(
            occurred_at=when,
            action=str(action),
            actor=actor,
            referral_id=referral_id,
            detail=detail,
            previous_hash=previous_hash,
            hash=event_hash(previous_hash, when, str(action), actor, referral_id, detail),
        )
    )
    session.flush()


def actor_name(session: Session) -> str:
    """Who the events are recorded as: the advocate the database was set up for, or on a
    team's server the signed-in role (which the server checks again as each event goes in)."""
    if session.get_bind().dialect.name == "postgresql":
        return str(session.scalar(select(func.current_user())))
    return session.scalar(select(AdvocateRow.name).order_by(AdvocateRow.id).limit(1)) or ""


def _take_turn(session: Session) -> None:
    """On a server, wait for any other append to commit before reading the chain's head; a
    local file's writers already take turns (``BEGIN IMMEDIATE``)."""
    if session.get_bind().dialect.name == "postgresql":
        lock_audit_chain(session)


def record_many(
    session: Session,
    events: Iterable[tuple[AuditAction, int | None, str]],
    at: datetime,
    actor: str | None = None,
) -> None:
    """Append ``events`` (action, referral id, detail) to the chain in one statement, chained
    as :func:`record` would chain them one by one: an import or a bulk creation of thousands
    of referrals would otherwise take thousands of round trips."""
    who = actor_name(session) if actor is None else actor
    _take_turn(session)
    previous = session.scalar(select(AuditEventRow.hash).order_by(AuditEventRow.id.desc()).limit(1))
    previous_hash = previous or GENESIS_HASH
    rows = []
    for action, referral_id, detail in events:
        this_hash = event_hash(previous_hash, at, str(action), who, referral_id, detail)
        rows.append(
            {
                "occurred_at": at,
                "action": str(action),
                "actor": who,
                "referral_id": referral_id,
                "detail": detail,
                "previous_hash": previous_hash,
                "hash": this_hash,
            }
        )
        previous_hash = this_hash
    if rows:
        # Core, not the ORM's bulk insert: it skips the per-row bookkeeping of mapped objects.
        table: Table = AuditEventRow.__table__  # type: ignore[assignment]
        session.execute(insert(table), rows)


def _to_event(row: AuditEventRow) -> AuditEvent:
    return AuditEvent(
        row.id,
        row.occurred_at,
        row.action,
        row.actor,
        row.referral_id,
        row.detail,
        row.previous_hash,
        row.hash,
    )


def events(session: Session) -> list[AuditEvent]:
    rows = session.scalars(select(AuditEventRow).order_by(AuditEventRow.id))
    return [_to_event(row) for row in rows]


def verify(session: Session) -> ChainCheck:
    """Walk the chain from the first event; report the first link that does not hold."""
    expected_previous = GENESIS_HASH
    checked = 0
    for row in session.scalars(select(AuditEventRow).order_by(AuditEventRow.id)):
        # Links, not ids, prove continuity: a server's id sequence may skip numbers.
        if row.previous_hash != expected_previous:
            problem = "it does not follow the event before it (an event was removed or altered)"
            return ChainCheck(False, checked, row.id, problem)
        recomputed = event_hash(
            row.previous_hash, row.occurred_at, row.action, row.actor, row.referral_id, row.detail
        )
        if recomputed != row.hash:
            changed = "its contents were changed after it was written"
            return ChainCheck(False, checked, row.id, changed)
        checked += 1
        expected_previous = row.hash
    return ChainCheck(True, checked)
