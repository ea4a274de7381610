"""Canaries: distinctive personal data saved through the app must not be readable anywhere.

Records with made-up names, dates of birth and crime references nobody else would write are
saved, changed, opened, backed up and read back; then every file under the test's folder (the
database, its -wal, -shm and -journal files, the backups, any temporary file), every file name,
every log record and everything written to stdout or stderr is searched for them, in several
encodings, both while the database is open and after it is closed.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest

from referral_app.domain.dates import PartialDate
from referral_app.domain.referral import Referral, Status, normalise_crime_reference
from referral_app.storage import backup
from referral_app.storage.access import create_database, open_database
from referral_app.storage.db import Database
from referral_app.storage.repository import Repository
from tests.storage.conftest import ADVOCATE, PASSPHRASE, full_referral

SQLITE_PLAIN_HEADER = b"SQLite format 3"
ENCODINGS = ("utf-8", "utf-16-le", "utf-16-be")


@dataclass(frozen=True)
class Canary:
    name: str
    date_of_birth: str  # ISO, as the app stores a full date
    crime_reference: str  # as typed; the app keeps the normalised form

    def texts(self) -> list[str]:
        surname = self.name.split()[-1]
        year, month, day = self.date_of_birth.split("-")
        return [
            self.name,
            self.name.lower(),
            self.name.upper(),
            surname,
            self.date_of_birth,
            f"{day}/{month}/{year}",
            self.crime_reference,
            normalise_crime_reference(self.crime_reference),
        ]

    def referral(self) -> Referral:
        referral = full_referral(self.name, self.crime_reference)
        referral.survivor.date_of_birth = PartialDate.parse(self.date_of_birth)
        referral.answers["date_of_birth"] = self.date_of_birth
        return referral


CANARIES = (
    Canary("Xylophonia Quibbleworth", "1987-07-19", "QZ 7777/31"),
    Canary("Pellucida Snorkelhampton", "1979-11-03", "WX 4242/68"),
    Canary("Ottoline Brackenwhistle", "2001-02-27", "KJ 1357/92"),  # saved, then deleted
)
#: The text the first canary's name is changed to after it was saved.
RENAMED = Canary("Xylophonia Quibbleworth-Fandangle", "1987-07-19", "QZ 7777/31")


def _needles(texts: Iterable[str]) -> dict[bytes, str]:
    """Each text in each encoding, mapped back to a readable description."""
    return {
        text.encode(encoding): f"{text!r} ({encoding})" for text in texts for encoding in ENCODINGS
    }


def _all_texts() -> list[str]:
    return [text for canary in (*CANARIES, RENAMED) for text in canary.texts()] + [PASSPHRASE]


def _found_in_files(root: Path, texts: Iterable[str]) -> list[str]:
    """Where under ``root`` any of ``texts`` can be read, in the file contents or names."""
    needles = _needles(texts)
    lowered = [text.lower() for text in texts]
    found = []
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        found += [f"{relative}: name has {t!r}" for t in lowered if t in path.name.lower()]
        if path.is_file():
            content = path.read_bytes()
            found += [f"{relative}: {what}" for n, what in needles.items() if n in content]
    return found


def _found_in_text(text: str, texts: Iterable[str]) -> list[str]:
    return [repr(t) for t in texts if t.lower() in text.lower()]


def _sidecars(db_path: Path) -> dict[str, Path]:
    return {suffix: Path(f"{db_path}{suffix}") for suffix in ("-wal", "-shm", "-journal")}


def test_the_search_finds_a_canary_that_is_there(tmp_path: Path) -> None:
    """The search itself can see each encoding and a name in a file name."""
    canary = CANARIES[0]
    (tmp_path / "a").write_bytes(canary.name.encode("utf-16-le"))
    (tmp_path / "b").write_bytes(
        b"\x00" + normalise_crime_reference(canary.crime_reference).encode()
    )
    (tmp_path / f"notes on {canary.name.lower()}.txt").write_bytes(b"")
    found = _found_in_files(tmp_path, _all_texts())
    assert any(line.startswith("a: ") and "utf-16-le" in line for line in found)
    assert any(line.startswith("b: ") and "QZ7777/31" in line for line in found)
    assert any("name has" in line for line in found)


def test_personal_data_is_never_readable_on_disk_or_in_logs(
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    caplog.set_level(logging.DEBUG)
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))  # Python's temp files land here
    db_path = tmp_path / "data" / "referrals.db"
    texts = _all_texts()

    database = create_database(db_path, PASSPHRASE, ADVOCATE)
    try:
        repository = Repository(database)
        saved = [repository.save(canary.referral()) for canary in CANARIES]
        first, _, doomed = saved
        assert first.id is not None
        assert doomed.id is not None
        repository.delete(doomed.id)  # empties the log, so the writes below refill it
        first.survivor.full_name = RENAMED.name
        repository.save(first)
        repository.open_record(first.id)
        repository.change_status(first.id, Status.READY_TO_SEND, "Checked with the survivor")
        made = backup.make_backup(database, PASSPHRASE)

        wal = _sidecars(db_path)["-wal"]
        assert wal.is_file(), "the -wal file should exist while the database is open"
        assert wal.stat().st_size > 0
        assert _found_in_files(tmp_path, texts) == [], "readable while the database is open"
    finally:
        database.close()
    assert _found_in_files(tmp_path, texts) == [], "readable after the database was closed"

    # The data is really there, in the database and in the backup: only unreadable without
    # the passphrase.
    reopened = open_database(db_path, PASSPHRASE)
    try:
        names = {referral.survivor.full_name for referral in Repository(reopened).all()}
        stored = Repository(reopened).get(first.id)
    finally:
        reopened.close()
    assert names == {RENAMED.name, CANARIES[1].name}
    assert str(stored.survivor.date_of_birth) == RENAMED.date_of_birth
    assert stored.case.crime_references[0] == normalise_crime_reference(RENAMED.crime_reference)
    copy = tmp_path / "backup-check" / "copy.db"
    copy.parent.mkdir()
    shutil.copyfile(made, copy)
    with Database.unlock(copy, PASSPHRASE) as restored:
        in_backup = {referral.survivor.full_name for referral in Repository(restored).all()}
    assert in_backup == names
    assert _found_in_files(tmp_path, texts) == [], "readable after reopening and closing"

    backups = backup.list_backups(db_path)
    assert made in backups
    assert made.parent == backup.backup_folder(db_path)
    for path in [db_path, *backups, copy]:
        assert not path.read_bytes().startswith(SQLITE_PLAIN_HEADER), f"{path.name} is plain"
    for path in [*_sidecars(db_path).values(), *_sidecars(copy).values()]:
        if path.is_file():
            assert not path.read_bytes().startswith(SQLITE_PLAIN_HEADER)

    assert caplog.records, "nothing was logged, so the log check would prove nothing"
    logged = caplog.text + "\n".join(record.getMessage() for record in caplog.records)
    assert _found_in_text(logged, texts) == [], "personal data in the logs"
    output = capfd.readouterr()
    assert _found_in_text(output.out, texts) == [], "personal data on stdout"
    assert _found_in_text(output.err, texts) == [], "personal data on stderr"
