"""The database is refused on a network share or in a cloud-synced folder, with the reason,
before anything is made there."""

from __future__ import annotations

from pathlib import Path, PurePosixPath, PureWindowsPath

import pytest

from referral_app.storage import location
from referral_app.storage.db import Database
from referral_app.storage.errors import UnsafeLocationError
from tests.storage.conftest import PASSPHRASE

MOUNTS = """\
/dev/nvme0n1p2 / ext4 rw,relatime 0 0
proc /proc proc rw,nosuid 0 0
server:/export/home /home/ann/shared nfs4 rw,relatime,vers=4.2 0 0
//files/Team\\040Drive /mnt/team\\040drive cifs rw,vers=3.1.1 0 0
ann@box:/data /home/ann/box fuse.sshfs rw 0 0
/dev/sdb1 /home/ann/shared/usb ext4 rw 0 0
"""


@pytest.mark.parametrize(
    ("path", "service"),
    [
        (PureWindowsPath(r"C:\Users\ann\OneDrive\Documents\referrals.db"), "OneDrive"),
        (PureWindowsPath(r"C:\Users\ann\OneDrive - Safe Space Charity\x.db"), "OneDrive"),
        (PurePosixPath("/home/ann/Dropbox/work/referrals.db"), "Dropbox"),
        (PureWindowsPath(r"C:\Users\ann\Dropbox (Personal)\referrals.db"), "Dropbox"),
        (PureWindowsPath(r"G:\My Drive\referrals.db"), "Google Drive"),
        (PurePosixPath("/Users/ann/Library/CloudStorage/GoogleDrive-ann@x.org/r.db"),
         "Google Drive"),
        (PurePosixPath("/Users/ann/Library/Mobile Documents/com~apple~CloudDocs/r.db"), "iCloud"),
        (PureWindowsPath(r"C:\Users\ann\iCloudDrive\referrals.db"), "iCloud"),
    ],
)
def test_cloud_synced_folders_are_recognised_by_their_names(
    path: PurePosixPath | PureWindowsPath, service: str
) -> None:
    assert location.cloud_service(path) == service


@pytest.mark.parametrize(
    "path",
    [
        PureWindowsPath(r"C:\Users\ann\AppData\Local\csarp-referrals\referrals.db"),
        PurePosixPath("/home/ann/.local/share/csarp-referrals/referrals.db"),
        PurePosixPath("/home/ann/Documents/dropboxes-to-buy/referrals.db"),
    ],
)
def test_ordinary_folders_are_not_taken_for_cloud_ones(
    path: PurePosixPath | PureWindowsPath,
) -> None:
    assert location.cloud_service(path) is None


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/home/ann/shared/referrals.db", "nfs4"),
        ("/home/ann/shared/usb/referrals.db", "ext4"),  # a local disk mounted inside the share
        ("/mnt/team drive/referrals.db", "cifs"),  # /proc/mounts writes the space as \040
        ("/home/ann/box/r.db", "fuse.sshfs"),
        ("/home/ann/.local/share/csarp-referrals/referrals.db", "ext4"),
    ],
)
def test_the_file_system_is_that_of_the_nearest_mount_point(path: str, kind: str) -> None:
    assert location.mount_type(PurePosixPath(path), MOUNTS) == kind
    assert (kind in location.NETWORK_TYPES) == (kind not in ("ext4",))


def test_a_database_in_a_synced_folder_is_refused_and_nothing_is_made(tmp_path: Path) -> None:
    path = tmp_path / "Dropbox" / "referrals.db"
    with pytest.raises(UnsafeLocationError) as refused:
        Database.create(path, PASSPHRASE)
    assert "synced to the internet by Dropbox" in str(refused.value)
    assert "OneDrive, Dropbox, Google Drive or iCloud" in str(refused.value)
    assert not (tmp_path / "Dropbox").exists()


def test_a_database_on_a_network_drive_is_refused_when_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "referrals.db"
    Database.create(path, PASSPHRASE).close()
    before = path.read_bytes()
    monkeypatch.setattr(location, "network_kind", lambda folder: "nfs4")
    with pytest.raises(UnsafeLocationError) as refused:
        Database.unlock(path, PASSPHRASE)
    assert "network drive (nfs4)" in str(refused.value)
    assert "write-ahead log is not safe" in str(refused.value)
    assert path.read_bytes() == before


def test_this_machine_s_temporary_folder_is_accepted(tmp_path: Path) -> None:
    assert location.problem(tmp_path / "referrals.db") is None
