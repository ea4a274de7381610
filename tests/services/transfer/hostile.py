"""Hostile export files, made by code: each imports cleanly as a ZIP (right passphrase, a
manifest that matches) but holds a referral no app would write.

Each maker takes a ``size``: the tests run them just over the app's limits, and a long run
(``HOSTILE_FULL=1``) at the sizes that once broke the app (60,000 crime references, a 10 MB
name, 50,000 history entries, 100,003 entries with the bad record last).
"""

from __future__ import annotations

import hashlib
import io
import json
import random
import string
import uuid
from collections.abc import Callable
from typing import Any

import pyzipper  # type: ignore[import-untyped]

from referral_app.domain.record_format import referral_to_dict
from referral_app.domain.referral import Referral
from tests.services.transfer.conftest import EXPORT_PASSPHRASE
from tests.storage.conftest import full_referral

Record = dict[str, Any]


def record(number: int = 1, referral: Referral | None = None) -> Record:
    """A good record, as an export holds it."""
    data = referral_to_dict(referral or full_referral(f"Person {number}"))
    data |= {"uid": str(uuid.uuid4()), "reference": f"CSARP-2026-{number:05d}", "id": number}
    return data


def small_record(number: int) -> Record:
    """The least a record can be: enough for files of 100,000 referrals."""
    return {
        "schema_version": 2,
        "uid": str(uuid.UUID(int=number)),
        "reference": f"CSARP-2026-{number:05d}",
    }


def records_json(records: list[Record]) -> bytes:
    document = {
        "format": "csarp-referrals-export",
        "schema_version": 2,
        "exported_at": "2026-11-21T10:04:00+00:00",
        "exported_by": {"name": "Ann Advocate", "organisation": "Safe Space Charity"},
        "referral_count": len(records),
        "referrals": records,
    }
    return json.dumps(document).encode()  # ensure_ascii: a lone surrogate becomes \ud800


def manifest_json(entries: dict[str, bytes], count: int | str) -> bytes:
    """``count`` as text is written as it is (a number too long for json.dumps to write)."""
    listed = [
        {"name": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
        for name, data in entries.items()
    ]
    document = {
        "format": "csarp-referrals-export",
        "format_version": 1,
        "schema_version": 2,
        "created_at": "2026-11-21T10:04:00+00:00",
        "app": "CSARP Referrals 0.1.0",
        "referral_count": "COUNT",
        "entries": listed,
    }
    return json.dumps(document).replace('"COUNT"', str(count)).encode()


def archive(
    records: list[Record],
    *,
    summaries: int = 0,
    count: int | str | None = None,
    raw_records: bytes | None = None,
) -> bytes:
    """An export as the app writes it, around ``records``, with ``summaries`` small PDFs."""
    entries = {"README.txt": b"An export.\n", "records.json": raw_records or records_json(records)}
    for number in range(1, summaries + 1):
        entries[f"summaries/CSARP-2026-{number:05d}.pdf"] = b"%PDF-1.4\n%%EOF\n"
    entries["manifest.json"] = manifest_json(entries, len(records) if count is None else count)
    buffer = io.BytesIO()
    options = {"compression": pyzipper.ZIP_DEFLATED, "encryption": pyzipper.WZ_AES}
    with pyzipper.AESZipFile(buffer, "w", **options) as out:
        out.setpassword(EXPORT_PASSPHRASE.encode())
        out.setencryption(pyzipper.WZ_AES, nbits=256)
        for name, data in entries.items():
            out.writestr(name, data)
    return buffer.getvalue()


# The hostile records: each changes one good record


def crime_references(data: Record, size: int) -> None:
    data["case"]["crime_references"] = [f"47/ZQ/2015/{n}" for n in range(size)]


def previous_names(data: Record, size: int) -> None:
    data["survivor"]["previous_names"] = [f"Name {n}" for n in range(size)]


def noise(size: int) -> str:
    """Text that does not compress, so a long field is not refused earlier as a ZIP bomb."""
    letters = random.Random(size)
    return "".join(letters.choices(string.ascii_letters + string.digits, k=size))


def long_name(data: Record, size: int) -> None:
    data["survivor"]["full_name"] = noise(size)


def long_crime_reference(data: Record, size: int) -> None:
    data["case"]["crime_references"] = [noise(size)]


def long_history(data: Record, size: int) -> None:
    """A possible history (draft and ready to send in turn), only too long."""
    notes = noise(8 * size)
    data["status_history"] = [
        {
            "status": "ready_to_send" if n % 2 else "draft",
            "changed_at": "2026-01-01T00:00:00+00:00",
            "note": note,
            "changed_by": "",
        }
        for n, note in enumerate(notes[i : i + 8] for i in range(0, 8 * size, 8))
    ]


def far_dates(data: Record, _size: int) -> None:
    data["survivor"]["date_of_birth"] = "9999-12-31"
    for key in ("decision_date", "date_reported", "offence_start", "offence_end"):
        data["case"][key] = "9999-12-31"
    data["follow_up"]["due"] = "9999-12-31"
    data["consent"]["given_on"] = "9999-12-31"


def lone_surrogate_name(data: Record, _size: int) -> None:
    data["survivor"]["full_name"] = "Zelda \ud800 Q"


def lone_surrogate_account(data: Record, _size: int) -> None:
    data["case"]["account"] = "What happened \udfff."


#: Each hostile change, the size the suite uses, the size that broke the app, and the words
#: the refusal must use.
HOSTILE: dict[str, tuple[Callable[[Record, int], None], int, int, str]] = {
    "crime references": (crime_references, 51, 60_000, "more than 50 crime references"),
    "previous names": (previous_names, 51, 60_000, "more than 50 previous names"),
    "long name": (long_name, 201, 10_000_000, "more than 200 characters in the survivor's name"),
    "long crime reference": (
        long_crime_reference,
        101,
        10_000_000,
        "more than 100 characters in a crime reference",
    ),
    "long history": (long_history, 101, 50_000, "more than 100 status history entries"),
    "far dates": (far_dates, 0, 0, "a date before 1900 or after 2100"),
    "lone surrogate in a name": (lone_surrogate_name, 0, 0, "text that is not valid Unicode"),
    "lone surrogate in an account": (
        lone_surrogate_account,
        0,
        0,
        "text that is not valid Unicode",
    ),
}
