"""The eligibility engine: how many assessments a second, on realistic answers.

The answers are those the generated caseload's assessments were made from (every question,
partial dates of each precision), each assessed under its own ruleset. The baseline is the
least any per-assessment work costs: copying the answers into a new dictionary.
"""

from __future__ import annotations

from referral_app.domain.eligibility import assess
from tests.benchmarks.figures import Figure
from tests.benchmarks.workspace import Workspace, collector_paused, timed
from tests.generate import generate_referrals


def run(workspace: Workspace) -> list[Figure]:
    wanted = workspace.scale.assessments
    cases: list[tuple[dict[str, str], str]] = []
    for referral in generate_referrals(wanted, seed=3, today=workspace.today):
        cases += [(record.answers, record.ruleset) for record in referral.assessments]
        if len(cases) >= wanted:
            break
    cases = cases[:wanted]
    today = workspace.today

    def assess_all() -> None:
        for answers, ruleset in cases:
            assess(answers, ruleset, today)

    def copy_all() -> None:
        for answers, _ruleset in cases:
            {key: value for key, value in answers.items()}

    with collector_paused():
        engine = min(timed(assess_all) for _ in range(3))
        copying = min(timed(copy_all) for _ in range(3))
    per_assessment = engine / len(cases) * 1e6
    return [
        Figure(
            "Eligibility assessment, per assessment",
            per_assessment,
            copying / len(cases) * 1e6,
            "µs",
            "copying the same answers into a new dict",
            notes=(
                f"{len(cases) / engine:,.0f} assessments a second "
                f"({len(cases):,} realistic answer sets, best of 3)",
            ),
        )
    ]
