"""Realistic referrals in bulk, for tests and benchmarks.

Every field is filled in the varied ways real caseloads fill them: names with accents,
apostrophes and hyphens, previous names, partial dates of each precision, one to three crime
references in several forces' formats (typed with spaces and in lower case, as advocates type
them), accounts from a line to several paragraphs, contact preferences, consent in every state,
status histories that follow the domain's rules, assessments whose answers the eligibility
engine accepts, earlier reviews, request letters and follow-ups either side of ``today``. The
same ``seed`` and ``today`` always give the same referrals.

All names, numbers and addresses are made up (phone numbers from Ofcom's drama range, e-mail at
example domains). Writing goes through :meth:`Repository.create_many`: one transaction, in
batches, so 100,000 referrals take about half a minute.

    python -m tests.generate PATH COUNT [--seed N]   # a database for benchmarks
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import TypeVar

from referral_app.domain.dates import PartialDate
from referral_app.domain.eligibility import DATE_KEYS
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

_T = TypeVar("_T")

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
#: Sentences accounts are made of: what survivors tell advocates, in the words case notes use.
ACCOUNT_SENTENCES = (
    "The abuse began when she was about nine and went on until the family moved away.",
    "He was a neighbour who looked after the children after school.",
    "She disclosed to a teacher at the time, who told her mother but nothing more was done.",
    "The survivor reported it in her twenties after seeing him near a school.",
    "Officers took a statement but did not speak to the two witnesses she named.",
    "The letter said there was not enough evidence to charge.",
    "No one explained the Victims' Right to Review scheme to him at the time.",
    "There were other children at the children's home who may have been abused too.",
    "She still has the diary she kept that year, which the police never asked to see.",
    "He has since learnt that the same man was convicted of similar offences in 2019.",
    "The survivor finds phone calls hard; letters or email through the advocate are best.",
    "They would like the force to look again because of what a sibling recently said.",
    "The offender was a youth leader and is believed still to work with young people.",
    "Medical records from the time mention injuries that were never followed up.",
    "The officer in the case has retired; the survivor does not know who holds the file.",
    "She was told on the phone that the case was closed and never received a letter.",
    "A cousin has now come forward and is willing to give a statement.",
    "The abuse happened in several places, including the family car and a caravan in Rhyl.",
    "It stopped when he went into foster care at thirteen.",
    "The survivor wants the Panel to know how the decision has affected her since.",
    "Counselling notes from 2016 record the same account, in detail.",
    "He was interviewed under caution once and denied everything.",
    "There were photographs, which the survivor believes were seized at the time.",
    "The CPS letter refers to inconsistencies that the survivor says come from a mistranslation.",
    "Siân's statement was taken in English although she asked to give it in Welsh.",
)  # fmt: skip
LANGUAGES = ("English", "English", "English", "Welsh", "Polish", "Urdu", "Punjabi", "BSL")
NOTES = (
    "", "", "Posted recorded delivery", "Emailed to the force", "Survivor asked to pause",
    "Reminder sent after six weeks", "Acknowledged by the force's review team",
)  # fmt: skip
REASONS = ("decision_after_cutoff", "no_new_evidence", "offender_deceased", "not_closed")
FLAGS = ("widened_mandate", "vrr_may_apply", "route_via_original_force")
ADVOCATES = ("Ann Advocate", "Bea Caseworker", "Carys Isva")
YES_NO_UNSURE = ("yes", "no", "unsure")


def _weighted(*pairs: tuple[_T, int]) -> tuple[_T, ...]:
    """Options repeated by weight, so a weighted draw is one index like any other."""
    return tuple(option for option, weight in pairs for _ in range(weight))


#: How many statuses a history moves through after the draft, and its other weighted draws.
_MOVES = (0, 1, 1, 2, 2, 3, 3, 4, 5)
_OUTCOMES = _weighted(("eligible", 6), ("not_eligible", 2), ("more_information_needed", 3))
_DECIDED_BY = _weighted(
    (DecisionMaker.POLICE, 12), (DecisionMaker.CPS, 7), (DecisionMaker.UNKNOWN, 1), (None, 1)
)
_PREVIOUS_NAMES = _weighted((0, 50), (1, 40), (2, 10), (3, 3))
_CRIME_REFERENCES = _weighted((1, 6), (2, 3), (3, 1))
_REVIEWS = _weighted((0, 6), (1, 3), (2, 1))
_ACCOUNT_LENGTHS = _weighted((0, 15), (1, 20), (2, 20), (4, 20), (8, 15), (16, 7), (40, 3))
_REVIEW_KINDS = tuple(ReviewKind)
_ANSWERS = (Answer.YES, Answer.NO, Answer.UNSURE, None)
_MAYBE = (True, False, None)
_LETTERS = "ABCDEFGHJKLMNPRSTWZ"


class _Dice:
    """Draws from one seeded stream of floats.

    ``random.Random``'s ``choice`` and ``randint`` are Python code costing about a
    microsecond each; a referral takes about sixty draws, so at 100,000 referrals they alone
    would take longer than storing the referrals. One C call per draw is several times cheaper
    and stays reproducible from the seed.
    """

    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed).random

    def pick(self, options: Sequence[_T]) -> _T:
        return options[int(self.random() * len(options))]

    def below(self, limit: int) -> int:
        return int(self.random() * limit)

    def chance(self, probability: float) -> bool:
        return self.random() < probability

    def few(self, options: Sequence[_T], most: int) -> list[_T]:
        """Up to ``most`` different options (fewer when a repeat is drawn), in draw order."""
        chosen: list[_T] = []
        for _ in range(self.below(most + 1)):
            option = self.pick(options)
            if option not in chosen:
                chosen.append(option)
        return chosen


def generate_referrals(count: int, seed: int = 0, today: date | None = None) -> Iterator[Referral]:
    """``count`` referrals, the same for the same ``seed`` and ``today``."""
    dice = _Dice(seed)
    today = today or date.today()
    pools = _Pools(dice, today)
    for number in range(count):
        yield _referral(dice, today, number, pools)


def populate(
    repository: Repository,
    count: int,
    seed: int = 0,
    today: date | None = None,
    batch_size: int = 2000,
) -> list[int]:
    """Store ``count`` generated referrals in one transaction; returns their ids in order.

    The cyclic garbage collector is paused meanwhile: each batch makes tens of thousands of
    short-lived dictionaries, and the full collections they set off scan every object the
    process holds (SQLAlchemy's and Qt's included) to find none of them in a cycle. That was
    a sixth of the time at 100,000 referrals.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return repository.create_many(generate_referrals(count, seed, today), batch_size)
    finally:
        if was_enabled:
            gc.enable()


