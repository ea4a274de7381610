"""Text folded for matching: accents dropped, case folded, every apostrophe and hyphen alike.

Word and Outlook type curly apostrophes and en dashes, phones drop accents, and people write
names in capitals: a detail has to be found however it was typed. The folded text keeps, for
each of its characters, where that character came from, so a match in the folded text is a
stretch of the text as typed.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

APOSTROPHES = frozenset("'\u2018\u2019\u201b\u02bc\u02b9`\u00b4\u2032")
HYPHENS = frozenset("-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d")
SPACES = frozenset("\u00a0\u2007\u202f\u2009\u200a\u3000")


def fold_char(char: str) -> str:
    """One typed character as it takes part in matching (it may become none, or two)."""
    if char in APOSTROPHES:
        return "'"
    if char in HYPHENS:
        return "-"
    if char in SPACES:
        return " "
    decomposed = unicodedata.normalize("NFKD", char)
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    return kept.casefold()


def fold(text: str) -> str:
    """``text`` folded, without the way back (for names and details as recorded)."""
    return "".join(fold_char(char) for char in text)


def squeeze(text: str) -> str:
    """Folded letters and digits only: ``O\u2019Brien-Hughes`` (curly) is ``obrienhughes``."""
    return "".join(char for char in fold(text) if char.isalnum())


@dataclass(frozen=True)
class Folded:
    """A text folded, with the typed position of each folded character."""

    original: str
    text: str
    origin: tuple[int, ...]

    @classmethod
    def of(cls, original: str) -> Folded:
        chars: list[str] = []
        origin: list[int] = []
        for index, char in enumerate(original):
            for folded in fold_char(char):
                chars.append(folded)
                origin.append(index)
        return cls(original, "".join(chars), tuple(origin))

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The typed stretch behind folded ``[start, end)``, with any accents that follow."""
        first = self.origin[start]
        last = self.origin[end - 1] + 1
        while last < len(self.original) and unicodedata.combining(self.original[last]):
            last += 1
        return first, last
