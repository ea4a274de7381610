"""How strong a passphrase is, judged by zxcvbn's estimate of the guesses it would take.

A rule about length or symbols lets ``Password123!`` through; an estimate of guesses does not.
The database file can be copied off a lost laptop and attacked at leisure, so only zxcvbn's top
score is accepted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

#: zxcvbn scores 0 to 4; 4 means more than about 10^10 guesses.
REQUIRED_SCORE = 4
#: zxcvbn refuses longer input; the first 72 characters decide the score.
_MAX_CHECKED = 72

SCORE_WORDS = ("Very weak", "Weak", "Fair", "Good", "Strong")

#: Every message zxcvbn gives (its feedback module, version 4.4), as the app says it: in
#: British English, and the same wherever a passphrase is judged. A message zxcvbn adds later
#: is shown as it comes until it is listed here.
FEEDBACK: dict[str, str] = {
    "Use a few words, avoid common phrases.": "Use a few words, and avoid common phrases.",
    "No need for symbols, digits, or uppercase letters.": (
        "There is no need for symbols, digits or capital letters."
    ),
    "Add another word or two. Uncommon words are better.": (
        "Add another word or two. Uncommon words are better."
    ),
    "Straight rows of keys are easy to guess.": "Straight rows of keys are easy to guess.",
    "Short keyboard patterns are easy to guess.": "Short keyboard patterns are easy to guess.",
    "Use a longer keyboard pattern with more turns.": (
        "Use a longer keyboard pattern with more turns."
    ),
    'Repeats like "aaa" are easy to guess.': "Repeats like “aaa” are easy to guess.",
    'Repeats like "abcabcabc" are only slightly harder to guess than "abc".': (
        "Repeats like “abcabcabc” are only slightly harder to guess than “abc”."
    ),
    "Avoid repeated words and characters.": "Avoid repeated words and characters.",
    'Sequences like "abc" or "6543" are easy to guess.': (
        "Sequences like “abc” or “6543” are easy to guess."
    ),
    "Avoid sequences.": "Avoid sequences.",
    "Recent years are easy to guess.": "Recent years are easy to guess.",
    "Avoid recent years.": "Avoid recent years.",
    "Avoid years that are associated with you.": "Avoid years that are linked to you.",
    "Dates are often easy to guess.": "Dates are often easy to guess.",
    "Avoid dates and years that are associated with you.": (
        "Avoid dates and years that are linked to you."
    ),
    "This is a top-10 common password.": "This is one of the 10 most common passwords.",
    "This is a top-100 common password.": "This is one of the 100 most common passwords.",
    "This is a very common password.": "This is a very common password.",
    "This is similar to a commonly used password.": (
        "This is similar to a commonly used password."
    ),
    "A word by itself is easy to guess.": "A word by itself is easy to guess.",
    "Names and surnames by themselves are easy to guess.": (
        "Names and surnames by themselves are easy to guess."
    ),
    "Common names and surnames are easy to guess.": (
        "Common names and surnames are easy to guess."
    ),
    "Capitalization doesn't help very much.": "Capitalisation doesn't help very much.",
    "All-uppercase is almost as easy to guess as all-lowercase.": (
        "All capitals are almost as easy to guess as no capitals."
    ),
    "Reversed words aren't much harder to guess.": "Reversed words aren't much harder to guess.",
    "Predictable substitutions like '@' instead of 'a' don't help very much.": (
        "Predictable substitutions like “@” instead of “a” don't help very much."
    ),
}


def said(message: str) -> str:
    """One of zxcvbn's messages as the app says it (see :data:`FEEDBACK`)."""
    return FEEDBACK.get(message, message)


@dataclass(frozen=True)
class Strength:
    score: int
    guesses_log10: float
    acceptable: bool
    summary: str
    advice: str

    @property
    def label(self) -> str:
        return SCORE_WORDS[self.score]


def estimate(passphrase: str, personal: Sequence[str] = ()) -> Strength:
    """Judge ``passphrase``; words in ``personal`` (names, organisation) count as easy guesses."""
    if not passphrase:
        return Strength(0, 0.0, False, "Enter a passphrase.", "")
    words = [word for phrase in personal for word in (*phrase.split(), phrase.replace(" ", ""))]
    from zxcvbn import zxcvbn

    result = zxcvbn(passphrase[:_MAX_CHECKED], user_inputs=words)
    score = int(result["score"])
    feedback = result.get("feedback") or {}
    warning = said(str(feedback.get("warning") or ""))
    suggestions = [said(str(s)) for s in feedback.get("suggestions") or []]
    acceptable = score >= REQUIRED_SCORE
    if acceptable:
        summary = "Strong enough."
    else:
        summary = warning or "This passphrase would be too easy to guess."
    advice = " ".join(suggestions) or (
        "" if acceptable else "Use four or more unrelated words, or a longer phrase."
    )
    return Strength(score, float(result["guesses_log10"]), acceptable, summary, advice)
