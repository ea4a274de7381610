"""The printed referral summary, as HTML filled into ``resources/summary.html``.

Plain Python, so the words can be tested without Qt and the same text serves the printer, the
PDF and the export. Every value is escaped here: a name or an account typed by the advocate is
text, never markup. The redacted copy is for readers who need the case but not who it is about:
initials for names, the age at the time for the date of birth, no contact details; free text is
scrubbed of the names and contact details as recorded, and the copy says so.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from string import Template

from referral_app.domain.advice import (
    GUIDE_NOTES,
    OUTCOME_SENTENCES,
    QUESTIONS,
    STATUS_WORDS,
    advice_for,
    answer_words,
    decided_by_name,
)
from referral_app.domain.dates import PartialDate, PartialDateError, describe_day
from referral_app.domain.eligibility import (
    DEFAULT_RULESET,
    RULESETS,
    Assessment,
    InvalidAnswers,
    assess,
)
from referral_app.domain.flow import Draft
from referral_app.domain.referral import (
    Advocate,
    ConsentMethod,
    DecisionMaker,
    Referral,
    ReviewKind,
)
from referral_app.services.redaction import Review, initials
from referral_app.services.resources import read_resource

NOT_GIVEN = "Not given"
DECIDERS = {DecisionMaker.POLICE: "The police", DecisionMaker.CPS: "The CPS"}
METHODS = {ConsentMethod.VERBAL: "Verbally", ConsentMethod.WRITTEN: "In writing"}
CONSENT_PARTS = (
    ("to_referral", "Making this referral"),
    ("share_with_force", "Sharing it with the police force"),
    ("share_with_cps", "Sharing it with the CPS"),
    ("share_with_panel", "Sharing it with the Panel"),
)
REVIEW_KINDS = {
    ReviewKind.POLICE_VRR: "Police VRR (Victims' Right to Review)",
    ReviewKind.CPS_VRR: "CPS VRR (Victims' Right to Review)",
    ReviewKind.COMPLAINT: "Complaint",
    ReviewKind.OTHER: "Other",
}
REDACTION_NOTE = (
    "Redacted copy. The survivor's names are shown as initials, their age at the time takes the "
    "place of their date of birth, and their contact details are left out. In free text, what "
    "was hidden is shown in square brackets with the reason, as reviewed by the advocate before "
    "printing."
)
LEFT_OUT = "Left out of this copy"
#: Qt applies border-collapse only from a table's own style attribute.
TABLE = (
    '<table width="100%" cellspacing="0" cellpadding="{padding}" '
    'style="border-collapse: collapse; border: 1px solid #b1b4b6;">'
)
CHANGED_SINCE_CHECK = (
    "The answers as the record holds them now give a different result from this check: check "
    "the case again before sending."
)
CONTACT_REDACTED = "Through the advocate named above. Contact details are left out of this copy."


def local_day(moment: datetime) -> date:
    """The day a stored (UTC) moment fell on here, as the record view shows it."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone().date()


def _age(born: date, on: date) -> int:
    return max(0, on.year - born.year - ((on.month, on.day) < (born.month, born.day)))


def age_at(born: PartialDate, when: PartialDate) -> str:
    """The age someone born ``born`` was at ``when``, as exact as the partial dates allow."""
    youngest, oldest = _age(born.last, when.first), _age(born.first, when.last)
    if youngest >= oldest:
        return str(oldest)
    if oldest == youngest + 1:
        return f"{youngest} or {oldest}"
    return f"between {youngest} and {oldest}"


def _day(value: date | PartialDate | None) -> str:
    if value is None:
        return NOT_GIVEN
    return describe_day(value) if isinstance(value, date) else value.describe()


def _yes_no(value: bool | None) -> str:
    return NOT_GIVEN if value is None else ("Yes" if value else "No")


def _text(value: str | None) -> str:
    return (value or "").strip() or NOT_GIVEN


def _cell(text: str) -> str:
    """Escaped text with its line breaks kept."""
    return "<br/>".join(html.escape(line) for line in text.splitlines()) or "&nbsp;"


