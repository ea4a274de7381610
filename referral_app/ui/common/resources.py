"""The app's icon, stylesheet and colour scheme, from resources/."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPalette
from PySide6.QtWidgets import QStyleFactory

from referral_app.services.resources import read_resource, resource_path

__all__ = [
    "app_icon",
    "light_palette",
    "read_text",
    "resource_path",
    "stylesheet",
    "use_light_scheme",
]

#: GOV.UK Design System colours the palette takes over from the platform's light palette.
_LIGHT = {
    QPalette.ColorRole.Window: "#ffffff",
    QPalette.ColorRole.WindowText: "#0b0c0c",
    QPalette.ColorRole.Base: "#ffffff",
    QPalette.ColorRole.AlternateBase: "#f3f2f1",
    QPalette.ColorRole.Text: "#0b0c0c",
    QPalette.ColorRole.Button: "#f3f2f1",
    QPalette.ColorRole.ButtonText: "#0b0c0c",
    QPalette.ColorRole.ToolTipBase: "#ffffff",
    QPalette.ColorRole.ToolTipText: "#0b0c0c",
    QPalette.ColorRole.PlaceholderText: "#505a5f",
    QPalette.ColorRole.Highlight: "#1d70b8",
    QPalette.ColorRole.HighlightedText: "#ffffff",
    QPalette.ColorRole.Link: "#1d70b8",
    QPalette.ColorRole.LinkVisited: "#4c2c92",
}


def read_text(name: str) -> str:
    return read_resource(name)


def app_icon() -> QIcon:
    return QIcon(str(resource_path("app-icon.svg")))


def stylesheet() -> str:
    return read_resource("style.qss")


def light_palette() -> QPalette:
    """The light palette the stylesheet's colours were chosen against (contrast 4.5:1 or more
    for every text colour in it), whatever the system's scheme."""
    fusion = QStyleFactory.create("Fusion")
    palette = QPalette(fusion.standardPalette()) if fusion is not None else QPalette()
    for role, colour in _LIGHT.items():
        palette.setColor(QPalette.ColorGroup.Active, role, QColor(colour))
        palette.setColor(QPalette.ColorGroup.Inactive, role, QColor(colour))
    return palette


def use_light_scheme(app: QGuiApplication) -> None:
    """Keep the app light under a dark system scheme.

    The pages, the printed summaries and many widgets use the GOV.UK colours (near-black text,
    white panels, coloured tags); under a dark system palette they would sit on near-black and
    could not be read. Following the dark scheme would mean a second, separately checked set of
    every colour; a deliberate light scheme keeps the one set that has been checked."""
    app.styleHints().setColorScheme(Qt.ColorScheme.Light)
    app.setPalette(light_palette())
