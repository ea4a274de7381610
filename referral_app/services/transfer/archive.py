"""The export file: an AES-256 ZIP (WinZip AE-2) with a manifest of what it should hold.

WinZip's AES format is the strong ZIP encryption that free and common tools open (7-Zip,
WinZip, PeaZip, The Unarchiver; not the ZIP support built into Windows Explorer), so a
recipient without the app can read the PDF summaries. Every entry is encrypted,
each with its own salt; AE-2 leaves out the CRC, which would otherwise leak something about
small entries. What ZIP cannot encrypt are the entry names and sizes, so names never carry
personal data: ``summaries/CSARP-2026-00001.pdf`` uses the app's own reference, which is made
from a number and a year.

The manifest (written last, encrypted like the rest) lists every other entry with its size and
SHA-256, so the importer can tell a damaged or altered file from a good one before it changes
anything.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, BinaryIO, TypeGuard

import pyzipper  # type: ignore[import-untyped]

from referral_app.domain.record_format import SCHEMA_VERSION
from referral_app.services.transfer.problems import Problem, TransferError

#: What the manifest and the records say they are, so a stray ZIP is told apart at once.
FORMAT = "csarp-referrals-export"
#: The layout of the archive (entry names, manifest). Records have their own schema version.
FORMAT_VERSION = 1

README = "README.txt"
RECORDS = "records.json"
MANIFEST = "manifest.json"
SUMMARIES = "summaries/"
#: The only summary names an export holds: the app's references are letters, digits, hyphens.
SUMMARY_NAME = re.compile(r"summaries/[A-Za-z0-9][A-Za-z0-9-]{0,63}\.pdf")

_SHA256 = re.compile(r"[0-9a-f]{64}")
KIB = 1024
MIB = 1024 * KIB
GIB = 1024 * MIB


def allowed_name(name: str) -> bool:
    return name in (README, RECORDS) or SUMMARY_NAME.fullmatch(name) is not None


@dataclass(frozen=True)
class Limits:
    """What an import accepts before it reads anything: an export of the largest caseload the
    app is built for (100,000 referrals) fits well inside; a ZIP bomb does not."""

    archive_bytes: int = 4 * GIB
    referrals: int = 100_000
    entries: int = 100_000 + 3
    entry_bytes: int = 1 * GIB
    total_bytes: int = 8 * GIB
    #: Uncompressed to compressed. JSON compresses about 10:1 and PDFs hardly at all.
    ratio: int = 200
    #: Entries smaller than this may compress as well as they like; they cannot hurt.
    ratio_floor: int = 1 * MIB


LIMITS = Limits()


@dataclass(frozen=True)
class ManifestEntry:
    name: str
    size: int
    sha256: str

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "size": self.size, "sha256": self.sha256}


@dataclass(frozen=True)
class Manifest:
    format_version: int
    schema_version: int
    created_at: str
    app: str
    referral_count: int
    entries: tuple[ManifestEntry, ...]

    @classmethod
    def parse(cls, data: bytes, limits: Limits) -> Manifest:
        """The manifest in ``data``; raises :class:`TransferError` naming what is wrong."""
        return parse_manifest(data, limits)

    def to_bytes(self) -> bytes:
        document = {
            "format": FORMAT,
            "format_version": self.format_version,
            "schema_version": self.schema_version,
            "created_at": self.created_at,
            "app": self.app,
            "referral_count": self.referral_count,
            "entries": [entry.to_json() for entry in self.entries],
        }
        return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


class _Hashing:
    """Counts and hashes what goes into one entry, for its line in the manifest."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.size = 0
        self._digest = hashlib.sha256()

    def update(self, data: bytes) -> None:
        self.size += len(data)
        self._digest.update(data)

    def entry(self) -> ManifestEntry:
        return ManifestEntry(self.name, self.size, self._digest.hexdigest())


