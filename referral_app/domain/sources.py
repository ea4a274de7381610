"""Where every fact the app tells an advocate comes from, and when it was last checked.

The words themselves live in ``domain/advice.py``; each fact there names the key of its source
here. Help > "About the rules" lists these, so an advocate (or a reviewer) can check any
sentence against the page it rests on. Addresses are as found on the day of the check.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

#: The day every source below was last read against the advice that rests on it.
REVIEWED_ON = date(2026, 12, 3)
#: The version of the eligibility spec the engine implements.
RULES_VERSION = "2 (3 December 2026)"


@dataclass(frozen=True)
class Source:
    key: str
    publisher: str
    title: str
    #: When the publisher dated it ("" where the page carries no date).
    dated: str
    address: str
    #: What the app takes from it, in a line.
    supports: str
    checked: date = REVIEWED_ON


SOURCES: tuple[Source, ...] = (
    Source(
        "panel-terms",
        "Crown Prosecution Service",
        "Child Sexual Abuse Review Panel",
        "2013 terms of reference, page updated October 2020",
        "https://www.cps.gov.uk/child-sexual-abuse-review-panel",
        "Who may ask (NFA decisions before 5 June 2013 under the published terms), that the "
        "case goes back to the force or CPS Area to decide what to do, that the survivor is "
        "told by letter with support offered, and that there is no appeal beyond the Panel.",
    ),
    Source(
        "panel-terms-2013",
        "Crown Prosecution Service",
        "Child Sexual Abuse Review Panel: terms of reference",
        "June 2013",
        "https://www.cps.gov.uk/publication/child-sexual-abuse-review-panel",
        "The criteria of the 2013 terms: an alleged offence in England and Wales, against the "
        "survivor as a child, reported and closed with no further action.",
    ),
    Source(
        "home-office-2025-01",
        "Home Office",
        "Survivors of sexual abuse to be empowered by closed case reviews; and the Home "
        "Secretary's statement to the House of Commons on child sexual exploitation",
        "16 January 2025",
        "https://www.gov.uk/government/news/survivors-of-sexual-abuse-to-be-empowered-by-"
        "closed-case-reviews",
        "The announcement that the Panel's remit would cover cases after 2013, not only "
        "decisions before then.",
    ),
    Source(
        "petition-2025-04",
        "Home Office (UK Parliament Petitions)",
        "Government response to the petition 'Launch a Public Inquiry into Grooming Gangs'",
        "1 April 2025",
        "https://petition.parliament.uk/petitions/711976",
        "The second statement on the widening, cited beside the first because the published "
        "terms of reference have not yet been updated.",
    ),
    Source(
        "cps-vrr",
        "Crown Prosecution Service",
        "Victims' Right to Review Scheme (and the CPS's legal guidance of the same name, "
        "updated 27 May 2021)",
        "July 2014",
        "https://www.cps.gov.uk/legal-guidance/victims-right-review-scheme",
        "The CPS scheme covers decisions made on or after 5 June 2013 not to charge, to "
        "discontinue (stop) a case or to offer no evidence.",
    ),
    Source(
        "cps-vrr-time",
        "Lighthouse Victim Care (Metropolitan Police Service and Victim Support)",
        "CPS Victim Right to Review",
        "",
        "https://www.lighthousevictimcare.org/what-to-expect/cps-victim-right-to-review/",
        "Ask within 10 working days for a prompt review; the CPS considers requests for up to "
        "three months; after three months only in exceptional circumstances.",
    ),
    Source(
        "police-vrr",
        "Sussex Police; Devon and Cornwall Police; South Yorkshire Police",
        "Victim Right to Review",
        "South Yorkshire Police page 25 September 2023",
        "https://sussex.police.uk/advice/support-for-victims/victim-right-to-review/",
        "The police scheme covers decisions from 1 April 2015, asked for within three months, "
        "where a suspect was identified and interviewed under caution; not out-of-court "
        "outcomes (cautions, conditional cautions, community resolutions), partial charging, "
        "or cases where the victim withdrew their complaint. Other forces' pages: "
        "https://www.devon-cornwall.police.uk/advice/victim-witnesses/victims/victim-right-"
        "to-review-scheme/ and http://southyorkshire.police.uk/rightofreview",
    ),
    Source(
        "police-complaints",
        "Independent Office for Police Conduct; Leicestershire Police",
        "Submit a complaint; Reviews and appeals; Complaints",
        "",
        "https://policeconduct.gov.uk/complaints/reviews-and-appeals",
        "A complaint goes to the force (directly, or through the IOPC's website); the outcome "
        "letter says who reviews it, the local Police and Crime Commissioner or the IOPC; a "
        "complaint about events more than 12 months ago needs a reason for the delay "
        "(https://www.leics.police.uk/fo/feedback/complaints/complaints/).",
    ),
    Source(
        "cps-complaints",
        "Crown Prosecution Service",
        "Feedback and complaints; Independent Assessor of Complaints for the CPS: terms of "
        "reference",
        "",
        "https://www.cps.gov.uk/feedback-and-complaints",
        "The CPS does not deal with complaints about things that happened more than six months "
        "ago; the Independent Assessor looks at service complaints at the last stage, not "
        "complaints only about a prosecution decision.",
    ),
    Source(
        "beaconport",
        "Police Professional; The Independent (reporting the National Crime Agency)",
        "Hundreds of previously closed child sex abuse cases being reviewed in major police "
        "operation",
        "4 November 2025",
        "https://policeprofessional.com/news/hundreds-of-previously-closed-child-sex-abuse-"
        "cases-being-reviewed-in-major-police-operation",
        "Operation Beaconport reviews group-based child sexual abuse cases where forces or the "
        "CPS decided to take no further action between 1 January 2010 and 31 March 2025; "
        "forces refer cases to it.",
    ),
    Source(
        "cica",
        "GOV.UK; the Criminal Injuries Compensation Scheme 2012 (paragraphs 87 to 89, as quoted "
        "in [2025] UKUT 306 (AAC) and by Farleys Solicitors)",
        "Claim compensation if you were the victim of a violent crime: eligibility",
        "",
        "https://www.gov.uk/claim-compensation-criminal-injury/eligibility",
        "The crime must have been reported to the police; claims are expected within two years, "
        "or for childhood abuse first reported at 18 or over within two years of that first "
        "report, later only in exceptional circumstances; no one needs to have been charged "
        "or convicted (https://www.mackssolicitors.co.uk/compensation-claims/criminal-injury/"
        "eligibility-cica-compensation/; https://www.farleys.com/cica-delays-can-prove-fatal-"
        "in-abuse-claims/).",
    ),
    Source(
        "copfs-vrr",
        "Crown Office and Procurator Fiscal Service; Police Scotland",
        "Victims' Right to Review; Non-emergencies: frequently asked questions",
        "",
        "https://www.copfs.gov.uk/services/victim-services/victims-right-to-review/",
        "In Scotland, a victim can ask for a review of a decision not to prosecute made on or "
        "after 1 July 2015, generally within one month; Police Scotland on 101 "
        "(https://www.scotland.police.uk/contact-us/non-emergencies/frequently-asked-questions/).",
    ),
    Source(
        "pps-review",
        "Public Prosecution Service for Northern Ireland; Police Service of Northern Ireland",
        "Requesting a review; 101 frequently asked questions",
        "",
        "https://www.ppsni.gov.uk/requesting-review",
        "In Northern Ireland, a victim can ask the PPS in writing to review a decision not to "
        "prosecute; the PSNI on 101 "
        "(https://www.psni.police.uk/contact-information/101-frequently-asked-questions/).",
    ),
    Source(
        "youth-justice",
        "East Cambridgeshire District Council; Sentencing Council",
        "Age of criminal responsibility; Types of sentences for young people",
        "",
        "https://www.eastcambs.gov.uk/content/age-criminal-responsibility",
        "The age of criminal responsibility in England and Wales is 10; children aged 10 to 17 "
        "are dealt with by youth courts, with youth sentences "
        "(https://www.sentencingcouncil.org.uk/sentencing-and-the-council/types-of-sentence/"
        "types-of-sentences-for-young-people/).",
    ),
    Source(
        "force-history",
        "Portsmouth News; Llanelli Online; Greater Manchester Police",
        "Force name changes and mergers",
        "2014 to 2022",
        "https://www.portsmouth.co.uk/news/crime/hampshire-constabulary-now-called-hampshire-"
        "and-isle-of-wight-constabulary-after-name-legally-changed-3921110",
        "Hampshire Constabulary became Hampshire and Isle of Wight Constabulary in 2022; "
        "Dyfed-Powys Constabulary became Dyfed-Powys Police in 1974 "
        "(https://llanellionline.news/dyfed-powys-police-celebrates-50-years/); Greater "
        "Manchester Police was formed on 1 April 1974 from Manchester and Salford Police and "
        "parts of Lancashire, Cheshire and West Yorkshire forces "
        "(https://issuu.com/gmpolice/docs/brief_final_spring_2014/20).",
    ),
    Source(
        "police-records",
        "House of Commons (Hansard, 19 June 2006); Information Commissioner's Office",
        "Police information; The right of access",
        "19 June 2006; 10 February 2023",
        "https://hansard.parliament.uk/Commons/2006-06-19/debates/0606206000035/"
        "PoliceInformation",
        "Police information is deleted when there is no longer a policing purpose for keeping "
        "it, so old records may have been destroyed; a subject access request must be answered "
        "within one month, usually free "
        "(https://cy.ico.org.uk/for-organisations/law-enforcement/guide-to-le-processing/"
        "individual-rights/the-right-of-access).",
    ),
    Source(
        "police-101",
        "Sussex Police; Police Scotland; Police Service of Northern Ireland",
        "How to contact the police",
        "",
        "https://sussex.police.uk/advice/support-for-victims/victim-right-to-review/",
        "101 for the police when it is not an emergency (England and Wales, Scotland, "
        "Northern Ireland); 999 in an emergency.",
    ),
)


def source(key: str) -> Source:
    """The source with this key; a missing one is a programming error, found by the tests."""
    for item in SOURCES:
        if item.key == key:
            return item
    raise KeyError(key)
