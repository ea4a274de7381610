"""Status messages said aloud by screen readers, not only shown.

A line such as "Draft saved" or "Saved as …" appears away from where the advocate is
working; someone using a screen reader would never hear it. Qt 6.8 added an announcement
event for this (``QAccessibleAnnouncementEvent``); with an older Qt the message is only shown.
"""

from __future__ import annotations

from PySide6 import QtGui
from PySide6.QtWidgets import QWidget


def announce(widget: QWidget, message: str, *, urgent: bool = False) -> None:
    """Ask screen readers to say ``message``, from ``widget`` (whose window it belongs to):
    politely, after what they are saying now, unless ``urgent`` (a problem)."""
    event_type = getattr(QtGui, "QAccessibleAnnouncementEvent", None)
    if event_type is None or not message:
        return
    event = event_type(widget, message)
    politeness = QtGui.QAccessible.AnnouncementPoliteness
    event.setPoliteness(politeness.Assertive if urgent else politeness.Polite)
    QtGui.QAccessible.updateAccessibility(event)
