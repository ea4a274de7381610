from referral_app.domain.advice import QUESTIONS
from referral_app.domain.flow import Page
from referral_app.ui.wizard.choice import NOT_SURE, YES, ChoicePage, Option


class AgainstSurvivorPage(ChoicePage):
    page = Page.AGAINST_SURVIVOR
    key = "sexual_offence_against_survivor"
    title = QUESTIONS["sexual_offence_against_survivor"]
    help_text = (
        "The Panel reviews decisions about sexual offences against the person asking for the "
        "review. It cannot look at a decision about someone else, or about a different kind of "
        "offence, even when they are connected."
    )
    options = (
        YES,
        Option("no", "No", "For example, it was about another person, or not a sexual offence."),
        NOT_SURE,
    )
    required_message = "Select whether it was sexual abuse of the survivor themself"
