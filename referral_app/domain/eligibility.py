"""The Child Sexual Abuse Review Panel's scope, as rules an advocate can walk through.

``assess()`` is a pure function of the answers, the ruleset and the day: it never guesses.
An answer the advocate is unsure of, or that partial dates do not settle, keeps its criterion
open (``more_information_needed``) rather than failing it, because turning a survivor away on
a guess is the worst outcome this app can produce. Bad input is refused whole with
``InvalidAnswers``, which names every key at fault so a form can mark each field.

Only the standard library is imported here: the engine must run wherever Python does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from referral_app.domain.dates import PartialDate, PartialDateError, add_months, add_years

YES = "yes"
NO = "no"
UNSURE = "unsure"
YES_NO_UNSURE: tuple[str, ...] = (YES, NO, UNSURE)

DECISIONS: tuple[str, ...] = (
    "police_nfa",
    "cps_nfa",
    "discontinued",
    "prosecuted",
    "live",
    "out_of_court",
    "unknown",
)
#: Decisions that close a case with no further action, as the Panel's terms read them.
NFA_DECISIONS: frozenset[str] = frozenset({"police_nfa", "cps_nfa", "discontinued"})
#: Decisions the CPS made, for its Victims' Right to Review scheme.
CPS_DECISIONS: frozenset[str] = frozenset({"cps_nfa", "discontinued"})

#: Optional keys that change flags only, never the outcome (spec v2).
FLAG_KEYS: tuple[str, ...] = ("suspect_interviewed", "group_based")

DATE_KEYS: tuple[str, ...] = ("decision_date", "date_of_birth", "offence_start", "offence_end")

#: The Panel's original terms covered decisions before this day; VRR covered the rest.
CUTOFF_2013 = date(2013, 6, 5)
#: The Victims' Right to Review schemes began on these days.
CPS_VRR_START = date(2013, 6, 5)
POLICE_VRR_START = date(2015, 4, 1)
#: VRR requests are expected within this many calendar months of the decision.
VRR_MONTHS = 3
#: Operation Beaconport looks at group-based cases closed with NFA in this period.
BEACONPORT_FIRST = date(2010, 1, 1)
BEACONPORT_LAST = date(2025, 3, 31)


class Outcome(StrEnum):
    ELIGIBLE = "eligible"
    NOT_ELIGIBLE = "not_eligible"
    MORE_INFORMATION_NEEDED = "more_information_needed"


class Flag(StrEnum):
    WIDENED_MANDATE = "widened_mandate"
    VRR_MAY_APPLY = "vrr_may_apply"
    ROUTE_VIA_ORIGINAL_FORCE = "route_via_original_force"
    OPERATION_BEACONPORT = "operation_beaconport"


class Status(StrEnum):
    """Where one criterion stands."""

    MET = "met"
    NOT_MET = "not_met"
    OPEN = "open"


@dataclass(frozen=True)
class Criterion:
    """One row of the criteria table: which answers meet it, and which fail it and why."""

    key: str
    question: str
    allowed: tuple[str, ...]
    meets: frozenset[str]
    fails: Mapping[str, str]


CRITERIA: tuple[Criterion, ...] = (
    Criterion(
        "offence_in_england_or_wales",
        "Did the alleged offence happen in England or Wales?",
        YES_NO_UNSURE,
        frozenset({YES}),
        {NO: "outside_england_wales"},
    ),
    Criterion(
        "sexual_offence_against_survivor",
        "Is it an alleged sexual offence against the survivor themself?",
        YES_NO_UNSURE,
        frozenset({YES}),
        {NO: "not_sexual_offence_against_survivor"},
    ),
    Criterion(
        "under_18_at_offence",
        "Was the survivor under 18 at the time?",
        YES_NO_UNSURE,
        frozenset({YES}),
        {NO: "not_under_18"},
    ),
    Criterion(
        "reported_to_police",
        "Did the survivor report it to the police before?",
        YES_NO_UNSURE,
        frozenset({YES}),
        {NO: "not_reported_to_police"},
    ),
    Criterion(
        "decision",
        "What happened to the report?",
        DECISIONS,
        NFA_DECISIONS,
        {"prosecuted": "prosecuted", "live": "live_investigation"},
    ),
    Criterion(
        "new_evidence",
        "Is there new information the police did not have?",
        YES_NO_UNSURE,
        frozenset({NO}),
        {YES: "new_evidence"},
    ),
    Criterion(
        "offender_may_pose_risk",
        "Could the alleged offender still pose a risk?",
        YES_NO_UNSURE,
        frozenset({YES}),
        {NO: "no_risk"},
    ),
)

DECISION_DATE_QUESTION = "Was the decision made before 5 June 2013?"
DECISION_AFTER_CUTOFF = "decision_after_cutoff"

#: Every key ``assess()`` accepts, in the order a form asks for them.
KNOWN_KEYS: tuple[str, ...] = tuple(c.key for c in CRITERIA) + FLAG_KEYS + DATE_KEYS


@dataclass(frozen=True)
class Ruleset:
    name: str
    title: str
    decision_cutoff: date | None


RULESETS: dict[str, Ruleset] = {
    "csarp-2025": Ruleset(
        "csarp-2025", "Panel's terms with the widening announced in January 2025", None
    ),
    "csarp-2013": Ruleset("csarp-2013", "Panel's terms of reference of 2013", CUTOFF_2013),
}
DEFAULT_RULESET = "csarp-2025"


@dataclass(frozen=True)
class AnswerError:
    """One problem with one key, in words an advocate can act on."""

    key: str
    message: str

    def __str__(self) -> str:
        return f"{self.key}: {self.message}"


class InvalidAnswers(ValueError):  # noqa: N818 (the name is part of the contract)
    """The answers cannot be assessed as given; ``errors`` names each key and its problem."""

    def __init__(self, errors: list[AnswerError]) -> None:
        self.errors = list(errors)
        super().__init__("; ".join(str(error) for error in self.errors))

    @property
    def keys(self) -> list[str]:
        return [error.key for error in self.errors]


@dataclass(frozen=True)
class CriterionResult:
    """How one criterion was judged, for the outcome page and the printed summary."""

    key: str
    question: str
    answer: str | None
    status: Status
    reason: str | None = None
    derived: bool = False


@dataclass(frozen=True)
class Assessment:
    outcome: Outcome
    reasons: list[str]
    flags: list[str]
    ruleset: str
    today: date
    criteria: list[CriterionResult] = field(default_factory=list)
    #: The last day of the three-month VRR window (the last day on which the flag is still
    #: raised for this decision date), when the flag is raised.
    vrr_deadline: date | None = None
    #: Age at the time as worked out from the dates (yes/no), or None when they do not settle it.
    derived_under_18: str | None = None


@dataclass(frozen=True)
class _Checked:
    choices: dict[str, str | None]
    dates: dict[str, PartialDate | None]
    derived_under_18: str | None


def assess(
    answers: Mapping[str, Any],
    ruleset: str = DEFAULT_RULESET,
    today: date | None = None,
) -> Assessment:
    """Judge ``answers`` against ``ruleset`` as of ``today`` (default: the current date)."""
    if today is None:
        today = date.today()
    elif isinstance(today, datetime):
        today = today.date()
    elif not isinstance(today, date):
        raise InvalidAnswers([AnswerError("today", f"{today!r} is not a date")])
    rules = RULESETS.get(ruleset) if isinstance(ruleset, str) else None
    if rules is None:
        known = ", ".join(RULESETS)
        raise InvalidAnswers(
            [AnswerError("ruleset", f"{ruleset!r} is not a ruleset; use one of {known}")]
        )
    checked = _check(answers, today)

    results = [_judge(criterion, checked) for criterion in CRITERIA]
    decision_date = checked.dates["decision_date"]
    if rules.decision_cutoff is not None:
        results.append(_judge_cutoff(decision_date, rules.decision_cutoff))

    failing = [r.reason for r in results if r.status is Status.NOT_MET and r.reason]
    open_keys = [r.key for r in results if r.status is Status.OPEN]
    if failing:
        outcome, reasons = Outcome.NOT_ELIGIBLE, failing
    elif open_keys:
        outcome, reasons = Outcome.MORE_INFORMATION_NEEDED, open_keys
    else:
        outcome, reasons = Outcome.ELIGIBLE, []

    flags: list[str] = []
    if decision_date is not None and decision_date.on_or_after(CUTOFF_2013) is True:
        flags.append(Flag.WIDENED_MANDATE)
    decision = checked.choices["decision"]
    suspect = checked.choices["suspect_interviewed"]
    vrr_deadline = _vrr_deadline(decision, suspect, decision_date, today)
    if vrr_deadline is not None:
        flags.append(Flag.VRR_MAY_APPLY)
    if outcome is Outcome.ELIGIBLE:
        flags.append(Flag.ROUTE_VIA_ORIGINAL_FORCE)
    if _beaconport(checked.choices["group_based"], decision, decision_date):
        flags.append(Flag.OPERATION_BEACONPORT)

    return Assessment(
        outcome=outcome,
        reasons=list(reasons),
        flags=flags,
        ruleset=rules.name,
        today=today,
        criteria=results,
        vrr_deadline=vrr_deadline,
        derived_under_18=checked.derived_under_18,
    )


def _judge(criterion: Criterion, checked: _Checked) -> CriterionResult:
    answer = checked.choices[criterion.key]
    derived = False
    derivable = criterion.key == "under_18_at_offence" and answer in (None, UNSURE)
    if derivable and checked.derived_under_18 is not None:
        answer, derived = checked.derived_under_18, True
    if answer in criterion.meets:
        status, reason = Status.MET, None
    elif answer is not None and answer in criterion.fails:
        status, reason = Status.NOT_MET, criterion.fails[answer]
    else:
        status, reason = Status.OPEN, None
    return CriterionResult(criterion.key, criterion.question, answer, status, reason, derived)


def _judge_cutoff(decision_date: PartialDate | None, cutoff: date) -> CriterionResult:
    answer = None if decision_date is None else decision_date.isoformat()
    before = None if decision_date is None else decision_date.before(cutoff)
    if before is True:
        status, reason = Status.MET, None
    elif before is False:
        status, reason = Status.NOT_MET, DECISION_AFTER_CUTOFF
    else:
        status, reason = Status.OPEN, None
    return CriterionResult("decision_date", DECISION_DATE_QUESTION, answer, status, reason)


def vrr_window_start(today: date) -> date:
    """Decisions strictly after this day are less than three calendar months old."""
    return add_months(today, -VRR_MONTHS)


def vrr_last_day(decided: date) -> date:
    """The last day on which a decision made on ``decided`` is less than three months old.

    The window is defined as ``assess()`` tests it (``decided`` strictly after the same day of
    the month three months before today), so the day said to the advocate is the day the flag
    is last raised, month ends included (a decision on 30 November is in the window until
    28 February, because three months before 28 February is 28 November).
    """
    day = add_months(decided, VRR_MONTHS) + timedelta(days=4)
    while add_months(day, -VRR_MONTHS) >= decided:
        day -= timedelta(days=1)
    return day


def _beaconport(group_based: str | None, decision: str | None, decided: PartialDate | None) -> bool:
    """A group-based NFA case closed wholly within Operation Beaconport's period."""
    if group_based != YES or decision not in NFA_DECISIONS or decided is None:
        return False
    return decided.first >= BEACONPORT_FIRST and decided.last <= BEACONPORT_LAST


