from referral_app.domain.flow import Page
from referral_app.ui.wizard.choice import NOT_SURE, ChoicePage, Option


class RiskPage(ChoicePage):
    page = Page.RISK
    key = "offender_may_pose_risk"
    title = "Could the alleged offender still pose a risk to anyone?"
    help_text = (
        "The bar is very low. Answer yes if there is any chance they could have the opportunity "
        "to offend again, for example because they are alive and could have contact with "
        "children or vulnerable adults. Answer no only when that is clearly impossible, for "
        "example because they have died."
    )
    options = (
        Option("yes", "Yes, or possibly"),
        Option("no", "No, that is clearly impossible"),
        NOT_SURE,
    )
    required_message = "Select whether the alleged offender could still pose a risk"
