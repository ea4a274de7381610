from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from referral_app.domain.dates import PartialDate
from referral_app.domain.referral import (
    Advocate,
    Answer,
    AssessmentRecord,
    Case,
    Consent,
    ConsentMethod,
    ContactPreferences,
    DecisionMaker,
    FollowUp,
    Referral,
    ReviewKind,
    ReviewRequest,
    Survivor,
    utc_now,
)
from referral_app.storage.access import create_database
from referral_app.storage.db import Database
from referral_app.storage.repository import Repository

PASSPHRASE = "orbit 'tiger\" lamp; violet -- drop"  # quotes and SQL on purpose
ADVOCATE = Advocate("Ann Advocate", "Safe Space Charity", "01632 960000", "ann@example.org")


def full_referral(name: str = "Zelda Quartermaine", crime_ref: str = "zq 987/65") -> Referral:
    """A referral with every field filled in, partial dates of each precision included."""
    return Referral(
        survivor=Survivor(
            full_name=name,
            previous_names=["Zelda Brightwater", "Z. Q."],
            date_of_birth=PartialDate.parse("1990-05"),
            pronouns="she/her",
            phone="07700 900123",
            email="zelda@example.net",
            address="1 Example Street\nExampletown\nEX1 2MP",
            contact=ContactPreferences(
                voicemail_ok=False,
                letters_ok=True,
                safe_times="Weekdays 10-12",
                via_advocate_only=True,
            ),
            language="Welsh",
            interpreter_needed=True,
            access_needs="Step-free access",
        ),
        case=Case(
            police_force="Dyfed-Powys",
            crime_references=[crime_ref, "DP/2009/1"],
            decided_by=DecisionMaker.CPS,
            cps_area="Cymru-Wales",
            decision_date=PartialDate.parse("2009-03-14"),
            date_reported=PartialDate.parse("2008-11"),
            offence_start=PartialDate.parse("2003"),
            offence_end=PartialDate.parse("2005-06"),
            location="Aberystwyth",
            offender_count=3,
            offender_alive_and_known=Answer.UNSURE,
            account="A long account.\nSecond line with unicode: Dŵr, ñ, 👍",
            earlier_reviews=[
                ReviewRequest(ReviewKind.CPS_VRR, PartialDate.parse("2009-05"), "Decision upheld"),
                ReviewRequest(ReviewKind.COMPLAINT, None, ""),
            ],
        ),
        answers={
            "offence_in_england_or_wales": "yes",
            "sexual_offence_against_survivor": "yes",
            "under_18_at_offence": "yes",
            "reported_to_police": "yes",
            "decision": "cps_nfa",
            "decision_date": "2009-03-14",
            "new_evidence": "no",
            "offender_may_pose_risk": "yes",
            "group_based": "yes",
        },
        assessments=[
            AssessmentRecord(
                "csarp-2025",
                "eligible",
                [],
                ["route_via_original_force"],
                utc_now(),
                {"decision": "cps_nfa"},
            )
        ],
        consent=Consent(
            to_referral=True,
            share_with_force=True,
            share_with_cps=True,
            share_with_panel=True,
            given_on=utc_now().date(),
            method=ConsentMethod.WRITTEN,
            recorded_by="Ann Advocate",
            withdrawn_on=None,
        ),
        follow_up=FollowUp(utc_now().date(), "Call the force about the letter"),
        request_letter="Dear Chief Constable,\n\nPlease look again at this decision.",
    )


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "referrals.db"


@pytest.fixture
def database(db_path: Path) -> Iterator[Database]:
    database = create_database(db_path, PASSPHRASE, ADVOCATE)
    yield database
    database.close()


@pytest.fixture
def repository(database: Database) -> Repository:
    return Repository(database)

