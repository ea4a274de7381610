"""What is handed to an advocate: the Linux archive and the macOS disk image."""

from __future__ import annotations

import platform
import shutil
import subprocess
import tarfile
from pathlib import Path

LINUX = Path(__file__).resolve().parent / "linux"
APP_ID = "csarp-referrals"


def linux_archive(bundle: Path, icons: Path, dist: Path, version: str) -> Path:
    """``csarp-referrals-VERSION-linux-ARCH.tar.gz``: the bundle, the ``.desktop`` file, the
    icon, the notices and the per-user install and uninstall scripts (no root needed)."""
    top = f"{APP_ID}-{version}"
    target = dist / f"{top}-linux-{platform.machine()}.tar.gz"

    def executable(info: tarfile.TarInfo) -> tarfile.TarInfo:
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        return info

    with tarfile.open(target, "w:gz") as tar:
        tar.add(bundle, arcname=f"{top}/referral-app", filter=executable)
        for name in ("install.sh", "uninstall.sh", f"{APP_ID}.desktop", "README.txt"):
            tar.add(LINUX / name, arcname=f"{top}/{name}", filter=executable)
        tar.add(icons / "referral-app.png", arcname=f"{top}/{APP_ID}.png", filter=executable)
    return target


def mac_dmg(dist: Path, version: str) -> Path:
    """``CSARP Referrals.app`` and a link to Applications, in a compressed disk image."""
    folder = dist / "dmg"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    shutil.copytree(dist / "CSARP Referrals.app", folder / "CSARP Referrals.app", symlinks=True)
    (folder / "Applications").symlink_to("/Applications")
    target = dist / f"{APP_ID}-{version}-macos.dmg"
    subprocess.run(  # noqa: S603
        [
            "/usr/bin/hdiutil",
            "create",
            "-volname",
            "CSARP Referrals",
            "-srcfolder",
            str(folder),
            "-ov",
            "-format",
            "UDZO",
            str(target),
        ],
        check=True,
    )
    return target
