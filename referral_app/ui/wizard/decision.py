from referral_app.domain.advice import QUESTIONS
from referral_app.domain.flow import Page
from referral_app.ui.wizard.choice import ChoicePage, Option


class DecisionPage(ChoicePage):
    page = Page.DECISION
    key = "decision"
    title = QUESTIONS["decision"]
    help_text = (
        "The survivor may have a letter from the police or the CPS saying what was decided. "
        "'No further action' means the case was closed without anyone being charged. If some "
        "suspects or offences were charged and others were not, answer for the part that was "
        "not charged."
    )
    options = (
        Option(
            "police_nfa",
            "The police took no further action",
            "The police closed the case themselves, including when no suspect was identified.",
        ),
        Option(
            "cps_nfa",
            "The CPS decided not to charge",
            "The police sent the case to the Crown Prosecution Service, which decided not to "
            "charge anyone.",
        ),
        Option(
            "discontinued",
            "The CPS charged, then stopped the case",
            "The CPS discontinued the case, or offered no evidence, before a verdict.",
        ),
        Option("prosecuted", "Someone was charged and it went to court", "Whatever the verdict."),
        Option("live", "It is still being investigated or prosecuted"),
        Option(
            "out_of_court",
            "A caution or other out-of-court outcome",
            "For example a caution, a conditional caution or a community resolution.",
        ),
        Option("unknown", "Not known", "You can find out: the result page says how."),
    )
    required_message = "Select what happened to the report"
