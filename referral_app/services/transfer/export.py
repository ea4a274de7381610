"""Making an export file, reading the referrals as it goes.

Everything here can run on a worker thread, reporting progress and stopping at Cancel: the
slow parts (reading a caseload from the database, PDF summaries, compression, encryption, the
disk) then never hold up the window. Referrals come from a :class:`ReferralSource`. An export
from the database (:class:`StoredReferrals`) reads them a chunk at a time, twice: once for
``records.json`` and once for the PDF summaries, which come after it in the archive. Holding a
caseload of 100,000 referrals in memory instead takes nearly a gigabyte, and reading it a
second time takes well under one percent of the time its summaries do. The file appears whole
or not at all (see ``files``).
"""

from __future__ import annotations

import json
import logging
import textwrap
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import BinaryIO, Protocol

from referral_app import __version__
from referral_app.domain.dates import describe_day
from referral_app.domain.record_format import SCHEMA_VERSION, advocate_to_dict, referral_to_dict
from referral_app.domain.referral import Advocate, Referral, utc_now
from referral_app.services.transfer.archive import (
    FORMAT,
    README,
    RECORDS,
    SUMMARIES,
    SUMMARY_NAME,
    ArchiveWriter,
)
from referral_app.services.transfer.files import private_atomic_file
from referral_app.services.transfer.problems import Problem, TransferError
from referral_app.services.transfer.progress import SILENT, Progress
from referral_app.storage.db import Database
from referral_app.storage.exporting import read_referrals
from referral_app.storage.transfer import reference_number

log = logging.getLogger(__name__)

APP_NAME = "CSARP Referrals"
#: Makes one referral's PDF summary.
Renderer = Callable[[Referral], bytes]
#: Reads the referrals with the ids given, whole and in that order, a chunk at a time.
Reader = Callable[[Database, Sequence[int]], Iterable[Sequence[Referral]]]


class ExportStage(StrEnum):
    """What the progress steps of an export count, stage by stage (see ``Progress.begin``)."""

    #: Referrals read (from the database, for a :class:`StoredReferrals`) into records.json.
    RECORDS = "records"
    #: PDF summaries made and added to the archive.
    SUMMARIES = "summaries"


class ReferralSource(Protocol):
    """The referrals an export is made from: how many, and every one of them in the same
    order, a chunk at a time, each time :meth:`chunks` is called."""

    def __len__(self) -> int: ...

    def chunks(self) -> Iterable[Sequence[Referral]]: ...


class ListedReferrals:
    """Referrals already in memory, as one chunk."""

    def __init__(self, referrals: Sequence[Referral]) -> None:
        self._referrals = referrals

    def __len__(self) -> int:
        return len(self._referrals)

    def chunks(self) -> Iterable[Sequence[Referral]]:
        return (self._referrals,)


class StoredReferrals:
    """Referrals read from the database while the export is written, by ``read``
    (:func:`read_referrals`: a few hundred at a time, each chunk in a transaction of its own).

    The reading happens on whichever thread writes the export, on the connection the engine's
    pool gives that thread: in the app, the export dialog's worker. Whoever closes the
    database must first stop that worker and wait for it, as the dialog does when it closes.
    The chunks are not one snapshot of the database, but nothing in the app can change a
    referral while the (window-modal) export dialog is open; a referral deleted after it was
    chosen stops the export with :class:`RecordNotFoundError`.
    """

    def __init__(self, database: Database, ids: Sequence[int], read: Reader = read_referrals):
        self._database = database
        self._ids = list(dict.fromkeys(ids))
        self._read = read

    def __len__(self) -> int:
        return len(self._ids)

    def chunks(self) -> Iterable[Sequence[Referral]]:
        return self._read(self._database, self._ids)


def summary_renderer(advocate: Advocate, printed_on: date | None = None) -> Renderer:
    """The app's own PDF summary, as printed, with the exporting advocate's details."""
    from referral_app.services.pdf import summary_pdf_bytes

    day = printed_on or date.today()
    return lambda referral: summary_pdf_bytes(referral, advocate, printed_on=day)


def default_file_name(today: date | None = None) -> str:
    """A name that says what the file is and when, and nothing about anyone in it."""
    return f"referrals-export-{(today or date.today()).isoformat()}.zip"


class SummaryNames:
    """Each referral's PDF name, in turn: its app reference, which holds only a year and a
    number, or else its place in the export.

    A reference the app did not make (which could hold anything) is never used in a name.
    The names given so far are kept in a set: looking each one up in a list made naming a
    caseload of 100,000 summaries take over a minute.
    """

    def __init__(self) -> None:
        self._given: set[str] = set()

    def name_for(self, referral: Referral) -> str:
        name = f"{SUMMARIES}{referral.reference}.pdf"
        if reference_number(referral.reference) is None or name in self._given:
            name = f"{SUMMARIES}referral-{len(self._given) + 1:05d}.pdf"
        if SUMMARY_NAME.fullmatch(name) is None:
            raise ValueError("a summary name an export may not hold")
        self._given.add(name)
        return name


def summary_names(referrals: Iterable[Referral]) -> list[str]:
    """The PDF names of ``referrals``, in order (see :class:`SummaryNames`)."""
    names = SummaryNames()
    return [names.name_for(referral) for referral in referrals]


def _count(number: int) -> str:
    return f"{number:,} referral{'' if number == 1 else 's'}"


