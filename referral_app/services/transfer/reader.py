"""Reading an export file, trusting nothing in it until it has been checked.

The file may come from anywhere: damaged on a memory stick, cut short by a download, altered
by someone, or not an export at all. So, in this order and before anything is imported:

1. the file's size, and that it starts like a ZIP;
2. the ZIP's directory: entry count, no repeated names, ``manifest.json`` and ``records.json``
   present, every entry AES-256 encrypted, sizes and compression ratios within :class:`Limits`
   (a ZIP bomb is refused here, before a byte is decompressed);
3. the passphrase, on the manifest and a few more small entries;
4. the manifest: the format and version, then that it lists exactly the entries present with
   the sizes the directory gives;
5. records.json read in memory, checked against its size and SHA-256 in the manifest, and
   read by the caller (whose checks of every record are cheap, so they come next);
6. every other entry read in memory (nothing is ever extracted to disk, and the names in the
   archive are never used as paths), each checked against its size and SHA-256.

Each failure is one :class:`TransferError` with the plain message for it; only what the
caller made of the records comes back.
"""

from __future__ import annotations

import contextlib
import hashlib
import struct
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

import pyzipper  # type: ignore[import-untyped]

from referral_app.services.transfer.archive import (
    LIMITS,
    MANIFEST,
    MIB,
    README,
    RECORDS,
    Limits,
    Manifest,
    ManifestEntry,
    allowed_name,
)
from referral_app.services.transfer.passphrase import normalised
from referral_app.services.transfer.problems import Problem, TransferError
from referral_app.services.transfer.progress import SILENT, Progress
from referral_app.services.transfer.zipcheck import ZIP_START, is_aes_256, local_header_agrees

_R = TypeVar("_R")
_CHUNK = 256 * 1024
_MANIFEST_BYTES = 64 * MIB
#: The passphrase is tried on up to this many entries of at most this size.
_PROBES = 8
_PROBE_BYTES = 4 * MIB
#: What a damaged ZIP makes the zip module raise, besides its own BadZipFile.
_BROKEN: tuple[type[Exception], ...] = (
    pyzipper.BadZipFile,
    pyzipper.LargeZipFile,
    EOFError,
    ValueError,  # includes UnicodeDecodeError from a mangled name
    KeyError,  # an unknown AES strength
    IndexError,
    struct.error,
    zlib.error,
    NotImplementedError,  # a compression method it does not have
    OverflowError,
)


def read_archive(
    source: Path | BinaryIO,
    passphrase: str,
    read_records: Callable[[bytearray, Manifest], _R],
    *,
    limits: Limits = LIMITS,
    progress: Progress = SILENT,
) -> _R:
    """Check the export at ``source`` (a path, or an open binary file) and return what
    ``read_records`` makes of its records.

    records.json is verified and given to ``read_records`` before the other entries are
    read: its checks are cheap beside decrypting thousands of summaries, so a bad record is
    refused at once rather than after all of them. The records are read into one buffer of
    the size the manifest gives, handed over as the only reference to it, so nothing else
    holds a second copy.
    """
    with _opened(source, limits) as handle:
        archive = _open_zip(handle)
        with archive:
            infos = _directory(archive, limits)
            password = _password(archive, infos, passphrase)
            manifest = _manifest(archive, infos[MANIFEST], password, limits)
            _check_listing(manifest, infos)
            counter = _Counter(progress, sum(entry.size for entry in manifest.entries))
            records = next(entry for entry in manifest.entries if entry.name == RECORDS)
            buffer = [_verified(archive, infos, records, password, counter, keep=True)]
            result = read_records(buffer.pop(), manifest)
            for entry in manifest.entries:
                if entry.name != RECORDS:
                    _verified(archive, infos, entry, password, counter, keep=False)
            progress.step(counter.total, counter.total)
    return result


def _fail(problem: Problem, detail: str) -> TransferError:
    return TransferError(problem, detail)