def _rows(pairs: Iterable[tuple[str, str]]) -> str:
    return "".join(
        f'<tr><td class="label" width="36%">{_cell(label)}</td><td>{_cell(value)}</td></tr>'
        for label, value in pairs
    )


def _paragraphs(text: str, css: str = "") -> str:
    """Free text as paragraphs: a blank line starts a new one, a single break is kept."""
    blocks = [block.strip("\n") for block in re.split(r"\n\s*\n", text.strip())]
    attribute = f' class="{css}"' if css else ""
    return "".join(f"<p{attribute}>{_cell(block)}</p>" for block in blocks if block.strip())


def _notice(text: str) -> str:
    """A boxed paragraph that must not be missed (Qt draws no one-sided borders on text)."""
    return (
        '<p class="small">&nbsp;</p>'
        + TABLE.format(padding=8)
        + f'<tr><td class="notice">{_cell(text)}</td></tr></table>'
    )


def _items(texts: Sequence[str]) -> str:
    return "<ul>" + "".join(f"<li>{_cell(text)}</li>" for text in texts) + "</ul>"


def _criteria_answer(key: str, answer: str | None, derived: bool) -> str:
    if key == "decision_date" and answer:
        try:
            return PartialDate.parse(answer).describe()
        except PartialDateError:
            return answer
    words = answer_words(answer)
    return f"{words} (worked out from the dates)" if derived else words


