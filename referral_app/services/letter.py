"""The request letter to the force or CPS Area that decided: a first draft, filled from the
referral, that the advocate edits and saves with it.

The Panel only sees a case once the force or CPS Area has been asked to reconsider and has
stood by its decision, so this letter is the first step of every referral. It names the
survivor: it goes to the body that made the decision, which already knows them. The text is
plain so that what the advocate reads in the editor is exactly what is printed.
"""

from __future__ import annotations

import html
import re
from datetime import date
from string import Template

from referral_app.domain.advice import decided_by_name
from referral_app.domain.dates import describe_day
from referral_app.domain.eligibility import (
    CUTOFF_2013,
    DEFAULT_RULESET,
    RULESETS,
    Assessment,
    InvalidAnswers,
    Status,
    assess,
)
from referral_app.domain.flow import Draft
from referral_app.domain.reference import WELSH_CPS_AREA, WELSH_FORCES
from referral_app.domain.referral import Advocate, Case, ConsentMethod, DecisionMaker, Referral
from referral_app.services.resources import read_resource

SUBJECT = "Request to reconsider a decision to take no further action"


def addressee(case: Case) -> str:
    """Who the letter goes to: the CPS Area or police force that made the decision."""
    named = decided_by_name(case)
    if named:
        return named
    if case.decided_by is DecisionMaker.CPS:
        return "The CPS Area that made the decision"
    return "The police force that made the decision"


def _decision(referral: Referral) -> str:
    case = referral.case
    decision = referral.answers.get("decision")
    if decision == "discontinued":
        what = "the Crown Prosecution Service charged, then stopped the case"
    elif decision == "cps_nfa" or (decision is None and case.decided_by is DecisionMaker.CPS):
        what = "the Crown Prosecution Service decided not to charge anyone"
    elif decision == "police_nfa" or case.decided_by is DecisionMaker.POLICE:
        what = "the police decided to take no further action"
    else:
        what = "a decision was made to take no further action"
    decided = case.decision_date
    if decided is None:
        return f"After the report, {what}."
    on = "On" if decided.first == decided.last else "In"
    return f"{on} {decided.describe()}, {what}."


def _widening(case: Case) -> str:
    """For a decision from 5 June 2013 on, the statements that bring it within the Panel's remit.

    A force may still work from the Panel's published 2013 terms, so the letter names both
    Home Office statements (sources: home-office-2025-01 and petition-2025-04 in
    ``domain/sources.py``).
    """
    decided = case.decision_date
    if decided is None or decided.on_or_after(CUTOFF_2013) is not True:
        return ""
    return (
        "The decision was made after 5 June 2013. The Home Office announced on 16 January 2025 "
        "that the Panel's remit would widen to cover cases closed after 2013, and returned to "
        "it in its response of 1 April 2025 to the petition 'Launch a Public Inquiry into "
        "Grooming Gangs'."
    )


#: The Panel's criteria as a force reads them in a letter.
CRITERIA_WORDS: dict[str, str] = {
    "offence_in_england_or_wales": "the abuse happened in England or Wales",
    "sexual_offence_against_survivor": "it was sexual abuse of the survivor",
    "under_18_at_offence": "the survivor was under 18 when it began",
    "reported_to_police": "it was reported to the police",
    "decision": "the case was closed with no further action",
    "new_evidence": "there is no new information the police did not have",
    "offender_may_pose_risk": "the alleged offender could still pose a risk",
    "decision_date": "the decision was made before 5 June 2013",
}


def _assessment(referral: Referral, today: date) -> Assessment | None:
    latest = referral.latest_assessment
    ruleset = latest.ruleset if latest and latest.ruleset in RULESETS else DEFAULT_RULESET
    try:
        return assess(Draft(referral=referral).eligibility_answers(), ruleset, today)
    except InvalidAnswers:
        return None


def _criteria(assessment: Assessment | None) -> str:
    if assessment is None:
        return ""
    met = [CRITERIA_WORDS[c.key] for c in assessment.criteria if c.status is Status.MET]
    still = [CRITERIA_WORDS[c.key] for c in assessment.criteria if c.status is Status.OPEN]
    parts: list[str] = []
    if met:
        parts.append("From what is known, these of the Panel's criteria are met: " + "; ".join(met))
    if still:
        parts.append("These are still to be confirmed: " + "; ".join(still))
    return ". ".join(parts) + "." if parts else ""


def _vrr(assessment: Assessment | None) -> str:
    # Source: cps-vrr-time and police-vrr (domain/sources.py).
    if assessment is None or assessment.vrr_deadline is None:
        return ""
    return (
        "The decision was made less than three months ago. Please treat this letter also as a "
        "request for a review under the Victims' Right to Review scheme, within its three "
        f"months (which end on {describe_day(assessment.vrr_deadline)})."
    )


def _needs(referral: Referral, name: str) -> str:
    survivor = referral.survivor
    parts = []
    if survivor.language.strip():
        parts.append(f"{name}'s preferred language is {survivor.language.strip()}.")
    if survivor.interpreter_needed:
        parts.append("An interpreter is needed.")
    if survivor.access_needs.strip():
        parts.append(f"Access needs: {survivor.access_needs.strip()}.")
    return " ".join(parts)


