"""What the redacted copy proposes to hide in a piece of free text, and why.

Pattern matching alone cannot be both safe and readable, so nothing here decides: each stretch
found becomes a :class:`Proposal` with its reason and a default that the advocate reviews before
anything prints. Recorded identifiers (the survivor's names, the other people listed on the
record, the date of birth, phone, email and address) are proposed hidden. An ordinary word that
only happens to equal a name part ("may", "hope", "church" in lower case, or a month before a
year) is proposed shown and marked for a look. Plain Python, so it is tested without Qt.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from referral_app.domain.referral import Referral
from referral_app.services import written_forms as forms
from referral_app.services.folding import Folded, fold, squeeze
from referral_app.services.resources import read_resource

SURVIVOR = "survivor's name"
BIRTH = "date of birth"
PHONE = "phone"
EMAIL = "email"
ADDRESS = "address"
PLACE = "place"
OTHER = "another person's name"
CRIME_REFERENCE = "crime reference"
FORCE = "police force"
#: The order a reason wins in when two proposals overlap.
RANK = (SURVIVOR, BIRTH, PHONE, EMAIL, ADDRESS, OTHER, PLACE, CRIME_REFERENCE, FORCE)
#: Short words inside names that are never hidden on their own ("Heol y Parc", "de la Cruz").
PARTICLES = frozenset(
    [
        "y",
        "de",
        "da",
        "di",
        "du",
        "dos",
        "van",
        "von",
        "der",
        "den",
        "la",
        "le",
        "al",
        "el",
        "bin",
        "bint",
        "ibn",
        "ap",
        "ab",
        "ni",
        "nic",
        "mac",
        "mc",
        "o",
        "st",
    ]
)
MONTHS = frozenset(
    [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ]
)
#: Between two name parts written as one name: "Siân O'Brien-Hughes", with any apostrophe,
#: hyphen or dash.
_NAME_GAP = re.compile("[\\s'\u2018\u2019\\-\u2010-\u2015.]{0,3}")
_POSSESSIVE_S = re.compile(r"e?s(?![^\W\d_])")


def ordinary_words() -> frozenset[str]:
    lines = read_resource("ordinary_words.txt").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


@dataclass(frozen=True)
class Proposal:
    """A stretch ``[start, end)`` of one free-text field proposed for hiding."""

    field: str
    start: int
    end: int
    text: str
    reason: str
    #: The default: hidden unless the advocate shows it.
    hide: bool
    #: Marked for a look: it may be an ordinary word, or a guess.
    look: bool


@dataclass(frozen=True)
class _Name:
    """One part of a recorded name, as folded letters, and whose it is."""

    key: str
    pattern: re.Pattern[str]
    reason: str
    surname: bool


@dataclass(frozen=True)
class _Found:
    start: int
    end: int
    reason: str
    hide: bool = True
    look: bool = False


def _name_pattern(part: str) -> re.Pattern[str] | None:
    """A name part's letters, with an apostrophe allowed between any two and a space where the
    recorded name has an apostrophe (``O'Brien``, ``OBrien``, ``O Brien``)."""
    folded = fold(part)
    pieces: list[str] = []
    for char in folded:
        if char == "'":
            if pieces:
                pieces.append(r"[' ]?")
        elif char.isalnum():
            if pieces and pieces[-1] != r"[' ]?":
                pieces.append("'?")
            pieces.append(re.escape(char))
    letters = squeeze(part)
    return re.compile("".join(pieces)) if len(letters) >= 2 else None


def _name_parts(name: str, reason: str) -> list[_Name]:
    words = [w for w in re.split(r"\s+", name.strip()) if w]
    found: list[_Name] = []
    for position, word in enumerate(words):
        for part in re.split("[\\-\u2010-\u2015\u2212]", word):
            pattern = _name_pattern(part)
            if pattern is not None:
                last = position == len(words) - 1 and len(words) > 1
                found.append(_Name(squeeze(part), pattern, reason, last))
    return found


class Proposer:
    """Everything recorded that a redacted copy must not show, ready to look for in text."""

    def __init__(
        self, referral: Referral, *, keep_crime_references: bool = True, keep_force: bool = True
    ) -> None:
        self.ordinary = ordinary_words()
        survivor = referral.survivor
        names: list[_Name] = []
        for name in [survivor.full_name, *survivor.previous_names]:
            names += _name_parts(name, SURVIVOR)
        for name in referral.others_to_keep_out:
            names += _name_parts(name, OTHER)
        self.patterns: list[tuple[re.Pattern[str], str]] = []
        self._address(survivor.address, names)
        self.names = names
        self.birth = forms.birth_date_patterns(survivor.date_of_birth)
        recorded = forms.national_number(survivor.phone) if survivor.phone.strip() else None
        self.phones = {recorded} if recorded else set()
        digits = re.sub(r"\D", "", survivor.phone)
        loose = forms.loose_digits(digits)
        if loose is not None:
            self.patterns.append((loose, PHONE))
        self.patterns += [(p, EMAIL) for p in forms.recorded_email_patterns(fold(survivor.email))]
        self.patterns += [(forms.EMAIL, EMAIL), (forms.SPOKEN_EMAIL, EMAIL)]
        self.patterns.append((forms.POSTCODE, ADDRESS))
        if not keep_crime_references:
            for reference in referral.case.crime_references:
                chars = [re.escape(c) for c in squeeze(reference)]
                if chars:
                    body = r"[\s/\\-]*".join(chars)
                    self.patterns.append(
                        (re.compile(rf"(?<![a-z0-9]){body}(?![a-z0-9])"), CRIME_REFERENCE)
                    )
        force = referral.case.police_force or ""
        if not keep_force and squeeze(force):
            words = re.findall(r"[a-z0-9]+", fold(force))
            words = [w for w in words if w not in {"police", "constabulary", "service"}] or words
            body = forms.words_pattern(words)
            tail = r"(?:[\s-]*(?:police|constabulary)(?:\s+service)?)?"
            self.patterns.append((re.compile(rf"(?<![a-z0-9]){body}{tail}(?![a-z0-9])"), FORCE))

    def _address(self, address: str, names: list[_Name]) -> None:
        """The recorded address's postcode, street, building and town names."""
        lines = [line.strip() for line in re.split(r"[\n,]", address) if line.strip()]
        for index, line in enumerate(lines):
            folded = fold(line)
            words = re.findall(r"[a-z0-9]+", folded)
            if not words:
                continue
            if forms.POSTCODE.fullmatch(folded.strip()):
                letters = [re.escape(c) for c in squeeze(line)]
                self._add(r"\s*".join(letters), ADDRESS)
                self._add(
                    re.escape(folded.split()[0]) if " " in folded else "".join(letters[:-3]),
                    ADDRESS,
                )
                continue
            has_number = any(c.isdigit() for c in folded)
            is_street = words[-1] in forms.STREET_TYPES
            if has_number or is_street or index == 0:
                self._add(forms.words_pattern(words), ADDRESS)
                numbered = [i for i, w in enumerate(words) if any(c.isdigit() for c in w)]
                core = words[numbered[-1] + 1 :] if numbered else words
                self._street(core)
            else:
                names += _name_parts(line, PLACE)

    def _street(self, core: list[str]) -> None:
        if not core:
            return
        if core[-1] in forms.STREET_TYPES and len(core) > 1:
            name = forms.words_pattern(core[:-1])
            self._add(rf"{name}[\s,'-]*{forms.street_type_pattern(core[-1])}", ADDRESS)
            if all(w in self.ordinary for w in core[:-1]) or len("".join(core[:-1])) < 4:
                return
            core = core[:-1]
        if len(core) > 1 or (core[0] not in self.ordinary and len(core[0]) >= 4):
            self._add(forms.words_pattern(core), ADDRESS)

    def _add(self, body: str, reason: str) -> None:
        if body:
            self.patterns.append((re.compile(rf"(?<![a-z0-9]){body}(?![a-z0-9])"), reason))

    # Looking

    def propose(self, field: str, text: str) -> list[Proposal]:
        """Every stretch of ``text`` to propose, overlaps resolved, neighbours joined."""
        if not text.strip():
            return []
        folded = Folded.of(text)
        found = _joined(_without_overlaps(self._names(folded)), text)
        for pattern, reason in self.patterns:
            found += [
                self._worded(text, s, e, reason) for s, e in forms.find_all([pattern], folded)
            ]
        found += [_Found(s, e, BIRTH) for s, e in forms.find_all(self.birth, folded)]
        for (start, end), _recorded in forms.phone_spans(text, self.phones):
            found.append(_Found(start, end, PHONE))
        chosen = _without_overlaps(found)
        return [
            Proposal(field, f.start, f.end, text[f.start : f.end], f.reason, f.hide, f.look)
            for f in _joined(chosen, text)
        ]

    def _worded(self, text: str, start: int, end: int, reason: str) -> _Found:
        """A place or street found in words that are all ordinary and typed in lower case ("the
        green" for The Green) is shown by default and marked for a look."""
        typed = text[start:end]
        words = re.findall(r"[^\W\d_]+", fold(typed))
        everyday = words and all(w in self.ordinary for w in words)
        if everyday and typed == typed.lower() and not any(c.isdigit() for c in typed):
            # "station road" is still the street; "the green" may be any green.
            street = len(words) > 1 and words[-1] in forms.STREET_TYPES
            return _Found(start, end, reason, hide=street, look=True)
        return _Found(start, end, reason)

    def _names(self, folded: Folded) -> list[_Found]:
        text = folded.text
        candidates: list[tuple[int, int, _Name]] = []
        for name in self.names:
            for match in name.pattern.finditer(text):
                end = match.end()
                plural = _POSSESSIVE_S.match(text, end)
                if plural and not name.key.endswith("s"):
                    end = plural.end()
                candidates.append((match.start(), end, name))
        candidates = _bounded(candidates, text)
        found: list[_Found] = []
        for start, end, name in candidates:
            if name.key in PARTICLES and not _beside(start, end, candidates, text, self.ordinary):
                continue
            found.append(self._judged(folded, start, end, name, candidates))
            if name.reason == SURVIVOR and name.surname:
                other = self._first_name_before(folded, start, candidates)
                if other is not None:
                    found.append(other)
        return found

    def _judged(
        self,
        folded: Folded,
        start: int,
        end: int,
        name: _Name,
        candidates: list[tuple[int, int, _Name]],
    ) -> _Found:
        """Hidden by default, unless an ordinary word written as one (lower case, or a month
        beside a number): then shown, and marked for a look either way."""
        first, last = folded.span(start, end)
        if name.key not in self.ordinary:
            return _Found(first, last, name.reason)
        if _beside(start, end, candidates, folded.text, self.ordinary, strong=True):
            return _Found(first, last, name.reason)
        typed = folded.original[first:last]
        if typed == typed.lower():
            return _Found(first, last, name.reason, hide=False, look=True)
        if name.key in MONTHS and _by_a_number(folded.text, start, end):
            return _Found(first, last, name.reason, hide=False, look=True)
        return _Found(first, last, name.reason, hide=True, look=True)

    def _first_name_before(
        self, folded: Folded, start: int, candidates: list[tuple[int, int, _Name]]
    ) -> _Found | None:
        """A capitalised word just before the survivor's surname that is not theirs ("her
        brother Rhys O'Brien"): most likely a relative, so proposed as another person's name."""
        match = re.search(r"([^\W\d_][^\W\d_'-]+)\s+$", folded.text[:start])
        if match is None or any(s <= match.start() < e for s, e, _ in candidates):
            return None
        if match.group(1) in self.ordinary or len(match.group(1)) < 2:
            return None
        first, last = folded.span(match.start(1), match.end(1))
        if not folded.original[first].isupper():
            return None
        # At the start of a sentence a capital says nothing: shown, for a look.
        opens = re.search(r"(?:^|[.!?:;]\s*)$", folded.text[: match.start(1)]) is not None
        return _Found(first, last, OTHER, hide=not opens, look=True)


def _bounded(candidates: list[tuple[int, int, _Name]], text: str) -> list[tuple[int, int, _Name]]:
    """The matches that stand as whole words, or run into another name part on either side
    ("SianOBrien", "obrienhughes"); repeated until no more drop out."""
    while True:
        starts = {start for start, _, _ in candidates}
        ends = {end for _, end, _ in candidates}
        kept = []
        for start, end, name in candidates:
            left = start == 0 or not text[start - 1].isalpha() or start in ends
            right = end == len(text) or not text[end].isalpha() or end in starts
            short = len(name.key) <= 2
            if short:
                left = start == 0 or not text[start - 1].isalpha()
                right = end == len(text) or not text[end].isalpha()
            if left and right:
                kept.append((start, end, name))
        if len(kept) == len(candidates):
            return kept
        candidates = kept


def _beside(
    start: int,
    end: int,
    candidates: list[tuple[int, int, _Name]],
    text: str,
    ordinary: frozenset[str],
    *,
    strong: bool = False,
) -> bool:
    """Whether another name part sits right next to this one, as in a full name. With
    ``strong``, only a part that is no ordinary word, or is capitalised, counts."""
    for other_start, other_end, other in candidates:
        if (other_start, other_end) == (start, end) or other.key in PARTICLES:
            continue
        if strong and other.key in ordinary and text[other_start:other_end] == other.key:
            continue
        gap = text[end:other_start] if other_start >= end else text[other_end:start]
        if (other_start >= end or other_end <= start) and _NAME_GAP.fullmatch(gap):
            return True
    return False


def _by_a_number(text: str, start: int, end: int) -> bool:
    after = re.match(r"[\s,.]*\d", text[end:])
    before = re.search(r"\d(?:st|nd|rd|th)?[\s,.]*(?:of\s+)?$", text[:start])
    return after is not None or before is not None


def _without_overlaps(found: list[_Found]) -> list[_Found]:
    """Where stretches overlap, the one hidden by default wins, then the longer, then by reason."""
    order = sorted(found, key=lambda f: (not f.hide, -(f.end - f.start), RANK.index(f.reason)))
    kept: list[_Found] = []
    for item in order:
        if all(item.end <= k.start or item.start >= k.end for k in kept):
            kept.append(item)
    return sorted(kept, key=lambda f: f.start)


def _joined(found: list[_Found], text: str) -> list[_Found]:
    """Neighbours with the same reason and default become one: a full name is one proposal."""
    joined: list[_Found] = []
    for item in found:
        if joined:
            last = joined[-1]
            same = (last.reason, last.hide) == (item.reason, item.hide)
            if same and _NAME_GAP.fullmatch(text[last.end : item.start]):
                joined[-1] = _Found(
                    last.start, item.end, last.reason, last.hide, last.look or item.look
                )
                continue
        joined.append(item)
    return joined
