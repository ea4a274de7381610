"""The guided eligibility and referral form: one page per file, driven by ``domain.flow``."""
