"""The redacted copy's review: every free-text field, what is proposed for hiding in it, and
the advocate's choices, ready to apply to the summary and to keep with the referral.

The redacted copy goes to readers who need the case but not who it is about. Proposals come
from :mod:`referral_app.services.proposals`; the advocate keeps or removes each one and may hide
any other stretch of text. Choices are kept by the text they were made on, so when a field has
changed since, a choice follows its words, and a choice whose words are gone is dropped (new
proposals then start at their defaults). Plain Python, so it can be tested without Qt.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from referral_app.domain.redaction import Mark, RedactionChoices
from referral_app.domain.referral import Referral
from referral_app.services.proposals import Proposal, Proposer

REMOVED = "[removed]"
CHOSEN = "chosen by you"


def initials(name: str) -> str:
    """``Zelda Quartermaine`` as ``Z. Q.``: enough to tell records apart, not to identify."""
    parts = [part for part in name.replace("-", " ").split() if part]
    return " ".join(f"{part[0].upper()}." for part in parts)


@dataclass(frozen=True)
class FreeText:
    """One free-text field of the summary, by the key choices are kept under."""

    key: str
    label: str
    text: str


def free_texts(referral: Referral) -> list[FreeText]:
    """The summary's free-text fields, in the order the summary prints them."""
    survivor, case = referral.survivor, referral.case
    fields = [
        FreeText("access_needs", "Access needs", survivor.access_needs),
        FreeText("location", "Where it happened", case.location),
    ]
    for index, review in enumerate(case.earlier_reviews, start=1):
        fields.append(
            FreeText(f"review:{index}", f"Earlier review request {index}: result", review.result)
        )
    fields.append(FreeText("account", "The survivor's account", case.account))
    for index, change in enumerate(referral.status_history, start=1):
        fields.append(FreeText(f"status:{index}", f"Status history, note {index}", change.note))
    fields.append(FreeText("follow_up", "Next follow-up: what for", referral.follow_up.purpose))
    return [field for field in fields if field.text.strip()]


def _nearest(text: str, words: str, near: int) -> int | None:
    """Where ``words`` occur in ``text`` closest to ``near``, if anywhere."""
    best: int | None = None
    start = text.find(words)
    while start != -1 and words:
        if best is None or abs(start - near) < abs(best - near):
            best = start
        start = text.find(words, start + 1)
    return best


class Review:
    """Proposals and choices for one referral's redacted copy."""

    def __init__(self, referral: Referral, choices: RedactionChoices | None = None) -> None:
        self.referral = referral
        saved = choices if choices is not None else referral.redaction
        self.keep_crime_references = saved.keep_crime_references if saved else True
        self.keep_force = saved.keep_force if saved else True
        self.fields = free_texts(referral)
        self._texts = {field.key: field.text for field in self.fields}
        self.proposals: list[Proposal] = []
        self.hidden: list[bool] = []
        self.chosen: list[Mark] = []
        self._propose(saved.marks if saved else [])

    def _propose(self, marks: list[Mark]) -> None:
        proposer = Proposer(
            self.referral,
            keep_crime_references=self.keep_crime_references,
            keep_force=self.keep_force,
        )
        self.proposals = [p for f in self.fields for p in proposer.propose(f.key, f.text)]
        self.hidden = [p.hide for p in self.proposals]
        for mark in marks:
            if mark.chosen:
                self._restore_chosen(mark)
            else:
                self._restore_decision(mark)

    def _restore_decision(self, mark: Mark) -> None:
        same = [
            (abs(p.start - mark.start), index)
            for index, p in enumerate(self.proposals)
            if p.field == mark.field and p.text == mark.text
        ]
        if same:
            self.hidden[min(same)[1]] = mark.hidden

    def _restore_chosen(self, mark: Mark) -> None:
        text = self._texts.get(mark.field, "")
        start = _nearest(text, mark.text, mark.start)
        if start is not None:
            self.chosen.append(
                Mark(mark.field, start, start + len(mark.text), mark.text, mark.hidden, True)
            )

    def set_reader_choices(self, *, keep_crime_references: bool, keep_force: bool) -> None:
        """Change what the reader sees of the case; proposals are worked out again and every
        choice made so far is kept."""
        marks = self.marks()
        self.keep_crime_references = keep_crime_references
        self.keep_force = keep_force
        self.chosen = []
        self._propose(marks)

    def hide_text(self, field: str, start: int, end: int) -> Mark | None:
        """Hide ``[start, end)`` of a field the advocate selected; None if it is only spaces."""
        text = self._texts.get(field, "")
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start >= end:
            return None
        mark = Mark(field, start, end, text[start:end], True, True)
        self.chosen.append(mark)
        return mark

    def set_chosen(self, index: int, hidden: bool) -> None:
        """Hide, or let print again, a stretch the advocate chose."""
        self.chosen[index] = replace(self.chosen[index], hidden=hidden)

    def marks(self) -> list[Mark]:
        """Every decision, as kept with the referral."""
        decided = [
            Mark(p.field, p.start, p.end, p.text, hidden)
            for p, hidden in zip(self.proposals, self.hidden, strict=True)
        ]
        return decided + list(self.chosen)

    def choices(self, confirmed_at: datetime) -> RedactionChoices:
        return RedactionChoices(
            self.marks(), self.keep_crime_references, self.keep_force, confirmed_at
        )

    def hidden_spans(self, field: str) -> list[tuple[int, int, str]]:
        """The stretches of ``field`` that will be hidden, with what takes their place, in order
        and with overlaps joined."""
        spans = [
            (p.start, p.end, f"[{p.reason}]")
            for p, hidden in zip(self.proposals, self.hidden, strict=True)
            if hidden and p.field == field
        ]
        spans += [(m.start, m.end, REMOVED) for m in self.chosen if m.field == field and m.hidden]
        joined: list[tuple[int, int, str]] = []
        for start, end, label in sorted(spans):
            if joined and start < joined[-1][1]:
                first, last, shown = joined[-1]
                joined[-1] = (first, max(last, end), shown)
            else:
                joined.append((start, end, label))
        return joined

    def redact(self, field: str, text: str) -> str:
        """``text`` with its hidden stretches replaced. The text must be the field as reviewed;
        if it is not (changed since), it is worked out afresh with the defaults."""
        if not text.strip():
            return text
        if self._texts.get(field) != text:
            return Review(_with_only(self.referral, text), None).redact("account", text)
        parts: list[str] = []
        position = 0
        for start, end, label in self.hidden_spans(field):
            parts += [text[position:start], label]
            position = end
        parts.append(text[position:])
        return "".join(parts)

    def counts(self) -> tuple[int, int, int]:
        """Proposals hidden, proposals shown, and stretches the advocate chose: for the audit
        trail, which never holds the text."""
        hidden = sum(self.hidden)
        return hidden, len(self.hidden) - hidden, sum(m.hidden for m in self.chosen)


def _with_only(referral: Referral, text: str) -> Referral:
    """A copy of ``referral`` whose account holds ``text`` (for text reviewed under no field)."""
    copy = referral.clone()
    copy.case.account = text
    copy.redaction = None
    return copy
