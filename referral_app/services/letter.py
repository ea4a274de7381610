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
from referral_app.domain.eligibility import CUTOFF_2013
from referral_app.domain.referral import Advocate, Case, DecisionMaker, Referral
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
    if case.decision_date is None:
        return f"After the report, {what}."
    return f"On {case.decision_date.describe()}, {what}."


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


def default_letter(referral: Referral, advocate: Advocate | None, today: date | None = None) -> str:
    """The letter as first offered to the advocate, from what the referral records."""
    advocate = advocate or Advocate()
    survivor, case = referral.survivor, referral.case
    name = survivor.full_name.strip() or "the survivor"
    sender = [advocate.organisation, advocate.name, advocate.phone, advocate.email]
    details = [
        f"Our reference: {referral.reference}" if referral.reference else "",
        "Crime reference numbers: " + (", ".join(case.crime_references) or "not known"),
        f"Survivor: {name}",
    ]
    previous = [item.strip() for item in survivor.previous_names if item.strip()]
    if previous:
        details.append("Also known at the time of the report as: " + ", ".join(previous))
    decided = case.decision_date.describe() if case.decision_date else "not known"
    details.append(f"Date of the decision: {decided}")
    consent = ", with their consent," if referral.consent.to_referral else ""
    organisation = f" at {advocate.organisation}" if advocate.organisation.strip() else ""
    reply = "Please reply to me about this request, using the contact details above"
    if survivor.contact.via_advocate_only:
        reply += f", and contact {name} only through me"
    paragraphs = [
        "\n".join(line for line in sender if line.strip()),
        describe_day(today or date.today()),
        addressee(case),
        SUBJECT,
        "\n".join(line for line in details if line),
        "Dear Sir or Madam,",
        f"I am writing{consent} on behalf of {name}, whom I support{organisation}.",
        f"{name} reported sexual abuse that happened in childhood. " + _decision(referral),
        "We ask you to reconsider that decision. If, having reconsidered it, you stand by the "
        "decision, please refer the case to the Child Sexual Abuse Review Panel for its advice.",
        _widening(case),
        reply + ".",
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
