"""The caseload: the referral list, its model, the dashboard and the re-screening page."""
