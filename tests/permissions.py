"""Owner-only files and folders, checked the way each platform makes them so.

On POSIX the app sets the mode bits (0o600 for files, 0o700 for folders) and the tests read
them. Windows has no mode bits: there a file is private by the access list it inherits from its
folder, and the folders the app writes to by default (its data, log and temporary folders) are
inside the user's profile, whose list grants only the user, SYSTEM and Administrators. So on
Windows the check is that the path is inside the profile, and that it is not read-only (the one
mode bit Windows keeps), since the app must be able to replace it.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


def assert_owner_only(path: Path, mode: int = 0o600) -> None:
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == mode, path.name
        return
    profile = Path(os.environ["USERPROFILE"]).resolve()
    assert path.resolve().is_relative_to(profile), path.name
    assert path.stat().st_mode & stat.S_IWRITE, path.name
