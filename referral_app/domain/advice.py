"""What an assessment means, in words for the advocate and the survivor.

The outcome page, the record and the printed summary all say the same things, so the words
live here, beside the rules, in plain Python. Every fact carries a comment naming its source
in ``domain/sources.py`` (checked on ``sources.REVIEWED_ON``); Help > "About the rules" lists
them. The app speaks as a guide ("You need to find out..."), never as "we", and never says
that the Panel or the app decides a case: the force or CPS Area decides, the Panel advises.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from referral_app.domain.dates import PartialDate, PartialDateError, add_months, describe_day
from referral_app.domain.eligibility import (
    CPS_DECISIONS,
    CPS_VRR_START,
    POLICE_VRR_START,
    Assessment,
    Outcome,
    Status,
    vrr_last_day,
    vrr_window_end,
)
from referral_app.domain.referral import Case, DecisionMaker

# Source: panel-terms (the force or CPS Area decides what to do; the Panel gives advice).
GUIDE_NOTE = (
    "This is a guide to the Panel's terms, not a decision. The police force or CPS Area that "
    "made the decision decides whether to look at the case again or to refer it to the Child "
    "Sexual Abuse Review Panel. The Panel gives advice; the force or CPS Area then decides what "
    "to do with it."
)

#: On every result, in the app's own words.
NOT_A_JUDGEMENT = (
    "A decision to take no further action is a decision about the case the police or the CPS "
    "had at the time. It is not a judgement on whether the abuse happened."
)

#: Said with every result, after the advice.
GUIDE_NOTES: tuple[str, ...] = (GUIDE_NOTE, NOT_A_JUDGEMENT)

OUTCOME_SENTENCES: dict[str, str] = {
    Outcome.ELIGIBLE: "From these answers, the case fits the Panel's terms: the force or CPS "
    "Area can be asked to refer it to the Child Sexual Abuse Review Panel.",
    Outcome.NOT_ELIGIBLE: "From these answers, the case is outside the Panel's terms. There are "
    "other things the survivor can do.",
    Outcome.MORE_INFORMATION_NEEDED: "You need to find out more before you can tell whether the "
    "case fits the Panel's terms.",
}

#: The questions as the form asks them, so the results table uses the same words.
QUESTIONS: dict[str, str] = {
    "offence_in_england_or_wales": "Did the abuse the survivor reported happen in England or "
    "Wales?",
    "sexual_offence_against_survivor": "Was it sexual abuse of the survivor themself?",
    "under_18_at_offence": "Was the survivor under 18 when the abuse began?",
    "reported_to_police": "Did the survivor report it to the police before?",
    "decision": "What happened to the report?",
    "new_evidence": "Is there new information the police did not have?",
    "offender_may_pose_risk": "Could the alleged offender still pose a risk to anyone?",
    "decision_date": "Was the decision made before 5 June 2013?",
    "suspect_interviewed": "Was a suspect identified and interviewed under caution?",
    "group_based": "Was it group-based abuse?",
}

# Source: home-office-2025-01 and petition-2025-04 (the widening, announced, not yet terms).
WIDENING = (
    "The Home Office announced on 16 January 2025 that the Panel's remit would widen to cover "
    "cases closed after 2013, and returned to it in its response of 1 April 2025 to the "
    "petition 'Launch a Public Inquiry into Grooming Gangs'. The Panel's published terms of "
    "reference (2013, page updated October 2020) still cover decisions before 5 June 2013, so a "
    "force may still work from them: the request letter cites both statements."
)

# Source: cps-vrr-time and police-vrr.
VRR_SUMMARY = (
    "The survivor can ask the police or the CPS to look again at a recent decision. Requests "
    "are expected within three months of being told of it (the CPS asks for them within 10 "
    "working days where possible); after three months, only in exceptional circumstances."
)

#: What the survivor can do instead, for each reason a case is out of scope.
INSTEAD: dict[str, str] = {
    # Source: police-101, copfs-vrr, pps-review.
    "outside_england_wales": "The Panel covers only England and Wales. For abuse in Scotland, "
    "the survivor can contact Police Scotland; in Northern Ireland, the Police Service of "
    "Northern Ireland (PSNI); both on 101. In Scotland, a decision not to prosecute made on or "
    "after 1 July 2015 can be reviewed by the Crown Office and Procurator Fiscal Service "
    "(ask within one month); in Northern Ireland, the Public Prosecution Service reviews a "
    "decision not to prosecute when asked in writing. For abuse abroad, the police of that "
    "country.",
    "not_sexual_offence_against_survivor": "The Panel looks only at decisions about sexual "
    "offences against the person asking. If the decision was about someone else, that person "
    "can ask for a review themselves.",
    "not_under_18": "The Panel is for abuse that began when the survivor was a child. For "
    "abuse that began in adulthood, the routes below may still be open.",
    # Source: police-101.
    "not_reported_to_police": "The survivor can report it to the police now, however long ago "
    "it happened: on 101, or 999 in an emergency, or at a police station. An advocate can "
    "support them through it.",
    "prosecuted": "The Panel does not look at cases that went to court, whatever the verdict. "
    "If the survivor is unhappy with how the case was handled, the routes below may be open.",
    "live_investigation": "The case is still open. If it ends with no further action, the "
    "survivor can then ask for a review. Until then, they can ask the officer in the case for "
    "updates.",
    # Source: panel-terms (the force looks again first; the Panel only after it stands by NFA).
    "new_evidence": "New information is not a dead end. Give it to the police force that dealt "
    "with the case first: it can reopen or reinvestigate the case itself. If the force looks at "
    "it and still stands by no further action, the case can come back to the Panel.",
    "no_risk": "The Panel looks at cases where the alleged offender could still pose a risk, "
    "and the bar is very low. Unless they are known to have died, change the answer to 'Yes, "
    "or possibly': the force can check.",
    # Source: panel-terms-2013, home-office-2025-01, petition-2025-04.
    "decision_after_cutoff": "Under the Panel's 2013 terms, only decisions made before "
    "5 June 2013 were in scope. The Home Office announced on 16 January 2025 that later "
    "decisions would be covered too (and returned to it on 1 April 2025): check the case again "
    "under the current rules.",
}

#: What to find out, for each question still open.
FIND_OUT: dict[str, str] = {
    "offence_in_england_or_wales": "Find out where the abuse happened.",
    "sexual_offence_against_survivor": "Check what offence was reported, and that it was "
    "against the survivor.",
    "under_18_at_offence": "Find out the survivor's date of birth and roughly when the abuse "
    "began; a year is enough.",
    "reported_to_police": "Check whether it was reported to the police. The survivor can ask "
    "the force whether it holds a record of the report.",
    "decision": "Ask the force that dealt with the report what was decided. The survivor can "
    "ask the officer in the case, or the force's victim care unit, for the decision letter; or "
    "make a subject access request to the force for the record of the decision.",
    "new_evidence": "Check with the survivor whether there is anything the police did not have "
    "at the time. Something remembered since the decision counts as new information.",
    "offender_may_pose_risk": "Unless the alleged offender is known to have died, answer "
    "'Yes, or possibly'; the force can check.",
    "decision_date": "Find out when the decision was made: the decision letter will say.",
}

# Source: panel-terms (the Panel's terms speak of NFA decisions); spec v2 (ask, do not guess).
OUT_OF_COURT = (
    "A caution, conditional caution, community resolution or other out-of-court outcome is not "
    "a 'no further action' decision on its face. Ask the force whether it would put the case to "
    "the Panel."
)

ANSWER_WORDS: dict[str, str] = {
    "yes": "Yes",
    "no": "No",
    "unsure": "Not sure",
    "police_nfa": "The police took no further action",
    "cps_nfa": "The CPS decided not to charge",
    "discontinued": "The CPS charged, then stopped the case",
    "prosecuted": "Charged and went to court",
    "live": "Still being investigated or prosecuted",
    "out_of_court": "A caution or other out-of-court outcome",
    "unknown": "Not known",
}

STATUS_WORDS: dict[Status, str] = {
    Status.MET: "Met",
    Status.NOT_MET: "Not met",
    Status.OPEN: "Still to find out",
}


@dataclass(frozen=True)
class FlagText:
    flag: str
    text: str


@dataclass(frozen=True)
class Advice:
    """Everything said about one assessment, in the order a page shows it."""

    outcome: str
    instead: list[str] = field(default_factory=list)
    find_out: list[str] = field(default_factory=list)
    routes: list[str] = field(default_factory=list)
    flags: list[FlagText] = field(default_factory=list)
    notes: tuple[str, ...] = GUIDE_NOTES


def decided_by_name(case: Case) -> str | None:
    """The CPS Area or police force that made the decision, by its usual name, if known.

    "Gwent" is "Gwent Police", "Cymru-Wales" is "CPS Cymru-Wales": a bare entry of the list
    never stands for a force in a sentence.
    """
    if case.decided_by is DecisionMaker.CPS:
        return f"CPS {case.cps_area}" if case.cps_area else None
    if case.police_force:
        force = case.police_force
        return force if "Police" in force else f"{force} Police"
    return None


def _vrr_text(assessment: Assessment, decision: str | None) -> str:
    last = assessment.vrr_deadline
    if last is None:
        when = ""
    elif last == assessment.today:
        when = " Today is the last day of the three months."
    else:
        when = f" The three months end on {describe_day(last)}."
    # Source: cps-vrr-time (10 working days, three months, exceptional circumstances).
    text = (
        "The Victims' Right to Review may be a quicker route: the survivor can ask for the "
        "decision to be looked at again. Requests are expected within three months of the "
        "survivor being told of the decision." + when + " The CPS asks for them within 10 "
        "working days where possible, for a quicker review; after three months a request is "
        "accepted only in exceptional circumstances."
    )
    if decision in CPS_DECISIONS:
        # Source: cps-vrr.
        return text + (
            " The CPS scheme covers decisions not to charge, to stop (discontinue) a case, or "
            "to offer no evidence."
        )
    # Source: police-vrr.
    return text + (
        " The police scheme applies only where a suspect was identified and interviewed under "
        "caution. It does not cover out-of-court outcomes, partial charging (some offences or "
        "suspects charged and others not), or cases where the survivor withdrew their complaint."
    )


def flag_texts(
    assessment: Assessment, decided_by: str | None = None, decision: str | None = None
) -> list[FlagText]:
    """The flags in words; ``decided_by`` names the force or CPS Area when it is known."""
    who = decided_by or "the police force or CPS Area that made the decision"
    texts = []
    for flag in assessment.flags:
        if flag == "widened_mandate":
            text = (
                "The decision was made on or after 5 June 2013, after the period the Panel's "
                "2013 terms cover. The case fits only because of the widening. " + WIDENING
            )
        elif flag == "vrr_may_apply":
            text = _vrr_text(assessment, decision)
        elif flag == "route_via_original_force":
            # Source: panel-terms.
            text = (
                f"The request goes first to {who}. It may reconsider or reinvestigate the case "
                "itself; only if it stands by no further action does it refer the case to the "
                "Panel. The Panel then advises (to reinvestigate, to have the CPS review its "
                f"decision, or that no further action was right), and {who} decides what to do. "
                "The survivor is told the outcome by letter, with support offered; there is no "
                "appeal beyond the Panel."
            )
        elif flag == "operation_beaconport":
            # Source: beaconport.
            text = (
                "The National Crime Agency's Operation Beaconport is reviewing group-based child "
                "sexual abuse cases that were closed with no further action between 1 January "
                "2010 and 31 March 2025. Forces refer cases to it: ask "
                f"{who} whether this case has been referred to it."
            )
        else:
            text = flag
        texts.append(FlagText(flag, text))
    return texts


def _decided(answers: Mapping[str, str], key: str = "decision_date") -> PartialDate | None:
    value = answers.get(key)
    if not value:
        return None
    try:
        return PartialDate.parse(value)
    except PartialDateError:
        return None


def other_routes(assessment: Assessment, answers: Mapping[str, str]) -> list[str]:
    """Review and complaint routes still open for this decision, and those closed, said plainly.

    Only routes whose conditions the dates settle are offered or closed; a route that is not
    open is never suggested.
    """
    decision = answers.get("decision")
    decided = _decided(answers)
    today = assessment.today
    routes: list[str] = []
    by_cps = decision in CPS_DECISIONS
    by_police = decision == "police_nfa"
    if (by_cps or by_police) and decided is not None and "vrr_may_apply" not in assessment.flags:
        start = CPS_VRR_START if by_cps else POLICE_VRR_START
        if decided.before(start) is True:
            # Source: cps-vrr, police-vrr (the schemes' start dates).
            scheme = "CPS" if by_cps else "police"
            routes.append(
                f"There is no Victims' Right to Review for this decision: the {scheme} scheme "
                f"covers decisions made from {describe_day(start)}."
            )
        elif decided.on_or_after(start) is True and decided.last < today:
            last = vrr_last_day(decided.last)
            if last < today:
                # Source: cps-vrr-time.
                routes.append(
                    "The three months for a Victims' Right to Review of this decision have "
                    "passed; a later request is accepted only in exceptional circumstances."
                )
    if by_cps:
        routes.append(_cps_complaint(decided, today))
    elif by_police or decision is None or decision in ("prosecuted", "unknown"):
        routes.append(_police_complaint(decided, today))
    return routes


def _police_complaint(decided: PartialDate | None, today: date) -> str:
    # Source: police-complaints.
    text = (
        "A complaint about how the police handled the case goes to the force (directly, or "
        "through the Independent Office for Police Conduct's website, which passes it on). If "
        "the survivor is unhappy with the outcome, the outcome letter says who reviews it: the "
        "local Police and Crime Commissioner or the IOPC."
    )
    if decided is not None and decided.last < add_months(today, -12):
        return text + (
            " The decision was made more than 12 months ago, so the force may refuse the "
            "complaint unless there is a good reason for the delay: say why the survivor could "
            "not complain sooner."
        )
    return text + (
        " A complaint about events more than 12 months ago may be refused without a good "
        "reason for the delay."
    )


def _cps_complaint(decided: PartialDate | None, today: date) -> str:
    # Source: cps-complaints.
    if decided is not None and decided.last < add_months(today, -6):
        return (
            "A complaint to the CPS is not open for this decision: the CPS does not deal with "
            "complaints about things that happened more than six months ago."
        )
    return (
        "A complaint about the CPS's service goes through its Feedback and Complaints process, "
        "and at the last stage to the Independent Assessor of Complaints for the CPS, who does "
        "not look at complaints only about the decision itself. The CPS does not deal with "
        "complaints about things that happened more than six months ago."
    )


#: Reasons after which the survivor may still want a review or to complain.
_ROUTE_REASONS = frozenset(
    {"not_under_18", "prosecuted", "no_risk", "not_sexual_offence_against_survivor"}
)


def advice_for(
    assessment: Assessment, answers: Mapping[str, str], decided_by: str | None
) -> Advice:
    """What to say about ``assessment`` of ``answers`` (the keys ``assess()`` was given)."""
    instead: list[str] = []
    routes: list[str] = []
    if assessment.outcome == Outcome.NOT_ELIGIBLE:
        instead = [INSTEAD[reason] for reason in assessment.reasons if reason in INSTEAD]
        if _ROUTE_REASONS.intersection(assessment.reasons):
            routes = other_routes(assessment, answers)
    find_out = []
    for result in assessment.criteria:
        if result.status is not Status.OPEN:
            continue
        if result.key == "decision" and answers.get("decision") == "out_of_court":
            find_out.append(OUT_OF_COURT)
        else:
            find_out.append(FIND_OUT.get(result.key, result.key))
    return Advice(
        outcome=OUTCOME_SENTENCES[assessment.outcome],
        instead=instead,
        find_out=find_out,
        routes=routes,
        flags=flag_texts(assessment, decided_by, answers.get("decision")),
    )


@dataclass(frozen=True)
class VrrWindow:
    """Where the Victims' Right to Review window of a recorded decision stands today."""

    last_day: date
    #: "open", "last_day" or "closed".
    state: str
    words: str


