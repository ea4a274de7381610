"""Generated passphrases, and when the advocate's own passphrase is strong enough."""

from __future__ import annotations

import math

import pytest

from referral_app.services.transfer import passphrase
from referral_app.services.transfer.passphrase import (
    GENERATED_GUESSES_LOG10,
    WORD_COUNT,
    generate_passphrase,
    judge_own,
    word_list,
)


def test_six_words_from_the_eff_long_list() -> None:
    words = word_list()
    assert len(words) == len(set(words)) == 7776
    generated = generate_passphrase()
    assert len(generated.split(" ")) == WORD_COUNT == 6
    assert all(word in words for word in generated.split(" "))
    assert generated == generated.lower()
    assert len({generate_passphrase() for _ in range(20)}) == 20
    assert pytest.approx(6 * math.log10(7776)) == GENERATED_GUESSES_LOG10
    assert pytest.approx(23.3, abs=0.1) == GENERATED_GUESSES_LOG10


def test_the_words_come_from_the_secrets_module(monkeypatch: pytest.MonkeyPatch) -> None:
    chosen: list[int] = []

    def choice(words: tuple[str, ...]) -> str:
        chosen.append(len(words))
        return words[len(chosen)]

    monkeypatch.setattr(passphrase.secrets, "choice", choice)
    assert generate_passphrase(7) == " ".join(word_list()[1:8])
    assert chosen == [7776] * 7


def test_fewer_than_six_words_are_refused() -> None:
    with pytest.raises(ValueError, match="at least 6 words"):
        generate_passphrase(5)


@pytest.mark.parametrize(
    "weak",
    ["", "Password123!", "correct horse battery staple", "Safe Space Charity 2026 Ann"],
)
def test_a_weaker_own_passphrase_is_refused(weak: str) -> None:
    verdict = judge_own(weak, ["Ann Advocate", "Safe Space Charity"])
    assert not verdict.acceptable
    assert verdict.message


def test_an_own_passphrase_as_strong_as_a_generated_one_is_accepted() -> None:
    assert judge_own(generate_passphrase()).acceptable
    assert judge_own("My cat Tibbles hid 3 socks under Gran's blue sofa, 1987!").acceptable


@pytest.mark.parametrize(
    "awkward", ["  leading space and six more words here", "clé à molette cassée x9 QZ"]
)
def test_spaces_at_the_ends_and_accents_are_refused(awkward: str) -> None:
    assert not judge_own(awkward).acceptable
