from referral_app.domain.advice import QUESTIONS
from referral_app.domain.flow import Page
from referral_app.ui.wizard.choice import NOT_SURE, YES, ChoicePage, Option


class WherePage(ChoicePage):
    page = Page.WHERE
    key = "offence_in_england_or_wales"
    title = QUESTIONS["offence_in_england_or_wales"]
    help_text = (
        "The Panel can only look at decisions made by police forces and the CPS in England and "
        "Wales. If it happened in more than one place, answer yes if any of it happened in "
        "England or Wales."
    )
    options = (
        YES,
        Option(
            "no",
            "No, it happened somewhere else",
            "For example Scotland, Northern Ireland or abroad.",
        ),
        NOT_SURE,
    )
    required_message = "Select whether the abuse happened in England or Wales"