def vrr_window(answers: Mapping[str, str], today: date) -> VrrWindow | None:
    """The VRR window of the decision in ``answers`` (dates included), or None when neither
    scheme covers it. Said as the engine computes it: the last day the flag is raised."""
    decided = _decided(answers)
    last = vrr_window_end(answers.get("decision"), answers.get("suspect_interviewed"), decided)
    if last is None or decided is None:
        return None
    approximate = "" if decided.first == decided.last else " at the earliest"
    if last > today:
        left = (last - today).days
        days = "1 day" if left == 1 else f"{left} days"
        words = f"Open: the three months end on {describe_day(last)}{approximate} (in {days})."
        return VrrWindow(last, "open", words)
    if last == today:
        return VrrWindow(last, "last_day", "Open: today is the last day of the three months.")
    # Source: cps-vrr-time.
    words = (
        f"Closed on {describe_day(last)}{approximate}; a later request is accepted only in "
        "exceptional circumstances."
    )
    return VrrWindow(last, "closed", words)


#: A follow-up this many days before a VRR window ends leaves time to send the request.
VRR_FOLLOW_UP_DAYS = 7


def vrr_follow_up(window: VrrWindow, today: date) -> tuple[date, str] | None:
    """The follow-up to offer for an open VRR window: a week before it ends, or today."""
    if window.state == "closed":
        return None
    due = max(today, window.last_day - timedelta(days=VRR_FOLLOW_UP_DAYS))
    return due, f"Victims' Right to Review: the window ends {describe_day(window.last_day)}"


