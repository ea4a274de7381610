"""Page breaks, and the painting of blocks they cut, for documents laid out by Qt.

Qt breaks pages line by line, which leaves a label on one page and its answer on the next, or
a heading at the foot of a page; and when it paints a page it draws the line above the clip
too, hidden but left in the PDF's text. The helpers here work round both, apart from the page
furniture in ``pdf`` so the layout rules can be read on their own. Only QtGui and QtCore are
used, so a worker thread may call them.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter, QTextBlock, QTextCursor, QTextDocument, QTextFormat, QTextTable

#: Documents are laid out at this resolution whatever they are painted on.
LAYOUT_DPI = 1200


def tidy_page_breaks(text: QTextDocument, rounds: int = 100) -> None:
    """Break pages as a word processor does: a short table row moves whole to the next page
    instead of leaving its first lines behind, and a heading does not end a page.

    Qt splits rows line by line, which leaves a label on one page and its answer on the next.
    Each round fixes the first such place (later ones move when it does) and lays out again.
    """
    for _ in range(rounds):
        if not _fix_first_break(text):
            return


def _page(text: QTextDocument, y: float) -> int:
    return int(y // text.pageSize().height())


def _fix_first_break(text: QTextDocument) -> bool:
    text.pageCount()  # lays the whole document out again after the last fix
    layout = text.documentLayout()
    seen: set[int] = set()
    block = text.begin()
    while block.isValid():
        table: QTextTable | None = QTextCursor(block).currentTable()  # None outside tables
        if table is not None:
            if table.firstPosition() not in seen:
                seen.add(table.firstPosition())
                if _fix_table(text, table):
                    return True
        elif block.blockFormat().headingLevel() > 0:
            following = _next_content(block)
            if following is not None:
                top = layout.blockBoundingRect(block).top()
                after = layout.blockBoundingRect(following).bottom() - 1
                low = top % text.pageSize().height() > text.pageSize().height() / 2
                if low and _page(text, top) != _page(text, after):
                    heading = block.blockFormat()
                    heading.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
                    QTextCursor(block).setBlockFormat(heading)
                    return True
        block = block.next()
    return False


def _next_content(block: QTextBlock) -> QTextBlock | None:
    """The first line a heading must stay with: the next block that holds text."""
    following = block.next()
    while following.isValid() and not following.text().strip():
        following = following.next()
    return following if following.isValid() else None


def _row_extent(text: QTextDocument, table: QTextTable, row: int) -> tuple[float, float]:
    layout = text.documentLayout()
    tops, bottoms = [], []
    for column in range(table.columns()):
        cell = table.cellAt(row, column)
        if cell.row() != row or cell.column() != column:
            continue
        tops.append(layout.blockBoundingRect(cell.firstCursorPosition().block()).top())
        bottoms.append(layout.blockBoundingRect(cell.lastCursorPosition().block()).bottom())
    return min(tops), max(bottoms)


def _fix_table(text: QTextDocument, table: QTextTable) -> bool:
    """Push the first short row that straddles a page break down to the next page."""
    height = text.pageSize().height()
    headers = table.format().headerRowCount()
    for row in range(table.rows()):
        top, bottom = _row_extent(text, table, row)
        intact = _page(text, top) == _page(text, bottom - 1)
        if intact or bottom - top > height * 0.4 or top % height < height * 0.2:
            continue  # whole already, too long to keep whole, or as high up as it can go
        # Qt keeps a row whole when its cells all start below the page's end: give the row
        # above (or the table, for its first rows) just enough room underneath to get there.
        gap = (_page(text, top) + 1) * height - top
        extra = gap * 96 / LAYOUT_DPI + 1
        if row <= headers:
            lowered = table.format()
            lowered.setTopMargin(lowered.topMargin() + extra)
            table.setFormat(lowered)
            return True
        padding = table.format().cellPadding()
        # One edit block, so Qt lays the document out once for the whole row, not per cell.
        edit = QTextCursor(text)
        edit.beginEditBlock()
        for column in range(table.columns()):
            cell = table.cellAt(row - 1, column)
            form = cell.format().toTableCellFormat()
            below = padding
            if form.hasProperty(QTextFormat.Property.TableCellBottomPadding):
                below = form.bottomPadding()
            form.setBottomPadding(below + extra)
            cell.setFormat(form)
        edit.endEditBlock()
        return True
    return False


def blocks_across(text: QTextDocument, y: float) -> list[QTextBlock]:
    """The blocks that start above ``y`` and go on below it."""
    layout = text.documentLayout()
    found = []
    block = text.begin()
    while block.isValid():
        area = layout.blockBoundingRect(block)
        if area.top() < y < area.bottom():
            found.append(block)
        block = block.next()
    return found


def draw_lines(text: QTextDocument, block: QTextBlock, view: QRectF, painter: QPainter) -> None:
    """The lines of ``block`` that lie within ``view``, where the layout put them."""
    lines = block.layout()
    origin = text.documentLayout().blockBoundingRect(block).topLeft()  # the lines' origin
    for number in range(lines.lineCount()):
        line = lines.lineAt(number)
        if view.top() <= origin.y() + line.y() < view.bottom():
            line.draw(painter, origin)