_Moves = dict[tuple[Status, bool], tuple[list[Status], list[Status]]]


class _Pools:
    """What is costly to make and needs no more variety than a few thousand of each give:
    accounts (free text nothing searches) and the chains of partial dates, whose checks make
    them the dearest part of a referral. Each referral draws from these, and what it gets
    (strings and partial dates) is immutable, so sharing it shares nothing a test could
    change."""

    def __init__(self, dice: _Dice, today: date) -> None:
        self.accounts = _accounts(dice)
        self.dates = tuple(_Dates(dice, today) for _ in range(4000))
        self.statuses = _status_moves()


class _Dates:
    """One case's dates, in the order they happen: born, abused, reported, decided."""

    def __init__(self, dice: _Dice, today: date) -> None:
        born = 1950 + dice.below(55)
        self.birth = _partial(dice, date(born, 1, 1), date(born, 12, 31))
        offence_from = date(born + 4 + dice.below(11), 1, 1)
        self.start = _partial(dice, offence_from, offence_from + timedelta(days=700))
        self.end = _partial(dice, self.start.last, self.start.last + timedelta(days=1400))
        latest = min(today, self.end.last + timedelta(days=9000))
        self.reported = _partial(dice, self.end.last, latest)
        latest = min(today, self.reported.last + timedelta(days=900))
        self.decided = _partial(dice, self.reported.last, latest)
        self.reviewed = tuple(
            _partial(dice, self.decided.last, self.decided.last + timedelta(days=200))
            for _ in range(2)
        )
        #: As the eligibility answers hold them, under the spec's keys.
        self.answers = (
            ("decision_date", self.decided.isoformat()),
            ("date_of_birth", self.birth.isoformat()),
            ("offence_start", self.start.isoformat()),
            ("offence_end", self.end.isoformat()),
        )


def _accounts(dice: _Dice) -> tuple[str, ...]:
    """Accounts from empty to several paragraphs."""
    pool = []
    for _ in range(1000):
        sentences = [dice.pick(ACCOUNT_SENTENCES) for _ in range(dice.pick(_ACCOUNT_LENGTHS))]
        paragraphs = [" ".join(sentences[i : i + 5]) for i in range(0, len(sentences), 5)]
        pool.append("\n\n".join(paragraphs))
    return tuple(pool)


