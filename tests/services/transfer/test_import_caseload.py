"""Handing over a caseload: an export of many referrals into a database that has some already."""

from __future__ import annotations

from pathlib import Path

from referral_app.services.transfer.import_ import preview_import, read_export, run_import
from referral_app.storage.repository import Repository
from tests.services.transfer.conftest import EXPORT_PASSPHRASE, export
from tests.storage.conftest import full_referral


def test_more_than_a_chunk_of_referrals_imports_into_a_database_with_referrals(
    source: Repository, target: Repository, out: Path
) -> None:
    """The smallest case that failed: one referral here, 501 in the file. The file's first
    reference is taken here, so that referral is renumbered, and the new number must not be
    the id a later referral in the file keeps."""
    target.save(full_referral("Already Here"))
    source.create_many(full_referral(f"Person {n}") for n in range(501))
    archive = export(source, out / "e.zip")
    preview = preview_import(target, read_export(archive, EXPORT_PASSPHRASE))
    assert (len(preview.new), len(preview.renumbered)) == (501, 1)
    result = run_import(target, preview)
    assert len(result.added) == 501
    assert target.count() == 502
    references = [referral.reference for referral in target.all()]
    assert len(set(references)) == 502
    kept = {item.file_reference for item in preview.new if item.reference is not None}
    assert kept <= set(references)
    assert target.verify_audit().intact
