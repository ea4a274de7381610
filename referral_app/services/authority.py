"""The consent and authority form the survivor signs, filled in from the record.

Forces usually need the survivor's own signed authority before they discuss a case with an
advocate, so the request letter says whether one is enclosed. The form lists each part of
consent with a box the survivor ticks themself (the parts already agreed are marked as
recorded), names who may share what with whom, and leaves the signature and date blank.
"""

from __future__ import annotations

import html
from string import Template

from referral_app.domain.advice import decided_by_name
from referral_app.domain.referral import Advocate, Referral
from referral_app.services.resources import read_resource

PARTS = (
    ("to_referral", "Making this referral, and the request to the force or CPS Area"),
    ("share_with_force", "Sharing it with the police force"),
    ("share_with_cps", "Sharing it with the Crown Prosecution Service"),
    ("share_with_panel", "Sharing it with the Child Sexual Abuse Review Panel"),
)


def _line(text: str) -> str:
    return html.escape(text)


def authority_html(referral: Referral, advocate: Advocate | None) -> str:
    advocate = advocate or Advocate()
    survivor, case, consent = referral.survivor, referral.case, referral.consent
    name = survivor.full_name.strip()
    organisation = advocate.organisation.strip() or "my advocate's organisation"
    who = advocate.name.strip() or "my advocate"
    decided = decided_by_name(case) or "the police force or CPS Area that made the decision"
    details = [
        ("Name", name or " "),
        ("Date of birth", survivor.date_of_birth.describe() if survivor.date_of_birth else " "),
        ("Crime reference numbers", ", ".join(case.crime_references) or "Not known"),
        ("The decision was made by", decided),
    ]
    rows = "".join(
        f'<tr><td width="30%">{_line(label)}</td><td>{_line(value)}</td></tr>'
        for label, value in details
    )
    parts = "".join(
        f"<p>&#9744; {_line(text)}"
        + (" <i>(agreed when consent was recorded)</i>" if getattr(consent, key) else "")
        + "</p>"
        for key, text in PARTS
    )
    authority = (
        f"I authorise {decided}, the Crown Prosecution Service and the Child Sexual Abuse Review "
        f"Panel to discuss my case with {who} of {organisation}, and to share with them "
        "information about it, for this request and any review that follows. I ask "
        f"{organisation} to act for me in asking {decided} to reconsider its decision to take no "
        "further action and, if it stands by it, to refer my case to the Panel."
    )
    contact = ", ".join(part for part in (advocate.phone, advocate.email) if part.strip())
    advocate_block = "<br/>".join(
        _line(line) for line in (advocate.name, advocate.organisation, contact) if line.strip()
    )
    return Template(read_resource("authority.html")).substitute(
        reference=_line(referral.reference or "not yet saved"),
        details=f'<table width="100%" cellspacing="0">{rows}</table>',
        parts=parts,
        authority=_line(authority),
        organisation=_line(organisation),
        name=_line(name) or "&nbsp;",
        advocate_contact=_line(who),
        advocate_block=advocate_block or "&nbsp;",
    )
