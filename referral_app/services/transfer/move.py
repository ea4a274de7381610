"""Moving this computer's referrals to the team's server.

The encrypted file on this computer is opened with its passphrase, read whole, and closed; its
referrals then go through the import's own preview and transaction, so the move is all or
nothing, and a referral already on the server (the same ``uid``) is matched, not copied twice:
left as it is if it is the same, and replaced only if the advocate ticks it. The file on this
computer is left exactly as it was.
"""

from __future__ import annotations

from pathlib import Path

from referral_app import __version__
from referral_app.domain.record_format import SCHEMA_VERSION
from referral_app.domain.referral import Advocate, Referral, utc_now
from referral_app.services.transfer.archive import FORMAT_VERSION, Manifest
from referral_app.services.transfer.import_ import ExportContents
from referral_app.services.transfer.progress import SILENT, Progress


def read_local_database(
    path: Path, passphrase: str, progress: Progress = SILENT
) -> ExportContents:
    """Every referral in the encrypted file at ``path``, as an import would read a file.

    Raises StorageError (wrong passphrase, damaged or missing file, in use by another copy of
    the app) with one plain sentence; changes nothing in the file but its audit of the unlock.
    """
    from referral_app.storage.access import open_database
    from referral_app.storage.exporting import all_referral_ids, read_referrals
    from referral_app.storage.repository import Repository

    database = open_database(path, passphrase, make_backup=False)
    try:
        advocate = Repository(database).advocate() or Advocate(name="", organisation="")
        ids = all_referral_ids(database)
        referrals: list[Referral] = []
        progress.step(0, len(ids))
        for chunk in read_referrals(database, ids):
            referrals += chunk
            progress.step(len(referrals), len(ids))
    finally:
        database.close()
    manifest = Manifest(
        FORMAT_VERSION,
        SCHEMA_VERSION,
        utc_now().isoformat(),
        f"CSARP Referrals {__version__}",
        len(referrals),
        (),
    )
    count = len(referrals)
    described = (
        f"The records on this computer hold {count} referral{'' if count == 1 else 's'}."
    )
    return ExportContents(tuple(referrals), advocate, None, manifest, described)
