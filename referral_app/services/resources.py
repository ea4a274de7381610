"""Files from resources/, found the same way in a checkout and in an installed copy.

The folder is installed as the package ``referral_app.resources``, inside the package's own
folder; in a source checkout (installed in editable mode or not) it sits beside the package.
Both are found by path, without ``importlib.resources``: the first window would wait for it.
"""

from __future__ import annotations

from pathlib import Path


def resource_path(name: str) -> Path:
    """The path of a file in resources/."""
    package = Path(__file__).resolve().parents[1]
    for folder in (package / "resources", package.parent / "resources"):
        path = folder / name
        if path.is_file():
            return path
    raise FileNotFoundError(f"resource missing: {name}")


def read_resource(name: str) -> str:
    return resource_path(name).read_text(encoding="utf-8")
