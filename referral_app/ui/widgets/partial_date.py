"""The approximate-date input: Day, Month and Year boxes (the GOV.UK "date input" pattern).

Survivors often remember only a year, or a month and year, so the day and the month may be
left empty; three plain boxes say that more honestly than a calendar picker, which would force
a day. What is typed is never changed or cleared by the widget: a draft keeps the texts as
they are (``texts``/``set_texts``) until the advocate fixes them.

Messages are built from ``what``, the words that finish "the date ..." and "the year ...":
``what="of birth"`` gives "Enter the year of birth" and "The date of birth must be today or in
the past"; ``what="the decision was made"`` gives "Enter the year the decision was made".
With ``what=""`` the messages say just "the date", "the year".
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QRegularExpression, QSize, Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QSizePolicy, QVBoxLayout, QWidget

from referral_app.domain.dates import PartialDate, PartialDateError
from referral_app.ui.widgets.text import field_error, field_label, mark_invalid, show_field_error
from referral_app.ui.widgets.text import hint as hint_label

#: A hint pages can pass as ``hint``; it says that a year alone is a good answer.
EXAMPLE_HINT = "For example, 27 3 2007. If you only know the year, leave day and month empty."

# English names whatever the system locale: Qt sets the C locale from the system on Unix,
# which would turn calendar.month_name into another language.
MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

# Digits only, but any number of them, so a mistyped fifth digit stays visible and gets a
# message instead of vanishing; spaces around are allowed because pasted text often has them.
_DIGITS = r"\s*[0-9]*\s*"
_MONTH = r"\s*(?:[0-9]*|[A-Za-z]*)\s*"


def _is_number(text: str) -> bool:
    """ASCII digits only: str.isdigit() also passes "²", which int() cannot read."""
    return text.isascii() and text.isdigit()


def month_number(text: str) -> int | None:
    """1-12 for "3", "03", "Mar", "march" or "Sept"; any 3+ letter start of a name is unique."""
    text = text.strip().lower()
    if _is_number(text):
        number = int(text)
        return number if 1 <= number <= 12 else None
    if len(text) >= 3:
        for number, name in enumerate(MONTH_NAMES, start=1):
            if name.lower().startswith(text):
                return number
    return None


class _EntryError(PartialDateError):
    """A message for the advocate, and the boxes to mark for it."""

    def __init__(self, message: str, boxes: Sequence[QLineEdit]) -> None:
        super().__init__(message)
        self.boxes = tuple(boxes)


class DateBox(QLineEdit):
    """A box as wide as ``chars`` digits in the current font, wider when the text is longer.

    Sizing from the font (not pixels) keeps the boxes readable at 200% text size, and growing
    with the text means nothing typed is ever scrolled out of sight.
    """

    def __init__(self, chars: int, pattern: str, parent: QWidget) -> None:
        super().__init__(parent)
        self._chars = chars
        self.setValidator(QRegularExpressionValidator(QRegularExpression(pattern), self))
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.textChanged.connect(self.updateGeometry)

    def sizeHint(self) -> QSize:
        # QLineEdit's own hint is 17 "x" wide plus the style's frame and margins; swap the 17
        # "x" for our text so the frame arithmetic (and any stylesheet border) stays Qt's.
        size = super().sizeHint()
        metrics = self.fontMetrics()
        digits = metrics.horizontalAdvance("0" * self._chars)
        text = max(digits, metrics.horizontalAdvance(self.text()))
        room = metrics.horizontalAdvance("0")  # the cursor after the last character, and air
        size.setWidth(size.width() - metrics.horizontalAdvance("x") * 17 + text + room)
        return size


class PartialDateEdit(QWidget):
    """A year, a month and year, or a full date, typed into three boxes.

    ``check(today)`` finds the first problem GOV.UK-style and shows it; ``set_error`` shows
    a problem only the page can see (such as one date before another). ``value()`` raises
    :class:`PartialDateError` with the same message when the texts are not a date, so a page
    can never store a guess. ``changed`` fires on the advocate's edits only, not on
    ``setValue``/``set_texts``, so loading a draft does not make it look edited.
    """

    changed = Signal()

    #: Earlier years are almost always a slip (1009 for 2009), so they get a message.
    earliest_year = 1900

    def __init__(
        self,
        label: str,
        what: str,
        hint: str | None = None,
        required: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._what = f" {what.strip()}".rstrip()
        self._required = required
        name = label.replace("&", "")
        self.setAccessibleName(name)
        self.day_box = DateBox(2, _DIGITS, self)
        self.month_box = DateBox(3, _MONTH, self)
        self.year_box = DateBox(4, _DIGITS, self)
        self._boxes = (self.day_box, self.month_box, self.year_box)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for box, part in zip(self._boxes, ("day", "month", "year"), strict=True):
            box.setObjectName(f"{part}Box")
            box.setAccessibleName(f"{name}, {part}")
            box.textEdited.connect(self.changed)
        self.label = field_label(label, self.day_box, self)
        layout.addWidget(self.label)
        self._hint_text = hint or ""
        if hint:
            layout.addWidget(hint_label(hint, self))
        self.error_label = field_error(self)
        layout.addWidget(self.error_label)
        row = QHBoxLayout()
        row.setSpacing(self.fontMetrics().horizontalAdvance("00"))
        # Alt+A, not Alt+D: the wizard's Discard button has Alt+D.
        for box, caption in zip(self._boxes, ("D&ay", "&Month", "&Year"), strict=True):
            column = QVBoxLayout()
            column.setSpacing(2)
            caption_label = QLabel(caption, self)
            caption_label.setBuddy(box)
            column.addWidget(caption_label)
            column.addWidget(box, 0, Qt.AlignmentFlag.AlignLeft)
            row.addLayout(column)
        row.addStretch(1)
        layout.addLayout(row)
        QWidget.setTabOrder(self.day_box, self.month_box)
        QWidget.setTabOrder(self.month_box, self.year_box)
        self._message: str | None = None
        self._first_problem: QLineEdit = self.day_box
        self._describe_boxes()
        self.setFocusProxy(self.day_box)

    # Reading and writing

    def texts(self) -> tuple[str, str, str]:
        """Exactly what is in the Day, Month and Year boxes, valid or not."""
        return (self.day_box.text(), self.month_box.text(), self.year_box.text())

    def set_texts(self, day: str, month: str, year: str) -> None:
        """Put back texts from a draft as they were typed; any shown error is cleared."""
        for box, text in zip(self._boxes, (day, month, year), strict=True):
            box.setText(text)
        self.clear_error()

    def is_empty(self) -> bool:
        return not any(text.strip() for text in self.texts())

    def value(self) -> PartialDate | None:
        """The date, or None when all three boxes are empty; raises PartialDateError if invalid."""
        return self._read()

    def setValue(self, value: PartialDate | None) -> None:
        """Show ``value`` (month as a number); None empties the boxes. Clears any error."""
        if value is None:
            self.set_texts("", "", "")
            return
        month = "" if value.month is None else str(value.month)
        day = "" if value.day is None else str(value.day)
        self.set_texts(day, month, f"{value.year:04d}")

    # Checking and errors

    def check(self, today: date) -> str | None:
        """Show the first problem with what is typed and return its message, or clear it all."""
        try:
            value = self._read()
        except _EntryError as problem:
            self._show(str(problem), problem.boxes)
            return self._message
        if value is None and self._required:
            self._show(f"Enter the date{self._what}", self._boxes)
        elif value is not None and value.first > today:
            filled = [box for box in self._boxes if box.text().strip()]
            self._show(f"The date{self._what} must be today or in the past", filled)
        else:
            self._show(None, ())
        return self._message

    def set_error(self, message: str | None) -> None:
        """Show a problem found by the page (about the whole date, so all boxes are marked).

        The message already shown keeps its marks, so a page may pass check()'s messages back
        through here (via its error summary) without losing which box is wrong.
        """
        if message != self._message or not message:
            self._show(message, self._boxes if message else ())

    def clear_error(self) -> None:
        self._show(None, ())

    def error(self) -> str | None:
        """The message shown now, if any."""
        return self._message

    def focus_first_field(self, reason: Qt.FocusReason = Qt.FocusReason.OtherFocusReason) -> None:
        """Where an error-summary link goes: the first box with the problem, else Day."""
        self._first_problem.setFocus(reason)

    def setFocus(self, reason: Qt.FocusReason = Qt.FocusReason.OtherFocusReason) -> None:
        """To the problem box, for Python callers such as the error summary; Qt's own calls
        go to the focus proxy, Day, which stays put so that Tab always enters at Day."""
        self.focus_first_field(reason)

    # Private

    def _read(self) -> PartialDate | None:
        day, month, year = (text.strip() for text in self.texts())
        if not (day or month or year):
            return None
        what = self._what
        if day and not month and not year:
            raise _EntryError(f"Enter the month and year{what}", (self.month_box, self.year_box))
        if not year:
            raise _EntryError(f"Enter the year{what}", (self.year_box,))
        if day and not month:
            raise _EntryError(f"Enter the month{what} as well as the day", (self.month_box,))
        if len(year) != 4 or not _is_number(year):
            raise _EntryError(f"The year{what} must include 4 numbers", (self.year_box,))
        number = month_number(month) if month else None
        if month and number is None:
            message = f"The month{what} must be between 1 and 12"
            if not _is_number(month):
                message = f"Enter the month{what} as a number or a name, like 3 or March"
            raise _EntryError(message, (self.month_box,))
        if int(year) < self.earliest_year:
            message = f"The year{what} must be {self.earliest_year} or later"
            raise _EntryError(message, (self.year_box,))
        if day and number is not None:
            last = calendar.monthrange(int(year), number)[1]
            if not (_is_number(day) and 1 <= int(day) <= last):
                named = f"{MONTH_NAMES[number - 1]} {year}"
                message = f"The date{what} must be a real date: {named} has no day {day}"
                raise _EntryError(message, (self.day_box,))
        return PartialDate(int(year), number, int(day) if day else None)

    def _show(self, message: str | None, boxes: Sequence[QLineEdit]) -> None:
        self._message = message or None
        show_field_error(self.error_label, self._message)
        for box in self._boxes:
            mark_invalid(box, box in boxes)
            box.updateGeometry()  # the red border and its padding change the size
        self._first_problem = boxes[0] if boxes else self.day_box
        self._describe_boxes()

    def _describe_boxes(self) -> None:
        """Screen readers read the description on entering a box: the hint, then any error."""
        error = f"Error: {self._message}" if self._message else ""
        description = " ".join(part for part in (error, self._hint_text) if part)
        for box in self._boxes:
            box.setAccessibleDescription(description)
