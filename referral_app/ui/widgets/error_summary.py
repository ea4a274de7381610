"""'There is a problem': the error summary at the top of a page (GOV.UK pattern).

It lists every problem as a link; following a link puts the keyboard focus in the field.
When shown it takes the focus itself, so a screen reader announces it at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget


class Problem(NamedTuple):
    """One problem: the message, and the widget to take the advocate to.

    A named tuple rather than a dataclass: the unlock screen uses it, and the dataclasses
    module would be one more import before the first window.
    """

    message: str
    field: QWidget | None = None


class ErrorSummary(QFrame):
    linkActivated = Signal(QWidget)  # noqa: N815 (Qt naming)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("errorSummary")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("There is a problem")
        self._layout = QVBoxLayout(self)
        self._title = QLabel("There is a problem", self)
        self._title.setObjectName("errorSummaryTitle")
        font = self._title.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self._title.setFont(font)
        self._layout.addWidget(self._title)
        self._links: list[_Link] = []
        self._problems: list[Problem] = []
        self.hide()

    @property
    def problems(self) -> list[Problem]:
        return list(self._problems)

    def messages(self) -> list[str]:
        return [problem.message for problem in self._problems]

    def show_problems(self, problems: Sequence[Problem], *, focus: bool = True) -> None:
        """List ``problems`` (or hide when there are none) and take the focus, unless
        ``focus`` is False (a problem put right while the advocate types, who keeps typing)."""
        for link in self._links:
            self._layout.removeWidget(link)
            link.hide()  # gone from view now, not when Qt gets round to deleting it
            link.deleteLater()
        self._links = []
        self._problems = list(problems)
        if not self._problems:
            self.hide()
            return
        previous: QWidget = self
        for index, problem in enumerate(self._problems):
            link = _Link(index, problem.message, self)
            link.followed.connect(self.follow)
            self._layout.addWidget(link)
            self._links.append(link)
            # Tab from the summary goes through its links first, in order.
            QWidget.setTabOrder(previous, link)
            previous = link
        descriptions = "; ".join(self.messages())
        self.setAccessibleDescription(descriptions)
        self.show()
        if focus:
            self.setFocus(Qt.FocusReason.OtherFocusReason)

    def follow(self, index: int) -> None:
        """Go to the field of problem ``index`` (what clicking its link does)."""
        problem = self._problems[index]
        if problem.field is not None:
            problem.field.setFocus(Qt.FocusReason.OtherFocusReason)
            self.linkActivated.emit(problem.field)


class _Link(QLabel):
    """One problem as a link: a single Tab stop that Enter, Space or a click follows."""

    followed = Signal(int)

    def __init__(self, index: int, message: str, parent: QWidget) -> None:
        super().__init__(f'<a href="{index}" style="color:#d4351c">{_escape(message)}</a>', parent)
        self._index = index
        self.setObjectName("errorLink")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(message)
        self.setAccessibleDescription("Link to the answer to fix")
        self.linkActivated.connect(lambda _href: self.followed.emit(self._index))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.followed.emit(self._index)
            event.accept()
            return
        super().keyPressEvent(event)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
