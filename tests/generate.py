"""Realistic referrals in bulk, for tests and benchmarks.

Every field is filled in the varied ways real caseloads fill them: names with accents,
apostrophes and hyphens, previous names, partial dates of each precision, crime references in
several forces' formats (typed with spaces and in lower case, as advocates type them), status
histories that follow the domain's rules, assessments, earlier reviews and follow-ups either
side of ``today``. The same ``seed`` always gives the same referrals.

All names, numbers and addresses are made up (phone numbers from Ofcom's drama range, e-mail at
example domains). Writing goes through :meth:`Repository.create_many`: one transaction, in
batches, so 100,000 referrals take minutes, not hours.

    python -m tests.generate PATH COUNT [--seed N]   # a database for benchmarks
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from referral_app.domain.dates import PartialDate
from referral_app.domain.referral import (
    NEEDS_CONSENT,
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
    Status,
    StatusChange,
    Survivor,
    allowed_changes,
)
from referral_app.storage.repository import Repository

FIRST_NAMES = (
    "Amelia", "Olivia", "Isla", "Ava", "Mia", "Grace", "Sophie", "Emily", "Chloe", "Jessica",
    "Hannah", "Lauren", "Rebecca", "Charlotte", "Megan", "Siân", "Ffion", "Cerys", "Gwenllïan",
    "Rhiannon", "Aoife", "Siobhán", "Niamh", "Zofia", "Agnieszka", "Aisha", "Fatima", "Priya",
    "Anjali", "Chiamaka", "Adaeze", "Kemi", "Shanice", "Tanisha", "Zoë", "Chloé", "Renée",
    "Anne-Marie", "Mary Jane", "Jo", "Oliver", "Jack", "Harry", "George", "Liam", "Rhys",
    "Dafydd", "Gethin", "Connor", "Seán", "Tomasz", "Mohammed", "Imran", "Arjun", "Tunde",
    "Kwame", "Marcus", "Jordan", "Sam", "Alex", "Charlie", "Robin", "Li", "Wei", "Thanh",
)  # fmt: skip
SURNAMES = (
    "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas",
    "Roberts", "Johnson", "Lewis", "Walker", "Robinson", "Wood", "Thompson", "White", "Hughes",
    "Edwards", "Green", "Hall", "Wright", "Clarke", "Jackson", "Ap Rhys", "Llywelyn", "Pryce",
    "O'Neil", "O'Brien", "McCarthy", "Ó Súilleabháin", "Nowak", "Kowalska", "Wiśniewska",
    "Khan", "Hussain", "Begum", "Patel", "Sharma", "Okafor", "Adeyemi", "Mensah", "Campbell",
    "Nguyen", "Chen", "Smith-Jones", "Brown-Okafor", "De Souza", "van der Berg", "Müller",
    "Quartermaine", "Brightwater", "Fairweather", "Ashdown", "Penhaligon", "Treharne",
)  # fmt: skip
POLICE_FORCES = (
    "Avon and Somerset", "Bedfordshire", "Cambridgeshire", "Cheshire", "City of London",
    "Cleveland", "Cumbria", "Derbyshire", "Devon and Cornwall", "Dorset", "Durham",
    "Dyfed-Powys", "Essex", "Gloucestershire", "Greater Manchester", "Gwent", "Hampshire and "
    "Isle of Wight", "Hertfordshire", "Humberside", "Kent", "Lancashire", "Leicestershire",
    "Lincolnshire", "Merseyside", "Metropolitan", "Norfolk", "North Wales", "North Yorkshire",
    "Northamptonshire", "Northumbria", "Nottinghamshire", "South Wales", "South Yorkshire",
    "Staffordshire", "Suffolk", "Surrey", "Sussex", "Thames Valley", "Warwickshire",
    "West Mercia", "West Midlands", "West Yorkshire", "Wiltshire", "British Transport Police",
)  # fmt: skip
CPS_AREAS = (
    "Cymru-Wales", "East Midlands", "East of England", "London North", "London South",
    "Mersey-Cheshire", "North East", "North West", "South East", "South West", "Thames and "
    "Chiltern", "Wessex", "West Midlands", "Yorkshire and Humberside",
)  # fmt: skip
TOWNS = (
    "Aberystwyth", "Barnsley", "Bristol", "Cardiff", "Carlisle", "Derby", "Exeter", "Hull",
    "Leeds", "Luton", "Manchester", "Newport", "Norwich", "Oldham", "Reading", "Rochdale",
    "Rotherham", "Swansea", "Telford", "Wrexham", "a children's home near Bangor",
)  # fmt: skip
PURPOSES = (
    "Call the force about the letter", "Check the Panel has the referral",
    "Ask the CPS Area for the decision letter", "Support call before the Panel meets",
    "Chase the reconsideration", "Explain the Panel's advice", "Confirm consent in writing",
    "Pass on the review result", "",
)  # fmt: skip
LANGUAGES = ("English", "English", "English", "Welsh", "Polish", "Urdu", "Punjabi", "BSL")
NOTES = ("", "Posted recorded delivery", "Emailed to the force", "Survivor asked to pause")
REASONS = ("decision_after_cutoff", "no_new_evidence", "offender_deceased", "not_closed")
FLAGS = ("widened_mandate", "vrr_may_apply", "route_via_original_force")
OUTCOMES = ("eligible", "not_eligible", "more_information_needed")
ADVOCATES = ("Ann Advocate", "Bea Caseworker", "Carys Isva")


def generate_referrals(count: int, seed: int = 0, today: date | None = None) -> Iterator[Referral]:
    """``count`` referrals, the same for the same ``seed`` and ``today``."""
    rng = random.Random(seed)
    today = today or date.today()
    for number in range(count):
        yield _referral(rng, today, number)


def populate(
    repository: Repository,
    count: int,
    seed: int = 0,
    today: date | None = None,
    batch_size: int = 500,
) -> list[int]:
    """Store ``count`` generated referrals in one transaction; returns their ids in order."""
    return repository.create_many(generate_referrals(count, seed, today), batch_size)


def _partial(rng: random.Random, first: date, last: date) -> PartialDate:
    """A date between ``first`` and ``last``, remembered to the day, the month or the year."""
    first = min(first, last)
    day = first + timedelta(days=rng.randint(0, (last - first).days))
    precision = rng.random()
    if precision < 0.3:
        return PartialDate(day.year)
    if precision < 0.6:
        return PartialDate(day.year, day.month)
    return PartialDate.from_date(day)


def _name(rng: random.Random) -> str:
    first = rng.choice(FIRST_NAMES)
    if rng.random() < 0.15:
        first += " " + rng.choice(FIRST_NAMES)
    return f"{first} {rng.choice(SURNAMES)}"


def _crime_reference(rng: random.Random, year: int) -> str:
    yy = f"{year % 100:02d}"
    number = rng.randint(1, 999_999)
    formats = (
        f"{rng.choice('ABCDEFGHJKLMNPRSTWZ')}{rng.choice('ABCDEFGHJKLMNPRSTWZ')}/{number:05d}/{yy}",
        f"{rng.randint(1, 99):02d}/{number:06d}/{yy}",
        f"CRN {year}-{number:06d}",
        f"{rng.choice(('ab', 'zq', 'wy', 'mp'))} {number % 1000}/{yy}",
        f"CR/{number:07d}/{yy}",
    )
    return rng.choice(formats)


def _history(rng: random.Random, consent: Consent, start: datetime) -> list[StatusChange]:
    """A status history the domain's rules allow, mostly moving forward as real ones do."""
    history = [StatusChange(Status.DRAFT, start, "Referral started", rng.choice(ADVOCATES))]
    when = start
    for _ in range(rng.choice((0, 1, 1, 2, 2, 3, 3, 4, 5))):
        current = history[-1].status
        options = [
            status
            for status in allowed_changes(current)
            if consent.complete or status not in NEEDS_CONSENT
        ]
        forward = [s for s in options if s not in (Status.WITHDRAWN, Status.CLOSED, Status.DRAFT)]
        if not options:
            break
        wanted = rng.choice(forward) if forward and rng.random() < 0.85 else rng.choice(options)
        when += timedelta(days=rng.randint(1, 120), minutes=rng.randint(0, 600))
        history.append(StatusChange(wanted, when, rng.choice(NOTES), rng.choice(ADVOCATES)))
    return history


