"""What a referral records, as plain dataclasses the whole app shares.

Storage maps these to tables and the UI edits them; neither owns them. Partial dates stay
:class:`PartialDate` so a year the survivor remembers is never turned into a made-up day.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum

from referral_app.domain.dates import PartialDate
from referral_app.domain.redaction import RedactionChoices


def utc_now() -> datetime:
    return datetime.now(UTC)


def normalise_crime_reference(text: str) -> str:
    """Crime references compare in upper case without spaces: ``ab 123/45`` is ``AB123/45``."""
    return re.sub(r"\s+", "", text).upper()


class Status(StrEnum):
    DRAFT = "draft"
    READY_TO_SEND = "ready_to_send"
    SENT = "sent"
    RECONSIDERING = "reconsidering"
    REFERRED_TO_PANEL = "referred_to_panel"
    PANEL_ADVISED_REINVESTIGATION = "panel_advised_reinvestigation"
    PANEL_ADVISED_CPS_REVIEW = "panel_advised_cps_review"
    PANEL_UPHELD_NFA = "panel_upheld_nfa"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


#: How each status is said. A saved referral's first status is not "Draft": the start page
#: calls unfinished forms drafts, and a saved referral is not one of them.
STATUS_LABELS: dict[Status, str] = {
    Status.DRAFT: "Being prepared",
    Status.READY_TO_SEND: "Ready to send",
    Status.SENT: "Sent to the force or CPS Area",
    Status.RECONSIDERING: "Being reconsidered by the force or CPS Area",
    Status.REFERRED_TO_PANEL: "Referred to the Panel",
    Status.PANEL_ADVISED_REINVESTIGATION: "Panel advised reinvestigation",
    Status.PANEL_ADVISED_CPS_REVIEW: "Panel advised a CPS review",
    Status.PANEL_UPHELD_NFA: "Panel upheld no further action",
    Status.CLOSED: "Closed",
    Status.WITHDRAWN: "Withdrawn",
}

#: The changes a referral may go through. A request goes to the force or CPS Area first; only
#: when it stands by its decision does the case go to the Panel. A survivor may withdraw at any
#: point before the end, and a withdrawn referral may be taken up again as a draft.
ALLOWED_CHANGES: dict[Status, frozenset[Status]] = {
    Status.DRAFT: frozenset({Status.READY_TO_SEND, Status.WITHDRAWN, Status.CLOSED}),
    Status.READY_TO_SEND: frozenset({Status.DRAFT, Status.SENT, Status.WITHDRAWN, Status.CLOSED}),
    Status.SENT: frozenset(
        {Status.RECONSIDERING, Status.REFERRED_TO_PANEL, Status.WITHDRAWN, Status.CLOSED}
    ),
    Status.RECONSIDERING: frozenset({Status.REFERRED_TO_PANEL, Status.WITHDRAWN, Status.CLOSED}),
    Status.REFERRED_TO_PANEL: frozenset(
        {
            Status.PANEL_ADVISED_REINVESTIGATION,
            Status.PANEL_ADVISED_CPS_REVIEW,
            Status.PANEL_UPHELD_NFA,
            Status.WITHDRAWN,
        }
    ),
    Status.PANEL_ADVISED_REINVESTIGATION: frozenset({Status.CLOSED}),
    Status.PANEL_ADVISED_CPS_REVIEW: frozenset({Status.CLOSED}),
    Status.PANEL_UPHELD_NFA: frozenset({Status.CLOSED}),
    Status.CLOSED: frozenset(),
    Status.WITHDRAWN: frozenset({Status.DRAFT}),
}


class StatusChangeError(ValueError):
    def __init__(self, current: Status, wanted: Status, reason: str = "") -> None:
        self.current = current
        self.wanted = wanted
        message = f"A referral that is '{current.label}' cannot become '{wanted.label}'"
        super().__init__(f"{message}: {reason}" if reason else f"{message}.")


#: Referrals that need no more work: no follow-up is overdue on them.
FINISHED: frozenset[Status] = frozenset({Status.CLOSED, Status.WITHDRAWN})

#: A referral goes out only with the survivor's consent to it and to sharing it.
NEEDS_CONSENT: frozenset[Status] = frozenset({Status.READY_TO_SEND, Status.SENT})


def check_history(history: list[StatusChange]) -> None:
    """Raise :class:`StatusChangeError` unless each change is one the rules allow from the
    status before it. Every referral starts as a draft, recorded or not."""
    previous = Status.DRAFT
    for index, change in enumerate(history):
        starts_as_draft = index == 0 and change.status is Status.DRAFT
        if not starts_as_draft and change.status not in ALLOWED_CHANGES[previous]:
            raise StatusChangeError(previous, change.status)
        previous = change.status


def allowed_changes(current: Status) -> list[Status]:
    """The statuses ``current`` may change to, in the order of the status list."""
    return [status for status in Status if status in ALLOWED_CHANGES[current]]


class DecisionMaker(StrEnum):
    POLICE = "police"
    CPS = "cps"
    UNKNOWN = "unknown"


class ConsentMethod(StrEnum):
    VERBAL = "verbal"
    WRITTEN = "written"


class ReviewKind(StrEnum):
    POLICE_VRR = "police_vrr"
    CPS_VRR = "cps_vrr"
    COMPLAINT = "complaint"
    OTHER = "other"


class Answer(StrEnum):
    """A yes, no or not-sure fact about the case (not an eligibility answer)."""

    YES = "yes"
    NO = "no"
    UNSURE = "unsure"


@dataclass
class ContactPreferences:
    """How it is safe to reach the survivor: getting this wrong can put someone at risk."""

    voicemail_ok: bool | None = None
    letters_ok: bool | None = None
    safe_times: str = ""
    via_advocate_only: bool = False


@dataclass
class Survivor:
    full_name: str = ""
    previous_names: list[str] = field(default_factory=list)
    date_of_birth: PartialDate | None = None
    pronouns: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    contact: ContactPreferences = field(default_factory=ContactPreferences)
    language: str = ""
    interpreter_needed: bool | None = None
    access_needs: str = ""
    id: int | None = None


@dataclass
class ReviewRequest:
    """An earlier request for a review of the decision (VRR or other) and what came of it."""

    kind: ReviewKind
    requested_on: PartialDate | None = None
    result: str = ""


@dataclass
class Case:
    police_force: str | None = None
    crime_references: list[str] = field(default_factory=list)
    decided_by: DecisionMaker | None = None
    cps_area: str | None = None
    decision_date: PartialDate | None = None
    date_reported: PartialDate | None = None
    offence_start: PartialDate | None = None
    offence_end: PartialDate | None = None
    location: str = ""
    offender_count: int | None = None
    offender_alive_and_known: Answer | None = None
    account: str = ""
    earlier_reviews: list[ReviewRequest] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.crime_references = [
            normalise_crime_reference(ref) for ref in self.crime_references if ref.strip()
        ]


@dataclass
class Consent:
    to_referral: bool = False
    share_with_force: bool = False
    share_with_cps: bool = False
    share_with_panel: bool = False
    given_on: date | None = None
    method: ConsentMethod | None = None
    recorded_by: str = ""
    withdrawn_on: date | None = None
    #: When the survivor's signed consent and authority form came back, if it has.
    authority_received_on: date | None = None

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_on is not None

    @property
    def complete(self) -> bool:
        """Enough to send: consent to refer and to share with whoever decided and the Panel."""
        return (
            self.to_referral
            and self.share_with_panel
            and (self.share_with_force or self.share_with_cps)
            and self.given_on is not None
            and self.method is not None
            and not self.withdrawn
        )


@dataclass
class StatusChange:
    status: Status
    changed_at: datetime
    note: str = ""
    changed_by: str = ""


@dataclass
class AssessmentRecord:
    """One run of the eligibility rules, kept so that later re-screening can be compared."""

    ruleset: str
    outcome: str
    reasons: list[str]
    flags: list[str]
    assessed_at: datetime
    answers: dict[str, str] = field(default_factory=dict)


@dataclass
class FollowUp:
    due: date | None = None
    purpose: str = ""


@dataclass
class Advocate:
    name: str = ""
    organisation: str = ""
    phone: str = ""
    email: str = ""


@dataclass
class Referral:
    survivor: Survivor = field(default_factory=Survivor)
    case: Case = field(default_factory=Case)
    answers: dict[str, str] = field(default_factory=dict)
    assessments: list[AssessmentRecord] = field(default_factory=list)
    consent: Consent = field(default_factory=Consent)
    status_history: list[StatusChange] = field(default_factory=list)
    follow_up: FollowUp = field(default_factory=FollowUp)
    #: The advocate's letter asking the force or CPS Area to reconsider; empty until written.
    request_letter: str = ""
    #: Family members and others named in the account, kept out of a redacted copy.
    others_to_keep_out: list[str] = field(default_factory=list)
    #: The choices confirmed when the redacted copy was last reviewed; None until then.
    redaction: RedactionChoices | None = None
    id: int | None = None
    reference: str = ""
    #: The referral's identity across databases (exports and imports), given when first saved.
    uid: str = ""
    created_at: datetime | None = None
    updated_at: datetime | None = None
    #: The stored version this copy was read at; a save from an older one is refused.
    version: int = 0

    @property
    def status(self) -> Status:
        return self.status_history[-1].status if self.status_history else Status.DRAFT

    def change_status(
        self, wanted: Status, *, by: str, note: str = "", at: datetime | None = None
    ) -> StatusChange:
        """Move to ``wanted`` if the rules allow it; the change joins the history."""
        current = self.status
        if wanted not in ALLOWED_CHANGES[current]:
            raise StatusChangeError(current, wanted)
        if wanted in NEEDS_CONSENT and not self.consent.complete:
            raise StatusChangeError(
                current,
                wanted,
                "the survivor's consent to the referral, and to sharing it with the force or "
                "CPS Area and the Panel, must be recorded first.",
            )
        change = StatusChange(wanted, at or utc_now(), note, by)
        self.status_history.append(change)
        return change

    def clone(self) -> Referral:
        """A deep copy, so saving never shares lists with a form that is still open."""
        return copy.deepcopy(self)

    @property
    def latest_assessment(self) -> AssessmentRecord | None:
        return self.assessments[-1] if self.assessments else None
