"""What the pages of records (the audit log, retention, the caseload) build the same way.

A page that scrolls, a banner for the outcome of an action, a field stacked under its label,
a button named for screen readers, and a table of records to read and pick from. Kept in one
place so that these pages keep the same margins, colours and keyboard behaviour, and a change
made for one of them (a clearer colour, a larger margin) reaches them all.
"""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

#: The margins of the pages of records; the home pages (dashboard, re-screening) have wider.
RECORD_MARGINS = (32, 24, 32, 24)
HOME_MARGINS = (48, 40, 48, 40)


def scrolling_page(
    owner: QWidget, margins: tuple[int, int, int, int] = RECORD_MARGINS
) -> tuple[QScrollArea, QWidget, QVBoxLayout]:
    """Fill ``owner`` with a scroll area, and give back the area, the page's content and its
    layout.

    The whole page scrolls when the window is too short for it (large text), so nothing on it
    is squashed and a table keeps room for a screenful of rows. Only up and down: a page that
    scrolled sideways would hide the ends of its lines.
    """
    scroller = QScrollArea(owner)
    scroller.setWidgetResizable(True)
    scroller.setFrameShape(QFrame.Shape.NoFrame)
    scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    outer = QVBoxLayout(owner)
    outer.setContentsMargins(0, 0, 0, 0)
    outer.addWidget(scroller)
    content = QWidget(scroller)
    scroller.setWidget(content)
    layout = QVBoxLayout(content)
    layout.setContentsMargins(*margins)
    layout.setSpacing(12)
    return scroller, content, layout


class Banner(QLabel):
    """The outcome of the last action: green when all is well, a red border when not.

    Hidden until there is something to say; it takes the focus when shown, so that a screen
    reader reads the outcome at once. A ``selectable`` banner's text can be selected with the
    mouse, to copy what it says (the audit log's event numbers); Qt then gives such a label the
    focus on a click only, not on Tab.
    """

    STYLES: ClassVar[dict[bool, str]] = {
        True: "QLabel { background: #00703c; color: #ffffff; padding: 0.6em; font-weight: bold; }",
        False: "QLabel { border: 4px solid #d4351c; color: #0b0c0c; padding: 0.6em; }",
    }

    def __init__(self, parent: QWidget, *, selectable: bool = True) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        if selectable:
            self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.good = True
        self.hide()

    def show_text(self, text: str, *, good: bool) -> None:
        self.good = good
        self.setStyleSheet(self.STYLES[good])
        self.setText(text)
        self.setAccessibleName(text)
        self.show()
        self.setFocus(Qt.FocusReason.OtherFocusReason)


def stacked(*widgets: QWidget, narrow: bool = False) -> QVBoxLayout:
    """A label, any hint or message, and the field, stacked close together as every question
    on a page is. A ``narrow`` field (the last) keeps its own width instead of the line's."""
    block = QVBoxLayout()
    block.setSpacing(4)
    *above, field = widgets
    for widget in above:
        block.addWidget(widget)
    if narrow:
        block.addWidget(field, 0, Qt.AlignmentFlag.AlignLeft)
    else:
        block.addWidget(field)
    return block


def page_button(text: str, parent: QWidget, style: str = "secondaryButton") -> QPushButton:
    """A button in one of the stylesheet's styles (``style`` is its object name), named for
    screen readers without the access key's ampersand or the ellipsis, and never taking Enter
    from the field being typed in."""
    button = QPushButton(text, parent)
    button.setObjectName(style)
    button.setAccessibleName(text.replace("&", "").rstrip("…"))
    button.setAutoDefault(False)
    return button


def set_up_list_table(
    table: QTableView,
    model: QAbstractItemModel,
    name: str,
    *,
    lines: int = 1,
    selection: QAbstractItemView.SelectionMode = QAbstractItemView.SelectionMode.SingleSelection,
) -> None:
    """Show ``model`` in ``table`` as a list of records to read and pick from.

    Whole rows are selected and nothing is edited in place; Tab leaves the table and the arrow
    keys move in it; each row is ``lines`` lines of text high, following the text size, so a
    screenful of records shows at any size; the headings line up with the text under them.
    """
    table.setModel(model)
    table.setAccessibleName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(selection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setTabKeyNavigation(False)
    table.setAlternatingRowColors(True)
    table.setCornerButtonEnabled(False)
    metrics = table.fontMetrics()
    rows = table.verticalHeader()
    rows.hide()
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setDefaultSectionSize(lines * metrics.lineSpacing() + metrics.height() // 2 + 4)
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
