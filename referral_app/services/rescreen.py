"""Re-screening: run every referral through the current rules and list what would change.

In January 2025 the Panel's mandate was widened to decisions made on or after 5 June 2013, so
cases screened out under the 2013 terms may now be in scope. Nothing here changes a referral
by itself: :func:`find_changes` only reports, and the advocate chooses which referrals to
:func:`reassess`, because each new result is kept in the referral's history and audited.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from referral_app.domain.eligibility import (
    DEFAULT_RULESET,
    AnswerError,
    Assessment,
    InvalidAnswers,
    Outcome,
    assess,
)
from referral_app.domain.flow import Draft
from referral_app.domain.referral import AssessmentRecord, Referral, utc_now

if TYPE_CHECKING:
    from referral_app.storage.repository import Repository

OUTCOME_WORDS: dict[str, str] = {
    Outcome.ELIGIBLE: "Eligible",
    Outcome.NOT_ELIGIBLE: "Not eligible",
    Outcome.MORE_INFORMATION_NEEDED: "More information needed",
}

RULESET_WORDS: dict[str, str] = {
    "csarp-2013": "2013 terms",
    "csarp-2025": "2025 terms",
}

#: Short names of the answers, for saying which one is at fault.
ANSWER_NAMES: dict[str, str] = {
    "offence_in_england_or_wales": "Where it happened",
    "sexual_offence_against_survivor": "The offence",
    "under_18_at_offence": "Age at the time",
    "reported_to_police": "Reported to the police",
    "decision": "What happened to the report",
    "new_evidence": "New information",
    "offender_may_pose_risk": "Risk from the alleged offender",
    "decision_date": "Decision date",
    "date_of_birth": "Date of birth",
    "offence_start": "When the offence began",
    "offence_end": "When the offence ended",
}


def outcome_words(outcome: str | None) -> str:
    if outcome is None:
        return "Never assessed"
    return OUTCOME_WORDS.get(outcome, outcome)


def ruleset_words(ruleset: str) -> str:
    return RULESET_WORDS.get(ruleset, ruleset)


def problem_words(error: AnswerError) -> str:
    """One bad answer in words an advocate can act on: which answer, and what is wrong."""
    name = ANSWER_NAMES.get(error.key, f"“{error.key}”")
    return f"{name}: {error.message}"


def eligibility_answers(referral: Referral) -> dict[str, str]:
    """The answers as ``assess()`` takes them: the stored answers with the case's dates.

    The guided form's own logic is reused so that a re-screen judges exactly what the form
    would have judged (dates from the survivor and the case, skipped questions left out).
    """
    return Draft(referral=referral).eligibility_answers()


@dataclass(frozen=True)
class Change:
    """A referral whose result would differ under the rules it was re-screened against."""

    referral_id: int
    reference: str
    survivor_name: str
    #: The ruleset and outcome of the latest assessment; None when it was never assessed.
    previous_ruleset: str | None
    previous_outcome: str | None
    new_outcome: str
    new_reasons: tuple[str, ...]
    new_flags: tuple[str, ...]


@dataclass(frozen=True)
class Unassessable:
    """A referral whose stored answers no longer fit together, so it could not be checked."""

    referral_id: int
    reference: str
    survivor_name: str
    #: Each problem in plain words, naming the answer at fault.
    problems: tuple[str, ...]


@dataclass(frozen=True)
class Rescreening:
    """What a re-screen found: the referrals that would change, and those it could not check."""

    ruleset: str
    today: date
    checked: int
    changes: list[Change] = field(default_factory=list)
    problems: list[Unassessable] = field(default_factory=list)

    @property
    def problem_ids(self) -> list[int]:
        return [problem.referral_id for problem in self.problems]


def _saved_id(referral: Referral) -> int:
    if referral.id is None:
        raise ValueError("only saved referrals can be re-screened")
    return referral.id


def find_changes(
    referrals: Iterable[Referral],
    ruleset: str = DEFAULT_RULESET,
    today: date | None = None,
) -> Rescreening:
    """Re-assess each referral under ``ruleset`` and report those whose outcome would differ
    from their latest assessment. A referral never assessed counts as changed when it can be
    assessed. Referrals are left untouched: nothing is saved."""
    if today is None:
        today = date.today()
    changes: list[Change] = []
    problems: list[Unassessable] = []
    checked = 0
    for referral in referrals:
        referral_id = _saved_id(referral)
        checked += 1
        try:
            result = assess(eligibility_answers(referral), ruleset, today)
        except InvalidAnswers as invalid:
            problems.append(
                Unassessable(
                    referral_id,
                    referral.reference,
                    referral.survivor.full_name,
                    tuple(problem_words(error) for error in invalid.errors),
                )
            )
            continue
        latest = referral.latest_assessment
        if latest is not None and latest.outcome == result.outcome:
            continue
        changes.append(
            Change(
                referral_id=referral_id,
                reference=referral.reference,
                survivor_name=referral.survivor.full_name,
                previous_ruleset=None if latest is None else latest.ruleset,
                previous_outcome=None if latest is None else latest.outcome,
                new_outcome=str(result.outcome),
                new_reasons=tuple(result.reasons),
                new_flags=tuple(str(flag) for flag in result.flags),
            )
        )
    return Rescreening(ruleset, today, checked, changes, problems)


def record_of(assessment: Assessment, answers: dict[str, str]) -> AssessmentRecord:
    """The history entry for ``assessment``, with the answers it judged, as the form keeps it."""
    return AssessmentRecord(
        assessment.ruleset,
        str(assessment.outcome),
        list(assessment.reasons),
        [str(flag) for flag in assessment.flags],
        utc_now(),
        dict(answers),
    )


def reassess(
    repository: Repository,
    referral_id: int,
    ruleset: str = DEFAULT_RULESET,
    today: date | None = None,
) -> Referral:
    """Assess the stored referral again and keep the result in its history (audited).

    The referral is read afresh, so what is judged is what is stored now, not what a list
    showed earlier. Raises :class:`InvalidAnswers` when its answers do not fit together.
    """
    referral = repository.get(referral_id)
    answers = eligibility_answers(referral)
    result = assess(answers, ruleset, today)
    return repository.add_assessment(referral_id, record_of(result, answers))
