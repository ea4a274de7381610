"""Retention: which finished referrals are past the period, and deleting them without a trace.

The file is encrypted, so searching its raw bytes for a deleted name proves little. These tests
also read it decrypted, two ways: every page decrypted as it lies in the file (free pages and
the slack inside pages included), and the logical content exported to a plain database with
``sqlcipher_export``. Each search is first shown to find the canary while it is still there.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
import sqlcipher3
from Cryptodome.Cipher import AES

from referral_app.domain.audit import AuditAction
from referral_app.domain.dates import PartialDate, add_years
from referral_app.domain.referral import Referral, Status, StatusChange, normalise_crime_reference
from referral_app.storage.db import KDF_ITERATIONS, PAGE_SIZE, Database, sql_string
from referral_app.storage.errors import RecordNotFoundError
from referral_app.storage.repository import Repository
from referral_app.storage.retention import (
    DEFAULT_YEARS,
    RetentionItem,
    delete_for_good,
    past_retention,
)
from tests.storage.conftest import PASSPHRASE, full_referral

TODAY = date(2030, 6, 15)
CANARY_NAME = "Quillimena Fossbrandt-Yarrowby"
CANARY_BIRTH = "1984-10-23"
CANARY_CRIME = "YB 9191/37"
ENCODINGS = ("utf-8", "utf-16-le", "utf-16-be")
#: SQLCipher 4 keeps a 16-byte IV and a 64-byte HMAC at the end of every page.
RESERVED = 80
SALT = 16


def at_noon(day: date) -> datetime:
    """Midday here on ``day``: the same day whatever the time zone of the test machine."""
    return datetime.combine(day, time(12)).astimezone()


def finished(name: str, *history: tuple[Status, date]) -> Referral:
    referral = full_referral(name)
    start = history[0][1] - timedelta(days=30)
    referral.status_history = [StatusChange(Status.DRAFT, at_noon(start), "", "Ann Advocate")]
    referral.status_history += [
        StatusChange(status, at_noon(day), "", "Ann Advocate") for status, day in history
    ]
    return referral


def years_ago(years: int, days: int = 0) -> date:
    return add_years(TODAY, -years) - timedelta(days=days)


def saved_name(saved: dict[str, Referral], referral_id: int) -> str:
    return next(name for name, referral in saved.items() if referral.id == referral_id)


def test_the_list_holds_exactly_the_finished_referrals_past_the_period(
    repository: Repository,
) -> None:
    saved = {
        name: repository.save(finished(name, *history))
        for name, history in {
            "closed 7 years ago": [(Status.CLOSED, years_ago(7))],
            "closed 5 years ago": [(Status.CLOSED, years_ago(5))],
            "withdrawn 7 years ago": [(Status.WITHDRAWN, years_ago(7))],
            "closed 6 years ago today": [(Status.CLOSED, years_ago(6))],
            "closed 6 years ago tomorrow": [(Status.CLOSED, years_ago(6, days=-1))],
            "taken up again": [(Status.WITHDRAWN, years_ago(9)), (Status.DRAFT, years_ago(8))],
            "withdrawn twice": [
                (Status.WITHDRAWN, years_ago(9)),
                (Status.DRAFT, years_ago(8)),
                (Status.WITHDRAWN, years_ago(3)),
            ],
            "sent 10 years ago": [
                (Status.READY_TO_SEND, years_ago(10)),
                (Status.SENT, years_ago(10)),
            ],
        }.items()
    }
    repository.save(full_referral("open today"))

    items = past_retention(repository, DEFAULT_YEARS, TODAY)

    def item(name: str, status: Status, closed_on: date) -> RetentionItem:
        referral = saved[name]
        assert referral.id is not None
        return RetentionItem(
            referral.id, referral.reference, status, closed_on, add_years(closed_on, 6)
        )

    assert items == [
        item("closed 7 years ago", Status.CLOSED, years_ago(7)),
        item("withdrawn 7 years ago", Status.WITHDRAWN, years_ago(7)),
        item("closed 6 years ago today", Status.CLOSED, years_ago(6)),
    ]
    shorter = past_retention(repository.database, 4, TODAY)
    assert [saved_name(saved, i.referral_id) for i in shorter] == [
        "closed 7 years ago",
        "withdrawn 7 years ago",
        "closed 6 years ago today",
        "closed 6 years ago tomorrow",
        "closed 5 years ago",
    ]
    assert past_retention(repository, 20, TODAY) == []
    with pytest.raises(ValueError, match="1 to 20"):
        past_retention(repository, 0, TODAY)


def test_a_shorter_period_lists_more(repository: Repository) -> None:
    five = repository.save(finished("closed 5 years ago", (Status.CLOSED, years_ago(5))))
    seven = repository.save(finished("closed 7 years ago", (Status.CLOSED, years_ago(7))))
    assert [i.referral_id for i in past_retention(repository, 6, TODAY)] == [seven.id]
    assert [i.referral_id for i in past_retention(repository, 5, TODAY)] == [seven.id, five.id]
    assert [i.referral_id for i in past_retention(repository, 8, TODAY)] == []


def test_deleting_counts_those_deleted_and_skips_those_already_gone(
    repository: Repository,
) -> None:
    first = repository.save(finished("one", (Status.CLOSED, years_ago(7))))
    second = repository.save(finished("two", (Status.WITHDRAWN, years_ago(8))))
    kept = repository.save(full_referral("still open"))
    assert first.id is not None
    assert second.id is not None
    assert kept.id is not None
    repository.delete(second.id)

    assert delete_for_good(repository, [first.id, second.id, first.id]) == 1
    assert delete_for_good(repository.database, []) == 0
    with pytest.raises(RecordNotFoundError):
        repository.get(first.id)
    assert repository.get(kept.id) == kept
    deletions = [e.referral_id for e in repository.audit_events() if e.action == AuditAction.DELETE]
    assert deletions == [second.id, first.id]
    assert repository.verify_audit().intact
    assert past_retention(repository, DEFAULT_YEARS, TODAY) == []


# Deleting without a trace


def canary_texts() -> list[str]:
    surname = CANARY_NAME.rsplit(maxsplit=1)[-1]
    year, month, day = CANARY_BIRTH.split("-")
    return [
        CANARY_NAME,
        CANARY_NAME.lower(),
        surname,
        CANARY_BIRTH,
        f"{day}/{month}/{year}",
        CANARY_CRIME,
        normalise_crime_reference(CANARY_CRIME),
    ]


def found(content: bytes, texts: list[str]) -> list[str]:
    return [
        f"{text!r} ({encoding})"
        for text in texts
        for encoding in ENCODINGS
        if text.encode(encoding) in content
    ]


def _key(salt: bytes) -> bytes:
    return hashlib.pbkdf2_hmac("sha512", PASSPHRASE.encode(), salt, KDF_ITERATIONS, 32)


def _decrypt(page: bytes, number: int, key: bytes) -> bytes:
    """One SQLCipher 4 page in plain text (AES-256-CBC; page 1 starts with the salt)."""
    start = SALT if number == 1 else 0
    iv = page[PAGE_SIZE - RESERVED : PAGE_SIZE - RESERVED + 16]
    return AES.new(key, AES.MODE_CBC, iv).decrypt(page[start : PAGE_SIZE - RESERVED])


def decrypted_pages(db_path: Path) -> bytes:
    """Every page of the file and of its write-ahead log, decrypted, free pages included."""
    data = db_path.read_bytes()
    key = _key(data[:SALT])
    pages = [
        _decrypt(data[offset : offset + PAGE_SIZE], offset // PAGE_SIZE + 1, key)
        for offset in range(0, len(data), PAGE_SIZE)
    ]
    wal = Path(f"{db_path}-wal")
    log = wal.read_bytes() if wal.is_file() else b""
    frame = 24 + PAGE_SIZE
    for offset in range(32, len(log) - frame + 1, frame):
        number = int.from_bytes(log[offset : offset + 4], "big")
        pages.append(_decrypt(log[offset + 24 : offset + frame], number, key))
    return b"".join(pages)


def plain_export(db_path: Path, folder: Path) -> bytes:
    """The database's content as ``sqlcipher_export`` copies it into a plain database."""
    target = folder / "plain.db"
    connection = sqlcipher3.connect(str(db_path), isolation_level=None)
    try:
        connection.execute(f"PRAGMA key = {sql_string(PASSPHRASE)}")
        connection.execute(f"PRAGMA kdf_iter = {KDF_ITERATIONS}")
        connection.execute(f"ATTACH DATABASE {sql_string(str(target))} AS plaintext KEY ''")
        connection.execute("SELECT sqlcipher_export('plaintext')").fetchall()
        connection.execute("DETACH DATABASE plaintext")
    finally:
        connection.close()
    content = target.read_bytes()
    target.unlink()
    return content


