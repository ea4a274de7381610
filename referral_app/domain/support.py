"""Who can support the survivor: the services the app ships (``resources/support_services.json``)
and which of them suit a case.

Each service says when it applies (``when``): an age limit now, abuse in Wales, male
survivors, group-based abuse, or always. Where the record does not settle a condition (a date
of birth known only to the year, no pronouns, no force yet), the service is shown: its "for"
line says who it is for, and leaving out a service that fits is worse than showing one that
may not. The one exception is the service for group-based abuse, shown only when the answer
is yes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from referral_app.domain.dates import PartialDate, add_years, describe_day
from referral_app.domain.reference import WELSH_CPS_AREA, WELSH_FORCES
from referral_app.domain.referral import DecisionMaker, Referral

#: The list is said to be out of date once its last check is older than this.
STALE_AFTER_DAYS = 365


@dataclass(frozen=True)
class SupportService:
    key: str
    name: str
    offers: str
    who_for: str
    phone: str
    text: str
    web: str
    hours: str
    when: Mapping[str, Any]
    source: str
    checked: date

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SupportService:
        return cls(
            key=str(data["key"]),
            name=str(data["name"]),
            offers=str(data["offers"]),
            who_for=str(data["for"]),
            phone=str(data.get("phone", "")),
            text=str(data.get("text", "")),
            web=str(data.get("web", "")),
            hours=str(data.get("hours", "")),
            when=dict(data.get("when") or {}),
            source=str(data["source"]),
            checked=date.fromisoformat(str(data["checked"])),
        )

    def contact_lines(self) -> list[str]:
        lines = []
        if self.phone:
            lines.append(f"Phone {self.phone}" + (f" ({self.hours})" if self.hours else ""))
        if self.text:
            lines.append(f"Text {self.text}")
        if self.web:
            lines.append(self.web)
        if self.hours and not self.phone:
            lines.append(f"Open {self.hours}")
        return lines


@dataclass(frozen=True)
class SupportList:
    services: tuple[SupportService, ...]
    checked: date
    about: str = ""

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SupportList:
        return cls(
            tuple(SupportService.from_dict(item) for item in data["services"]),
            date.fromisoformat(str(data["checked"])),
            str(data.get("about", "")),
        )

    def age_note(self, today: date) -> str:
        """How old the list is, said when it is over a year old."""
        days = (today - self.checked).days
        if days <= STALE_AFTER_DAYS:
            return ""
        return (
            f"This list was last checked on {describe_day(self.checked)}, over a year ago: "
            "check each service's details on its website before passing them on."
        )


@dataclass(frozen=True)
class CaseFacts:
    """What the choice depends on; ``None`` where the record does not say."""

    age_range: tuple[int, int] | None = None
    in_wales: bool | None = None
    male: bool | None = None
    group_based: bool | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _age_range(born: PartialDate | None, today: date) -> tuple[int, int] | None:
    if born is None:
        return None

    def age(birthday: date) -> int:
        years = today.year - birthday.year
        return years - 1 if add_years(birthday, years) > today else years

    return age(born.last), age(born.first)


def case_facts(referral: Referral, today: date) -> CaseFacts:
    case = referral.case
    if case.decided_by is DecisionMaker.CPS and case.cps_area:
        in_wales: bool | None = case.cps_area == WELSH_CPS_AREA
    elif case.police_force:
        in_wales = case.police_force in WELSH_FORCES
    else:
        in_wales = None
    pronouns = referral.survivor.pronouns.strip().lower()
    male = pronouns.startswith("he") if pronouns else None
    group = referral.answers.get("group_based")
    return CaseFacts(
        age_range=_age_range(referral.survivor.date_of_birth, today),
        in_wales=in_wales,
        male=male,
        group_based=None if group in (None, "unsure") else group == "yes",
    )


def _applies(service: SupportService, facts: CaseFacts) -> bool:
    when = service.when
    ages = facts.age_range
    if "age_under" in when and ages is not None and ages[0] >= int(when["age_under"]):
        return False
    if "age_at_least" in when and ages is not None and ages[1] < int(when["age_at_least"]):
        return False
    if when.get("wales") and facts.in_wales is False:
        return False
    if when.get("male") and facts.male is False:
        return False
    return not (when.get("group_based") and facts.group_based is not True)


def services_for(support: SupportList, facts: CaseFacts) -> list[SupportService]:
    """The services that suit the case, those for its circumstances first, then the rest."""
    chosen = [s for s in support.services if _applies(s, facts)]
    specific = [s for s in chosen if s.when]
    general = [s for s in chosen if not s.when]
    return specific + general


def everyone(support: SupportList) -> Sequence[SupportService]:
    return support.services
