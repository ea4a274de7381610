from referral_app.domain.advice import QUESTIONS
from referral_app.domain.flow import Page
from referral_app.ui.wizard.choice import NOT_SURE, ChoicePage, Option


class RiskPage(ChoicePage):
    page = Page.RISK
    key = "offender_may_pose_risk"
    title = QUESTIONS["offender_may_pose_risk"]
    help_text = (
        "The bar is very low: any chance that they could have the opportunity to offend again. "
        "Unless the alleged offender is known to have died, answer 'Yes, or possibly'; the "
        "force can check."
    )
    options = (
        Option("yes", "Yes, or possibly"),
        Option("no", "No, they are known to have died"),
        NOT_SURE,
    )
    required_message = "Select whether the alleged offender could still pose a risk"
