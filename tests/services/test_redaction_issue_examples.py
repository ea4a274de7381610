"""The examples the redacted summary was found to leak, and to over-redact, through the
summary's own entry point: each must now come out hidden (or, for ordinary words, untouched)."""

from __future__ import annotations

import html
from datetime import date

import pytest

from referral_app.domain.dates import PartialDate
from referral_app.domain.referral import Advocate, Referral, Survivor
from referral_app.services.summary import summary_html

TODAY = date(2026, 12, 3)


def sian(account: str) -> Referral:
    referral = Referral(
        survivor=Survivor(
            full_name="Siân O'Brien-Hughes",
            date_of_birth=PartialDate.parse("2001-03-10"),
            phone="07700 900982",
            email="sian.obrien@example.com",
            address="Flat 2, 14 Heol y Parc\nCwmbran\nNP44 3AB",
        )
    )
    referral.case.account = account
    return referral


def account_as_printed(referral: Referral) -> str:
    page = html.unescape(summary_html(referral, Advocate(), redacted=True, printed_on=TODAY))
    return page.split("survivor's account", 1)[-1]


@pytest.mark.parametrize(
    ("typed", "secret"),
    [
        ("Ms O\u2019Brien said", "O\u2019Brien"),  # a curly apostrophe, as Word types it
        ("Sian's mum", "Sian"),
        ("SIAN O'BRIEN-HUGHES", "SIAN"),
        ("SIAN O'BRIEN-HUGHES", "O."),
        ("her brother Rhys O'Brien and uncle Gareth Hughes", "Rhys"),
        ("her brother Rhys O'Brien and uncle Gareth Hughes", "Gareth"),
        ("10-Mar-2001", "10-Mar-2001"),
        ("2001-3-10", "2001-3-10"),
        ("the tenth of March 2001", "tenth of March"),
        ("07700900982x214", "900982"),
        ("Tel07700 900982", "900982"),
        ("sian dot obrien at example dot com", "obrien"),
        ("lives on Heol y Parc", "Heol y Parc"),
    ],
)
def test_the_issues_examples_no_longer_leak(typed: str, secret: str) -> None:
    printed = account_as_printed(sian(f"Before. {typed} after."))
    assert "Before." in printed and "after." in printed
    assert secret not in printed


def test_ordinary_words_that_equal_a_name_are_left_alone() -> None:
    referral = Referral(survivor=Survivor(full_name="May Hope Church"))
    referral.case.account = "In May 2010 she went to church; there is hope."
    assert "In May 2010 she went to church; there is hope." in account_as_printed(referral)