def _status_moves() -> _Moves:
    """For each status, with and without complete consent: where it may go, and the moves
    forward among those (real referrals mostly move forward)."""
    moves = {}
    for status in Status:
        for consented in (True, False):
            options = [s for s in allowed_changes(status) if consented or s not in NEEDS_CONSENT]
            ends = (Status.WITHDRAWN, Status.CLOSED, Status.DRAFT)
            moves[status, consented] = (options, [s for s in options if s not in ends])
    return moves


def _partial(dice: _Dice, first: date, last: date) -> PartialDate:
    """A date between ``first`` and ``last``, remembered to the day, the month or the year."""
    first = min(first, last)
    day = first + timedelta(days=dice.below((last - first).days + 1))
    precision = dice.random()
    if precision < 0.3:
        return PartialDate(day.year)
    if precision < 0.6:
        return PartialDate(day.year, day.month)
    return PartialDate(day.year, day.month, day.day)


def _name(dice: _Dice) -> str:
    first = dice.pick(FIRST_NAMES)
    if dice.chance(0.15):
        first += " " + dice.pick(FIRST_NAMES)
    return f"{first} {dice.pick(SURNAMES)}"


def _crime_reference(dice: _Dice, year: int) -> str:
    yy = f"{year % 100:02d}"
    number = 1 + dice.below(999_999)
    kind = dice.below(5)
    if kind == 0:
        return f"{dice.pick(_LETTERS)}{dice.pick(_LETTERS)}/{number:05d}/{yy}"
    if kind == 1:
        return f"{1 + dice.below(99):02d}/{number:06d}/{yy}"
    if kind == 2:
        return f"CRN {year}-{number:06d}"
    if kind == 3:  # typed by hand, as "ab 123/45"; stored as "AB123/45"
        return f"{dice.pick(('ab', 'zq', 'wy', 'mp'))} {number % 1000}/{yy}"
    return f"CR/{number:07d}/{yy}"


def _history(
    dice: _Dice,
    consent: Consent,
    start: datetime,
    statuses: _Moves,
) -> list[StatusChange]:
    """A status history the domain's rules allow, mostly moving forward as real ones do."""
    history = [StatusChange(Status.DRAFT, start, "Referral started", dice.pick(ADVOCATES))]
    when = start
    consented = consent.complete
    for _ in range(dice.pick(_MOVES)):
        options, forward = statuses[history[-1].status, consented]
        if not options:
            break
        wanted = dice.pick(forward) if forward and dice.chance(0.85) else dice.pick(options)
        when += timedelta(days=1 + dice.below(120), minutes=dice.below(600))
        history.append(StatusChange(wanted, when, dice.pick(NOTES), dice.pick(ADVOCATES)))
    return history


def _assessments(dice: _Dice, start: datetime, answers: dict[str, str]) -> list[AssessmentRecord]:
    records = []
    when = start
    for _ in range(dice.pick((0, 1, 1, 1, 2, 3))):
        outcome = dice.pick(_OUTCOMES)
        reasons = [] if outcome == "eligible" else dice.few(REASONS, 2) or [REASONS[1]]
        when += timedelta(days=dice.below(60), hours=dice.below(8))
        ruleset = dice.pick(("csarp-2013", "csarp-2025"))
        records.append(
            AssessmentRecord(ruleset, outcome, reasons, dice.few(FLAGS, 2), when, dict(answers))
        )
    return records


def _consent(dice: _Dice, started: date) -> Consent:
    if dice.chance(0.25):  # not recorded yet, or only in part
        return Consent(to_referral=dice.chance(0.5), share_with_panel=dice.chance(0.3))
    withdrawn = started + timedelta(days=30 + dice.below(370)) if dice.chance(0.04) else None
    return Consent(
        to_referral=True,
        share_with_force=True,
        share_with_cps=dice.chance(0.6),
        share_with_panel=True,
        given_on=started,
        method=dice.pick((ConsentMethod.VERBAL, ConsentMethod.WRITTEN)),
        recorded_by=dice.pick(ADVOCATES),
        withdrawn_on=withdrawn,
    )


