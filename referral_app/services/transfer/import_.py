"""Importing an export file: check everything, show what would happen, then all or nothing.

Three steps, so the advocate decides with the facts in front of them:

1. :func:`read_export` checks the file (``reader``) and reads every record strictly; nothing in
   the database is touched, and any problem is one :class:`TransferError`;
2. :func:`preview_import` says, for each referral, whether it is new here, here already and
   the same, or here and different (and whether its reference can be kept);
3. :func:`run_import` adds the new ones and replaces the differing ones the advocate chose, in
   one transaction, audited per referral.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import Any, BinaryIO

from referral_app.domain.record_format import (
    SCHEMA_VERSION,
    RecordFormatError,
    RecordLimitError,
    check_dates,
    check_limits,
    referral_from_dict,
)
from referral_app.domain.referral import Advocate, Referral
from referral_app.services.transfer.archive import (
    FORMAT,
    LIMITS,
    RECORDS,
    Limits,
    Manifest,
    NumberTooLongError,
    number_too_long,
    whole_number,
)
from referral_app.services.transfer.problems import NOTHING_IMPORTED, Problem, TransferError
from referral_app.services.transfer.progress import SILENT, Progress
from referral_app.services.transfer.reader import read_archive
from referral_app.storage.repository import Repository
from referral_app.storage.transfer import (
    Disposition,
    ImportChangedError,
    ImportPlan,
    ImportResult,
    PlannedReferral,
    apply_import,
    plan_import,
)

_MAX_OFFENDERS = 100_000
_FIRST_YEAR = 1900


@dataclass(frozen=True)
class ExportContents:
    """What a checked export file holds."""

    referrals: tuple[Referral, ...]
    exported_by: Advocate
    exported_at: datetime | None
    manifest: Manifest
    #: Where they come from, said at the top of the preview when not an export file's.
    described: str = ""


def read_export(
    source: Path | BinaryIO,
    passphrase: str,
    *,
    limits: Limits = LIMITS,
    progress: Progress = SILENT,
) -> ExportContents:
    """Check the file at ``source`` and read its referrals; raises :class:`TransferError`."""
    return read_archive(source, passphrase, parse_records, limits=limits, progress=progress)


def _invalid(detail: str) -> TransferError:
    return TransferError(Problem.INVALID_RECORDS, detail)


def _is_uid(value: str) -> bool:
    try:
        return str(uuid.UUID(value)) == value
    except ValueError:
        return False


def _newer(version: object) -> bool:
    return isinstance(version, int) and not isinstance(version, bool) and version > SCHEMA_VERSION


def over_limit_message(position: int, count: int, what: str) -> str:
    """Which referral of the file is over which limit, in words; nothing from the record."""
    return (
        f"Referral {position:,} of {count:,} in this file has {what}, more than CSARP Referrals "
        "accepts in one referral, so the file cannot be "
        f"imported. Ask the sender to check that referral. {NOTHING_IMPORTED}"
    )


def _over_limit(position: int, count: int, error: RecordLimitError) -> TransferError:
    message = over_limit_message(position, count, str(error))
    return TransferError(Problem.OVER_LIMIT, error.path or "dates", message)


def parse_records(data: bytearray, manifest: Manifest) -> ExportContents:
    """records.json, read strictly: every referral as the record format defines it, each with
    its own uid, as many as the manifest says.

    The cheap checks come first and cover the whole file before any record is read: its
    shape, the count, then every record against the limits of the record format (linear in
    the file's size), so that a bad last record is refused at once."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise _invalid("records.json is not UTF-8") from None
    del data  # the caller keeps nothing else of the bytes: at most the text and the records
    try:
        document = json.loads(text, parse_int=whole_number)
    except NumberTooLongError:
        raise number_too_long(RECORDS) from None
    except (ValueError, RecursionError):
        raise _invalid("records.json is not JSON") from None
    del text
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise _invalid("records.json format")
    if _newer(document.get("schema_version")):
        raise TransferError(Problem.TOO_NEW, "records.json schema version")
    items = document.get("referrals")
    if not isinstance(items, list) or len(items) != manifest.referral_count:
        raise _invalid("referral count")
    exported_by = document.get("exported_by")
    try:
        check_limits(exported_by if isinstance(exported_by, dict) else {})
    except RecordLimitError:
        raise _invalid("exported_by") from None
    count = len(items)
    for position, item in enumerate(items, start=1):
        if isinstance(item, dict) and _newer(item.get("schema_version")):
            raise TransferError(Problem.TOO_NEW, "record schema version")
        try:
            check_limits(item)
        except RecordLimitError as error:
            raise _over_limit(position, count, error) from None
    referrals = tuple(_referral(item, position, count) for position, item in enumerate(items, 1))
    uids = [referral.uid for referral in referrals]
    if len(set(uids)) != len(uids):
        raise _invalid("a uid repeated")
    return ExportContents(referrals, _advocate(exported_by), _moment(document), manifest)


def _referral(item: Any, position: int, count: int) -> Referral:
    try:
        referral = referral_from_dict(item)
    except (RecordFormatError, RecursionError):
        raise _invalid("a record") from None
    if not _is_uid(referral.uid):
        raise _invalid("a record's uid")
    try:
        check_dates(referral)
    except RecordLimitError as error:
        raise _over_limit(position, count, error) from None
    if not _storable(referral):
        raise _invalid("a value out of range")
    referral.id = None  # the id belonged to the other database
    return referral


def _storable(referral: Referral) -> bool:
    """Values the record format allows but no real referral has, and a database would refuse
    halfway through the import: a count in the billions, a time before there were referrals."""
    count = referral.case.offender_count
    if count is not None and not 0 <= count <= _MAX_OFFENDERS:
        return False
    moments = [referral.created_at, referral.updated_at]
    moments += [change.changed_at for change in referral.status_history]
    moments += [assessment.assessed_at for assessment in referral.assessments]
    try:
        return all(m is None or m.astimezone(UTC).year >= _FIRST_YEAR for m in moments)
    except OverflowError:
        return False


def _advocate(data: Any) -> Advocate:
    if not isinstance(data, dict):
        return Advocate()
    fields = {key: data.get(key) for key in ("name", "organisation", "phone", "email")}
    return Advocate(**{key: value for key, value in fields.items() if isinstance(value, str)})


def _moment(document: dict[str, Any]) -> datetime | None:
    value = document.get("exported_at")
    try:
        return datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


@dataclass(frozen=True)
class ImportPreview:
    """What an import would do: the file's referrals and the plan for each."""

    contents: ExportContents
    plan: ImportPlan

    @cached_property
    def _by_uid(self) -> dict[str, Referral]:
        return {referral.uid: referral for referral in self.contents.referrals}

    def referral(self, uid: str) -> Referral:
        """The file's referral with ``uid`` (looked up, not searched: the preview asks for
        each referral that differs, and a search each would be quadratic)."""
        return self._by_uid[uid]

    @property
    def new(self) -> list[PlannedReferral]:
        return self.plan.of(Disposition.NEW)

    @property
    def same(self) -> list[PlannedReferral]:
        return self.plan.of(Disposition.SAME)

    @property
    def differing(self) -> list[PlannedReferral]:
        return self.plan.of(Disposition.DIFFERS)

    @property
    def renumbered(self) -> list[PlannedReferral]:
        return self.plan.renumbered


def preview_import(repository: Repository, contents: ExportContents) -> ImportPreview:
    """Compare the file with the database; changes nothing."""
    plan = plan_import(repository.database, contents.referrals)
    return ImportPreview(contents, plan)


def run_import(
    repository: Repository, preview: ImportPreview, replace: Collection[str] = ()
) -> ImportResult:
    """Import as previewed, replacing the differing referrals whose uid is in ``replace``."""
    try:
        return apply_import(repository.database, preview.contents.referrals, preview.plan, replace)
    except ImportChangedError:
        raise TransferError(Problem.CHANGED_SINCE_CHECK, "plan no longer holds") from None
