"""Exporting: the records as JSON in the encrypted archive, and the PDF summaries.

The JSON part is measured with the export's own pieces (``ArchiveWriter``, the README, the
streamed ``records.json``, the manifest, the atomic private file) for referrals already read,
and held against serialising and encrypting the same data directly: ``json.dumps`` of every
``referral_to_dict`` and one AES entry written with pyzipper, synced to the disk alike. Reading
the referrals is reported beside it, as the export reads them (``read_referrals``, a chunk at a
time on the export's worker thread, each chunk let go before the next) and all at once
(``load_referrals``). The PDF summaries are measured per referral, against Qt printing the
same summary's HTML straight to PDF (``QTextDocument.print_``), with no page headers, footers
or page-break tidying.
"""

from __future__ import annotations

import json
import os
import threading
from datetime import datetime
from functools import partial
from pathlib import Path

import pyzipper  # type: ignore[import-untyped]
from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QPageSize, QPdfWriter, QTextDocument

from referral_app.domain.record_format import SCHEMA_VERSION, referral_to_dict
from referral_app.domain.referral import Referral, utc_now
from referral_app.services.pdf import summary_pdf_bytes
from referral_app.services.summary import summary_html
from referral_app.services.transfer.archive import README, RECORDS, ArchiveWriter
from referral_app.services.transfer.export import ListedReferrals, readme_text, write_records
from referral_app.services.transfer.files import private_atomic_file
from referral_app.services.transfer.progress import SILENT
from referral_app.storage.access import open_database
from referral_app.storage.db import Database
from referral_app.storage.exporting import (
    READ_CHUNK,
    all_referral_ids,
    load_referrals,
    read_referrals,
)
from tests.benchmarks.figures import Figure, Kind, Target, median
from tests.benchmarks.workspace import (
    ADVOCATE,
    PASSPHRASE,
    Workspace,
    collector_paused,
    measured,
    timed,
)

#: An export passphrase as the app makes them: six words.
EXPORT_PASSPHRASE = "orbit tiger lamp violet drop canyon"


def _app_json(target: Path, referrals: list[Referral], when: datetime) -> None:
    """The export's JSON part, built from the export's own pieces (all but the summaries)."""
    with (
        private_atomic_file(target) as handle,
        ArchiveWriter(handle, EXPORT_PASSPHRASE, when) as archive,
    ):
        archive.add(README, readme_text(ADVOCATE, len(referrals), when).encode("utf-8"))
        with archive.stream(RECORDS) as write:
            write_records(write, ListedReferrals(referrals), ADVOCATE, when, SILENT)
        archive.finish(
            schema_version=SCHEMA_VERSION,
            referral_count=len(referrals),
            app="benchmark",
            created_at=when.isoformat(),
        )


def _direct_json(target: Path, referrals: list[Referral]) -> None:
    """The same data serialised and encrypted directly: one dumps, one AES entry."""
    data = json.dumps([referral_to_dict(r) for r in referrals], ensure_ascii=False)
    with target.open("wb") as handle:
        with pyzipper.AESZipFile(
            handle, "w", compression=pyzipper.ZIP_DEFLATED, encryption=pyzipper.WZ_AES
        ) as archive:
            archive.setpassword(EXPORT_PASSPHRASE.encode("utf-8"))
            archive.writestr(RECORDS, data.encode("utf-8"))
        handle.flush()
        os.fsync(handle.fileno())


def _loaded(workspace: Workspace, count: int) -> tuple[list[Referral], float]:
    database = open_database(workspace.caseload, PASSPHRASE)
    try:
        seconds, referrals = measured(load_referrals, database, all_referral_ids(database)[:count])
        return referrals, seconds
    finally:
        database.close()


def _read_through(database: Database, ids: list[int]) -> int:
    """Every referral read as an export reads them, each chunk dropped before the next."""
    return sum(len(chunk) for chunk in read_referrals(database, ids))


def _streamed(workspace: Workspace, count: int) -> float:
    """Seconds to read ``count`` referrals as an export does, on a thread of its own."""
    database = open_database(workspace.caseload, PASSPHRASE)
    try:
        ids = all_referral_ids(database)[:count]
        seconds: list[float] = []
        worker = threading.Thread(
            target=lambda: seconds.append(timed(_read_through, database, ids))
        )
        worker.start()
        worker.join()
        return seconds[0]
    finally:
        database.close()


def run_json(workspace: Workspace) -> list[Figure]:
    count = min(workspace.scale.exported, workspace.scale.referrals)
    streaming = _streamed(workspace, count)
    referrals, loading = _loaded(workspace, count)
    when = utc_now()
    app: list[float] = []
    direct: list[float] = []
    with collector_paused():
        for round_ in range(3):
            app_file, direct_file = workspace.path("app.zip"), workspace.path("direct.zip")
            app.append(timed(_app_json, app_file, referrals, when))
            direct.append(timed(_direct_json, direct_file, referrals))
            if round_ < 2:
                app_file.unlink()
                direct_file.unlink()
    sizes = app_file.stat().st_size / 1e6, direct_file.stat().st_size / 1e6
    return [
        Figure(
            f"Export of {count:,} referrals, the JSON part",
            median(app),
            median(direct),
            "s",
            "json.dumps of referral_to_dict and one pyzipper AES entry, synced",
            Target(Kind.RATIO_AT_MOST, 2),
            (
                f"median of 3; archives {sizes[0]:.1f} MB and {sizes[1]:.1f} MB",
                f"reading the {count:,} referrals as the export does (read_referrals, "
                f"{READ_CHUNK} at a time on a worker thread): {streaming:.2f} s; all at once "
                f"(load_referrals): {loading:.2f} s",
            ),
        )
    ]


def _qt_pdf(html: str) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    document = QTextDocument()
    document.setHtml(html)
    document.print_(writer)
    del writer
    buffer.close()
    return bytes(data.data())


def run_pdf(workspace: Workspace) -> list[Figure]:
    count = workspace.scale.summaries
    referrals, _ = _loaded(workspace, count)
    app: list[float] = []
    plain: list[float] = []
    archive_entry: list[float] = []
    made: list[bytes] = []
    summarise = partial(summary_pdf_bytes, printed_on=workspace.today)
    with (
        collector_paused(),
        workspace.path("entries.zip").open("wb") as handle,
        ArchiveWriter(handle, EXPORT_PASSPHRASE, utc_now()) as archive,
    ):
        for index, referral in enumerate(referrals):
            seconds, pdf = measured(summarise, referral, ADVOCATE)
            app.append(seconds)
            made.append(pdf)
            html = summary_html(referral, ADVOCATE, printed_on=workspace.today)
            plain.append(timed(_qt_pdf, html))
            name = f"summaries/referral-{index:05d}.pdf"
            archive_entry.append(timed(archive.add, name, pdf))
    app, plain, archive_entry = ([t * 1000 for t in ts] for ts in (app, plain, archive_entry))
    return [
        Figure(
            "PDF summary, per referral",
            median(app),
            median(plain),
            "ms",
            "Qt printing the same summary HTML straight to PDF",
            notes=(
                f"{count} referrals, {sum(map(len, made)) / len(made) / 1024:.0f} KiB each on "
                f"average; slowest {max(app):.0f} ms",
                f"adding each PDF to the encrypted archive: {median(archive_entry):.1f} ms",
            ),
        )
    ]