def _answers(dice: _Dice, dates: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """Eligibility answers under the spec's keys, dates included, as the guided form gives
    them: valid together, so the engine can assess every one."""
    answers = {
        "offence_in_england_or_wales": dice.pick(("yes", "yes", "yes", "yes", "unsure")),
        "sexual_offence_against_survivor": dice.pick(("yes", "yes", "yes", "unsure")),
        # The dates put every generated offence before 18; "no" would contradict them.
        "under_18_at_offence": dice.pick(("yes", "yes", "yes", "unsure")),
        "reported_to_police": dice.pick(("yes", "yes", "yes", "yes", "unsure")),
        "decision": dice.pick(
            ("police_nfa", "police_nfa", "cps_nfa", "discontinued", "out_of_court", "unknown")
        ),
        "new_evidence": dice.pick(YES_NO_UNSURE),
        "offender_may_pose_risk": dice.pick(YES_NO_UNSURE),
        "group_based": dice.pick(YES_NO_UNSURE),
    }
    if answers["decision"] == "police_nfa":
        answers["suspect_interviewed"] = dice.pick(YES_NO_UNSURE)
    for key, value in dates:
        if dice.chance(0.9):
            answers[key] = value
    return answers


def _letter(dice: _Dice, force: str, references: list[str]) -> str:
    if dice.chance(0.6):
        return ""
    return (
        f"Dear Chief Constable of {force},\n\n"
        f"I am writing on behalf of a survivor about crime reference {references[0]}. "
        "The decision to take no further action was made without the evidence described "
        "below, and we ask you to reconsider it.\n\n"
        "If you stand by the decision, please refer the case to the Child Sexual Abuse "
        "Review Panel.\n\nYours sincerely,\n" + dice.pick(ADVOCATES)
    )


def _referral(dice: _Dice, today: date, number: int, pools: _Pools) -> Referral:
    dates = dice.pick(pools.dates)
    started = datetime.combine(today - timedelta(days=dice.below(2001)), time(9), UTC)
    started += timedelta(minutes=dice.below(481), microseconds=dice.below(1_000_000))
    decided_by = dice.pick(_DECIDED_BY)
    force = dice.pick(POLICE_FORCES)
    cps = decided_by is DecisionMaker.CPS or dice.chance(0.1)
    name = _name(dice)
    given = name.rsplit(" ", 1)[0]
    previous = [
        _name(dice) if dice.chance(0.3) else f"{given} {dice.pick(SURNAMES)}"
        for _ in range(dice.pick(_PREVIOUS_NAMES))
    ]
    consent = _consent(dice, started.date())
    due = today + timedelta(days=dice.below(211) - 90) if dice.chance(0.75) else None
    slug = given.split()[0].lower().replace("'", "")
    crime_references = [
        _crime_reference(dice, dates.reported.year) for _ in range(dice.pick(_CRIME_REFERENCES))
    ]
    answers = _answers(dice, dates.answers)
    return Referral(
        survivor=Survivor(
            full_name=name,
            previous_names=previous,
            date_of_birth=dates.birth if dice.chance(0.9) else None,
            pronouns=dice.pick(("she/her", "she/her", "he/him", "they/them", "")),
            phone=f"07700 900{dice.below(1000):03d}",
            email=f"{slug}{number}@example.{dice.pick(('org', 'net', 'com'))}",
            address=(
                f"{1 + dice.below(200)} Example Road\n{dice.pick(TOWNS)}\nEX{number % 90} 1AA"
            ),
            contact=ContactPreferences(
                voicemail_ok=dice.pick(_MAYBE),
                letters_ok=dice.pick(_MAYBE),
                safe_times=dice.pick(("", "Weekdays 10-12", "After 6pm", "Not Mondays")),
                via_advocate_only=dice.chance(0.3),
            ),
            language=dice.pick(LANGUAGES),
            interpreter_needed=dice.pick((None, False, False, True)),
            access_needs=dice.pick(("", "", "Step-free access", "Large print letters")),
        ),
        case=Case(
            police_force=force,
            crime_references=crime_references,
            decided_by=decided_by,
            cps_area=dice.pick(CPS_AREAS) if cps else None,
            decision_date=dates.decided if dice.chance(0.95) else None,
            date_reported=dates.reported,
            offence_start=dates.start,
            offence_end=dates.end,
            location=dice.pick(TOWNS),
            offender_count=dice.pick((None, 1, 1, 1, 2, 3, 5)),
            offender_alive_and_known=dice.pick(_ANSWERS),
            account=dice.pick(pools.accounts),
            earlier_reviews=[
                ReviewRequest(
                    dice.pick(_REVIEW_KINDS),
                    dates.reviewed[index] if dice.chance(0.8) else None,
                    dice.pick(("", "Decision upheld", "Still waiting")),
                )
                for index in range(dice.pick(_REVIEWS))
            ],
        ),
        # As the guided form keeps them: the dates live in their own fields.
        answers={k: v for k, v in answers.items() if k not in DATE_KEYS},
        assessments=_assessments(dice, started, answers),
        consent=consent,
        status_history=_history(dice, consent, started, pools.statuses),
        follow_up=FollowUp(due, dice.pick(PURPOSES) if due else ""),
        request_letter=_letter(dice, force, crime_references),
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
