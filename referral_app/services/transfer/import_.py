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
from pathlib import Path
from typing import Any, BinaryIO

from referral_app.domain.record_format import (
    SCHEMA_VERSION,
    RecordFormatError,
    referral_from_dict,
)
from referral_app.domain.referral import Advocate, Referral
from referral_app.services.transfer.archive import FORMAT, LIMITS, Limits, Manifest
from referral_app.services.transfer.problems import Problem, TransferError
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


def read_export(
    source: Path | BinaryIO,
    passphrase: str,
    *,
    limits: Limits = LIMITS,
    progress: Progress = SILENT,
) -> ExportContents:
    """Check the file at ``source`` and read its referrals; raises :class:`TransferError`."""
    archive = read_archive(source, passphrase, limits=limits, progress=progress)
    return parse_records(archive.records, archive.manifest)


def _invalid(detail: str) -> TransferError:
    return TransferError(Problem.INVALID_RECORDS, detail)


def _is_uid(value: str) -> bool:
    try:
        return str(uuid.UUID(value)) == value
    except ValueError:
        return False


def _newer(version: object) -> bool:
    return isinstance(version, int) and not isinstance(version, bool) and version > SCHEMA_VERSION


def parse_records(data: bytes, manifest: Manifest) -> ExportContents:
    """records.json, read strictly: every referral as the record format defines it, each with
    its own uid, as many as the manifest says."""
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise _invalid("records.json is not JSON") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise _invalid("records.json format")
    if _newer(document.get("schema_version")):
        raise TransferError(Problem.TOO_NEW, "records.json schema version")
    items = document.get("referrals")
    if not isinstance(items, list) or len(items) != manifest.referral_count:
        raise _invalid("referral count")
    referrals = tuple(_referral(item) for item in items)
    uids = [referral.uid for referral in referrals]
    if len(set(uids)) != len(uids):
        raise _invalid("a uid repeated")
    exported_by = document.get("exported_by")
    return ExportContents(referrals, _advocate(exported_by), _moment(document), manifest)


def _referral(item: Any) -> Referral:
    if isinstance(item, dict) and _newer(item.get("schema_version")):
        raise TransferError(Problem.TOO_NEW, "record schema version")
    try:
        referral = referral_from_dict(item)
    except (RecordFormatError, RecursionError):
        raise _invalid("a record") from None
    if not _is_uid(referral.uid):
        raise _invalid("a record's uid")
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

    def referral(self, uid: str) -> Referral:
        return next(r for r in self.contents.referrals if r.uid == uid)

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
