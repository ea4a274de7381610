from referral_app.domain.advice import QUESTIONS
from referral_app.domain.flow import Page
from referral_app.ui.wizard.choice import NOT_SURE, ChoicePage, Option


class GroupBasedPage(ChoicePage):
    page = Page.GROUP_BASED
    key = "group_based"
    title = QUESTIONS["group_based"]
    # Source: beaconport (domain/sources.py).
    help_text = (
        "For example several offenders, grooming or exploitation. The answer does not change "
        "whether the case fits the Panel's terms, but group-based cases closed between 2010 "
        "and March 2025 may be part of a national review."
    )
    options = (
        Option("yes", "Yes"),
        Option("no", "No"),
        NOT_SURE,
    )
    required_message = "Select whether it was group-based abuse"
