"""Whether a folder is safe for the database: not a network share, not a cloud-synced folder.

SQLite's write-ahead log needs shared memory and file locks that network file systems do not
provide reliably, and sync clients (OneDrive, Dropbox, Google Drive, iCloud) copy the file
and its log separately while it is open, which can leave a damaged or an old database, and a
copy of the records outside the advocate's control. A folder is judged by its path and, where
the platform says, by the kind of file system it is on. Pure standard library, no Qt.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path, PurePath

#: Folder names sync clients use (macOS keeps theirs under ~/Library/CloudStorage).
_CLOUD = {
    "onedrive": "OneDrive",
    "dropbox": "Dropbox",
    "google drive": "Google Drive",
    "googledrive": "Google Drive",
    "my drive": "Google Drive",
    "icloud drive": "iCloud",
    "iclouddrive": "iCloud",
    "mobile documents": "iCloud",
    "cloudstorage": "a cloud storage service",
}
_SEPARATORS = (" ", "-", "(", "_")
#: Linux file system types that are on another machine (fuse.* as /proc/mounts names them).
NETWORK_TYPES = frozenset(
    {
        "nfs", "nfs4", "cifs", "smb3", "smbfs", "ncpfs", "afs", "9p", "ceph", "glusterfs",
        "lustre", "gpfs", "davfs", "fuse.sshfs", "fuse.rclone", "fuse.s3fs", "fuse.davfs2",
        "fuse.gvfsd-fuse", "fuse.gcsfuse",
    }
)  # fmt: skip
_OCTAL = re.compile(r"\\([0-7]{3})")
_DRIVE_REMOTE = 4


def cloud_service(path: PurePath) -> str | None:
    """The sync service whose folder holds ``path``, judged by the folder names."""
    found = [
        service
        for part in path.parts
        for marker, service in _CLOUD.items()
        if part.casefold() == marker
        or any(part.casefold().startswith(marker + s) for s in _SEPARATORS)
    ]
    if found:  # a named service rather than macOS's CloudStorage folder that holds it
        return next((s for s in found if s != _CLOUD["cloudstorage"]), found[0])
    for variable in ("OneDrive", "OneDriveCommercial", "OneDriveConsumer"):
        root = os.environ.get(variable)
        if root and sys.platform == "win32" and PurePath(root) in (path, *path.parents):
            return "OneDrive"
    return None


def mount_type(path: PurePath, mounts: str) -> str | None:
    """The file system type of the longest mount point above ``path`` in /proc/mounts text."""
    best, kind = -1, None
    for line in mounts.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        point = PurePath(_OCTAL.sub(lambda m: chr(int(m.group(1), 8)), fields[1]))
        if (point == path or point in path.parents) and len(point.parts) > best:
            best, kind = len(point.parts), fields[2]
    return kind


def network_kind(path: Path) -> str | None:
    """What kind of network storage ``path`` is on ("a network share", "nfs4"...), if any."""
    if sys.platform == "win32":
        text = str(path)
        if text.startswith(("\\\\", "//")):
            return "a network share"
        import ctypes

        drive = path.drive + "\\"
        kind = ctypes.windll.kernel32.GetDriveTypeW(drive)  # type: ignore[attr-defined]
        return "a network drive" if kind == _DRIVE_REMOTE else None
    mounts = Path("/proc/mounts")
    if mounts.is_file():
        kind = mount_type(path, mounts.read_text(encoding="utf-8", errors="replace"))
        return kind if kind in NETWORK_TYPES else None
    return None


def existing_parent(path: Path) -> Path:
    """``path`` made absolute, or its nearest folder that exists (a new file is judged by it)."""
    path = path.expanduser().absolute()
    for candidate in (path, *path.parents):
        if candidate.exists():
            return candidate.resolve()
    return path


def problem(path: Path) -> str | None:
    """Why ``path`` is no place for the database, or None if it is."""
    where = existing_parent(path)
    service = cloud_service(where) or cloud_service(path.expanduser().absolute())
    if service is not None:
        return (
            f"This folder is synced to the internet by {service}. The database cannot be kept "
            "in a folder that OneDrive, Dropbox, Google Drive or iCloud syncs: syncing while it "
            "is open can damage it, and the copies would be outside your control. Choose a "
            "folder on this computer that is not synced."
        )
    kind = network_kind(where)
    if kind is not None:
        return (
            f"This folder is on a network drive ({kind}). The database must be on this "
            "computer's own drive: over a network its write-ahead log is not safe and the "
            "file can be damaged. Choose a folder on this computer."
        )
    return None
