"""Names and contact details taken out of free text, for the redacted summary.

The redacted copy goes to readers who need the case but not who it is about, and an account
typed by the advocate often names the survivor or gives a phone number or address in passing.
Only the details as the record holds them can be found, written a few likely ways, so the copy
still says to read it through before sharing. Plain Python, so it can be tested without Qt.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from referral_app.domain.dates import MONTH_NAMES
from referral_app.domain.referral import Referral, Survivor

REMOVED = "[removed]"


def initials(name: str) -> str:
    """``Zelda Quartermaine`` as ``Z. Q.``: enough to tell records apart, not to identify."""
    parts = [part for part in name.replace("-", " ").split() if part]
    return " ".join(f"{part[0].upper()}." for part in parts)


@dataclass(frozen=True)
class Scrubber:
    """Takes a survivor's names and contact details out of free text, for the redacted copy."""

    replacements: tuple[tuple[re.Pattern[str], str], ...]

    @classmethod
    def of(cls, referral: Referral) -> Scrubber:
        survivor = referral.survivor
        found: dict[str, str] = {}
        for name in [survivor.full_name, *survivor.previous_names]:
            if name.strip():
                found[name.strip()] = initials(name)
                for part in re.split(r"[\s\-]+", name):
                    if len(part.strip(".")) >= 2:
                        found.setdefault(part, f"{part[0].upper()}.")
        details = [survivor.phone, survivor.email, survivor.address, *survivor.address.splitlines()]
        for detail in details:
            if len(detail.strip()) >= 3:
                found[detail.strip()] = REMOVED
        ordered = sorted(found.items(), key=lambda item: -len(item[0]))
        patterns = [
            (re.compile(rf"(?<!\w){re.escape(key)}(?!\w)", re.IGNORECASE), value)
            for key, value in ordered
        ]
        # The same details written another way: spaced differently, +44 for 0, the date of
        # birth as people write dates.
        loose = [survivor.phone, *survivor.address.splitlines()]
        patterns += [(_loosely(detail), REMOVED) for detail in loose if _worth_matching(detail)]
        patterns += [(pattern, REMOVED) for pattern in _birth_date_patterns(survivor)]
        return cls(tuple(patterns))

    def __call__(self, text: str) -> str:
        for pattern, replacement in self.replacements:
            text = pattern.sub(replacement, text)
        return text


#: What may sit between the characters of a phone number or postcode written by hand.
_SEPARATORS = r"[\s\-./()]*"


def _worth_matching(detail: str) -> bool:
    return sum(ch.isalnum() for ch in detail) >= 5


def _loosely(detail: str) -> re.Pattern[str]:
    """``detail``'s letters and digits in order, whatever separates them; a UK number's leading
    0 may also be written +44 or 0044."""
    characters = [ch for ch in detail if ch.isalnum()]
    body = _SEPARATORS.join(re.escape(ch) for ch in characters)
    if len(characters) > 6 and characters[0] == "0" and all(c.isdigit() for c in characters):
        rest = _SEPARATORS.join(re.escape(ch) for ch in characters[1:])
        body = rf"(?:{body}|(?:\+|00){_SEPARATORS}44{_SEPARATORS}(?:\(0\))?{_SEPARATORS}{rest})"
    return re.compile(rf"(?<!\w){body}(?!\w)", re.IGNORECASE)


def _birth_date_patterns(survivor: Survivor) -> list[re.Pattern[str]]:
    """The date of birth as it may be written in an account: 17/05/1990, 17 May 1990,
    May 17th 1990, 1990-05-17; or May 1990 and 05/1990 when only the month is known."""
    born = survivor.date_of_birth
    if born is None or born.month is None:
        return []  # a year alone says too little to take out of an account
    month = MONTH_NAMES[born.month - 1]
    month_word = rf"(?:{month}|{month[:3]}\.?)"
    number = rf"0?{born.month}"
    year = rf"(?:{born.year}|{born.year % 100:02d})"
    if born.day is None:
        forms = [rf"{month_word}\s*,?\s*{born.year}", rf"{number}\s*[/.\-]\s*{born.year}"]
    else:
        day = rf"0?{born.day}(?:st|nd|rd|th)?"
        forms = [
            rf"{day}\s*[/.\-]\s*{number}\s*[/.\-]\s*{year}",
            rf"{day}\s+(?:of\s+)?{month_word}\s*,?\s*{born.year}",
            rf"{month_word}\s+{day}\s*,?\s*{born.year}",
            rf"{born.year}\s*-\s*{born.month:02d}\s*-\s*{born.day:02d}",
        ]
    return [re.compile(rf"(?<!\w){form}(?!\w)", re.IGNORECASE) for form in forms]