def vrr_window_end(
    decision: str | None, suspect_interviewed: str | None, decided: PartialDate | None
) -> date | None:
    """The last day of the VRR window for this decision, whatever today is; None when neither
    scheme covers it (or the decision date does not settle whether one does)."""
    if decided is None:
        return None
    if decision in CPS_DECISIONS:
        scheme_start = CPS_VRR_START
    elif decision == "police_nfa" and suspect_interviewed != NO:
        scheme_start = POLICE_VRR_START
    else:
        return None
    if decided.on_or_after(scheme_start) is not True:
        return None
    return vrr_last_day(decided.first)


def _vrr_deadline(
    decision: str | None, suspect: str | None, decided: PartialDate | None, today: date
) -> date | None:
    """When VRR may be the quicker route, the last day of its three months; else None."""
    last = vrr_window_end(decision, suspect, decided)
    if last is None or decided is None or decided.after(vrr_window_start(today)) is not True:
        return None
    return last


def derive_under_18(date_of_birth: PartialDate, offence_start: PartialDate) -> str | None:
    """Was the survivor under 18 when the offence began? ``None`` if the spans do not say."""
    earliest_18th = add_years(date_of_birth.first, 18)
    latest_18th = add_years(date_of_birth.last, 18)
    if offence_start.last < earliest_18th:
        return YES
    if offence_start.first >= latest_18th:
        return NO
    return None