def readme_text(advocate: Advocate, count: int, when: datetime) -> str:
    """The note a recipient without the app reads first: what this is, whose, and care."""
    maker = ", ".join(part for part in (advocate.name, advocate.organisation) if part)
    local = when.astimezone()
    stamp = f"{describe_day(local.date())} at {local:%H:%M} ({local:%Z})"
    paragraphs = [
        f"This file holds {_count(count)} to the Child Sexual Abuse Review Panel, exported "
        f"from {APP_NAME} by {maker or 'an advocate'} on {stamp}.",
        "IT CONTAINS SENSITIVE PERSONAL DATA about survivors of child sexual abuse. Keep it "
        "only where your organisation's policy allows, do not forward it, and delete it, "
        "with any copies you extracted, when you no longer need it.",
        "What is inside:",
        "- summaries/: one PDF summary of each referral, to read or print. Each is named by "
        "the app's reference for the referral.",
        f"- {RECORDS}: the same referrals in full as data (JSON, record format "
        f"{SCHEMA_VERSION}), which {APP_NAME} can import.",
        "- manifest.json: the size and SHA-256 checksum of every file, so that damage or "
        "changes can be detected.",
        "This archive is encrypted with AES-256. 7-Zip, WinZip and similar programs open it "
        "(the ZIP support built into Windows cannot) with the passphrase, which the sender "
        "gives you separately (by phone, not in the same email as the file). Type it in lower "
        "case with one space between the words.",
    ]
    wrapped = [
        textwrap.fill(p, 78, subsequent_indent="  " if p[0] == "-" else "") for p in paragraphs
    ]
    title = f"{APP_NAME}: encrypted export"
    return "\r\n".join([title, "=" * len(title), "", *"\n\n".join(wrapped).splitlines(), ""])


@dataclass(frozen=True)
class ExportResult:
    path: Path
    referral_count: int
    size: int


def write_export(
    target: Path,
    referrals: Sequence[Referral] | ReferralSource,
    advocate: Advocate,
    passphrase: str,
    *,
    render_pdf: Renderer,
    progress: Progress = SILENT,
    now: datetime | None = None,
) -> ExportResult:
    """Write ``referrals`` (a list, or a source such as :class:`StoredReferrals` that reads
    them as it goes) to an encrypted export at ``target``.

    Progress comes in two stages (:class:`ExportStage`): the records, a step per chunk, then
    the PDF summaries, a step per summary. Raises :class:`Cancelled`, :class:`TransferError`
    or, if reading the referrals fails, the storage error; whatever stops it, nothing is left
    at ``target`` (an older file there stays as it was).
    """
    source = ListedReferrals(referrals) if isinstance(referrals, Sequence) else referrals
    total = len(source)
    if not total:
        raise ValueError("an export needs at least one referral")
    when = now or utc_now()
    try:
        with private_atomic_file(target) as handle:
            _write(
                handle,
                source,
                total=total,
                advocate=advocate,
                passphrase=passphrase,
                render_pdf=render_pdf,
                progress=progress,
                when=when,
            )
            progress.check()  # the last moment Cancel can still stop the file appearing
        size = target.stat().st_size
    except OSError as error:
        log.warning("export not written: %s", type(error).__name__)
        raise TransferError(Problem.CANNOT_WRITE, "operating system error") from None
    return ExportResult(target, total, size)


def _write(
    handle: BinaryIO,
    source: ReferralSource,
    *,
    total: int,
    advocate: Advocate,
    passphrase: str,
    render_pdf: Renderer,
    progress: Progress,
    when: datetime,
) -> None:
    with ArchiveWriter(handle, passphrase, when) as archive:
        archive.add(README, readme_text(advocate, total, when).encode("utf-8"))
        with archive.stream(RECORDS) as write:
            write_records(write, source, advocate, when, progress)
        progress.begin(ExportStage.SUMMARIES)
        progress.step(0, total)
        names = SummaryNames()
        done = 0
        for chunk in source.chunks():
            for referral in chunk:
                archive.add(names.name_for(referral), _summary(render_pdf, referral))
                done += 1
                progress.step(done, total)
        _check_count(done, total)
        archive.finish(
            schema_version=SCHEMA_VERSION,
            referral_count=total,
            app=f"{APP_NAME} {__version__}",
            created_at=when.isoformat(),
        )


def _check_count(read: int, total: int) -> None:
    """The README and the records already say how many referrals there are: a source that
    gave another number is a bug, and the file must not appear."""
    if read != total:
        raise RuntimeError(f"the export was to hold {total} referrals but {read} were read")


def _summary(render_pdf: Renderer, referral: Referral) -> bytes:
    try:
        return render_pdf(referral)
    except Exception as error:
        # The type only: a message could quote the referral.
        log.warning("summary not made: %s", type(error).__name__)
        raise TransferError(Problem.SUMMARY_FAILED, type(error).__name__) from None


def write_records(
    write: Callable[[bytes], None],
    source: ReferralSource,
    advocate: Advocate,
    when: datetime,
    progress: Progress,
) -> None:
    """records.json, a chunk of referrals at a time, so a whole caseload never sits in memory.

    Each referral is one line of compact JSON. Indented JSON would take Python's pure-Python
    encoder (the C one only writes compact JSON), which with re-indenting each record made
    this part of an export more than twice as slow as serialising the same data at once.
    """
    progress.begin(ExportStage.RECORDS)
    total = len(source)
    head = {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "exported_at": when.isoformat(),
        "exported_by": advocate_to_dict(advocate),
        "referral_count": total,
    }
    opening = json.dumps(head, indent=2, ensure_ascii=False)[:-2]  # without the closing brace
    write(f'{opening},\n  "referrals": [\n'.encode())
    written = 0
    for chunk in source.chunks():
        for referral in chunk:
            record = json.dumps(referral_to_dict(referral), ensure_ascii=False)
            separator = ",\n" if written < total - 1 else "\n"
            write(f"    {record}{separator}".encode())
            if written % 100 == 0:
                progress.check()
            written += 1
        progress.step(written, total)
    _check_count(written, total)
    write(b"  ]\n}\n")