def raw_files(root: Path) -> bytes:
    return b"".join(path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file())


def test_deleting_for_good_leaves_no_trace_in_the_file(
    repository: Repository, database: Database, db_path: Path, tmp_path: Path
) -> None:
    canary = finished(CANARY_NAME, (Status.CLOSED, years_ago(7)))
    canary.survivor.date_of_birth = PartialDate.parse(CANARY_BIRTH)
    canary.case.crime_references = [normalise_crime_reference(CANARY_CRIME)]
    canary.answers["date_of_birth"] = CANARY_BIRTH
    canary.answers["crime_reference"] = CANARY_CRIME
    stored = repository.save(canary)
    assert stored.id is not None
    stored.survivor.address = f"c/o {CANARY_NAME}\n{CANARY_BIRTH}"  # an older version too
    repository.save(stored)
    repository.open_record(stored.id)
    bystander = repository.save(full_referral("Bystander Kept-Openshaw"))
    assert bystander.id is not None
    texts = canary_texts()
    exports = tmp_path / "exports"
    exports.mkdir()

    database.close()  # folds the log into the file, so the first search sees every page
    assert found(decrypted_pages(db_path), texts), "the page search cannot see the canary"
    assert found(plain_export(db_path, exports), texts), "the export cannot see the canary"

    with Database.unlock(db_path, PASSPHRASE) as reopened:
        repository = Repository(reopened)
        [item] = past_retention(repository, DEFAULT_YEARS, TODAY)
        assert item.referral_id == stored.id
        assert delete_for_good(repository, [item.referral_id]) == 1

        # At once, while the app still has the file open.
        wal = Path(f"{db_path}-wal")
        assert not wal.exists() or wal.stat().st_size == 0, "the log still holds pages"
        assert found(decrypted_pages(db_path), texts) == []
        assert found(raw_files(tmp_path), texts) == []
        assert repository.get(bystander.id) == bystander
        assert repository.verify_audit().intact

    assert found(decrypted_pages(db_path), texts) == []
    export = plain_export(db_path, exports)
    assert found(export, texts) == []
    assert found(export, ["Bystander Kept-Openshaw"]), "the export holds what was kept"
    assert found(raw_files(tmp_path), texts) == []
    with Database.unlock(db_path, PASSPHRASE) as reopened:
        assert reopened.integrity_ok()
        events = Repository(reopened).audit_events()
    assert [e.action for e in events if e.referral_id == stored.id][-1] == AuditAction.DELETE


def test_the_moment_of_closure_is_compared_as_a_day_here(repository: Repository) -> None:
    """Closed late in the evening here (already tomorrow in UTC, or the other way round),
    it is still the day here that counts."""
    day = years_ago(6)
    late = datetime.combine(day, time(23, 30)).astimezone()
    referral = finished("late", (Status.CLOSED, day))
    referral.status_history[-1] = StatusChange(Status.CLOSED, late)
    repository.save(referral)
    [item] = past_retention(repository, 6, TODAY)
    assert item.closed_on == day
    assert item.due_on == TODAY
    assert past_retention(repository, 6, TODAY - timedelta(days=1)) == []