def _check(answers: Mapping[str, Any], today: date) -> _Checked:
    """Every rule about what may be given, all at once, so the form can mark every field."""
    if not isinstance(answers, Mapping):
        raise InvalidAnswers(
            [AnswerError("answers", "the answers must be given as a mapping of keys to values")]
        )
    errors: list[AnswerError] = []
    for key in answers:
        if key not in KNOWN_KEYS:
            errors.append(AnswerError(str(key), "is not a question the rules know about"))

    choices: dict[str, str | None] = {}
    allowed_answers = [(c.key, c.allowed) for c in CRITERIA]
    allowed_answers += [(key, YES_NO_UNSURE) for key in FLAG_KEYS]
    for key, allowed in allowed_answers:
        value = answers.get(key)
        if value is not None and value not in allowed:
            listed = ", ".join(allowed)
            errors.append(
                AnswerError(key, f"{value!r} is not an allowed answer; use one of {listed}")
            )
            value = None
        choices[key] = value

    dates: dict[str, PartialDate | None] = {}
    for key in DATE_KEYS:
        dates[key] = _parse_date(key, answers.get(key), today, errors)

    errors.extend(_order_errors(dates))
    derived = None
    dob, start = dates["date_of_birth"], dates["offence_start"]
    if dob is not None and start is not None:
        derived = derive_under_18(dob, start)
        given = choices["under_18_at_offence"]
        if given in (YES, NO) and derived is not None and derived != given:
            said = "under 18" if given == YES else "18 or over"
            age = "under 18" if derived == YES else "18 or over"
            errors.append(
                AnswerError(
                    "under_18_at_offence",
                    f"the answer says the survivor was {said} when the offence began, but the "
                    f"dates say {age} (born {dob.describe()}, offence from {start.describe()}); "
                    "correct the answer or the dates",
                )
            )
    if errors:
        raise InvalidAnswers(errors)
    return _Checked(choices, dates, derived)


