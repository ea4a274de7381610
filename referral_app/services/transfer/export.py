"""Making an export file from referrals already read from the database.

The referrals are read on the caller's thread (the database's connections stay where they
were opened); everything slow here (PDF summaries, compression, encryption, the disk) can then
run on a worker thread, reporting progress and stopping at Cancel. The file appears whole or
not at all (see ``files``).
"""

from __future__ import annotations

import json
import logging
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO

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
from referral_app.storage.transfer import reference_number

log = logging.getLogger(__name__)

APP_NAME = "CSARP Referrals"
#: Makes one referral's PDF summary.
Renderer = Callable[[Referral], bytes]


def summary_renderer(advocate: Advocate, printed_on: date | None = None) -> Renderer:
    """The app's own PDF summary, as printed, with the exporting advocate's details."""
    from referral_app.services.pdf import summary_pdf_bytes

    day = printed_on or date.today()
    return lambda referral: summary_pdf_bytes(referral, advocate, printed_on=day)


def default_file_name(today: date | None = None) -> str:
    """A name that says what the file is and when, and nothing about anyone in it."""
    return f"referrals-export-{(today or date.today()).isoformat()}.zip"


def summary_names(referrals: Sequence[Referral]) -> list[str]:
    """Each referral's PDF name: its app reference, which holds only a year and a number.

    A reference the app did not make (which could hold anything) is never used in a name.
    """
    names: list[str] = []
    for index, referral in enumerate(referrals, start=1):
        name = f"{SUMMARIES}{referral.reference}.pdf"
        if reference_number(referral.reference) is None or name in names:
            name = f"{SUMMARIES}referral-{index:05d}.pdf"
        if SUMMARY_NAME.fullmatch(name) is None:
            raise ValueError("a summary name an export may not hold")
        names.append(name)
    return names


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
    referrals: Sequence[Referral],
    advocate: Advocate,
    passphrase: str,
    *,
    render_pdf: Renderer,
    progress: Progress = SILENT,
    now: datetime | None = None,
) -> ExportResult:
    """Write ``referrals`` to an encrypted export at ``target``.

    Progress counts the PDF summaries, the slow part. Raises :class:`Cancelled` or
    :class:`TransferError`; either way nothing is left at ``target`` (an older file there
    stays as it was).
    """
    if not referrals:
        raise ValueError("an export needs at least one referral")
    when = now or utc_now()
    names = summary_names(referrals)
    try:
        with private_atomic_file(target) as handle:
            _write(
                handle,
                referrals,
                names=names,
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
    return ExportResult(target, len(referrals), size)


def _write(
    handle: BinaryIO,
    referrals: Sequence[Referral],
    *,
    names: list[str],
    advocate: Advocate,
    passphrase: str,
    render_pdf: Renderer,
    progress: Progress,
    when: datetime,
) -> None:
    total = len(referrals)
    with ArchiveWriter(handle, passphrase, when) as archive:
        archive.add(README, readme_text(advocate, total, when).encode("utf-8"))
        with archive.stream(RECORDS) as write:
            _write_records(write, referrals, advocate, when, progress)
        progress.step(0, total)
        for done, (referral, name) in enumerate(zip(referrals, names, strict=True), start=1):
            archive.add(name, _summary(render_pdf, referral))
            progress.step(done, total)
        archive.finish(
            schema_version=SCHEMA_VERSION,
            referral_count=total,
            app=f"{APP_NAME} {__version__}",
            created_at=when.isoformat(),
        )


def _summary(render_pdf: Renderer, referral: Referral) -> bytes:
    try:
        return render_pdf(referral)
    except Exception as error:
        # The type only: a message could quote the referral.
        log.warning("summary not made: %s", type(error).__name__)
        raise TransferError(Problem.SUMMARY_FAILED, type(error).__name__) from None


def _write_records(
    write: Callable[[bytes], None],
    referrals: Sequence[Referral],
    advocate: Advocate,
    when: datetime,
    progress: Progress,
) -> None:
    """records.json, one referral at a time, so a whole caseload never sits in memory twice.

    Each referral is one line of compact JSON. Indented JSON would take Python's pure-Python
    encoder (the C one only writes compact JSON), which with re-indenting each record made
    this part of an export more than twice as slow as serialising the same data at once.
    """
    head = {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "exported_at": when.isoformat(),
        "exported_by": advocate_to_dict(advocate),
        "referral_count": len(referrals),
    }
    opening = json.dumps(head, indent=2, ensure_ascii=False)[:-2]  # without the closing brace
    write(f'{opening},\n  "referrals": [\n'.encode())
    for index, referral in enumerate(referrals):
        record = json.dumps(referral_to_dict(referral), ensure_ascii=False)
        separator = ",\n" if index < len(referrals) - 1 else "\n"
        write(f"    {record}{separator}".encode())
        if index % 100 == 0:
            progress.check()
    write(b"  ]\n}\n")