class ArchiveWriter:
    """Writes entries one at a time into an open file, then the manifest.

    Use as a context manager: leaving it by an exception closes the ZIP without a manifest
    (the caller removes the file), so nothing is left half-open for the garbage collector.
    """

    def __init__(self, handle: BinaryIO, passphrase: str, when: datetime) -> None:
        if not passphrase or "\x00" in passphrase:
            raise ValueError("an export needs a passphrase")
        self._zip = pyzipper.AESZipFile(
            handle, "w", compression=pyzipper.ZIP_DEFLATED, encryption=pyzipper.WZ_AES
        )
        self._zip.setpassword(passphrase.encode("utf-8"))
        self._zip.setencryption(pyzipper.WZ_AES, nbits=256)
        # ZIP keeps local time without a zone; it is only shown by archive tools.
        self._stamp = when.astimezone().timetuple()[:6]
        self._entries: list[ManifestEntry] = []
        #: The names given so far, to refuse a second entry of the same name at once (a scan
        #: of the entries would make an export of 100,000 referrals quadratic).
        self._names: set[str] = set()
        self._closed = False

    def __enter__(self) -> ArchiveWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        if not self._closed:
            self._closed = True
            with contextlib.suppress(Exception):  # the file is being thrown away
                self._zip.close()

    def _info(self, name: str) -> Any:
        if name != MANIFEST and not allowed_name(name):
            raise ValueError("not an entry name an export may hold")
        if name in self._names:
            raise ValueError("an entry name may appear only once")
        self._names.add(name)
        info = self._zip.zipinfo_cls(name, date_time=self._stamp)
        info.compress_type = pyzipper.ZIP_DEFLATED
        info.external_attr = 0o600 << 16  # what an archive tool gives the extracted file
        return info

    def add(self, name: str, data: bytes) -> None:
        hashing = _Hashing(name)
        hashing.update(data)
        self._zip.writestr(self._info(name), data)
        self._entries.append(hashing.entry())

    @contextlib.contextmanager
    def stream(self, name: str) -> Iterator[Callable[[bytes], None]]:
        """Write a large entry piece by piece (the records of a whole caseload)."""
        hashing = _Hashing(name)
        with self._zip.open(self._info(name), "w") as handle:

            def write(data: bytes) -> None:
                hashing.update(data)
                handle.write(data)

            yield write
        self._entries.append(hashing.entry())

    def finish(
        self, *, schema_version: int, referral_count: int, app: str, created_at: str
    ) -> None:
        """Write the manifest of everything written so far, and close the ZIP."""
        manifest = Manifest(
            FORMAT_VERSION, schema_version, created_at, app, referral_count, tuple(self._entries)
        )
        self._zip.writestr(self._info(MANIFEST), manifest.to_bytes())
        self._closed = True
        self._zip.close()


def _fail(problem: Problem, detail: str) -> TransferError:
    return TransferError(problem, detail)


def _count(value: object) -> TypeGuard[int]:
    """A whole number of zero or more (JSON's true is not one)."""
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _entry(entry: object) -> ManifestEntry:
    if not isinstance(entry, dict):
        raise _fail(Problem.ALTERED, "manifest entry")
    name, size, sha256 = entry.get("name"), entry.get("size"), entry.get("sha256")
    if not (isinstance(name, str) and _count(size) and isinstance(sha256, str)):
        raise _fail(Problem.ALTERED, "manifest entry")
    if _SHA256.fullmatch(sha256) is None:
        raise _fail(Problem.ALTERED, "manifest checksum")
    return ManifestEntry(name, size, sha256)


#: No number in an export has more digits than this (sizes up to 8 GiB have 10).
NUMBER_DIGITS = 18


class NumberTooLongError(ValueError):
    """A number in a JSON document with more than :data:`NUMBER_DIGITS` digits."""


def whole_number(text: str) -> int:
    """JSON's whole numbers, refused at once when longer than any export's: Python would
    otherwise convert up to 4,300 digits (slowly) and fail with a generic error after that."""
    if len(text.lstrip("-")) > NUMBER_DIGITS:
        raise NumberTooLongError(text[:8])
    return int(text)


def number_too_long(entry: str) -> TransferError:
    return TransferError(
        Problem.ALTERED,
        "number too long",
        f"This export file's {entry} holds a number with more than {NUMBER_DIGITS} digits, "
        "which no export has, so it cannot be trusted. Ask the sender for a new copy. "
        "Nothing was imported.",
    )


def parse_manifest(data: bytes, limits: Limits) -> Manifest:
    """Read a manifest strictly: not ours, from a newer app, or altered, each said plainly."""
    try:
        document = json.loads(data.decode("utf-8"), parse_int=whole_number)
    except NumberTooLongError:
        raise number_too_long(MANIFEST) from None
    except (ValueError, RecursionError):
        raise _fail(Problem.NOT_AN_EXPORT, "manifest is not JSON") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise _fail(Problem.NOT_AN_EXPORT, "manifest format")
    format_version = document.get("format_version")
    schema_version = document.get("schema_version")
    if not _count(format_version) or not _count(schema_version):
        raise _fail(Problem.ALTERED, "manifest versions")
    if format_version > FORMAT_VERSION or schema_version > SCHEMA_VERSION:
        raise _fail(Problem.TOO_NEW, "manifest versions")
    entries = document.get("entries")
    count = document.get("referral_count")
    created_at = document.get("created_at")
    app = document.get("app")
    if not (
        isinstance(entries, list)
        and _count(count)
        and isinstance(created_at, str)
        and isinstance(app, str)
    ):
        raise _fail(Problem.ALTERED, "manifest fields")
    if count > limits.referrals:
        raise _fail(Problem.TOO_LARGE, "referral count")
    listed = tuple(_entry(entry) for entry in entries)
    return Manifest(format_version, schema_version, created_at, app, count, listed)
