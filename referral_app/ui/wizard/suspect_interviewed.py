from referral_app.domain.advice import QUESTIONS
from referral_app.domain.flow import Page
from referral_app.ui.wizard.choice import NOT_SURE, ChoicePage, Option


class SuspectInterviewedPage(ChoicePage):
    """Asked only after a police decision: the police Victims' Right to Review needs it."""

    page = Page.SUSPECT_INTERVIEWED
    key = "suspect_interviewed"
    title = QUESTIONS["suspect_interviewed"]
    # Source: police-vrr (domain/sources.py).
    help_text = (
        "Interviewed under caution means after an arrest or by voluntary arrangement. The "
        "police Victims' Right to Review covers only cases where a suspect was identified and "
        "interviewed under caution. The answer does not change whether the case fits the "
        "Panel's terms."
    )
    options = (
        Option("yes", "Yes"),
        Option("no", "No, no suspect was interviewed under caution"),
        NOT_SURE,
    )
    required_message = "Select whether a suspect was identified and interviewed under caution"
