"""The corpus read into referrals, and the two checks it is scored on: recorded details left in
a redacted copy (leaks), and ordinary words hidden without being marked for a look."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from referral_app.domain.dates import PartialDate
from referral_app.domain.referral import Referral, Survivor
from referral_app.services.folding import fold, squeeze
from referral_app.services.proposals import ordinary_words
from referral_app.services.redaction import Review

CORPUS = Path(__file__).with_name("corpus.json")


def load() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(CORPUS.read_text(encoding="utf-8"))
    return data


def referral_of(record: dict[str, Any], account: str) -> Referral:
    referral = Referral(
        survivor=Survivor(
            full_name=record["full_name"],
            previous_names=list(record["previous_names"]),
            date_of_birth=PartialDate.parse(record["date_of_birth"]),
            phone=record["phone"],
            email=record["email"],
            address=record["address"],
        ),
        others_to_keep_out=list(record["others"]),
    )
    referral.case.account = account
    return referral


def recorded_details(record: dict[str, Any]) -> set[str]:
    """What the record holds, squeezed to letters and digits, that must never be left: every
    name part that is no ordinary word, the phone's digits, the email's part before the @, and
    the address lines' names and postcode."""
    ordinary = ordinary_words()
    found: set[str] = set()
    for name in [record["full_name"], *record["previous_names"], *record["others"]]:
        for part in re.split(r"[\s\-]+", name):
            key = squeeze(part)
            if len(key) >= 4 and key not in ordinary:
                found.add(key)
    found.add(re.sub(r"\D", "", record["phone"]).lstrip("0"))
    found.add(squeeze(record["email"].split("@")[0]))
    for line in record["address"].splitlines():
        for piece in line.split(","):
            words = [w for w in re.findall(r"[a-z]+", fold(piece)) if w not in ordinary]
            if words and len("".join(words)) >= 4:
                found.add("".join(words))
        found.add(squeeze(line)) if re.search(r"\d[a-z]{2}$", squeeze(line)) else None
    return found


def leaks(output: str, record: dict[str, Any], secrets: list[str]) -> list[str]:
    """Recorded details, and the forms typed in the case, still in ``output``."""
    squeezed = squeeze(output)
    left = [detail for detail in sorted(recorded_details(record)) if detail in squeezed]
    left += [secret for secret in secrets if squeeze(secret) in squeezed]
    return left


@dataclass
class Scored:
    case: dict[str, Any]
    output: str
    leaks: list[str]
    #: Ordinary words hidden by default.
    hidden_ordinary: list[str]
    #: Ordinary words proposed without being marked for a look.
    unmarked_ordinary: list[str]


def score(case: dict[str, Any], record: dict[str, Any]) -> Scored:
    text = case["text"]
    review = Review(referral_of(record, text))
    output = review.redact("account", text)
    hidden_ordinary, unmarked = [], []
    for word in case["ordinary"]:
        for match in re.finditer(rf"(?<!\w){word}(?!\w)", text):
            covering = [
                (p, hidden)
                for p, hidden in zip(review.proposals, review.hidden, strict=True)
                if p.start < match.end() and match.start() < p.end
            ]
            if any(hidden for _, hidden in covering):
                hidden_ordinary.append(word)
            if any(not p.look for p, _ in covering):
                unmarked.append(word)
    return Scored(case, output, leaks(output, record, case["secrets"]), hidden_ordinary, unmarked)


def score_all() -> list[Scored]:
    data = load()
    return [score(case, data["records"][case["record"]]) for case in data["cases"]]
