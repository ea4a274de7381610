"""Checks of a ZIP's structure that the zip module leaves out.

The zip module trusts each entry's local header, just before its data, as far as the name; but
it reads the key's salt and password check from where that header says the data starts, so a
damaged header makes the right passphrase look wrong. These checks find such damage first, so
that it is named as damage, and make sure every entry is AES-256 encrypted.
"""

from __future__ import annotations

import struct
from typing import Any, BinaryIO

import pyzipper  # type: ignore[import-untyped]

ZIP_START = b"PK\x03\x04"
_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")
_AES_EXTRA = 0x9901
_AES_EXTRA_BODY = 7


def is_aes_256(info: Any) -> bool:
    """Whether the directory says the entry is encrypted with WinZip's AES at 256 bits."""
    return bool(
        info.flag_bits & 0x1
        and getattr(info, "wz_aes_version", None) in (1, 2)
        and getattr(info, "wz_aes_vendor_id", None) == b"AE"
        and getattr(info, "wz_aes_strength", None) == 3  # 3 is 256 bits
    )


def _extra_records(extra: bytes) -> dict[int, bytes] | None:
    """The records of a ZIP extra field, or None unless they fill it exactly."""
    records: dict[int, bytes] = {}
    position = 0
    while position < len(extra):
        if position + 4 > len(extra):
            return None
        kind, length = struct.unpack_from("<2H", extra, position)
        body = extra[position + 4 : position + 4 + length]
        if len(body) != length:
            return None
        records[kind] = body
        position += 4 + length
    return records


def local_header_agrees(handle: BinaryIO, info: Any) -> bool:
    """Whether the entry's own header, just before its data, says what the directory says."""
    if info.header_offset < 0:  # the directory points before the start of the file
        return False
    handle.seek(info.header_offset)
    fixed = handle.read(_LOCAL_HEADER.size)
    if len(fixed) != _LOCAL_HEADER.size:
        return False
    fields = _LOCAL_HEADER.unpack(fixed)
    signature, flags, method = fields[0], fields[3], fields[4]
    name_length, extra_length = fields[10], fields[11]
    encoding = "utf-8" if info.flag_bits & 0x800 else "cp437"
    try:
        expected = info.orig_filename.encode(encoding)
    except UnicodeEncodeError:
        return False
    name = handle.read(name_length)
    records = _extra_records(handle.read(extra_length))
    aes = None if records is None else records.get(_AES_EXTRA)
    return (
        signature == ZIP_START
        and bool(flags & 0x1)
        and method == pyzipper.zipfile_aes.WZ_AES_COMPRESS_TYPE
        and name == expected
        and aes is not None
        and len(aes) == _AES_EXTRA_BODY
        and aes[2:5] == b"AE\x03"  # WinZip's vendor mark and 256 bits, as the directory says
    )