class _Summary:
    """One referral's sections, each as HTML, for the template's placeholders."""

    def __init__(self, referral: Referral, redacted: bool, review: Review | None) -> None:
        self.referral = referral
        self.redacted = redacted
        self.review = (review or Review(referral)) if redacted else None

    def free(self, field: str, text: str) -> str:
        """A free-text field as this copy shows it."""
        return self.review.redact(field, text) if self.review is not None else text

    @property
    def keep_force(self) -> bool:
        return self.review is None or self.review.keep_force

    @property
    def keep_references(self) -> bool:
        return self.review is None or self.review.keep_crime_references

    def _kept(self, keep: bool, value: str) -> str:
        return value if keep or value == NOT_GIVEN else LEFT_OUT

    def survivor(self) -> str:
        survivor, case = self.referral.survivor, self.referral.case
        born = survivor.date_of_birth
        if self.redacted:
            rows = [
                ("Initials", initials(survivor.full_name) or NOT_GIVEN),
                (
                    "Names used at the time of the report (initials)",
                    "\n".join(initials(name) for name in survivor.previous_names) or NOT_GIVEN,
                ),
            ]
        else:
            rows = [
                ("Full name", _text(survivor.full_name)),
                (
                    "Names used at the time of the report",
                    "\n".join(survivor.previous_names) or NOT_GIVEN,
                ),
                ("Date of birth", _day(born)),
            ]
        for label, when in (
            ("Age when the abuse began", case.offence_start),
            ("Age when it ended", case.offence_end),
        ):
            rows.append((label, age_at(born, when) if born and when else "Not known"))
        rows += [
            ("Pronouns", _text(survivor.pronouns)),
            ("Preferred language", _text(survivor.language)),
            ("Needs an interpreter", _yes_no(survivor.interpreter_needed)),
            ("Access needs", _text(self.free("access_needs", survivor.access_needs))),
        ]
        return _rows(rows)

    def contact(self) -> str:
        survivor = self.referral.survivor
        contact = survivor.contact
        if self.redacted:
            return _rows([("Contact", CONTACT_REDACTED)])
        return _rows(
            [
                ("Contact only through the advocate", "Yes" if contact.via_advocate_only else "No"),
                ("Phone number", _text(survivor.phone)),
                ("Email address", _text(survivor.email)),
                ("Postal address", _text(survivor.address)),
                ("Safe to leave a voicemail", _yes_no(contact.voicemail_ok)),
                ("Safe to send letters", _yes_no(contact.letters_ok)),
                ("Safe times to call", _text(contact.safe_times)),
            ]
        )

    def _answer(self, key: str) -> str:
        value = self.referral.answers.get(key)
        return answer_words(value) if value else NOT_GIVEN

    def case(self) -> str:
        case = self.referral.case
        decided = DECIDERS.get(case.decided_by, "Not known") if case.decided_by else NOT_GIVEN
        rows = [
            ("Police force", self._kept(self.keep_force, case.police_force or NOT_GIVEN)),
            (
                "Crime reference numbers",
                self._kept(self.keep_references, "\n".join(case.crime_references) or NOT_GIVEN),
            ),
            ("Who made the decision", decided),
            ("CPS Area", case.cps_area or NOT_GIVEN),
            ("What happened to the report", answer_words(self.referral.answers.get("decision"))),
            ("Date of the decision", _day(case.decision_date)),
            ("Suspect interviewed under caution", self._answer("suspect_interviewed")),
            ("When it was reported to the police", _day(case.date_reported)),
            ("When the abuse began", _day(case.offence_start)),
            ("When it ended", _day(case.offence_end)),
            ("Where it happened", _text(self.free("location", case.location))),
            ("Group-based", self._answer("group_based")),
            (
                "Number of alleged offenders",
                str(case.offender_count) if case.offender_count is not None else NOT_GIVEN,
            ),
            (
                "Alleged offender alive and known",
                answer_words(case.offender_alive_and_known.value)
                if case.offender_alive_and_known
                else NOT_GIVEN,
            ),
        ]
        for index, review in enumerate(case.earlier_reviews, start=1):
            parts = [REVIEW_KINDS[review.kind], f"Requested: {_day(review.requested_on)}"]
            if review.result.strip():
                parts.append(f"Result: {self.free(f'review:{index}', review.result).strip()}")
            rows.append((f"Earlier review request {index}", "\n".join(parts)))
        if not case.earlier_reviews:
            rows.append(("Earlier requests for a review", "None recorded"))
        return _rows(rows)

    def account(self) -> str:
        text = self.free("account", self.referral.case.account)
        return _paragraphs(text, "account") or f"<p>{NOT_GIVEN}</p>"

    def eligibility(self, printed_on: date) -> str:
        referral = self.referral
        latest = referral.latest_assessment
        ruleset = latest.ruleset if latest and latest.ruleset in RULESETS else DEFAULT_RULESET
        day = local_day(latest.assessed_at) if latest else printed_on
        answers = Draft(referral=referral).eligibility_answers()
        try:
            judged: Assessment | None = assess(answers, ruleset, day)
        except InvalidAnswers:
            judged = None
        parts = [f'<p class="panel">{html.escape(note)}</p>' for note in GUIDE_NOTES]
        if latest is not None:
            outcome = OUTCOME_SENTENCES.get(latest.outcome, latest.outcome)
            checked = f"Checked on {describe_day(day)}"
        else:
            outcome = "The case has not been checked yet."
            checked = f"Worked out from the answers on {describe_day(day)}"
        title = RULESETS[ruleset].title
        parts.append(
            TABLE.format(padding=8)
            + f'<tr><td class="outcome"><p class="outcome">{html.escape(outcome)}</p>'
            f'<p class="small">{html.escape(checked)} under the {html.escape(title)} '
            f"(ruleset {html.escape(ruleset)}).</p></td></tr></table>"
        )
        if judged is None:
            parts.append("<p>The answers recorded do not fit together; check the case again.</p>")
            return "".join(parts)
        if latest is not None and latest.outcome != judged.outcome:
            parts.append(_notice(CHANGED_SINCE_CHECK))
        parts.append(self._criteria(judged))
        flags = list(latest.flags) if latest is not None else [str(f) for f in judged.flags]
        shown = Assessment(
            judged.outcome,
            list(judged.reasons),
            flags,
            ruleset,
            day,
            criteria=judged.criteria,
            vrr_deadline=judged.vrr_deadline,
        )
        named = decided_by_name(referral.case) if self.keep_force else None
        advice = advice_for(shown, answers, named)
        texts = [flag.text for flag in advice.flags]
        parts.append("<h3>Also</h3>" + (_items(texts) if texts else "<p>Nothing else.</p>"))
        if advice.find_out:
            parts.append("<h3>Still to find out</h3>" + _items(advice.find_out))
        if advice.instead or advice.routes:
            parts.append(
                "<h3>What the survivor can do instead</h3>" + _items(advice.instead + advice.routes)
            )
        return "".join(parts)

    @staticmethod
    def _criteria(judged: Assessment) -> str:
        rows = []
        for result in judged.criteria:
            status = STATUS_WORDS[result.status]
            answer = _criteria_answer(result.key, result.answer, result.derived)
            rows.append(
                f"<tr><td>{_cell(QUESTIONS.get(result.key, result.question))}</td>"
                f"<td>{_cell(answer)}</td>"
                f'<td class="{result.status.value}">{_cell(status)}</td></tr>'
            )
        return (
            TABLE.format(padding=5)
            + '<thead><tr><th width="50%">Question</th><th width="32%">Answer given</th>'
            '<th width="18%">Result</th></tr></thead>' + "".join(rows) + "</table>"
        )

    def consent(self) -> str:
        consent = self.referral.consent
        agreed = [text for name, text in CONSENT_PARTS if getattr(consent, name)]
        return _rows(
            [
                ("What the survivor has agreed to", "\n".join(agreed) or "Nothing recorded"),
                ("Date consent was given", _day(consent.given_on)),
                (
                    "How consent was given",
                    METHODS.get(consent.method, NOT_GIVEN) if consent.method else NOT_GIVEN,
                ),
                ("Who recorded the consent", _text(consent.recorded_by)),
                (
                    "Date consent was withdrawn",
                    _day(consent.withdrawn_on) if consent.withdrawn_on else "Not withdrawn",
                ),
                (
                    "Signed consent and authority form",
                    f"Came back on {_day(consent.authority_received_on)}"
                    if consent.authority_received_on
                    else "Not received yet",
                ),
            ]
        )

    def history(self) -> str:
        rows = "".join(
            f"<tr><td>{_cell(describe_day(local_day(change.changed_at)))}</td>"
            f"<td>{_cell(change.status.label)}</td>"
            f"<td>{_cell(self.free(f'status:{index}', change.note))}</td>"
            f"<td>{_cell(change.changed_by)}</td></tr>"
            for index, change in enumerate(self.referral.status_history, start=1)
        )
        if not rows:
            return "<p>No changes recorded.</p>"
        return (
            TABLE.format(padding=5)
            + '<thead><tr><th width="25%">Date</th><th width="25%">Status</th>'
            '<th width="32%">Note</th><th width="18%">Recorded by</th></tr></thead>'
            + rows
            + "</table>"
        )

    def follow_up(self) -> str:
        follow_up = self.referral.follow_up
        return _rows(
            [
                ("Due", _day(follow_up.due) if follow_up.due else "None set"),
                ("What for", _text(self.free("follow_up", follow_up.purpose))),
            ]
        )


