"""The guided form's pages and the order they come in, as plain Python (tested without Qt).

The order depends only on the answers so far: a question that cannot matter is skipped (what
happened to a report that was never made), and answers on skipped pages are left out of the
assessment without being thrown away, so going back and changing an answer restores them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from referral_app.domain.eligibility import DEFAULT_RULESET
from referral_app.domain.record_format import referral_from_dict, referral_to_dict
from referral_app.domain.referral import DecisionMaker, Referral


class Page(StrEnum):
    WHERE = "where"
    AGAINST_SURVIVOR = "against_survivor"
    AGE = "age"
    REPORTED = "reported"
    DECISION = "decision"
    DECISION_DATE = "decision_date"
    SUSPECT_INTERVIEWED = "suspect_interviewed"
    NEW_EVIDENCE = "new_evidence"
    RISK = "risk"
    GROUP_BASED = "group_based"
    OUTCOME = "outcome"
    SURVIVOR = "survivor"
    CONTACT = "contact"
    CASE = "case"
    CONSENT = "consent"
    FOLLOW_UP = "follow_up"
    CHECK = "check"


QUESTION_PAGES: tuple[Page, ...] = (
    Page.WHERE,
    Page.AGAINST_SURVIVOR,
    Page.AGE,
    Page.REPORTED,
    Page.DECISION,
    Page.DECISION_DATE,
    Page.SUSPECT_INTERVIEWED,
    Page.NEW_EVIDENCE,
    Page.RISK,
    Page.GROUP_BASED,
)
DETAIL_PAGES: tuple[Page, ...] = (
    Page.SURVIVOR,
    Page.CONTACT,
    Page.CASE,
    Page.CONSENT,
    Page.FOLLOW_UP,
)
ALL_PAGES: tuple[Page, ...] = (*QUESTION_PAGES, Page.OUTCOME, *DETAIL_PAGES, Page.CHECK)

#: Which eligibility keys each question page asks for.
PAGE_KEYS: dict[Page, tuple[str, ...]] = {
    Page.WHERE: ("offence_in_england_or_wales",),
    Page.AGAINST_SURVIVOR: ("sexual_offence_against_survivor",),
    Page.AGE: ("date_of_birth", "offence_start", "offence_end", "under_18_at_offence"),
    Page.REPORTED: ("reported_to_police",),
    Page.DECISION: ("decision",),
    Page.DECISION_DATE: ("decision_date",),
    Page.SUSPECT_INTERVIEWED: ("suspect_interviewed",),
    Page.NEW_EVIDENCE: ("new_evidence",),
    Page.RISK: ("offender_may_pose_risk",),
    Page.GROUP_BASED: ("group_based",),
}


def page_for_key(key: str) -> Page | None:
    for page, keys in PAGE_KEYS.items():
        if key in keys:
            return page
    return None


def skipped(page: Page, answers: Mapping[str, str]) -> bool:
    """Whether ``page`` cannot matter given the answers so far."""
    never_reported = answers.get("reported_to_police") == "no"
    if page in (Page.DECISION, Page.DECISION_DATE, Page.SUSPECT_INTERVIEWED) and never_reported:
        return True
    if page is Page.SUSPECT_INTERVIEWED:
        # Only the police VRR scheme asks whether a suspect was interviewed under caution.
        return answers.get("decision") != "police_nfa"
    return page is Page.DECISION_DATE and answers.get("decision") in ("prosecuted", "live")


def applicable_pages(answers: Mapping[str, str]) -> list[Page]:
    return [page for page in ALL_PAGES if not skipped(page, answers)]


def next_page(current: Page, answers: Mapping[str, str]) -> Page | None:
    """The page after ``current`` that still matters, or None after the last."""
    later = ALL_PAGES[ALL_PAGES.index(current) + 1 :]
    return next((page for page in later if not skipped(page, answers)), None)


@dataclass
class Draft:
    """Everything the advocate has entered so far, and where they are in the form.

    Dates live in the referral (survivor's date of birth, the case's offence and decision
    dates); the eligibility answers are worked out from them and from ``referral.answers``.
    ``raw`` keeps text typed into a field that is not yet valid, so nothing typed is lost.
    """

    referral: Referral = field(default_factory=Referral)
    page: Page = Page.WHERE
    history: list[Page] = field(default_factory=list)
    ruleset: str = DEFAULT_RULESET
    raw: dict[str, list[str]] = field(default_factory=dict)
    returning_to_check: bool = False
    draft_id: int | None = None

    def eligibility_answers(self) -> dict[str, str]:
        """The answers as ``assess()`` takes them, leaving out pages that are skipped."""
        referral = self.referral
        answers: dict[str, str] = {
            key: value for key, value in referral.answers.items() if value is not None
        }
        dates = {
            "date_of_birth": referral.survivor.date_of_birth,
            "offence_start": referral.case.offence_start,
            "offence_end": referral.case.offence_end,
            "decision_date": referral.case.decision_date,
        }
        for key, value in dates.items():
            answers.pop(key, None)
            if value is not None:
                answers[key] = value.isoformat()
        for page, keys in PAGE_KEYS.items():
            if skipped(page, answers):
                for key in keys:
                    answers.pop(key, None)
        return answers

    def set_answer(self, key: str, value: str | None) -> None:
        if value is None:
            self.referral.answers.pop(key, None)
        else:
            self.referral.answers[key] = value
        if key == "decision":
            decided_by = {
                "police_nfa": DecisionMaker.POLICE,
                "cps_nfa": DecisionMaker.CPS,
                "discontinued": DecisionMaker.CPS,
            }
            if value in decided_by:
                self.referral.case.decided_by = decided_by[value]

    # Storage as a JSON-ready document (kept in the encrypted database)

    def to_dict(self) -> dict[str, Any]:
        return {
            "page": self.page.value,
            "history": [page.value for page in self.history],
            "ruleset": self.ruleset,
            "raw": {key: list(value) for key, value in self.raw.items()},
            "returning_to_check": self.returning_to_check,
            "referral": referral_to_dict(self.referral),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], draft_id: int | None = None) -> Draft:
        raw = data.get("raw") or {}
        return cls(
            referral=referral_from_dict(data.get("referral") or {}),
            page=Page(data.get("page", Page.WHERE.value)),
            history=[Page(item) for item in data.get("history") or []],
            ruleset=str(data.get("ruleset") or DEFAULT_RULESET),
            raw={str(k): [str(part) for part in v] for k, v in raw.items()},
            returning_to_check=bool(data.get("returning_to_check", False)),
            draft_id=draft_id,
        )
