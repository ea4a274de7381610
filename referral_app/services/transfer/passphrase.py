"""Passphrases for export files: generated ones, and when an advocate's own one will do.

An export leaves the app's protection for good: it is emailed, copied to memory sticks and
kept by people who never delete anything, so its passphrase is the only thing between a
stranger and a survivor's account of abuse. Six words from the EFF long list (7,776 words)
give about 77.5 bits, which no one will guess; words are also easy to read out over the phone,
which is how the passphrase should travel. An advocate may use their own passphrase only when
zxcvbn estimates it at least as hard to guess.
"""

from __future__ import annotations

import functools
import math
import secrets
import string
from collections.abc import Sequence
from dataclasses import dataclass

from referral_app.storage.passphrase import estimate

#: Six words: the fewest that the design allows, and plenty at 77.5 bits.
WORD_COUNT = 6
#: The EFF long list's size, which the entropy below assumes (checked when the list loads).
EFF_LONG_WORDS = 7776
#: log10 of the guesses a generated passphrase takes: what an own passphrase must match.
GENERATED_GUESSES_LOG10 = WORD_COUNT * math.log10(EFF_LONG_WORDS)
#: Characters every ZIP program turns into the same bytes, so the recipient's 7-Zip or
#: WinZip opens the file with what they type. Accented letters can differ between programs.
ALLOWED = frozenset(string.ascii_letters + string.digits + string.punctuation + " ")


@functools.cache
def word_list() -> tuple[str, ...]:
    """The EFF long word list, as the xkcdpass package ships it."""
    from xkcdpass import xkcd_password  # type: ignore[import-untyped]

    path = xkcd_password.locate_wordfile("eff-long")
    words = tuple(xkcd_password.generate_wordlist(wordfile=path, min_length=1, max_length=99))
    if len(set(words)) != EFF_LONG_WORDS:
        raise RuntimeError("the EFF long word list is not the expected size")
    return words


def generate_passphrase(words: int = WORD_COUNT) -> str:
    """Words chosen by the operating system's secure random source, lower case, one space
    between them, so they are read out, heard and typed the same way."""
    if words < WORD_COUNT:
        raise ValueError(f"an export passphrase needs at least {WORD_COUNT} words")
    choices = word_list()
    return " ".join(secrets.choice(choices) for _ in range(words))


def normalised(passphrase: str) -> str:
    """Spaces as they are most likely meant: none at either end, one between words."""
    return " ".join(passphrase.split())


@dataclass(frozen=True)
class OwnPassphrase:
    """The verdict on a passphrase the advocate typed."""

    acceptable: bool
    #: How far towards a generated passphrase's strength it is, 0 to 100.
    percent: int
    message: str


def judge_own(passphrase: str, personal: Sequence[str] = ()) -> OwnPassphrase:
    """Accept ``passphrase`` only if zxcvbn rates it at least as hard to guess as a generated
    one. ``personal`` holds words an attacker would try first (the advocate's name and
    organisation)."""
    if not passphrase:
        return OwnPassphrase(False, 0, "Enter a passphrase, or use the one the app made")
    if any(character not in ALLOWED for character in passphrase):
        return OwnPassphrase(
            False,
            0,
            "Use only letters without accents, numbers, spaces and punctuation, so that "
            "every program opens the file with the same passphrase",
        )
    if passphrase != normalised(passphrase):
        return OwnPassphrase(
            False,
            0,
            "Remove the spaces at the start and end, and any double spaces: they are easy "
            "to miss when the passphrase is passed on",
        )
    guesses = estimate(passphrase, personal).guesses_log10
    percent = max(0, min(100, round(100 * guesses / GENERATED_GUESSES_LOG10)))
    if guesses < GENERATED_GUESSES_LOG10:
        return OwnPassphrase(
            False,
            percent,
            "Your passphrase would be easier to guess than one the app makes. Make it "
            "longer and less predictable, or use the app's passphrase",
        )
    return OwnPassphrase(True, 100, "Strong enough")
