"""What happens next after each status, in words for the advocate, with the follow-up to offer.

Every fact here rests on the Panel's published terms (source ``panel-terms`` in
``domain/sources.py``): the force or CPS Area looks at the case first and decides whether to
refer it; the Panel advises; the force or CPS Area decides what to do with that advice; the
survivor is told by letter, with support offered; there is no appeal beyond the Panel. No time
limit for any step is published in those terms, so none is given here: the follow-ups offered
are the app's suggestion of when to chase, not a rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from referral_app.domain.referral import Status


@dataclass(frozen=True)
class NextStep:
    text: str
    #: The follow-up to offer: in how many days, and what it is for.
    follow_up_days: int
    follow_up_purpose: str


NEXT_STEPS: dict[Status, NextStep] = {
    # Source: panel-terms.
    Status.SENT: NextStep(
        "The force or CPS Area decides whether to look at the case again itself (it may "
        "reinvestigate) or, if it stands by no further action, to refer it to the Panel. Ask "
        "when it expects to reply, and chase if it has not replied by then.",
        28,
        "Chase the force or CPS Area for a reply to the request",
    ),
    # Source: panel-terms.
    Status.RECONSIDERING: NextStep(
        "The force or CPS Area is looking at the case again. If it reopens the case, the "
        "officer in the case keeps the survivor informed. If it stands by no further action, "
        "ask it to refer the case to the Panel.",
        28,
        "Ask the force or CPS Area where its reconsideration has got to",
    ),
    # Source: panel-terms.
    Status.REFERRED_TO_PANEL: NextStep(
        "The Panel looks at the case and gives its advice to the force or CPS Area: to "
        "reinvestigate, to have the CPS review its decision, or that no further action was "
        "right. The force or CPS Area then decides what to do, and the survivor is told by "
        "letter, with support offered.",
        42,
        "Ask the force or CPS Area whether the Panel has given its advice",
    ),
    # Source: panel-terms.
    Status.PANEL_ADVISED_REINVESTIGATION: NextStep(
        "The Panel advised the force to reinvestigate. The force decides what to do with that "
        "advice; if it reinvestigates, the officer in the case keeps the survivor informed.",
        28,
        "Ask the force what it has decided after the Panel's advice",
    ),
    # Source: panel-terms.
    Status.PANEL_ADVISED_CPS_REVIEW: NextStep(
        "The Panel advised the CPS to review its decision. The CPS Area decides what to do with "
        "that advice and tells the survivor.",
        28,
        "Ask the CPS Area what it has decided after the Panel's advice",
    ),
    # Source: panel-terms.
    Status.PANEL_UPHELD_NFA: NextStep(
        "The Panel agreed that no further action was right. There is no appeal beyond the "
        "Panel. The survivor is told by letter, with support offered: check that they have had "
        "the letter and know where to find support (Help > Support services).",
        7,
        "Check the survivor has had the Panel's letter and knows where to find support",
    ),
}


def next_step(status: Status) -> NextStep | None:
    return NEXT_STEPS.get(status)


def offered_follow_up(step: NextStep, today: date) -> tuple[date, str]:
    return today + timedelta(days=step.follow_up_days), step.follow_up_purpose
