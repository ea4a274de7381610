"""The app's icon and stylesheet, from resources/."""

from __future__ import annotations

from PySide6.QtGui import QIcon

from referral_app.services.resources import read_resource, resource_path

__all__ = ["app_icon", "read_text", "resource_path", "stylesheet"]


def read_text(name: str) -> str:
    return read_resource(name)


def app_icon() -> QIcon:
    return QIcon(str(resource_path("app-icon.svg")))


def stylesheet() -> str:
    return read_resource("style.qss")
