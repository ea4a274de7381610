"""Referral app for the Child Sexual Abuse Review Panel.

Imports nothing outside the standard library, so the eligibility engine runs anywhere.
"""

__version__ = "0.1.0"