def _assessments(rng: random.Random, start: datetime) -> list[AssessmentRecord]:
    records = []
    when = start
    for _ in range(rng.choice((0, 1, 1, 1, 2, 3))):
        outcome = rng.choices(OUTCOMES, weights=(6, 2, 3))[0]
        reasons = rng.sample(REASONS, rng.randint(1, 2)) if outcome != "eligible" else []
        flags = rng.sample(FLAGS, rng.randint(0, 2))
        when += timedelta(days=rng.randint(0, 60), hours=rng.randint(0, 8))
        ruleset = rng.choice(("csarp-2013", "csarp-2025"))
        answers = {"decision": rng.choice(("police_nfa", "cps_nfa")), "new_evidence": "no"}
        records.append(AssessmentRecord(ruleset, outcome, reasons, flags, when, answers))
    return records


def _consent(rng: random.Random, started: date) -> Consent:
    if rng.random() < 0.25:  # not recorded yet, or only in part
        return Consent(to_referral=rng.random() < 0.5, share_with_panel=rng.random() < 0.3)
    withdrawn = started + timedelta(days=rng.randint(30, 400)) if rng.random() < 0.04 else None
    return Consent(
        to_referral=True,
        share_with_force=True,
        share_with_cps=rng.random() < 0.6,
        share_with_panel=True,
        given_on=started,
        method=rng.choice((ConsentMethod.VERBAL, ConsentMethod.WRITTEN)),
        recorded_by=rng.choice(ADVOCATES),
        withdrawn_on=withdrawn,
    )


