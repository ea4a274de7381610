"""Re-screening finds exactly the referrals whose result changes under the current rules.

The helpers here build the mixed caseload the page tests use too: cases screened out under
the 2013 terms for a post-2013 decision, cases whose result stands, a case never assessed,
and one whose answers no longer fit together.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from referral_app.domain.dates import PartialDate
from referral_app.domain.eligibility import InvalidAnswers
from referral_app.domain.referral import (
    AssessmentRecord,
    Case,
    DecisionMaker,
    Referral,
    Survivor,
)
from referral_app.services.rescreen import (
    Change,
    eligibility_answers,
    find_changes,
    reassess,
)
from referral_app.storage.access import create_database
from referral_app.storage.repository import Repository
from tests.storage.conftest import ADVOCATE, PASSPHRASE

TODAY = date(2026, 11, 21)
WHEN = datetime(2020, 1, 6, 10, 0, tzinfo=UTC)

#: Every criterion met, whatever the decision date.
IN_SCOPE: dict[str, str] = {
    "offence_in_england_or_wales": "yes",
    "sexual_offence_against_survivor": "yes",
    "under_18_at_offence": "yes",
    "reported_to_police": "yes",
    "decision": "police_nfa",
    "new_evidence": "no",
    "offender_may_pose_risk": "yes",
}


def record(
    ruleset: str, outcome: str, reasons: list[str] | None = None, flags: list[str] | None = None
) -> AssessmentRecord:
    return AssessmentRecord(ruleset, outcome, reasons or [], flags or [], WHEN, {})


def make_referral(
    name: str,
    decision_date: str | None,
    assessments: list[AssessmentRecord],
    *,
    referral_id: int | None = None,
    **answers: str,
) -> Referral:
    return Referral(
        survivor=Survivor(full_name=name, date_of_birth=PartialDate.parse("1990-05")),
        case=Case(
            decided_by=DecisionMaker.POLICE,
            decision_date=None if decision_date is None else PartialDate.parse(decision_date),
            offence_start=PartialDate.parse("2003"),
        ),
        answers={**IN_SCOPE, **answers},
        assessments=assessments,
        id=referral_id,
        reference="" if referral_id is None else f"CSARP-2020-{referral_id:05d}",
    )


def caseload() -> dict[str, Referral]:
    """One referral of each kind, by a name saying what re-screening should make of it."""
    cutoff = record("csarp-2013", "not_eligible", ["decision_after_cutoff"], ["widened_mandate"])
    return {
        "screened_out_2019": make_referral("Ada Lovelace", "2019-04-02", [cutoff]),
        "screened_out_2016": make_referral("Bea Kinsey", "2016", [cutoff]),
        "unsure_2013": make_referral(
            "Cal Dunmore",
            "2013",
            [record("csarp-2013", "more_information_needed", ["decision_date"])],
        ),
        "eligible_already": make_referral(
            "Dee Ostrander",
            "2009-03-14",
            [
                record("csarp-2013", "eligible", [], ["route_via_original_force"]),
                record("csarp-2025", "eligible", [], ["route_via_original_force"]),
            ],
        ),
        "outside_england": make_referral(
            "Eve Marchetti",
            "2019-04-02",
            [record("csarp-2013", "not_eligible", ["outside_england_wales"])],
            offence_in_england_or_wales="no",
        ),
        "never_assessed": make_referral("Fay Holloway", "2010-07", []),
        # The date of birth was corrected after the assessment: she was 13, not over 18.
        "now_invalid": make_referral(
            "Gus Pemberton",
            "2008",
            [record("csarp-2013", "not_eligible", ["not_under_18"])],
            under_18_at_offence="no",
        ),
    }


CHANGED = {"screened_out_2019", "screened_out_2016", "unsure_2013", "never_assessed"}


def numbered(referrals: dict[str, Referral]) -> dict[str, Referral]:
    return {
        key: replace(referral, id=index, reference=f"CSARP-2020-{index:05d}")
        for index, (key, referral) in enumerate(referrals.items(), start=1)
    }


def test_finds_exactly_the_referrals_whose_outcome_changes() -> None:
    referrals = numbered(caseload())
    ids = {key: referral.id for key, referral in referrals.items()}
    result = find_changes(referrals.values(), today=TODAY)

    assert result.checked == len(referrals)
    assert {change.referral_id for change in result.changes} == {ids[key] for key in CHANGED}
    assert result.problem_ids == [ids["now_invalid"]]
    by_id = {change.referral_id: change for change in result.changes}
    assert by_id[ids["screened_out_2019"]] == Change(
        referral_id=ids["screened_out_2019"],
        reference="CSARP-2020-00001",
        survivor_name="Ada Lovelace",
        previous_ruleset="csarp-2013",
        previous_outcome="not_eligible",
        new_outcome="eligible",
        new_reasons=(),
        new_flags=("widened_mandate", "route_via_original_force"),
    )
    never = by_id[ids["never_assessed"]]
    assert (never.previous_ruleset, never.previous_outcome) == (None, None)
    assert never.new_outcome == "eligible"
    # A year that straddles 5 June 2013 settles nothing under 2013 and nothing is needed now.
    assert by_id[ids["unsure_2013"]].new_outcome == "eligible"


def test_a_problem_names_the_answer_at_fault_in_words() -> None:
    result = find_changes(numbered(caseload()).values(), today=TODAY)
    (problem,) = result.problems
    assert problem.survivor_name == "Gus Pemberton"
    assert len(problem.problems) == 1
    assert problem.problems[0].startswith("Age at the time: the answer says the survivor was")


def test_under_the_2013_terms_the_later_decisions_stay_out() -> None:
    referrals = numbered(caseload())
    result = find_changes(referrals.values(), ruleset="csarp-2013", today=TODAY)
    changed = {change.referral_id for change in result.changes}
    assert changed == {referrals["never_assessed"].id}


def test_nothing_changes_for_an_empty_caseload() -> None:
    result = find_changes([], today=TODAY)
    assert (result.checked, result.changes, result.problems) == (0, [], [])


def test_unsaved_referrals_cannot_be_rescreened() -> None:
    with pytest.raises(ValueError, match="saved"):
        find_changes([make_referral("Ada Lovelace", "2019", [])], today=TODAY)


def test_eligibility_answers_take_the_dates_from_the_case_and_the_survivor() -> None:
    referral = make_referral("Ada Lovelace", "2019-04-02", [])
    referral.answers["decision_date"] = "2001"  # left over from an older copy: the case wins
    referral.case.offence_end = PartialDate.parse("2005-06")
    assert eligibility_answers(referral) == {
        **IN_SCOPE,
        "decision_date": "2019-04-02",
        "date_of_birth": "1990-05",
        "offence_start": "2003",
        "offence_end": "2005-06",
    }
    # A question the form would have skipped is left out, as the form leaves it out.
    referral.answers["reported_to_police"] = "no"
    assert "decision" not in eligibility_answers(referral)
    assert "decision_date" not in eligibility_answers(referral)


# Re-assessing through a real database


@pytest.fixture
def repository(tmp_path: Path) -> Iterator[Repository]:
    database = create_database(tmp_path / "data" / "referrals.db", PASSPHRASE, ADVOCATE)
    yield Repository(database)
    database.close()


def seed(repository: Repository) -> dict[str, int]:
    """Save the caseload; returns each kind's id."""
    ids: dict[str, int] = {}
    for key, referral in caseload().items():
        saved = repository.save(referral)
        assert saved.id is not None
        ids[key] = saved.id
    return ids


