"""Referrals as plain JSON-ready dictionaries: the record format of drafts and exports.

The eligibility answers sit under the spec's own keys, so a record written by one version of
the app can be read and re-assessed by another. Reading is strict: a record that is not in
this format raises :class:`RecordFormatError` naming the field, and nothing half-read escapes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any, TypeVar

from referral_app.domain.dates import PartialDate, PartialDateError
from referral_app.domain.referral import (
    Advocate,
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
    StatusChangeError,
    Survivor,
    check_history,
)

#: 2 added ``uid`` and ``request_letter``; records in format 1 are read with them blank.
#: 3 (eligibility rules v2) moved ``case.group_based`` into the eligibility answers, which may
#: also hold ``suspect_interviewed`` and the decisions ``discontinued`` and ``out_of_court``;
#: records in formats 1 and 2 are read with their ``case.group_based`` moved across. 3 also
#: added ``consent.authority_received_on`` (blank when absent).
SCHEMA_VERSION = 3

_E = TypeVar("_E", bound=StrEnum)
_T = TypeVar("_T")


class RecordFormatError(ValueError):
    """A record that does not follow the format; the message names the field."""


# Writing


def _partial(value: PartialDate | None) -> str | None:
    return None if value is None else value.isoformat()


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _moment(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _enum(value: StrEnum | None) -> str | None:
    return None if value is None else value.value


def referral_to_dict(referral: Referral) -> dict[str, Any]:
    survivor, case, consent = referral.survivor, referral.case, referral.consent
    return {
        "schema_version": SCHEMA_VERSION,
        "id": referral.id,
        "uid": referral.uid,
        "reference": referral.reference,
        "created_at": _moment(referral.created_at),
        "updated_at": _moment(referral.updated_at),
        "status": referral.status.value,
        "survivor": {
            "full_name": survivor.full_name,
            "previous_names": list(survivor.previous_names),
            "date_of_birth": _partial(survivor.date_of_birth),
            "pronouns": survivor.pronouns,
            "phone": survivor.phone,
            "email": survivor.email,
            "address": survivor.address,
            "contact": {
                "voicemail_ok": survivor.contact.voicemail_ok,
                "letters_ok": survivor.contact.letters_ok,
                "safe_times": survivor.contact.safe_times,
                "via_advocate_only": survivor.contact.via_advocate_only,
            },
            "language": survivor.language,
            "interpreter_needed": survivor.interpreter_needed,
            "access_needs": survivor.access_needs,
        },
        "case": {
            "police_force": case.police_force,
            "crime_references": list(case.crime_references),
            "decided_by": _enum(case.decided_by),
            "cps_area": case.cps_area,
            "decision_date": _partial(case.decision_date),
            "date_reported": _partial(case.date_reported),
            "offence_start": _partial(case.offence_start),
            "offence_end": _partial(case.offence_end),
            "location": case.location,
            "offender_count": case.offender_count,
            "offender_alive_and_known": _enum(case.offender_alive_and_known),
            "account": case.account,
            "earlier_reviews": [
                {"kind": r.kind.value, "requested_on": _partial(r.requested_on), "result": r.result}
                for r in case.earlier_reviews
            ],
        },
        "eligibility": {
            "answers": dict(referral.answers),
            "assessments": [
                {
                    "ruleset": a.ruleset,
                    "outcome": a.outcome,
                    "reasons": list(a.reasons),
                    "flags": list(a.flags),
                    "assessed_at": _moment(a.assessed_at),
                    "answers": dict(a.answers),
                }
                for a in referral.assessments
            ],
        },
        "consent": {
            "to_referral": consent.to_referral,
            "share_with_force": consent.share_with_force,
            "share_with_cps": consent.share_with_cps,
            "share_with_panel": consent.share_with_panel,
            "given_on": _day(consent.given_on),
            "method": _enum(consent.method),
            "recorded_by": consent.recorded_by,
            "withdrawn_on": _day(consent.withdrawn_on),
            "authority_received_on": _day(consent.authority_received_on),
        },
        "status_history": [
            {
                "status": c.status.value,
                "changed_at": _moment(c.changed_at),
                "note": c.note,
                "changed_by": c.changed_by,
            }
            for c in referral.status_history
        ],
        "follow_up": {"due": _day(referral.follow_up.due), "purpose": referral.follow_up.purpose},
        "request_letter": referral.request_letter,
        # Optional: records without it (from before it was added) are read with nobody listed.
        "others_to_keep_out": list(referral.others_to_keep_out),
    }


def advocate_to_dict(advocate: Advocate) -> dict[str, str]:
    return {
        "name": advocate.name,
        "organisation": advocate.organisation,
        "phone": advocate.phone,
        "email": advocate.email,
    }


# Reading


class _Reader:
    """Typed access to one part of a record, naming the path of any field that is wrong."""

    def __init__(self, data: Any, path: str) -> None:
        if not isinstance(data, Mapping):
            raise RecordFormatError(f"{path or 'the record'} must be an object")
        self._data = data
        self._path = path

    def _name(self, key: str) -> str:
        return f"{self._path}.{key}" if self._path else key

    def _get(self, key: str, kind: type[_T] | tuple[type, ...], default: Any) -> Any:
        value = self._data.get(key, default)
        if value is None:
            return None
        if isinstance(value, bool) and kind in (int, str):
            raise RecordFormatError(f"{self._name(key)} has the wrong type")
        if not isinstance(value, kind):
            raise RecordFormatError(f"{self._name(key)} has the wrong type")
        return value

    def text(self, key: str) -> str:
        value = self._get(key, str, "")
        return value if value is not None else ""

    def optional_text(self, key: str) -> str | None:
        value: str | None = self._get(key, str, None)
        return value

    def flag(self, key: str) -> bool:
        return bool(self._get(key, bool, False))

    def optional_flag(self, key: str) -> bool | None:
        value: bool | None = self._get(key, bool, None)
        return value

    def optional_int(self, key: str) -> int | None:
        value: int | None = self._get(key, int, None)
        return value

    def texts(self, key: str) -> list[str]:
        values = self._get(key, list, [])
        if values is None:
            return []
        if not all(isinstance(v, str) for v in values):
            raise RecordFormatError(f"{self._name(key)} must be a list of text")
        return list(values)

    def text_map(self, key: str) -> dict[str, str]:
        values = self._get(key, dict, {})
        if values is None:
            return {}
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in values.items()):
            raise RecordFormatError(f"{self._name(key)} must map text to text")
        return dict(values)

    def part(self, key: str) -> _Reader:
        return _Reader(self._data.get(key, {}), self._name(key))

    def parts(self, key: str) -> list[_Reader]:
        values = self._get(key, list, [])
        return [_Reader(v, f"{self._name(key)}[{i}]") for i, v in enumerate(values or [])]

    def _parsed(self, key: str, parse: Callable[[str], _T]) -> _T | None:
        value = self.optional_text(key)
        if value is None:
            return None
        try:
            return parse(value)
        except (ValueError, PartialDateError):
            raise RecordFormatError(f"{self._name(key)} is not a valid value: {value!r}") from None

    def partial_date(self, key: str) -> PartialDate | None:
        return self._parsed(key, PartialDate.parse)

    def day(self, key: str) -> date | None:
        return self._parsed(key, date.fromisoformat)

    def moment(self, key: str) -> datetime | None:
        value = self._parsed(key, datetime.fromisoformat)
        if value is not None and value.tzinfo is None:
            raise RecordFormatError(f"{self._name(key)} must carry a time zone")
        return value

    def choice(self, key: str, kind: type[_E]) -> _E | None:
        return self._parsed(key, kind)


def _unknown_keys(data: Any, template: Any, path: str) -> None:
    """Refuse keys the format does not have: a misspelt field must not vanish unnoticed."""
    if isinstance(data, Mapping) and isinstance(template, Mapping):
        for key, value in data.items():
            name = f"{path}.{key}" if path else str(key)
            if key not in template:
                raise RecordFormatError(f"{name} is not a field of a referral record")
            if key not in ("answers",):  # answers are checked by the eligibility rules
                _unknown_keys(value, template[key], name)
    elif isinstance(data, list) and isinstance(template, list) and template:
        for index, item in enumerate(data):
            _unknown_keys(item, template[0], f"{path}[{index}]")


def _template() -> dict[str, Any]:
    now = datetime(2000, 1, 1, tzinfo=UTC)
    sample = Referral(
        case=Case(earlier_reviews=[ReviewRequest(ReviewKind.OTHER)]),
        assessments=[AssessmentRecord("", "", [], [], now)],
        status_history=[StatusChange(Status.DRAFT, now)],
    )
    return referral_to_dict(sample)


def _upgraded(data: Any, version: int | None) -> Any:
    """A record of an earlier format in today's shape (its ``case.group_based`` moved across).

    Only the moved field is touched, and the caller's dictionaries are left as they were.
    """
    if version is not None and version >= 3:
        return data
    case, eligibility = data.get("case"), data.get("eligibility")
    if not isinstance(case, Mapping) or "group_based" not in case:
        return data
    case = dict(case)
    group_based = case.pop("group_based")
    if group_based is not None and group_based not in tuple(a.value for a in Answer):
        raise RecordFormatError(f"case.group_based: {group_based!r} is not an allowed answer")
    upgraded = dict(data)
    upgraded["case"] = case
    if group_based is not None:
        eligibility = dict(eligibility) if isinstance(eligibility, Mapping) else {}
        answers = eligibility.get("answers")
        answers = dict(answers) if isinstance(answers, Mapping) else {}
        answers.setdefault("group_based", group_based)
        eligibility["answers"] = answers
        upgraded["eligibility"] = eligibility
    return upgraded


def referral_from_dict(data: Any) -> Referral:
    """Read a referral record; raises :class:`RecordFormatError` naming what is wrong."""
    record = _Reader(data, "")
    version = record.optional_int("schema_version")
    if version is not None and version > SCHEMA_VERSION:
        raise RecordFormatError(
            f"the record was written by a newer version of the app (format {version})"
        )
    data = _upgraded(data, version)
    record = _Reader(data, "")
    _unknown_keys(data, _template(), "")
    s = record.part("survivor")
    contact = s.part("contact")
    c = record.part("case")
    eligibility = record.part("eligibility")
    consent = record.part("consent")
    follow_up = record.part("follow_up")
    history = []
    for item in record.parts("status_history"):
        status = item.choice("status", Status)
        changed_at = item.moment("changed_at")
        if status is None or changed_at is None:
            raise RecordFormatError("status_history entries need a status and a time")
        history.append(StatusChange(status, changed_at, item.text("note"), item.text("changed_by")))
    try:
        check_history(history)
    except StatusChangeError as exc:
        raise RecordFormatError(f"status_history is not a possible history: {exc}") from None
    assessments = []
    for item in eligibility.parts("assessments"):
        assessed_at = item.moment("assessed_at")
        if assessed_at is None:
            raise RecordFormatError("eligibility.assessments entries need assessed_at")
        assessments.append(
            AssessmentRecord(
                item.text("ruleset"),
                item.text("outcome"),
                item.texts("reasons"),
                item.texts("flags"),
                assessed_at,
                item.text_map("answers"),
            )
        )
    reviews = []
    for item in c.parts("earlier_reviews"):
        kind = item.choice("kind", ReviewKind)
        if kind is None:
            raise RecordFormatError("case.earlier_reviews entries need a kind")
        reviews.append(ReviewRequest(kind, item.partial_date("requested_on"), item.text("result")))
    return Referral(
        survivor=Survivor(
            full_name=s.text("full_name"),
            previous_names=s.texts("previous_names"),
            date_of_birth=s.partial_date("date_of_birth"),
            pronouns=s.text("pronouns"),
            phone=s.text("phone"),
            email=s.text("email"),
            address=s.text("address"),
            contact=ContactPreferences(
                voicemail_ok=contact.optional_flag("voicemail_ok"),
                letters_ok=contact.optional_flag("letters_ok"),
                safe_times=contact.text("safe_times"),
                via_advocate_only=contact.flag("via_advocate_only"),
            ),
            language=s.text("language"),
            interpreter_needed=s.optional_flag("interpreter_needed"),
            access_needs=s.text("access_needs"),
        ),
        case=Case(
            police_force=c.optional_text("police_force"),
            crime_references=c.texts("crime_references"),
            decided_by=c.choice("decided_by", DecisionMaker),
            cps_area=c.optional_text("cps_area"),
            decision_date=c.partial_date("decision_date"),
            date_reported=c.partial_date("date_reported"),
            offence_start=c.partial_date("offence_start"),
            offence_end=c.partial_date("offence_end"),
            location=c.text("location"),
            offender_count=c.optional_int("offender_count"),
            offender_alive_and_known=c.choice("offender_alive_and_known", Answer),
            account=c.text("account"),
            earlier_reviews=reviews,
        ),
        answers=eligibility.text_map("answers"),
        assessments=assessments,
        consent=Consent(
            to_referral=consent.flag("to_referral"),
            share_with_force=consent.flag("share_with_force"),
            share_with_cps=consent.flag("share_with_cps"),
            share_with_panel=consent.flag("share_with_panel"),
            given_on=consent.day("given_on"),
            method=consent.choice("method", ConsentMethod),
            recorded_by=consent.text("recorded_by"),
            withdrawn_on=consent.day("withdrawn_on"),
            authority_received_on=consent.day("authority_received_on"),
        ),
        status_history=history,
        follow_up=FollowUp(follow_up.day("due"), follow_up.text("purpose")),
        request_letter=record.text("request_letter"),
        others_to_keep_out=record.texts("others_to_keep_out"),
        id=record.optional_int("id"),
        reference=record.text("reference"),
        uid=record.text("uid"),
        created_at=record.moment("created_at"),
        updated_at=record.moment("updated_at"),
    )


# Limits of one record
#
# Kept apart from the fields above on purpose: the format's fields change with its schema
# version, the limits with what the app can show, print and export in reasonable time. A
# record from anywhere (an export file) is checked against them before it is read at all, so a
# referral that would hang or crash printing later is refused at the door with a message that
# names the limit. Every real referral fits far inside them.

#: Dates outside these years are refused: no referral has them, and the age and review
#: arithmetic that summaries do on them would overflow Python's dates near year 9999.
FIRST_YEAR = 1900
LAST_YEAR = 2100
#: The most characters of any text field not listed in :data:`TEXT_LIMITS`.
DEFAULT_TEXT_CHARS = 1_000


@dataclass(frozen=True)
class RecordLimit:
    """The most of one thing a referral may have: ``words`` name it for the advocate."""

    words: str
    most: int


#: The most items in each list (and keys in each map) of a referral, by its path in the
#: format (``[]`` stands for any position in a list).
COUNT_LIMITS: dict[str, RecordLimit] = {
    "survivor.previous_names": RecordLimit("previous names", 50),
    "case.crime_references": RecordLimit("crime references", 50),
    "case.earlier_reviews": RecordLimit("earlier review requests", 20),
    "eligibility.answers": RecordLimit("eligibility answers", 200),
    "eligibility.assessments": RecordLimit("eligibility assessments", 500),
    "eligibility.assessments[].reasons": RecordLimit("reasons in an assessment", 100),
    "eligibility.assessments[].flags": RecordLimit("flags in an assessment", 100),
    "eligibility.assessments[].answers": RecordLimit("answers in an assessment", 200),
    "status_history": RecordLimit("status history entries", 100),
}
#: The most characters in each text field, by its path; others have DEFAULT_TEXT_CHARS.
TEXT_LIMITS: dict[str, RecordLimit] = {
    "survivor.full_name": RecordLimit("characters in the survivor's name", 200),
    "survivor.previous_names[]": RecordLimit("characters in a previous name", 200),
    "survivor.access_needs": RecordLimit("characters in the access needs", 5_000),
    "case.crime_references[]": RecordLimit("characters in a crime reference", 100),
    "case.account": RecordLimit("characters in the account of what happened", 20_000),
    "case.earlier_reviews[].result": RecordLimit("characters in a review's result", 1_000),
    "status_history[].note": RecordLimit("characters in a status note", 500),
    "status_history[].changed_by": RecordLimit("characters in who changed a status", 200),
    "follow_up.purpose": RecordLimit("characters in the follow-up's purpose", 1_000),
    "request_letter": RecordLimit("characters in the request letter", 50_000),
}
_DEFAULT_TEXT = RecordLimit("characters in one field", DEFAULT_TEXT_CHARS)


class RecordLimitError(RecordFormatError):
    """A record over one of the limits; ``limit`` is the one, ``path`` where."""

    def __init__(self, limit: RecordLimit | None, path: str, message: str) -> None:
        super().__init__(message)
        self.limit = limit
        self.path = path


def _over(limit: RecordLimit, path: str) -> RecordLimitError:
    return RecordLimitError(limit, path, f"more than {limit.most:,} {limit.words}")


def check_limits(data: Any) -> None:
    """Check a record as read from JSON against the limits, before anything else reads it.

    One pass over every value, so the cost is linear in the record's size however it is
    built; raises :class:`RecordLimitError` for the first value over its limit, or for text
    that is not valid Unicode (a lone surrogate, which JSON allows and no database stores).
    """
    pending: list[tuple[str, Any]] = [("", data)]
    while pending:
        path, value = pending.pop()
        if isinstance(value, str):
            limit = TEXT_LIMITS.get(path, _DEFAULT_TEXT)
            if len(value) > limit.most:
                raise _over(limit, path)
            if not value.isascii():
                try:
                    value.encode("utf-8")
                except UnicodeEncodeError:
                    raise RecordLimitError(None, path, "text that is not valid Unicode") from None
        elif isinstance(value, Mapping):
            counted = COUNT_LIMITS.get(path)
            if counted is not None and len(value) > counted.most:
                raise _over(counted, path)
            for key, item in value.items():
                if not isinstance(key, str) or len(key) > DEFAULT_TEXT_CHARS:
                    raise RecordLimitError(None, path, "a field name that is not text")
                pending.append((f"{path}.{key}" if path else key, item))
        elif isinstance(value, list):
            counted = COUNT_LIMITS.get(path)
            if counted is not None and len(value) > counted.most:
                raise _over(counted, path)
            pending.extend((f"{path}[]", item) for item in value)


def _years(referral: Referral) -> list[int]:
    survivor, case = referral.survivor, referral.case
    partials = [survivor.date_of_birth, case.decision_date, case.date_reported]
    partials += [case.offence_start, case.offence_end]
    partials += [review.requested_on for review in case.earlier_reviews]
    days = [referral.consent.given_on, referral.consent.withdrawn_on, referral.follow_up.due]
    moments = [referral.created_at, referral.updated_at]
    moments += [change.changed_at for change in referral.status_history]
    moments += [assessment.assessed_at for assessment in referral.assessments]
    years = [p.year for p in partials if p is not None] + [d.year for d in days if d is not None]
    return years + [m.year for m in moments if m is not None]


def check_dates(referral: Referral) -> None:
    """Every date of a referral between :data:`FIRST_YEAR` and :data:`LAST_YEAR`."""
    if not all(FIRST_YEAR <= year <= LAST_YEAR for year in _years(referral)):
        raise RecordLimitError(None, "", f"a date before {FIRST_YEAR} or after {LAST_YEAR}")