@contextlib.contextmanager
def _opened(source: Path | BinaryIO, limits: Limits) -> Iterator[BinaryIO]:
    try:
        with contextlib.ExitStack() as stack:
            if isinstance(source, Path):
                handle: BinaryIO = stack.enter_context(source.open("rb"))
            else:
                handle = source
            size = handle.seek(0, 2)
            handle.seek(0)
            if size > limits.archive_bytes:
                raise _fail(Problem.TOO_LARGE, "file size")
            if handle.read(len(ZIP_START)) != ZIP_START:
                raise _fail(Problem.NOT_AN_EXPORT, "not a ZIP")
            handle.seek(0)
            yield handle
    except OSError:
        raise _fail(Problem.UNREADABLE, "operating system error") from None


def _open_zip(handle: BinaryIO) -> Any:
    try:
        return pyzipper.AESZipFile(handle)
    except pyzipper.BadZipFile as error:
        # It starts like a ZIP but its directory, at the end, is missing: cut short.
        if str(error) == "File is not a zip file":
            raise _fail(Problem.TRUNCATED, "no end of central directory") from None
        raise _fail(Problem.DAMAGED, "central directory") from None
    except _BROKEN:
        raise _fail(Problem.DAMAGED, "central directory") from None


def _directory(archive: Any, limits: Limits) -> dict[str, Any]:
    """The entries by name, once the directory has passed every check that needs no key."""
    infos = archive.infolist()
    if len(infos) > limits.entries:
        raise _fail(Problem.TOO_LARGE, "entry count")
    names = [info.filename for info in infos]
    if MANIFEST not in names or RECORDS not in names:
        raise _fail(Problem.NOT_AN_EXPORT, "no manifest or records")
    if len(set(names)) != len(names):
        raise _fail(Problem.ALTERED, "repeated entry name")
    total = 0
    for info in infos:
        if info.orig_filename != info.filename:  # a NUL or a backslash in the name
            raise _fail(Problem.ALTERED, "entry name")
        if not is_aes_256(info):
            raise _fail(Problem.ALTERED, "an entry not encrypted with AES-256")
        if not local_header_agrees(archive.fp, info):
            raise _fail(Problem.DAMAGED, "a local header")
        size = int(info.file_size)
        if size > limits.entry_bytes:
            raise _fail(Problem.TOO_LARGE, "entry size")
        if size > limits.ratio_floor and size > limits.ratio * max(int(info.compress_size), 1):
            raise _fail(Problem.TOO_LARGE, "compression ratio")
        total += size
    if total > limits.total_bytes:
        raise _fail(Problem.TOO_LARGE, "total size")
    return dict(zip(names, infos, strict=True))


def _bad_password(error: RuntimeError) -> bool:
    return str(error).startswith("Bad password")


def _authenticates(archive: Any, info: Any, password: bytes) -> bool | None:
    """Whether ``password`` decrypts the entry and its HMAC holds: True, False, or None when
    the entry is too damaged to say.

    The two-byte password check in an entry's header is not enough: 1 in 65,536 wrong
    passwords pass it, and a damaged header fails the right one. The HMAC over the whole
    entry, keyed by the passphrase, settles it.
    """
    try:
        with archive.open(info, pwd=password) as stream:
            while stream.read(_CHUNK):
                pass
    except RuntimeError as error:
        return False if _bad_password(error) else None
    except pyzipper.BadZipFile as error:
        return False if str(error).startswith("Bad HMAC") else None
    except _BROKEN:
        return None
    return True


