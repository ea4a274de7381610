"""The baselines of saving and opening a record: the app's rows, by hand-written SQL on a
driver connection set up like the app's, in one transaction, committed as durably (WAL,
``synchronous = FULL``).

The rows' values come from the storage layer's own mapping functions, so the baseline writes
what the app would write for the same referral and differs only in how: no ORM, no SQLAlchemy
statements.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

import sqlcipher3

from referral_app.domain.audit import AuditAction
from referral_app.domain.dates import PartialDate
from referral_app.domain.referral import Referral, Status, StatusChange, utc_now
from referral_app.storage.audit import GENESIS_HASH, event_hash
from referral_app.storage.mapping import (
    assessment_values,
    referral_values,
    review_values,
    status_values,
    survivor_values,
)


def _sql(value: object) -> object:
    """A value as the app's column types store it."""
    if isinstance(value, list | dict):
        return json.dumps(value)
    if isinstance(value, PartialDate):
        return value.isoformat()
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _insert(connection: sqlcipher3.Connection, table: str, values: Mapping[str, Any]) -> int:
    columns = ", ".join(values)
    marks = ", ".join("?" * len(values))
    cursor = connection.execute(
        f"INSERT INTO {table} ({columns}) VALUES ({marks})", [_sql(v) for v in values.values()]
    )
    return int(cursor.lastrowid or 0)


def _audit(
    connection: sqlcipher3.Connection, action: AuditAction, referral_id: int, at: datetime
) -> None:
    actor = connection.execute("SELECT name FROM advocate ORDER BY id LIMIT 1").fetchone()[0]
    row = connection.execute("SELECT hash FROM audit_event ORDER BY id DESC LIMIT 1").fetchone()
    previous = row[0] if row else GENESIS_HASH
    _insert(
        connection,
        "audit_event",
        {
            "occurred_at": at,
            "action": str(action),
            "actor": actor,
            "referral_id": referral_id,
            "detail": "",
            "previous_hash": previous,
            "hash": event_hash(previous, at, str(action), actor, referral_id, ""),
        },
    )


def new_draft(connection: sqlcipher3.Connection, document: dict[str, Any]) -> int:
    """A draft row, as the form's autosave leaves one before the referral is saved."""
    now = utc_now()
    return _insert(
        connection, "draft", {"created_at": now, "updated_at": now, "document": document}
    )


def save(connection: sqlcipher3.Connection, referral: Referral, draft_id: int) -> int:
    """What ``Repository.save_from_draft`` writes, in hand-written SQL; the new id."""
    now = utc_now()
    connection.execute("BEGIN IMMEDIATE")
    try:
        connection.execute("DELETE FROM draft WHERE id = ?", (draft_id,))
        survivor_id = _insert(connection, "survivor", survivor_values(referral.survivor))
        history = referral.status_history or [StatusChange(Status.DRAFT, now, "", "")]
        latest = referral.assessments[-1].outcome if referral.assessments else None
        values = referral_values(referral) | {
            "survivor_id": survivor_id,
            "reference": f"pending-{draft_id}-{now.timestamp()}",
            "uid": f"benchmark-{draft_id}-{now.timestamp()}",
            "created_at": now,
            "updated_at": now,
            "status": str(history[-1].status),
            "latest_outcome": latest,
        }
        referral_id = _insert(connection, "referral", values)
        reference = f"CSARP-{now.year}-{referral_id:05d}"
        connection.execute(
            "UPDATE referral SET reference = ? WHERE id = ?", (reference, referral_id)
        )
        owner = {"referral_id": referral_id}
        for change in history:
            _insert(connection, "status_change", status_values(change) | owner)
        for record in referral.assessments:
            _insert(connection, "assessment", assessment_values(record) | owner)
        for review in referral.case.earlier_reviews:
            _insert(connection, "review_request", review_values(review) | owner)
        places = [p for p in (values["police_force"], values["cps_area"]) if p]
        connection.execute(
            "INSERT INTO referral_search (rowid, survivor_name, previous_names, "
            "crime_references, force_and_area, reference) VALUES (?, ?, ?, ?, ?, ?)",
            (
                referral_id,
                referral.survivor.full_name,
                "\n".join(referral.survivor.previous_names),
                "\n".join(values["crime_references"]),
                "\n".join(places),
                reference,
            ),
        )
        _audit(connection, AuditAction.CREATE, referral_id, now)
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")
    return referral_id


def open_record(connection: sqlcipher3.Connection, referral_id: int) -> list[Any]:
    """What ``Repository.open_record`` reads and writes, in hand-written SQL: the referral
    with everything it owns, and the audit event of its opening."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        rows: list[Any] = connection.execute(
            "SELECT * FROM referral AS r JOIN survivor AS s ON s.id = r.survivor_id WHERE r.id = ?",
            (referral_id,),
        ).fetchall()
        for table in ("status_change", "assessment", "review_request"):
            rows += connection.execute(
                f"SELECT * FROM {table} WHERE referral_id = ? ORDER BY id", (referral_id,)
            ).fetchall()
        _audit(connection, AuditAction.OPEN, referral_id, utc_now())
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")
    return rows


def durable_write(connection: sqlcipher3.Connection, draft_id: int) -> None:
    """The least a saved change costs: one row deleted, committed to the disk."""
    connection.execute("BEGIN IMMEDIATE")
    connection.execute("DELETE FROM draft WHERE id = ?", (draft_id,))
    connection.execute("COMMIT")
