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
    warning = str(feedback.get("warning") or "")
    suggestions = [str(s) for s in feedback.get("suggestions") or []]
    acceptable = score >= REQUIRED_SCORE
    if acceptable:
        summary = "Strong enough."
    else:
        summary = warning or "This passphrase would be too easy to guess."
    advice = " ".join(suggestions) or (
        "" if acceptable else "Use four or more unrelated words, or a longer phrase."
    )
    return Strength(score, float(result["guesses_log10"]), acceptable, summary, advice)
