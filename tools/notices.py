"""THIRD-PARTY-NOTICES: the licence of every distribution the app runs on, gathered from the
installed distributions' own metadata and licence files, so the file follows the versions
actually bundled.

A few components are inside wheels whose metadata does not carry their licence text (Qt inside
PySide6, the EFF word list inside xkcdpass); their notices come from ``tools/licenses``.
"""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

ROOT_DISTRIBUTION = "csarp-referral-app"
LICENSES = Path(__file__).resolve().parent / "licenses"
_LICENCE_FILE = re.compile(r"(LICEN[CS]E|COPYING|NOTICE|AUTHORS)", re.IGNORECASE)

#: What the metadata does not say, with where it was checked.
EXTRA = """\
Components inside the distributions above
=========================================

Qt 6 (inside PySide6-Essentials and shiboken6): GNU Lesser General Public License v3
(LGPL-3.0-only), text below. The Qt libraries in this app are separate shared libraries in its
folder and can be replaced; the source of Qt and of Qt for Python is at
https://download.qt.io/official_releases/ and https://code.qt.io/.

SQLCipher (built into sqlcipher3): open source under a BSD-style licence from Zetetic LLC,
who maintain it; the licence text is in the SQLCipher source, https://github.com/sqlcipher/sqlcipher.
SQLite, on which it is built, is in the public domain (https://sqlite.org/copyright.html).

OpenSSL, where a platform's build of SQLCipher or Python uses it: Apache License 2.0, text below.

libpq, PostgreSQL's client library (inside psycopg-binary, used to reach a team's server): the
PostgreSQL Licence, a liberal open source licence similar to the BSD or MIT licences,
https://www.postgresql.org/about/licence/.

EFF long word list (inside xkcdpass, used for export passphrases): by the Electronic Frontier
Foundation, licensed under Creative Commons Attribution 3.0 United States (CC BY 3.0 US),
https://creativecommons.org/licenses/by/3.0/us/; the list is described at
https://www.eff.org/deeplinks/2016/07/new-wordlists-random-passphrases.

Python: Python Software Foundation License; see the PSF licence in this folder's Python
runtime or https://docs.python.org/3/license.html.
"""


def runtime_distributions(root: str = ROOT_DISTRIBUTION) -> list[metadata.Distribution]:
    """The app's distribution and everything it requires at run time, each once."""
    seen: dict[str, metadata.Distribution] = {}
    waiting = [root]
    while waiting:
        name = waiting.pop()
        key = re.sub(r"[-_.]+", "-", name).lower()
        if key in seen:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        seen[key] = dist
        for text in dist.requires or []:
            requirement = Requirement(text)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                waiting.append(requirement.name)
    return sorted(seen.values(), key=lambda d: d.metadata["Name"].lower())


def licence_of(dist: metadata.Distribution) -> str:
    meta = dist.metadata
    return (
        meta.get("License-Expression")
        or (meta.get("License") or "").split("\n")[0]
        or next(
            (c.split("::")[-1].strip() for c in meta.get_all("Classifier") or [] if "License" in c),
            "see its licence file",
        )
    )


def notices_text() -> str:
    parts = ["Third-party notices for CSARP Referrals", "=" * 39, ""]
    dists = runtime_distributions()
    for dist in dists:
        parts.append(f"{dist.metadata['Name']} {dist.version}: {licence_of(dist)}")
    parts.append("")
    for dist in dists:
        if dist.metadata["Name"] == ROOT_DISTRIBUTION:
            continue
        for file in dist.files or []:
            if file.name.endswith(".py") or not _LICENCE_FILE.search(file.name):
                continue
            path = Path(str(file.locate()))
            if path.is_file():
                title = f"{dist.metadata['Name']} {dist.version}: {file.name}"
                parts += [title, "-" * len(title), path.read_text("utf-8", "replace"), ""]
    parts += [EXTRA, ""]
    for name in ("LGPL-3.0.txt", "GPL-3.0.txt", "Apache-2.0.txt"):
        title = name.removesuffix(".txt")
        parts += [title, "-" * len(title), (LICENSES / name).read_text("utf-8"), ""]
    return "\n".join(parts)
