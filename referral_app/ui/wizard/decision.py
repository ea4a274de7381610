from referral_app.domain.flow import Page
from referral_app.ui.wizard.choice import ChoicePage, Option


class DecisionPage(ChoicePage):
    page = Page.DECISION
    key = "decision"
    title = "What happened to the report?"
    help_text = (
        "The survivor may have a letter from the police or the CPS saying what was decided. "
        "'No further action' means the case was closed without anyone being charged."
    )
    options = (
        Option(
            "police_nfa",
            "The police took no further action",
            "The police closed the case themselves.",
        ),
        Option(
            "cps_nfa",
            "The CPS decided not to charge",
            "The police sent the case to the Crown Prosecution Service, which decided not to "
            "charge anyone.",
        ),
        Option("prosecuted", "Someone was charged and it went to court", "Whatever the verdict."),
        Option("live", "It is still being investigated or prosecuted"),
        Option("unknown", "Not known", "We can find out: the outcome page says how."),
    )
    required_message = "Select what happened to the report"
