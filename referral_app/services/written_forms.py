"""Patterns for a recorded detail in the forms people write it in: a date of birth as
``10-Mar-2001``, ``2001-3-10`` or ``the tenth of March 2001``; a phone number with an extension or
a prefix run on; an email address spelt out as "at" and "dot"; a postcode with or without its
space. Each pattern works on folded text (see :mod:`referral_app.services.folding`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import phonenumbers

from referral_app.domain.dates import MONTH_NAMES, PartialDate
from referral_app.services.folding import Folded

Span = tuple[int, int]

_UNITS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_ORDINAL_UNITS = [
    "_",
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
]
_ORDINAL_TENS = {20: "twentieth", 30: "thirtieth"}
#: Between the words of a number written out: "twenty-first", "twenty first", "twentyfirst".
_JOIN = r"[\s-]*"


def number_words(number: int) -> str:
    """A pattern for 0 to 99 written out in words."""
    if number < 20:
        return _UNITS[number]
    tens, units = divmod(number, 10)
    return _TENS[tens] if units == 0 else f"{_TENS[tens]}{_JOIN}{_UNITS[units]}"


def ordinal_words(number: int) -> str:
    """A pattern for the 1st to the 31st written out: "tenth", "twenty-first"."""
    if number < 20:
        return _ORDINAL_UNITS[number]
    tens, units = divmod(number, 10)
    if units == 0:
        return _ORDINAL_TENS[number]
    return f"{_TENS[tens]}{_JOIN}{_ORDINAL_UNITS[units]}"


def year_words(year: int) -> str:
    """A pattern for a year written out: "two thousand and one", "nineteen ninety-nine",
    "twenty ten"."""
    century, rest = divmod(year, 100)
    forms = []
    if century == 20:
        thousand = r"two\s+thousand"
        forms.append(thousand if rest == 0 else rf"{thousand}(?:\s+and)?\s+{number_words(rest)}")
    if rest >= 10:
        forms.append(rf"{number_words(century)}{_JOIN}{number_words(rest)}")
    elif rest > 0:
        forms.append(rf"{number_words(century)}{_JOIN}(?:oh|o|hundred\s+and){_JOIN}{_UNITS[rest]}")
    else:
        forms.append(rf"{number_words(century)}\s+hundred")
    return "|".join(forms)


def _month_pattern(month: int) -> str:
    name = MONTH_NAMES[month - 1].lower()
    short = [name[:3]] + (["sept"] if month == 9 else [])
    return rf"(?:{name}|(?:{'|'.join(short)})\.?)"


#: What may stand between the day, month and year of a date written with words.
_DATE_SEPARATOR = r"(?:[\s,./\\-]|\bof\b|\bthe\b)*"
_NUMERIC_SEPARATOR = r"(?:\s*[./\\_-]\s*|\s+)"


def birth_date_patterns(born: PartialDate | None) -> list[re.Pattern[str]]:
    """The date of birth in every written form: numeric in any order with any separator,
    month names and their abbreviations, ordinals, two-digit years and words. Month and year
    (and a birthday without the year) count too; a year alone says too little."""
    if born is None or born.month is None:
        return []
    year, month, sep = born.year, born.month, _DATE_SEPARATOR
    month_word = _month_pattern(month)
    year_any = rf"(?:{year}|'?{year % 100:02d}|{year_words(year)})"
    forms = [rf"{month_word}{sep}{year}", rf"0?{month}{_NUMERIC_SEPARATOR}{year}"]
    if born.day is not None:
        day = born.day
        day_any = rf"(?:0?{day}(?:st|nd|rd|th)?|{ordinal_words(day)}|{number_words(day)})"
        forms += [
            rf"(?:the\s+)?{day_any}{sep}{month_word}(?:{sep}{year_any})?",
            rf"{month_word}{sep}{day_any}(?:{sep}{year_any})?",
            rf"{year_any}{sep}{month_word}{sep}{day_any}",
        ]
        numbers = {"d": rf"0?{day}", "m": rf"0?{month}", "y": rf"(?:{year}|{year % 100:02d})"}
        for order in ("dmy", "mdy", "ymd", "ydm"):
            forms.append(_NUMERIC_SEPARATOR.join(numbers[part] for part in order))
        dd, mm, yyyy, yy = f"{day:02d}", f"{month:02d}", str(year), f"{year % 100:02d}"
        forms += [dd + mm + yyyy, yyyy + mm + dd, mm + dd + yyyy, dd + mm + yy]
    return [re.compile(rf"(?<![a-z0-9]){form}(?![a-z0-9])") for form in forms]


def find_all(patterns: list[re.Pattern[str]], folded: Folded) -> Iterator[Span]:
    for pattern in patterns:
        for match in pattern.finditer(folded.text):
            if match.end() > match.start():
                yield folded.span(match.start(), match.end())


# Phone numbers


def national_number(phone: str) -> int | None:
    """The recorded phone's national number, or None when it does not parse as one."""
    try:
        return phonenumbers.parse(phone, "GB").national_number
    except phonenumbers.NumberParseException:
        return None


