from referral_app.domain.advice import QUESTIONS
from referral_app.domain.flow import Page
from referral_app.ui.wizard.choice import NO, NOT_SURE, YES, ChoicePage


class ReportedPage(ChoicePage):
    page = Page.REPORTED
    key = "reported_to_police"
    title = QUESTIONS["reported_to_police"]
    help_text = (
        "The Panel looks again at cases the police have already dealt with and closed. If it "
        "has never been reported, the survivor can still report it now, however long ago it "
        "happened."
    )
    options = (YES, NO, NOT_SURE)
    required_message = "Select whether the survivor reported it to the police"
