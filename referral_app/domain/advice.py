"""What an assessment means, in words for the advocate and the survivor.

The outcome page and the printed summary both say the same things, so the words live here,
beside the rules, in plain Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from referral_app.domain.dates import describe_day
from referral_app.domain.eligibility import Assessment, Outcome, Status

PANEL_DECIDES = (
    "This is a guide to the Panel's rules, not a decision. The Child Sexual Abuse Review Panel "
    "makes the real decision on every case."
)

OUTCOME_SENTENCES: dict[str, str] = {
    Outcome.ELIGIBLE: "From these answers, the case can be put to the Child Sexual Abuse Review "
    "Panel.",
    Outcome.NOT_ELIGIBLE: "From these answers, the case is outside what the Panel can look at. "
    "There are other things the survivor can do.",
    Outcome.MORE_INFORMATION_NEEDED: "We need to find out more before we know whether the Panel "
    "can look at this case.",
}

#: What the survivor can do instead, for each reason a case is out of scope.
INSTEAD: dict[str, str] = {
    "outside_england_wales": "The Panel only covers England and Wales. For abuse in Scotland, "
    "the survivor can contact Police Scotland; in Northern Ireland, the Police Service of "
    "Northern Ireland (PSNI); both on 101. For abuse abroad, the police of that country.",
    "not_sexual_offence_against_survivor": "The Panel only reviews decisions about sexual "
    "offences against the person asking. If the decision was about someone else, that person "
    "can ask for a review themselves. Other offences can be raised with the force through the "
    "Victims' Right to Review or a complaint.",
    "not_under_18": "The Panel is for abuse that began when the survivor was a child. For abuse "
    "in adulthood, the survivor can ask the force or the CPS for a review under the Victims' "
    "Right to Review scheme, or make a complaint.",
    "not_reported_to_police": "The survivor can report it to the police now, however long ago "
    "it happened: on 101, or 999 in an emergency, or at a police station. An advocate can "
    "support them through it.",
    "prosecuted": "The Panel does not look at cases that went to court, whatever the verdict. "
    "If the survivor is unhappy with how the case was handled, they can raise it with the force "
    "or the CPS.",
    "live_investigation": "The case is still open. If it ends with no further action, the "
    "survivor can then ask for a review. Until then, they can ask the officer in the case for "
    "updates.",
    "new_evidence": "Give the new information to the police force that dealt with the case: it "
    "can reopen or reinvestigate the case itself, which is usually quicker than the Panel.",
    "no_risk": "The Panel looks at cases where the alleged offender could still pose a risk. "
    "Where that is clearly not so, the survivor can still complain to the force about how the "
    "case was handled.",
    "decision_after_cutoff": "Under the Panel's original 2013 terms, only decisions made before "
    "5 June 2013 were in scope. Since January 2025 the Panel can look at later decisions too: "
    "check the case again under the current rules.",
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
    "at the time.",
    "offender_may_pose_risk": "Find out whether the alleged offender is alive and could still "
    "have contact with children or vulnerable adults.",
    "decision_date": "Find out when the decision was made: the decision letter will say.",
}

ANSWER_WORDS: dict[str, str] = {
    "yes": "Yes",
    "no": "No",
    "unsure": "Not sure",
    "police_nfa": "The police took no further action",
    "cps_nfa": "The CPS decided not to charge",
    "prosecuted": "Charged and went to court",
    "live": "Still being investigated or prosecuted",
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


def flag_texts(assessment: Assessment, decided_by: str | None = None) -> list[FlagText]:
    """The flags in words; ``decided_by`` names the force or CPS Area when it is known."""
    texts = []
    for flag in assessment.flags:
        if flag == "widened_mandate":
            text = (
                "The decision was made on or after 5 June 2013. The case is in scope because "
                "the Panel's mandate was widened in January 2025 to include later decisions."
            )
        elif flag == "vrr_may_apply":
            deadline = assessment.vrr_deadline
            # The engine's deadline is the first day outside the three months: the window
            # ends the day before, and is said so, exactly.
            when = ""
            if deadline:
                last = describe_day(deadline - timedelta(days=1))
                when = f" (for this decision the three months end on {last})"
            text = (
                "The Victims' Right to Review may be quicker: the survivor can ask the police or "
                "the CPS to look again at a recent decision. Requests are expected within three "
                f"months of being told of the decision{when}; later ones are at their discretion."
            )
        elif flag == "route_via_original_force":
            who = decided_by or "the police force or CPS Area that made the decision"
            text = (
                f"The request goes first to {who}. It may reconsider the case itself; only if it "
                "stands by its decision does it refer the case to the Panel."
            )
        else:
            text = flag
        texts.append(FlagText(flag, text))
    return texts


def answer_words(value: str | None) -> str:
    if value is None:
        return "Not answered"
    return ANSWER_WORDS.get(value, value)
