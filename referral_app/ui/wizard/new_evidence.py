from referral_app.domain.advice import QUESTIONS
from referral_app.domain.flow import Page
from referral_app.ui.wizard.choice import NOT_SURE, ChoicePage, Option


class NewEvidencePage(ChoicePage):
    page = Page.NEW_EVIDENCE
    key = "new_evidence"
    title = QUESTIONS["new_evidence"]
    help_text = (
        "For example a new witness, or something the survivor has found or remembered since the "
        "decision. New information goes to the police force first: it can look at the case "
        "again itself. If it still stands by no further action, the case can come back to the "
        "Panel."
    )
    options = (
        Option("yes", "Yes, there is new information"),
        Option("no", "No"),
        NOT_SURE,
    )
    required_message = "Select whether there is new information the police did not have"
