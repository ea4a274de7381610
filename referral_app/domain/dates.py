"""Partial dates: survivors often remember only the year, or the month and year.

A partial date stands for its whole span (``2013`` is 1 January to 31 December 2013), and
every comparison between spans answers yes, no or ``None`` when the spans do not settle it.
Keeping the unknown case explicit is what lets the eligibility rules ask for more
information instead of guessing.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

_PATTERN = re.compile(r"(?P<year>[0-9]{4})(?:-(?P<month>[0-9]{2})(?:-(?P<day>[0-9]{2}))?)?")


#: English month names whatever the system locale (Qt sets the C locale from the system on
#: Unix, which would turn calendar.month_name and strftime("%B") into another language).
MONTH_NAMES: tuple[str, ...] = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def describe_day(day: date) -> str:
    """``21 November 2026``: the way dates are written in letters and on screen here."""
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


class Precision(StrEnum):
    """How much of a date is known."""

    YEAR = "year"
    MONTH = "month"
    DAY = "day"


class PartialDateError(ValueError):
    """A text that is not a real date in one of the accepted forms."""


@dataclass(frozen=True, slots=True, order=False)
class PartialDate:
    """A year, a month of a year, or a full date."""

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.year <= 9999:
            raise PartialDateError(f"{self.year} is not a year")
        if self.month is None:
            if self.day is not None:
                raise PartialDateError("a day needs a month")
            return
        if not 1 <= self.month <= 12:
            raise PartialDateError(f"there is no month {self.month}")
        if self.day is not None:
            last = calendar.monthrange(self.year, self.month)[1]
            if not 1 <= self.day <= last:
                month_name = MONTH_NAMES[self.month - 1]
                raise PartialDateError(f"{month_name} {self.year} has no day {self.day}")

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Read ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; anything else is an error."""
        if not isinstance(text, str):
            raise PartialDateError(
                "a date must be written as text such as 2009, 2009-03 or 2009-03-14"
            )
        match = _PATTERN.fullmatch(text)
        if match is None:
            raise PartialDateError(
                f"{text!r} is not a date in the form YYYY, YYYY-MM or YYYY-MM-DD"
            )
        month = match["month"]
        day = match["day"]
        return cls(
            int(match["year"]),
            int(month) if month is not None else None,
            int(day) if day is not None else None,
        )

    @classmethod
    def from_date(cls, value: date) -> PartialDate:
        return cls(value.year, value.month, value.day)

    @property
    def precision(self) -> Precision:
        if self.month is None:
            return Precision.YEAR
        if self.day is None:
            return Precision.MONTH
        return Precision.DAY

    @property
    def first(self) -> date:
        """The earliest day the date can stand for."""
        return date(self.year, self.month or 1, self.day or 1)

    @property
    def last(self) -> date:
        """The latest day the date can stand for."""
        if self.month is None:
            return date(self.year, 12, 31)
        if self.day is None:
            return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])
        return date(self.year, self.month, self.day)

    def isoformat(self) -> str:
        """The same text form that :meth:`parse` reads, so precision survives a round trip."""
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def __str__(self) -> str:
        return self.isoformat()

    def describe(self) -> str:
        """Plain words for people: ``2009``, ``March 2009``, ``14 March 2009``."""
        if self.month is None:
            return str(self.year)
        month_name = MONTH_NAMES[self.month - 1]
        if self.day is None:
            return f"{month_name} {self.year}"
        return f"{self.day} {month_name} {self.year}"

    # Comparisons against a single day. Each answers True, False, or None when unsettled.

    def before(self, day: date) -> bool | None:
        """Is the date strictly before ``day``?"""
        if self.last < day:
            return True
        if self.first >= day:
            return False
        return None

    def on_or_after(self, day: date) -> bool | None:
        settled = self.before(day)
        return None if settled is None else not settled

    def after(self, day: date) -> bool | None:
        """Is the date strictly after ``day``?"""
        if self.first > day:
            return True
        if self.last <= day:
            return False
        return None

    # Comparisons between two spans.

    def settled_before(self, other: PartialDate) -> bool:
        """True only when every day of this span is before every day of ``other``."""
        return self.last < other.first


def add_months(day: date, months: int) -> date:
    """Calendar-month arithmetic; a day the target month lacks becomes its last day."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def add_years(day: date, years: int) -> date:
    """Anniversaries: 29 February falls on 1 March in a year without it."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 3, 1)