# Source: cica.
CICA = (
    "Criminal injuries compensation: the survivor may be able to claim from the Criminal "
    "Injuries Compensation Authority (www.gov.uk/claim-compensation-criminal-injury). The abuse "
    "must have been reported to the police, but no one needs to have been charged or convicted. "
    "For childhood abuse first reported to the police at 18 or over, a claim is expected within "
    "two years of that first report; a later one is accepted only in exceptional circumstances."
)

# Source: youth-justice.
CHILD_OFFENDER = (
    "If the alleged offender was a child at the time: the age of criminal responsibility in "
    "England and Wales is 10, so a child of 10 or over can be charged. Children aged 10 to 17 "
    "are dealt with by youth courts, with youth sentences or out-of-court outcomes such as a "
    "youth conditional caution; the Panel's terms still apply to the decision."
)

# Source: force-history and police-records.
OLD_CASE = (
    "For an older case: forces have been renamed and merged since (for example Hampshire "
    "Constabulary is now Hampshire and Isle of Wight Constabulary, since 2022; Dyfed-Powys "
    "Constabulary became Dyfed-Powys Police in 1974; Greater Manchester Police took over from "
    "Manchester and Salford Police and parts of neighbouring forces on 1 April 1974; Help > "
    "About the rules has the list), so ask the force that covers the area now. Police records "
    "are deleted once there is no policing purpose for keeping them, so some may have been "
    "destroyed: ask early, for example with a subject access request, which the force must "
    "answer within one month."
)

#: A case decided (or begun) before this year counts as older for records and force names.
OLD_CASE_BEFORE = date(2006, 1, 1)


def other_routes_for(assessment: Assessment, answers: Mapping[str, str]) -> list[str]:
    """Routes and facts beyond the Panel, said where they apply; compensation on every result."""
    texts = [CICA]
    earliest = _decided(answers) or _decided(answers, "offence_start")
    if earliest is not None and earliest.before(OLD_CASE_BEFORE) is True:
        texts.append(OLD_CASE)
    texts.append(CHILD_OFFENDER)
    return texts


def answer_words(value: str | None) -> str:
    if value is None:
        return "Not answered"
    return ANSWER_WORDS.get(value, value)
