from __future__ import annotations

import pytest

from referral_app.storage.db import Database
from referral_app.storage.errors import WeakPassphraseError
from referral_app.storage.passphrase import estimate


@pytest.mark.parametrize(
    "weak", ["", "password", "Password123!", "Summer2024", "aaaaaaaaaaaaaaaa", "qwertyuiop123"]
)
def test_weak_passphrases_are_refused_with_a_reason(weak: str) -> None:
    strength = estimate(weak)
    assert not strength.acceptable
    assert strength.summary


@pytest.mark.parametrize("strong", ["orbit tiger lamp violet", "quiet harbour lantern bicycle 93"])
def test_strong_passphrases_are_accepted(strong: str) -> None:
    assert estimate(strong).acceptable


def test_names_of_the_advocate_count_as_easy_guesses() -> None:
    plain = estimate("AnnAdvocate SafeSpace 7")
    personal = estimate("AnnAdvocate SafeSpace 7", ["Ann Advocate", "Safe Space"])
    assert personal.guesses_log10 < plain.guesses_log10 - 3


def test_very_long_passphrases_are_judged_without_error() -> None:
    assert estimate("correct horse battery staple " * 10).acceptable


def test_creating_a_database_with_a_weak_passphrase_is_refused(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "referrals.db"
    with pytest.raises(WeakPassphraseError, match="too easy to guess"):
        Database.create(path, "Password123!")
    assert not path.exists()
