"""Encrypted export and import of referrals, for people without the app and for moving a
caseload between computers.

An export is an AES-256 ZIP (WinZip AE-2, which 7-Zip and WinZip open) holding a README, the
records as JSON, one PDF summary per referral and a manifest of SHA-256 checksums. The modules:

- ``problems``: every message the advocate can see, in one place;
- ``passphrase``: generated passphrases and the strength an advocate's own one needs;
- ``files``: atomic, owner-only writing;
- ``archive``: entry names, limits, the manifest, and writing the ZIP;
- ``reader`` and ``zipcheck``: reading it back, trusting nothing until it is checked;
- ``export`` and ``import_``: referrals in and out;
- ``tasks``: running either on a worker thread with progress and Cancel.
"""