def _referral(rng: random.Random, today: date, number: int) -> Referral:
    born = rng.randint(1950, 2004)
    dob = _partial(rng, date(born, 1, 1), date(born, 12, 31))
    offence_from = date(born + rng.randint(4, 14), 1, 1)
    offence_start = _partial(rng, offence_from, offence_from + timedelta(days=700))
    offence_end = _partial(rng, offence_start.last, offence_start.last + timedelta(days=1400))
    reported = _partial(rng, offence_end.last, min(today, offence_end.last + timedelta(days=9000)))
    decided = _partial(rng, reported.last, min(today, reported.last + timedelta(days=900)))
    started = datetime.combine(
        today - timedelta(days=rng.randint(0, 2000)), time(9), UTC
    ) + timedelta(minutes=rng.randint(0, 480))
    decided_by = rng.choices(
        (DecisionMaker.POLICE, DecisionMaker.CPS, DecisionMaker.UNKNOWN, None), (12, 7, 1, 1)
    )[0]
    force = rng.choice(POLICE_FORCES)
    cps = decided_by is DecisionMaker.CPS or rng.random() < 0.1
    name = _name(rng)
    previous = [
        f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"
        if rng.random() < 0.3
        else f"{name.split()[0]} {rng.choice(SURNAMES)}"
        for _ in range(rng.choices((0, 1, 2, 3), (5, 4, 1, 0.3))[0])
    ]
    consent = _consent(rng, started.date())
    due = today + timedelta(days=rng.randint(-90, 120)) if rng.random() < 0.75 else None
    slug = name.split()[0].lower().replace("'", "")
    return Referral(
        survivor=Survivor(
            full_name=name,
            previous_names=previous,
            date_of_birth=dob,
            pronouns=rng.choice(("she/her", "he/him", "they/them", "")),
            phone=f"07700 900{rng.randint(0, 999):03d}",
            email=f"{slug}{number}@example.{rng.choice(('org', 'net', 'com'))}",
            address=f"{rng.randint(1, 200)} Example Road\n{rng.choice(TOWNS)}\nEX{number % 90} 1AA",
            contact=ContactPreferences(
                voicemail_ok=rng.choice((True, False, None)),
                letters_ok=rng.choice((True, False, None)),
                safe_times=rng.choice(("", "Weekdays 10-12", "After 6pm", "Not Mondays")),
                via_advocate_only=rng.random() < 0.3,
            ),
            language=rng.choice(LANGUAGES),
            interpreter_needed=rng.choice((None, False, False, True)),
            access_needs=rng.choice(("", "", "Step-free access", "Large print letters")),
        ),
        case=Case(
            police_force=force,
            crime_references=[
                _crime_reference(rng, reported.year)
                for _ in range(rng.choices((1, 2, 3), (6, 3, 1))[0])
            ],
            decided_by=decided_by,
            cps_area=rng.choice(CPS_AREAS) if cps else None,
            decision_date=decided if rng.random() < 0.95 else None,
            date_reported=reported,
            offence_start=offence_start,
            offence_end=offence_end,
            location=rng.choice(TOWNS),
            group_based=rng.choice((Answer.YES, Answer.NO, Answer.UNSURE, None)),
            offender_count=rng.choice((None, 1, 1, 1, 2, 3, 5)),
            offender_alive_and_known=rng.choice((Answer.YES, Answer.NO, Answer.UNSURE, None)),
            account=rng.choice(("", "Disclosed to a teacher at the time.", "See the notes.")),
            earlier_reviews=[
                ReviewRequest(
                    rng.choice(tuple(ReviewKind)),
                    _partial(rng, decided.last, decided.last + timedelta(days=200))
                    if rng.random() < 0.8
                    else None,
                    rng.choice(("", "Decision upheld", "Still waiting")),
                )
                for _ in range(rng.choices((0, 1, 2), (6, 3, 1))[0])
            ],
        ),
        answers={
            "offence_in_england_or_wales": "yes",
            "under_18_at_offence": rng.choice(("yes", "yes", "not_sure")),
            "decision": rng.choice(("police_nfa", "cps_nfa")),
            "decision_date": decided.isoformat(),
        },
        assessments=_assessments(rng, started),
        consent=consent,
        status_history=_history(rng, consent, started),
        follow_up=FollowUp(due, rng.choice(PURPOSES) if due else ""),
    )


def main(argv: list[str] | None = None) -> int:
    """Make a database of generated referrals (with the tests' passphrase) for benchmarks."""
    import time as clock

    from referral_app.storage.access import create_database
    from tests.storage.conftest import ADVOCATE, PASSPHRASE

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("count", type=int)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    database = create_database(args.path, PASSPHRASE, ADVOCATE)
    try:
        started = clock.perf_counter()
        populate(Repository(database), args.count, args.seed)
        elapsed = clock.perf_counter() - started
    finally:
        database.close()
    print(f"{args.count} referrals in {elapsed:.1f} s ({elapsed / args.count * 1000:.2f} s/1,000)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