def phone_spans(text: str, recorded: set[int]) -> Iterator[tuple[Span, bool]]:
    """Phone numbers in ``text`` (as typed), with extensions and prefixes run on, found by the
    libphonenumber parser; each with whether it is one of the ``recorded`` numbers. Numbers
    that are not recorded are found only when valid, so references and dates are left alone."""
    matcher = phonenumbers.PhoneNumberMatcher(text, "GB", leniency=phonenumbers.Leniency.POSSIBLE)
    for match in matcher:
        number = match.number
        if number.national_number in recorded:
            yield (match.start, match.end), True
        elif phonenumbers.is_valid_number(number):
            yield (match.start, match.end), False


def loose_digits(digits: str) -> re.Pattern[str] | None:
    """A recorded number's digits with anything a person might put between them, and the
    leading 0 also as +44 or 0044 (for numbers the parser does not take as a whole)."""
    if len(digits) < 6:
        return None
    gap = r"[\s\-./()]{0,3}"
    body = gap.join(digits)
    if digits.startswith("0"):
        rest = gap.join(digits[1:])
        body = rf"(?:{body}|(?:\+|00){gap}44{gap}(?:\(0\))?{gap}{rest})"
    return re.compile(rf"(?<![0-9]){body}(?:\s*(?:x|ext\.?|extension)\s*[0-9]{{1,6}})?(?![0-9])")


# Email addresses

#: A dot in an address written out: "." itself (no spaces round it, or a sentence's end would
#: count), "(dot)", "[dot]" or the word.
_DOT = r"(?:\.|\s*[(\[]dot[)\]]\s*|\s+dot\s+)"
_AT = r"(?:\s*@\s*|\s*[(\[]at[)\]]\s*|\s+at\s+)"
_PART = r"[a-z0-9_%+'-]+"
_ENDINGS = r"(?:com|org|net|uk|co|ac|gov|nhs|me|io|info|wales|scot|ie|eu|biz)"
EMAIL = re.compile(
    rf"(?<![a-z0-9._%+-]){_PART}(?:\.{_PART})*@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{{2,}}"
)
SPOKEN_EMAIL = re.compile(
    rf"(?<![a-z0-9]){_PART}(?:{_DOT}{_PART})*{_AT}[a-z0-9-]+(?:{_DOT}[a-z0-9-]+)*{_DOT}{_ENDINGS}\b"
)


def recorded_email_patterns(email: str) -> list[re.Pattern[str]]:
    """The recorded address spelt out loosely, and its part before the @ on its own when it is
    long enough to be telling (``sianobrien2001`` anywhere)."""
    parts = [p for p in re.split(r"[^a-z0-9]+", email.lower()) if p]
    if not parts or "@" not in email:
        return []
    local = [p for p in re.split(r"[^a-z0-9]+", email.lower().split("@")[0]) if p]
    anything = rf"(?:{_DOT}|{_AT}|[\s_+-]*)"
    patterns = [re.compile(rf"(?<![a-z0-9]){anything.join(map(re.escape, parts))}(?![a-z0-9])")]
    whole = "".join(local)
    if len(whole) >= 6:
        patterns.append(re.compile(rf"(?<![a-z0-9]){'[._-]?'.join(map(re.escape, local))}"))
    return patterns


# Addresses

POSTCODE = re.compile(r"(?<![a-z0-9])[a-z]{1,2}[0-9][a-z0-9]?\s*[0-9][a-z]{2}(?![a-z0-9])")
STREET_TYPES = {
    "road": "rd",
    "street": "st",
    "avenue": "ave|av",
    "lane": "ln",
    "drive": "dr",
    "close": "cl",
    "crescent": "cres|cresc",
    "place": "pl",
    "court": "ct",
    "gardens": "gdns",
    "terrace": "terr|ter",
    "square": "sq",
    "grove": "gr",
    "park": "pk",
    "way": "",
    "walk": "",
    "hill": "",
    "row": "",
    "mews": "",
    "view": "",
}


def street_type_pattern(word: str) -> str:
    short = STREET_TYPES.get(word, "")
    return rf"(?:{word}|(?:{short})\.?)" if short else word


def words_pattern(words: list[str]) -> str:
    """Words in order with any spaces, hyphens, apostrophes or commas between them."""
    return r"[\s,'-]*".join(re.escape(word) for word in words)
