"""The support services the app ships, and which of them suit a case."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from referral_app.domain.dates import PartialDate
from referral_app.domain.referral import Case, DecisionMaker, Referral, Survivor
from referral_app.domain.support import CaseFacts, case_facts, services_for
from referral_app.services.support import support_list

TODAY = date(2026, 12, 3)
ALWAYS = ["napac", "survivors_trust", "victim_support"]


def keys(facts: CaseFacts) -> list[str]:
    return [service.key for service in services_for(support_list(), facts)]


def test_every_service_has_a_source_a_check_date_and_a_way_in() -> None:
    support = support_list()
    assert len(support.services) >= 8
    for service in support.services:
        assert service.source.startswith("http"), service.key
        assert service.checked <= TODAY
        assert service.name and service.offers and service.who_for
        assert service.phone or service.text or service.web, service.key
        assert service.contact_lines()


def test_the_list_says_how_old_it_is_only_when_over_a_year_old() -> None:
    support = support_list()
    assert support.age_note(support.checked + timedelta(days=365)) == ""
    note = support.age_note(support.checked + timedelta(days=366))
    assert "over a year ago" in note
    assert "3 December 2026" in note


@pytest.mark.parametrize(
    ("facts", "present", "absent"),
    [
        (CaseFacts(age_range=(17, 17)), ["childline", "rape_crisis_247", *ALWAYS], []),
        (CaseFacts(age_range=(15, 15)), ["childline"], ["rape_crisis_247"]),
        (CaseFacts(age_range=(30, 31)), ["rape_crisis_247"], ["childline"]),
        (CaseFacts(in_wales=True), ["live_fear_free"], []),
        (CaseFacts(in_wales=False), [], ["live_fear_free"]),
        (CaseFacts(group_based=True), ["nspcc_helpline"], []),
        (CaseFacts(group_based=None), [], ["nspcc_helpline"]),
        (CaseFacts(male=True), ["survivorsuk"], []),
        (CaseFacts(male=False), [], ["survivorsuk"]),
    ],
)
def test_the_list_changes_with_age_place_group_and_who_the_survivor_is(
    facts: CaseFacts, present: list[str], absent: list[str]
) -> None:
    chosen = keys(facts)
    for key in [*present, *ALWAYS]:
        assert key in chosen
    for key in absent:
        assert key not in chosen
    assert chosen[-3:] == ALWAYS  # the ones for everyone come last


def test_facts_from_a_referral() -> None:
    referral = Referral(
        survivor=Survivor(date_of_birth=PartialDate.parse("2009-05"), pronouns="He/him"),
        case=Case(police_force="South Wales"),
        answers={"group_based": "yes"},
    )
    facts = case_facts(referral, TODAY)
    assert facts == CaseFacts(age_range=(17, 17), in_wales=True, male=True, group_based=True)
    cps = Referral(case=Case(decided_by=DecisionMaker.CPS, cps_area="Wessex", police_force="Gwent"))
    assert case_facts(cps, TODAY).in_wales is False
    assert case_facts(Referral(), TODAY) == CaseFacts()