def _password(archive: Any, infos: dict[str, Any], passphrase: str) -> bytes:
    """The passphrase as it opens the file: as typed, or with its spaces tidied, or in lower
    case (generated passphrases are, and a phone may capitalise the first word).

    It is right when it authenticates any of a few small entries (the manifest first); each
    entry is checked again as it is read, so damage elsewhere is still found. A file where
    none of them could be read at all is damaged, not locked with another passphrase.
    """
    small = [info for info in infos.values() if info.file_size <= _PROBE_BYTES]
    small.sort(key=lambda info: (info.filename != MANIFEST, info.file_size))
    probes = small[:_PROBES] or list(infos.values())[:1]
    tidied = normalised(passphrase)
    answers: set[bool | None] = set()
    for candidate in dict.fromkeys(text for text in (passphrase, tidied, tidied.lower()) if text):
        try:
            password = candidate.encode("utf-8")
        except UnicodeEncodeError:
            continue
        for info in probes:
            answer = _authenticates(archive, info, password)
            if answer:
                return password
            answers.add(answer)
    if answers == {None}:
        raise _fail(Problem.DAMAGED, "no entry could be read")
    raise _fail(Problem.WRONG_PASSPHRASE, "no entry opens")


class _Counter:
    """How much of the whole file has been read, for the progress bar."""

    def __init__(self, progress: Progress, total: int) -> None:
        self.progress = progress
        self.total = total
        self.done = 0

    def step(self, size: int) -> None:
        self.progress.step(self.done + size, self.total)


def _read(
    archive: Any,
    info: Any,
    password: bytes,
    *,
    limit: int,
    keep: bool,
    counter: _Counter | None = None,
) -> tuple[bytearray, ManifestEntry]:
    """Decrypt one entry in memory, counting and hashing it; its bytes only if ``keep``,
    in one buffer of ``limit`` bytes filled in place (no list of pieces joined afterwards,
    which would hold the entry twice)."""
    hashing = hashlib.sha256()
    size = 0
    kept = bytearray(limit if keep else 0)
    try:
        with archive.open(info, pwd=password) as stream:
            while chunk := stream.read(_CHUNK):
                end = size + len(chunk)
                if end > limit:
                    raise _fail(Problem.ALTERED, "an entry longer than it says")
                hashing.update(chunk)
                if keep:
                    kept[size:end] = chunk
                size = end
                if counter is not None:
                    counter.step(size)
    except RuntimeError as error:
        problem = "an entry the passphrase does not open" if _bad_password(error) else "entry"
        raise _fail(Problem.DAMAGED, problem) from None
    except _BROKEN:
        raise _fail(Problem.DAMAGED, "entry contents") from None
    if keep and size < limit:
        del kept[size:]
    return kept, ManifestEntry(info.filename, size, hashing.hexdigest())


def _manifest(archive: Any, info: Any, password: bytes, limits: Limits) -> Manifest:
    limit = min(limits.entry_bytes, _MANIFEST_BYTES)
    if info.file_size > limit:
        raise _fail(Problem.TOO_LARGE, "manifest size")
    data, _ = _read(archive, info, password, limit=info.file_size, keep=True)
    return Manifest.parse(bytes(data), limits)


def _check_listing(manifest: Manifest, infos: dict[str, Any]) -> None:
    """The manifest must list exactly the other entries, with the sizes the directory gives."""
    listed = [entry.name for entry in manifest.entries]
    if len(set(listed)) != len(listed) or not all(allowed_name(name) for name in listed):
        raise _fail(Problem.ALTERED, "manifest names")
    if RECORDS not in listed or README not in listed:
        raise _fail(Problem.ALTERED, "manifest lacks an entry every export has")
    if set(listed) != set(infos) - {MANIFEST}:
        raise _fail(Problem.ALTERED, "entries and manifest differ")
    for entry in manifest.entries:
        if infos[entry.name].file_size != entry.size:
            raise _fail(Problem.ALTERED, "entry size and manifest differ")


def _verified(
    archive: Any,
    infos: dict[str, Any],
    entry: ManifestEntry,
    password: bytes,
    counter: _Counter,
    *,
    keep: bool,
) -> bytearray:
    """Read one entry and check it against its line in the manifest."""
    data, found = _read(
        archive, infos[entry.name], password, limit=entry.size, keep=keep, counter=counter
    )
    if found != entry:
        raise _fail(Problem.ALTERED, "checksum differs from the manifest")
    counter.done += entry.size
    return data
