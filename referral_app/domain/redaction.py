"""The advocate's confirmed choices for a referral's redacted copy, kept with the referral.

Plain data: the services work out what to propose and the storage keeps it encrypted with the
rest of the record. A choice is tied to the stretch of text it was made on, so that reprinting
shows the same choices; when the text has changed since, the services match it up again by the
words themselves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Mark:
    """One decision on a stretch of one free-text field: a proposal kept or shown, or text the
    advocate chose to hide themselves (``chosen``)."""

    field: str
    start: int
    end: int
    text: str
    hidden: bool
    chosen: bool = False


@dataclass
class RedactionChoices:
    """What the advocate confirmed the last time the redacted copy was reviewed."""

    marks: list[Mark] = field(default_factory=list)
    #: Crime references identify the case to its reader, so they are shown unless hidden.
    keep_crime_references: bool = True
    keep_force: bool = True
    confirmed_at: datetime | None = None
