# ruff: noqa: RUF001 (the corpus is made of the characters people type)
"""Writes corpus.json: adversarial pieces of free text with the details recorded about them.

Run it again after changing the cases below (``python -m tests.services.redaction_corpus.build``);
the test reads only the JSON. Each case names its record, the text as an advocate might type it,
the ``secrets`` (the recorded details as typed in it, none of which may be left in a redacted
copy) and the ``ordinary`` words (lower-case everyday words that equal a name part, which must be
left as they are and marked for a look).
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any

RECORDS: dict[str, dict[str, Any]] = {
    "sian": {
        "full_name": "Siân O'Brien-Hughes",
        "previous_names": ["Siân Hughes"],
        "date_of_birth": "2001-03-10",
        "phone": "07700 900982",
        "email": "sian.obrien@example.com",
        "address": "Flat 2, 14 Heol y Parc\nCwmbran\nNP44 3AB",
        "others": ["Rhys O'Brien", "Gareth Hughes"],
    },
    "may": {
        "full_name": "May Hope Church",
        "previous_names": [],
        "date_of_birth": "1994-05-01",
        "phone": "07700 900123",
        "email": "mayhope94@example.org",
        "address": "Rose Cottage\n3 Church Lane\nReading\nRG1 4AB",
        "others": ["Faith Church"],
    },
    "zoe": {
        "full_name": "Zoë Ní Bhriain",
        "previous_names": ["Zoë Kelly"],
        "date_of_birth": "1988-11-23",
        "phone": "029 2018 0123",
        "email": "zoe.nibhriain@example.net",
        "address": "27 Acacia Avenue\nSwansea\nSA1 2BC",
        "others": ["Aoife Kelly", "Tomás Ó Briain"],
    },
    "jose": {
        "full_name": "José García-López",
        "previous_names": ["Joseph Lopez"],
        "date_of_birth": "1999-12-02",
        "phone": "07700 900456",
        "email": "jgl99@example.co.uk",
        "address": "Apartment 5, Mill Court\n9 Station Road\nNewport\nNP20 1AA",
        "others": ["María García"],
    },
    "mohammed": {
        "full_name": "Mohammed Al-Hassan",
        "previous_names": ["Mo Hassan"],
        "date_of_birth": "2003-07-15",
        "phone": "020 7946 0321",
        "email": "m.alhassan@example.com",
        "address": "112 Brook Street\nLondon\nE1 6AN",
        "others": ["Fatima Al-Hassan", "Yusuf Khan"],
    },
    "wei": {
        "full_name": "Wei Zhang",
        "previous_names": [],
        "date_of_birth": "1996-02-29",
        "phone": "07700 900777",
        "email": "wei.zhang@example.com",
        "address": "8 Oakfield Drive\nLeeds\nLS6 2QR",
        "others": ["Mark Chen"],
    },
    "grace": {
        "full_name": "Grace Summer Wood",
        "previous_names": ["Grace Field"],
        "date_of_birth": "1985-06-21",
        "phone": "0113 496 0555",
        "email": "gsw85@example.com",
        "address": "4 The Green\nBath\nBA1 1AA",
        "others": ["Rose Wood"],
    },
}

Case = dict[str, Any]


def case(record: str, text: str, secrets: list[str], ordinary: list[str] | None = None) -> Case:
    for secret in secrets:
        assert secret in text, (secret, text)
    return {"record": record, "text": text, "secrets": secrets, "ordinary": ordinary or []}


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def names() -> list[Case]:
    s = "sian"
    cases = [
        case(s, "Ms O’Brien said she was scared.", ["O’Brien"]),
        case(s, "Sian's mum found out later.", ["Sian"]),
        case(s, "SIAN O'BRIEN-HUGHES DISCLOSED IN 2015.", ["SIAN O'BRIEN-HUGHES"]),
        case(
            s,
            "Her brother Rhys O'Brien and uncle Gareth Hughes knew.",
            ["Rhys", "O'Brien", "Gareth", "Hughes"],
        ),
        case(s, "Siân’s teacher noticed first.", ["Siân"]),
        case(s, nfd("Siân told nobody."), [nfd("Siân")]),
        case(s, "siân o’brien–hughes wrote this herself.", ["siân", "o’brien", "hughes"]),
        case(s, "Signed SianOBrien on the form.", ["SianOBrien"]),
        case(s, "Her handle was obrienhughes on every app.", ["obrienhughes"]),
        case(s, "The Hughes' house was cold.", ["Hughes"]),
        case(s, "Ms OBrien Hughes asked for a female officer.", ["OBrien", "Hughes"]),
        case(s, "S. O'Brien-Hughes is how she signs.", ["O'Brien-Hughes"]),
        case(s, "Back then she was Siân Hughes.", ["Siân Hughes"]),
        case(s, "O BRIEN was on the file.", ["O BRIEN"]),
        case(s, "Rhys's friend was there.", ["Rhys"]),
        case(s, "GARETH came round often.", ["GARETH"]),
        case(s, "Uncle gareth hughes drove her.", ["gareth", "hughes"]),
        case(s, "Her cousin Rhys O’Brien-Hughes heard about it.", ["Rhys", "O’Brien-Hughes"]),
        case(s, "She writes her name as Sian O‘Brien.", ["Sian", "O‘Brien"]),
        case(s, "Officers called her Miss Hughes.", ["Hughes"]),
    ]
    m = "may"
    cases += [
        case(m, "May Church told her mum in 2009.", ["May Church"]),
        case(m, "Hope said it happened at the youth club.", ["Hope"]),
        case(m, "MAY HOPE CHURCH reported it herself.", ["MAY HOPE CHURCH"]),
        case(m, "May's sister Faith Church was there.", ["May", "Faith Church"]),
        case(m, "Ms Church asked for the letter to go to the advocate.", ["Church"]),
        case(m, "Faith told the school.", ["Faith"]),
        case(m, "Hope Church, then aged 12, told a teacher.", ["Hope Church"]),
        case(m, "The Churches' neighbour called the police.", ["Churches"]),
    ]
    z = "zoe"
    cases += [
        case(z, "Zoe Ni Bhriain told her GP.", ["Zoe", "Ni Bhriain"]),
        case(z, "Zoë’s mother is Aoife Kelly.", ["Zoë", "Aoife Kelly"]),
        case(z, "ZOË NÍ BHRIAIN made the first report.", ["ZOË", "NÍ BHRIAIN"]),
        case(z, "Ms Bhriain did not want the family told.", ["Bhriain"]),
        case(z, nfd("Zoë Kelly was her name at school."), [nfd("Zoë Kelly")]),
        case(z, "Tomas O Briain is her step-father.", ["Tomas", "O Briain"]),
        case(z, "Tomás Ó Briain's car was seen.", ["Tomás", "Ó Briain"]),
        case(z, "Aoife knew nothing of it.", ["Aoife"]),
        case(z, "zoe kelly is on the old file.", ["zoe", "kelly"]),
        case(z, "Mrs Kelly's statement is missing.", ["Kelly"]),
    ]
    j = "jose"
    cases += [
        case(j, "Jose Garcia Lopez reported in 2017.", ["Jose", "Garcia", "Lopez"]),
        case(j, "José García–López asked for a review.", ["José García–López"]),
        case(j, "JOSÉ GARCÍA-LÓPEZ", ["JOSÉ GARCÍA-LÓPEZ"]),
        case(j, "Joseph Lopez was the name on the report.", ["Joseph Lopez"]),
        case(
            j,
            "Mr Garcia-Lopez's mother, María García, supports him.",
            ["Garcia-Lopez", "María García"],
        ),
        case(j, "Maria came to the first meeting.", ["Maria"]),
        case(j, "José's brother works nearby.", ["José"]),
        case(j, "The note says joselopez wrote it.", ["joselopez"]),
    ]
    h = "mohammed"
    cases += [
        case(h, "Mohammed Al-Hassan was 11 then.", ["Mohammed Al-Hassan"]),
        case(h, "Mohammed Al Hassan gave a statement.", ["Mohammed", "Al Hassan"]),
        case(h, "Mo Hassan is what his friends called him.", ["Mo Hassan"]),
        case(h, "His sister Fatima Al-Hassan found the messages.", ["Fatima Al-Hassan"]),
        case(h, "Yusuf Khan drove him home.", ["Yusuf Khan"]),
        case(h, "MOHAMMED's school was told.", ["MOHAMMED"]),
        case(h, "Mr Hassan's father came too.", ["Hassan"]),
        case(h, "Fatima's statement was not taken.", ["Fatima"]),
        case(h, "mr al-hassan asked for a copy.", ["al-hassan"]),
    ]
    w = "wei"
    cases += [
        case(w, "Wei Zhang told the school nurse.", ["Wei Zhang"]),
        case(w, "ZHANG WEI is how the police wrote it.", ["ZHANG WEI"]),
        case(w, "Wei's friend Mark Chen was there.", ["Wei", "Mark Chen"]),
        case(w, "Ms Zhang wants updates by letter.", ["Zhang"]),
        case(w, "Mark said nothing to the officers.", ["Mark"]),
    ]
    g = "grace"
    cases += [
        case(g, "Grace Wood reported it in 2003.", ["Grace Wood"]),
        case(g, "Grace Summer Wood is her full name.", ["Grace Summer Wood"]),
        case(g, "Grace Field was her name as a child.", ["Grace Field"]),
        case(g, "Her sister Rose Wood backs her account.", ["Rose Wood"]),
        case(g, "Ms Wood asked for the redacted copy.", ["Wood"]),
        case(g, "GRACE WOOD", ["GRACE WOOD"]),
    ]
    return cases


BIRTH_FORMS = {
    "sian": [
        "10/03/2001",
        "10-Mar-2001",
        "2001-3-10",
        "the tenth of March 2001",
        "10.3.01",
        "10th March 2001",
        "March 10th, 2001",
        "Mar 10 2001",
        "10 MARCH 2001",
        "10032001",
        "3/10/2001",
        "2001/03/10",
        "ten March two thousand and one",
        "10 Mar '01",
        "the 10th of March",
        "tenth March 2001",
        "10 - 03 - 2001",
        "March 2001",
    ],
    "may": [
        "01/05/1994",
        "1st May 1994",
        "1 May 94",
        "May 1st 1994",
        "the first of May 1994",
        "1994-05-01",
        "01.05.1994",
        "1-May-1994",
        "May 1994",
        "first May nineteen ninety-four",
    ],
    "zoe": [
        "23/11/1988",
        "23rd Nov 1988",
        "Nov. 23, 1988",
        "twenty-third of November 1988",
        "1988-11-23",
        "23.11.88",
        "23 November",
        "11/23/1988",
        "23111988",
        "the 23rd of Nov",
    ],
    "jose": [
        "02/12/1999",
        "2 Dec 1999",
        "2nd December 1999",
        "December 2, 1999",
        "1999-12-2",
        "2.12.99",
        "the second of December nineteen ninety-nine",
        "Dec 1999",
    ],
    "mohammed": [
        "15/07/2003",
        "15 July 2003",
        "15th Jul 2003",
        "July 15th 2003",
        "2003-07-15",
        "15.7.03",
        "fifteenth of July 2003",
        "15-JUL-2003",
    ],
    "wei": ["29/02/1996", "29th Feb 1996", "February 29, 1996", "1996-02-29", "29.2.96"],
    "grace": ["21/06/1985", "21st June 1985", "June 21st 1985", "21-Jun-85", "1985-06-21"],
}


def births() -> list[Case]:
    openers = [
        "She was born on {}.",
        "DOB {} on the old file.",
        "Born {}, she was 11 when it began.",
    ]
    cases = []
    for record, forms in BIRTH_FORMS.items():
        for index, form in enumerate(forms):
            cases.append(case(record, openers[index % 3].format(form), [form]))
    return cases


PHONE_FORMS = {
    "sian": [
        "07700900982x214",
        "Tel07700 900982",
        "07700 900 982",
        "+44 7700 900982",
        "0044 (0)7700 900982",
        "07700-900-982",
        "(07700) 900982",
        "07700 900982 ext. 3",
        "mob:07700900982",
        "+447700900982",
    ],
    "may": ["07700 900123", "07700900123", "+44 (0)7700 900 123", "tel.07700-900123"],
    "zoe": ["029 2018 0123", "02920180123", "+44 29 2018 0123", "(029) 2018 0123 x12"],
    "jose": ["07700 900456", "07700900456ext22", "+44 7700 900 456"],
    "mohammed": ["020 7946 0321", "0207 946 0321", "+44 20 7946 0321", "tel:02079460321"],
    "wei": ["07700 900777", "07700.900.777", "+44-7700-900777"],
    "grace": ["0113 496 0555", "01134960555", "+44 113 496 0555"],
}


def phones() -> list[Case]:
    openers = ["Her number is {} (texts only).", "Call {} after 6pm.", "Rang from {} twice."]
    cases = []
    for record, forms in PHONE_FORMS.items():
        for index, form in enumerate(forms):
            cases.append(case(record, openers[index % 3].format(form), [form]))
    return cases


EMAIL_FORMS = {
    "sian": [
        "sian.obrien@example.com",
        "sian dot obrien at example dot com",
        "sian.obrien (at) example (dot) com",
        "SIAN.OBRIEN@EXAMPLE.COM",
        "sian.obrien[at]example[dot]com",
    ],
    "may": ["mayhope94@example.org", "mayhope94 at example dot org", "MayHope94@Example.org"],
    "zoe": ["zoe.nibhriain@example.net", "zoe dot nibhriain at example dot net"],
    "jose": ["jgl99@example.co.uk", "jgl99 at example dot co dot uk"],
    "mohammed": ["m.alhassan@example.com", "m dot alhassan at example dot com"],
    "wei": ["wei.zhang@example.com", "wei dot zhang at example dot com"],
    "grace": ["gsw85@example.com", "gsw85 at example dot com"],
}


def emails() -> list[Case]:
    cases = []
    for record, forms in EMAIL_FORMS.items():
        for form in forms:
            cases.append(case(record, f"Email her at {form} if needed.", [form]))
    return cases


ADDRESS_CASES = [
    ("sian", "She lives on Heol y Parc now.", ["Heol y Parc"]),
    (
        "sian",
        "Flat 2, 14 Heol-y-Parc, Cwmbran NP44 3AB",
        ["Flat 2", "14 Heol-y-Parc", "Cwmbran", "NP44 3AB"],
    ),
    ("sian", "Grew up in CWMBRAN.", ["CWMBRAN"]),
    ("sian", "Postcode np443ab on the letter.", ["np443ab"]),
    ("sian", "She moved from NP44 last year.", ["NP44"]),
    ("sian", "The abuse happened near Cwmbrân station.", ["Cwmbrân"]),
    ("sian", "14 heol y parc is her mum's.", ["14 heol y parc"]),
    ("sian", "flat 2 has no lock on the door.", ["flat 2"]),
    (
        "may",
        "Rose Cottage, 3 Church Lane, Reading RG1 4AB",
        ["Rose Cottage", "3 Church Lane", "Reading", "RG1 4AB"],
    ),
    ("may", "She still lives on Church Ln.", ["Church Ln"]),
    ("may", "She moved back to Reading in 2019.", ["Reading"]),
    ("may", "rg1 4ab is on the old file.", ["rg1 4ab"]),
    ("zoe", "27 Acacia Ave, Swansea SA1 2BC", ["27 Acacia Ave", "Swansea", "SA1 2BC"]),
    ("zoe", "Her flat on Acacia Avenue is near the school.", ["Acacia Avenue"]),
    ("zoe", "SWANSEA police took the first report.", ["SWANSEA"]),
    ("zoe", "sa12bc", ["sa12bc"]),
    (
        "jose",
        "Apartment 5, Mill Court, 9 Station Rd, Newport NP20 1AA",
        ["Apartment 5", "Mill Court", "9 Station Rd", "Newport", "NP20 1AA"],
    ),
    ("jose", "He lives in Mill Court with his mother.", ["Mill Court"]),
    ("jose", "NEWPORT is where it happened.", ["NEWPORT"]),
    ("mohammed", "112 Brook St, London E1 6AN", ["112 Brook St", "London", "E1 6AN"]),
    ("mohammed", "He still lives on Brook Street.", ["Brook Street"]),
    ("mohammed", "e16an", ["e16an"]),
    ("wei", "8 Oakfield Drive, Leeds LS6 2QR", ["8 Oakfield Drive", "Leeds", "LS6 2QR"]),
    ("wei", "She lives off Oakfield Dr.", ["Oakfield Dr"]),
    ("wei", "Moved to LEEDS for university.", ["LEEDS"]),
    ("grace", "4 The Green, Bath BA1 1AA", ["4 The Green", "Bath", "BA1 1AA"]),
    ("grace", "She moved to Bath in 2010.", ["Bath"]),
    ("grace", "ba1 1aa", ["ba1 1aa"]),
]

#: Postcodes that are not recorded still come out (any UK postcode).
OTHER_POSTCODES = [
    ("sian", "The school was at CF10 1AA.", ["CF10 1AA"]),
    ("may", "The youth club, SW1A 2AA, closed.", ["SW1A 2AA"]),
    ("wei", "His flat was in M1 1AE.", ["M1 1AE"]),
]


def addresses() -> list[Case]:
    return [case(r, t, s) for r, t, s in ADDRESS_CASES + OTHER_POSTCODES]


OVER_REDACTION = [
    ("may", "In May 2010 she went to church; there is hope.", ["church", "hope"]),
    ("may", "There is some hope that the force may look again.", ["hope", "may"]),
    ("may", "She may want the church leaders told.", ["may", "church"]),
    ("may", "Her faith helped her; she goes to church on Sundays.", ["faith", "church"]),
    ("may", "Her hope is that it may be looked at again.", ["hope", "may"]),
    ("may", "They met at the church hall in May 2004.", ["church"]),
    ("may", "She is reading about the Panel and may call.", ["reading", "may"]),
    ("may", "Someone may have seen the church minibus.", ["may", "church"]),
    ("may", "She has lost hope in the police.", ["hope"]),
    ("may", "There was no faith in the outcome.", ["faith"]),
    ("may", "The church lane was dark.", ["church"]),
    ("grace", "With grace and patience she answered every question.", ["grace"]),
    (
        "grace",
        "It was summer; the wood behind the school was where it happened.",
        ["summer", "wood"],
    ),
    ("grace", "She walked across the green to the field.", ["green", "field"]),
    ("grace", "Her rose garden is where she feels safe.", ["rose"]),
    ("grace", "In summer 1995 they moved to a house by the wood.", ["summer", "wood"]),
    ("grace", "She had a bath and went to bed.", ["bath"]),
    ("grace", "The field trip was in June 1996.", ["field"]),
    ("grace", "a summer job, a wood fire, a green coat", ["summer", "wood", "green"]),
    ("grace", "She walked down the high street in the summer.", ["summer"]),
    ("jose", "The station road bridge was closed.", ["station"]),
    ("wei", "Please mark the file as urgent.", ["mark"]),
    ("wei", "She left a mark on the form.", ["mark"]),
    ("sian", "In March 2010 she told her teacher.", []),
    ("sian", "The hearing was on 10 April 2001.", []),
    ("mohammed", "The brook behind the house flooded.", ["brook"]),
    ("jose", "The mill by the station road bridge closed.", ["mill"]),
]


def over_redaction() -> list[Case]:
    return [case(r, t, [], o) for r, t, o in OVER_REDACTION]


MIXED = [
    ("may", "May Church said there is hope now.", ["May Church"], ["hope"]),
    ("may", "Hope may ring the advocate on 07700900123.", ["Hope", "07700900123"], ["may"]),
    ("grace", "Grace Wood went into the wood alone.", ["Grace Wood"], ["wood"]),
    (
        "sian",
        "Siân (born 10/3/2001) lives at NP44 3AB, tel 07700 900982.",
        ["Siân", "10/3/2001", "NP44 3AB", "07700 900982"],
        [],
    ),
    (
        "zoe",
        "Zoë, DOB 23.11.1988, zoe.nibhriain@example.net, 27 Acacia Avenue.",
        ["Zoë", "23.11.1988", "zoe.nibhriain@example.net", "27 Acacia Avenue"],
        [],
    ),
    (
        "wei",
        "Wei Zhang (29/02/96) asked Mark Chen to mark the date.",
        ["Wei Zhang", "29/02/96", "Mark Chen"],
        ["mark"],
    ),
]


def mixed() -> list[Case]:
    return [case(r, t, s, o) for r, t, s, o in MIXED]


def main() -> None:
    cases = names() + births() + phones() + emails() + addresses() + over_redaction() + mixed()
    document = {"records": RECORDS, "cases": cases}
    path = Path(__file__).with_name("corpus.json")
    path.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(cases)} cases")


if __name__ == "__main__":
    main()