def _parse_date(key: str, value: Any, today: date, errors: list[AnswerError]) -> PartialDate | None:
    if value is None:
        return None
    try:
        if isinstance(value, date):
            parsed = PartialDate.from_date(value)
        else:
            parsed = PartialDate.parse(value)
    except PartialDateError as exc:
        errors.append(AnswerError(key, str(exc)))
        return None
    if parsed.first > today:
        errors.append(AnswerError(key, f"{parsed.describe()} is in the future"))
        return None
    return parsed


def _order_errors(dates: Mapping[str, PartialDate | None]) -> list[AnswerError]:
    """The dates must be possible together; only what the spans settle is an error."""
    dob = dates["date_of_birth"]
    start = dates["offence_start"]
    end = dates["offence_end"]
    decided = dates["decision_date"]
    errors: list[AnswerError] = []
    if start is not None and end is not None and end.settled_before(start):
        errors.append(
            AnswerError(
                "offence_end",
                f"the offence cannot end ({end.describe()}) before it started ({start.describe()})",
            )
        )
    if dob is not None and start is not None and start.settled_before(dob):
        errors.append(
            AnswerError(
                "offence_start",
                f"the offence cannot start ({start.describe()}) before the survivor was born "
                f"({dob.describe()})",
            )
        )
    elif dob is not None and end is not None and end.settled_before(dob):
        errors.append(
            AnswerError(
                "offence_end",
                f"the offence cannot end ({end.describe()}) before the survivor was born "
                f"({dob.describe()})",
            )
        )
    if decided is not None and start is not None and decided.settled_before(start):
        errors.append(
            AnswerError(
                "decision_date",
                f"the decision ({decided.describe()}) cannot come before the offence began "
                f"({start.describe()})",
            )
        )
    elif decided is not None and dob is not None and decided.settled_before(dob):
        errors.append(
            AnswerError(
                "decision_date",
                f"the decision ({decided.describe()}) cannot come before the survivor was born "
                f"({dob.describe()})",
            )
        )
    return errors
