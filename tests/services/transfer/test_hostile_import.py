"""Hostile export files are refused at the preview, with a message that names the limit.

Each file here opens with the right passphrase and its manifest matches: only the records are
what no app writes. The suite makes them just over each limit; ``HOSTILE_FULL=1`` makes them
at the sizes that once broke the app (and ``HOSTILE_REPORT`` names a JSON file for the times).
"""

from __future__ import annotations

import io
import json
import os
import time
import tracemalloc
from pathlib import Path

import pytest
from pypdf import PdfReader

from referral_app.domain.record_format import check_limits, referral_from_dict
from referral_app.services.pdf import summary_pdf_bytes
from referral_app.services.transfer.archive import MANIFEST, RECORDS
from referral_app.services.transfer.import_ import preview_import, read_export, run_import
from referral_app.services.transfer.problems import Problem, TransferError
from referral_app.services.transfer.progress import Progress
from referral_app.services.transfer.reader import read_archive
from referral_app.storage.repository import Repository
from tests.services.transfer.conftest import EXPORT_PASSPHRASE
from tests.services.transfer.hostile import (
    HOSTILE,
    archive,
    record,
    records_json,
    small_record,
)
from tests.storage.conftest import ADVOCATE

FULL = os.environ.get("HOSTILE_FULL") == "1"
REPORT = os.environ.get("HOSTILE_REPORT")
#: Entries in the file whose bad record is last: 100,003 in the long run.
MANY = 100_000 if FULL else 400
_figures: dict[str, float] = {}


def _refusal(data: bytes) -> TransferError:
    with pytest.raises(TransferError) as caught:
        read_export(io.BytesIO(data), EXPORT_PASSPHRASE)
    return caught.value


@pytest.fixture(scope="module", autouse=True)
def _report() -> object:
    yield None
    if REPORT:
        Path(REPORT).write_text(json.dumps(_figures, indent=2), encoding="utf-8")


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_a_record_over_a_limit_is_refused_naming_the_limit(kind: str, target: Repository) -> None:
    change, small, full, words = HOSTILE[kind]
    records = [record(1), record(2), record(3)]
    change(records[1], full if FULL else small)
    data = archive(records)
    started = time.monotonic()
    error = _refusal(data)
    _figures[f"{kind}: seconds to refuse"] = round(time.monotonic() - started, 3)
    assert error.problem is Problem.OVER_LIMIT, error.detail
    assert f"Referral 2 of 3 in this file has {words}" in str(error)
    assert str(error).endswith("Nothing was imported.")
    assert target.count() == 0


def test_each_limit_is_a_limit_not_less(target: Repository) -> None:
    """A referral at every limit imports: the limits refuse only what is over them."""
    records = [record(1)]
    for kind in ("crime references", "previous names", "long name", "long history"):
        change, small, _full, _words = HOSTILE[kind]
        change(records[0], small - 1)
    contents = read_export(io.BytesIO(archive(records)), EXPORT_PASSPHRASE)
    run_import(target, preview_import(target, contents))
    imported = target.all()[0]
    assert len(imported.case.crime_references) == 50
    assert len(imported.survivor.full_name) == 200
    assert len(imported.status_history) == 100


def test_a_number_of_5000_digits_in_the_manifest_is_named() -> None:
    error = _refusal(archive([record(1)], count="9" * 5_000))
    assert error.problem is Problem.ALTERED
    assert "manifest.json holds a number with more than 18 digits" in str(error)


def test_a_number_of_5000_digits_in_the_records_is_named() -> None:
    data = records_json([record(1)]).replace(
        b'"offender_count": 3', b'"offender_count": ' + b"7" * 5_000
    )
    error = _refusal(archive([record(1)], raw_records=data))
    assert "records.json holds a number with more than 18 digits" in str(error)


def test_a_bad_last_record_is_refused_before_the_summaries_are_read() -> None:
    """Records are cheap to check beside decrypting a summary each: they come first."""
    records = [small_record(n) for n in range(1, MANY + 1)]
    records[-1]["reference"] = "\ud800"
    data = archive(records, summaries=MANY)
    read: list[int] = []
    started = time.monotonic()
    with pytest.raises(TransferError) as caught:
        read_export(
            io.BytesIO(data), EXPORT_PASSPHRASE, progress=Progress(lambda d, _t: read.append(d))
        )
    _figures[f"{MANY + 3} entries, bad last record: seconds to refuse"] = round(
        time.monotonic() - started, 3
    )
    assert caught.value.problem is Problem.OVER_LIMIT
    assert f"Referral {MANY:,} of {MANY:,}" in str(caught.value)
    assert max(read) <= len(b"An export.\n") + len(records_json(records))


def test_reading_holds_the_records_once(tmp_path: Path) -> None:
    """While the file is checked, memory stays about the size of records.json plus a fixed
    amount: one buffer filled in place, not pieces joined into a second copy."""
    records = [record(n) for n in range(1, (4_000 if FULL else 800) + 1)]
    data = archive(records)
    size = len(records_json(records))
    path = tmp_path / "e.zip"
    path.write_bytes(data)
    del data
    tracemalloc.start()
    try:
        length = read_archive(path, EXPORT_PASSPHRASE, lambda buffer, _m: len(buffer))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    _figures["records.json bytes"] = size
    _figures["peak bytes while reading"] = peak
    assert length == size
    assert peak < size + 2 * 1024 * 1024
    assert MANIFEST and RECORDS


def test_a_referral_at_every_limit_at_once_prints(qapp: object) -> None:
    """The limits are set so that the largest referral they allow still makes its PDF in
    seconds (Qt's layout crashed or took minutes on what they now refuse)."""
    data = record(1)
    long_text = "wxyz " * 20_000
    data["survivor"] |= {
        "full_name": long_text[:200],
        "previous_names": [long_text[:200]] * 50,
        "address": long_text[:1000],
        "access_needs": long_text[:5000],
    }
    data["case"] |= {"crime_references": [long_text[:100]] * 50, "account": long_text[:20_000]}
    HOSTILE["long history"][0](data, 100)
    for entry in data["status_history"]:
        entry |= {"note": long_text[:500], "changed_by": long_text[:200]}
    check_limits(data)
    referral = referral_from_dict(data)
    started = time.monotonic()
    pdf = summary_pdf_bytes(referral, ADVOCATE)
    _figures["PDF of a referral at every limit: seconds"] = round(time.monotonic() - started, 2)
    assert len(PdfReader(io.BytesIO(pdf)).pages) > 10