def _welsh(referral: Referral, name: str) -> str:
    """Welsh forces and CPS Cymru-Wales are offered correspondence in Welsh when it is wanted."""
    case = referral.case
    welsh_body = (
        case.cps_area == WELSH_CPS_AREA
        if case.decided_by is DecisionMaker.CPS
        else case.police_force in WELSH_FORCES
    )
    if not welsh_body or referral.survivor.language.strip().lower() not in ("welsh", "cymraeg"):
        return ""
    return f"{name} would like correspondence in Welsh. Please write in Welsh if you can."


def _contact(referral: Referral, name: str) -> str:
    contact = referral.survivor.contact
    reply = "Please reply to me about this request, using the contact details above"
    if contact.via_advocate_only:
        return reply + f", and contact {name} only through me."
    safe = []
    if contact.letters_ok is False:
        safe.append("please do not send letters to their home")
    if contact.voicemail_ok is False:
        safe.append("please do not leave voicemail messages")
    if contact.safe_times.strip():
        safe.append(f"the safe times to call are: {contact.safe_times.strip()}")
    if not safe:
        return reply + "."
    return reply + f". If you contact {name} directly, " + "; ".join(safe) + "."


def _consent(referral: Referral, name: str) -> str:
    consent = referral.consent
    if not consent.to_referral:
        return ""
    how = "written consent" if consent.method is ConsentMethod.WRITTEN else "consent"
    when = f" on {describe_day(consent.given_on)}" if consent.given_on else ""
    if consent.authority_received_on is not None:
        authority = "A signed authority is enclosed."
    else:
        authority = "A signed authority is available on request."
    return f"{name} gave their {how} to this request{when}. {authority}"


def _period(case: Case) -> str:
    start, end = case.offence_start, case.offence_end
    if start is None:
        return ""
    if end is None or end == start:
        return f"When the abuse happened: {start.describe()}"
    return f"When the abuse happened: {start.describe()} to {end.describe()}"


def default_letter(referral: Referral, advocate: Advocate | None, today: date | None = None) -> str:
    """The letter as first offered to the advocate, from what the referral records: what a
    force needs to find the case and act on it."""
    advocate = advocate or Advocate()
    today = today or date.today()
    survivor, case = referral.survivor, referral.case
    name = survivor.full_name.strip() or "the survivor"
    sender = [advocate.organisation, advocate.name, advocate.phone, advocate.email]
    born = f", born {survivor.date_of_birth.describe()}" if survivor.date_of_birth else ""
    details = [
        f"Our reference: {referral.reference}" if referral.reference else "",
        "Crime reference numbers: " + (", ".join(case.crime_references) or "not known"),
        f"Survivor: {name}{born}",
    ]
    previous = [item.strip() for item in survivor.previous_names if item.strip()]
    if previous:
        details.append("Also known at the time of the report as: " + ", ".join(previous))
    details.append(_period(case))
    decided = case.decision_date.describe() if case.decision_date else "not known"
    details.append(f"Date of the decision: {decided}")
    organisation = f" at {advocate.organisation}" if advocate.organisation.strip() else ""
    assessment = _assessment(referral, today)
    paragraphs = [
        "\n".join(line for line in sender if line.strip()),
        describe_day(today),
        addressee(case),
        SUBJECT,
        "\n".join(line for line in details if line),
        "Dear Sir or Madam,",
        f"I am writing on behalf of {name}, whom I support{organisation}.",
        f"{name} reported sexual abuse that happened in childhood. " + _decision(referral),
        "We ask you to reconsider that decision. If, having reconsidered it, you stand by the "
        "decision, please refer the case to the Child Sexual Abuse Review Panel for its advice.",
        _criteria(assessment),
        _widening(case),
        _vrr(assessment),
        _needs(referral, name),
        _welsh(referral, name),
        _consent(referral, name),
        _contact(referral, name),
        "Yours faithfully,",
        "\n".join(line for line in (advocate.name, advocate.organisation) if line.strip()),
    ]
    return "\n\n".join(paragraph for paragraph in paragraphs if paragraph.strip()) + "\n"


def letter_text(referral: Referral, advocate: Advocate | None, today: date | None = None) -> str:
    """The letter as saved with the referral, or the first draft when none is saved yet."""
    saved = referral.request_letter
    return saved if saved.strip() else default_letter(referral, advocate, today)


def letter_html(text: str) -> str:
    """The letter's plain text as HTML for printing: paragraphs and line breaks kept, and the
    subject line in bold while the advocate leaves it as offered."""
    blocks = [block.strip("\n") for block in re.split(r"\n[ \t]*\n", text.strip())]
    body = "".join(
        ('<p class="subject">' if block.strip() == SUBJECT else "<p>")
        + "<br/>".join(html.escape(line) for line in block.splitlines())
        + "</p>"
        for block in blocks
        if block.strip()
    )
    return Template(read_resource("letter.html")).substitute(body=body)
