"""Files from resources/, found the same way in a checkout and in an installed copy.

The folder is installed as the package ``referral_app.resources``; in a source checkout that
has not been installed it sits beside the package.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from PySide6.QtGui import QIcon


def resource_path(name: str) -> Path:
    """The path of a file in resources/."""
    try:
        # A folder without __init__.py: files() gives a multiplexed path, so join before str().
        path = Path(str(resources.files("referral_app.resources").joinpath(name)))
    except ModuleNotFoundError:
        path = Path(__file__).resolve().parents[2] / "resources" / name
    if not path.is_file():
        raise FileNotFoundError(f"resource missing: {name}")
    return path


def read_text(name: str) -> str:
    return resource_path(name).read_text(encoding="utf-8")


def app_icon() -> QIcon:
    return QIcon(str(resource_path("app-icon.svg")))


def stylesheet() -> str:
    return read_text("style.qss")
