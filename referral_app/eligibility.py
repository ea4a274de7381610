"""Public home of the eligibility engine: ``from referral_app.eligibility import assess``."""

from referral_app.domain.eligibility import (
    CRITERIA,
    DEFAULT_RULESET,
    KNOWN_KEYS,
    RULESETS,
    AnswerError,
    Assessment,
    Criterion,
    CriterionResult,
    Flag,
    InvalidAnswers,
    Outcome,
    Status,
    assess,
    derive_under_18,
)

__all__ = [
    "CRITERIA",
    "DEFAULT_RULESET",
    "KNOWN_KEYS",
    "RULESETS",
    "AnswerError",
    "Assessment",
    "Criterion",
    "CriterionResult",
    "Flag",
    "InvalidAnswers",
    "Outcome",
    "Status",
    "assess",
    "derive_under_18",
]
