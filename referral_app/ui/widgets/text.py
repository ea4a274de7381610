"""Labels in the few styles every page uses (heading, hint, field label, field error).

The stylesheet gives each style its look through the object name; sizes are set relative to
the application font so everything scales with the system text size.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

HEADING_SCALE = {1: 1.6, 2: 1.25, 3: 1.1}


def heading(text: str, parent: QWidget | None = None, level: int = 1) -> QLabel:
    label = QLabel(text, parent)
    label.setObjectName("pageHeading" if level == 1 else "sectionHeading")
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * HEADING_SCALE.get(level, 1.0))
    font.setBold(True)
    label.setFont(font)
    label.setAccessibleName(text)
    label.setAccessibleDescription("Heading")
    return label


def hint(text: str, parent: QWidget | None = None) -> QLabel:
    """Help text under a question: why it is asked and what counts."""
    label = QLabel(text, parent)
    label.setObjectName("hint")
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setAccessibleName(text)
    return label


def field_label(text: str, buddy: QWidget | None = None, parent: QWidget | None = None) -> QLabel:
    label = QLabel(text, parent)
    label.setObjectName("fieldLabel")
    label.setWordWrap(True)
    if buddy is not None:
        label.setBuddy(buddy)
        if not buddy.accessibleName():
            buddy.setAccessibleName(text.replace("&", ""))
    return label


def field_error(parent: QWidget | None = None) -> QLabel:
    """The specific message shown beside a field; hidden until there is one."""
    label = QLabel(parent)
    label.setObjectName("fieldError")
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.hide()
    return label


def show_field_error(label: QLabel, message: str | None) -> None:
    if message:
        label.setText(f"Error: {message}")
        label.setAccessibleName(f"Error: {message}")
        label.show()
    else:
        label.clear()
        label.hide()


def mark_invalid(widget: QWidget, invalid: bool) -> None:
    """Give a field the red border of the stylesheet's ``[invalid="true"]`` rule."""
    widget.setProperty("invalid", invalid)
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)


def em(widget: QWidget) -> int:
    """One line of text in ``widget``'s font: the unit for spacing that scales with the text."""
    return widget.fontMetrics().height()


def body_text(text: str, parent: QWidget | None = None, *, bold: bool = False) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setAccessibleName(text)
    if bold:
        font = label.font()
        font.setBold(True)
        label.setFont(font)
    return label


def button(text: str, parent: QWidget | None = None, *, primary: bool = False) -> QPushButton:
    widget = QPushButton(text, parent)
    widget.setObjectName("primaryButton" if primary else "secondaryButton")
    widget.setAccessibleName(text.replace("&", ""))
    widget.setAutoDefault(primary)
    widget.setDefault(primary)
    return widget