def test_reassess_adds_the_new_result_to_the_history(repository: Repository) -> None:
    ids = seed(repository)
    referral_id = ids["screened_out_2019"]
    before = repository.audit_events()

    updated = reassess(repository, referral_id, today=TODAY)

    assert [a.ruleset for a in updated.assessments] == ["csarp-2013", "csarp-2025"]
    stored = repository.get(referral_id)
    assert stored.assessments == updated.assessments
    latest = stored.assessments[-1]
    assert (latest.outcome, latest.reasons) == ("eligible", [])
    assert latest.flags == ["widened_mandate", "route_via_original_force"]
    assert latest.answers["decision_date"] == "2019-04-02"
    assert latest.answers["decision"] == "police_nfa"
    (event,) = repository.audit_events()[len(before) :]
    assert (event.action, event.referral_id) == ("assess", referral_id)
    assert event.detail == "csarp-2025: eligible"
    assert repository.verify_audit().intact

    remaining = find_changes(repository.all(), today=TODAY)
    assert {c.referral_id for c in remaining.changes} == {
        ids[key] for key in CHANGED - {"screened_out_2019"}
    }


def test_reassess_refuses_answers_that_do_not_fit_and_saves_nothing(
    repository: Repository,
) -> None:
    ids = seed(repository)
    before = repository.audit_events()
    with pytest.raises(InvalidAnswers):
        reassess(repository, ids["now_invalid"], today=TODAY)
    assert len(repository.get(ids["now_invalid"]).assessments) == 1
    assert repository.audit_events() == before