def summary_html(
    referral: Referral,
    advocate: Advocate | None,
    *,
    redacted: bool = False,
    printed_on: date | None = None,
    review: Review | None = None,
) -> str:
    """The whole summary of ``referral`` as an HTML document for QTextDocument. A redacted
    copy hides what ``review`` says (by default, the choices saved with the referral, or the
    proposals' defaults when there are none)."""
    printed_on = printed_on or date.today()
    advocate = advocate or Advocate()
    parts = _Summary(referral, redacted, review)
    meta = _rows(
        [
            ("Reference", referral.reference or "Not saved yet"),
            ("Date printed", describe_day(printed_on)),
            ("Advocate", _text(advocate.name)),
            ("Organisation", _text(advocate.organisation)),
            ("Advocate's phone", _text(advocate.phone)),
            ("Advocate's email", _text(advocate.email)),
            ("Status", referral.status.label),
        ]
    )
    note = _notice(REDACTION_NOTE) if redacted else ""
    values = {
        "title": "Referral summary (redacted)" if redacted else "Referral summary",
        "meta": meta,
        "redaction_note": note,
        "survivor": parts.survivor(),
        "contact": parts.contact(),
        "case": parts.case(),
        "account": parts.account(),
        "eligibility": parts.eligibility(printed_on),
        "consent": parts.consent(),
        "history": parts.history(),
        "follow_up": parts.follow_up(),
    }
    return Template(read_resource("summary.html")).substitute(values)
