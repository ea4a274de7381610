"""Everything that can stop an export or an import, each with one plain message.

The messages are the only thing the advocate sees of a failure, so each says what happened and
what to do, and every import message ends by saying that nothing changed, because that is what
matters most to someone holding a caseload. None carries personal data, a path or the
passphrase; the optional ``detail`` is for tests and developers and is never shown.
"""

from __future__ import annotations

from enum import StrEnum

#: Said at the end of every import message: a failed import never changes the records.
NOTHING_IMPORTED = "Nothing was imported."
#: Said at the end of every export message: a failed export never leaves a file behind.
NOTHING_SAVED = "No file was saved."


class Problem(StrEnum):
    # Import
    WRONG_PASSPHRASE = "wrong_passphrase"  # noqa: S105 (a problem's name)
    NOT_AN_EXPORT = "not_an_export"
    TRUNCATED = "truncated"
    DAMAGED = "damaged"
    ALTERED = "altered"
    TOO_NEW = "too_new"
    TOO_LARGE = "too_large"
    OVER_LIMIT = "over_limit"
    INVALID_RECORDS = "invalid_records"
    UNREADABLE = "unreadable"
    CHANGED_SINCE_CHECK = "changed_since_check"
    # Export
    CANNOT_WRITE = "cannot_write"
    SUMMARY_FAILED = "summary_failed"
    NOT_RECORDED = "not_recorded"
    # Either
    UNEXPECTED = "unexpected"


MESSAGES: dict[Problem, str] = {
    Problem.WRONG_PASSPHRASE: (
        "That passphrase does not open this export file. Check it with the person who sent "
        f"the file and type it again, with a space between the words. {NOTHING_IMPORTED}"
    ),
    Problem.NOT_AN_EXPORT: (
        "This file is not an export from CSARP Referrals. Choose the .zip file that the "
        f"app's Export made. {NOTHING_IMPORTED}"
    ),
    Problem.TRUNCATED: (
        "This export file is incomplete: it may not have finished copying or downloading. "
        f"Ask the sender for the file again. {NOTHING_IMPORTED}"
    ),
    Problem.DAMAGED: (
        "This export file is damaged and cannot be read. Ask the sender for a new copy. "
        f"{NOTHING_IMPORTED}"
    ),
    Problem.ALTERED: (
        "This export file has been changed since it was made, so it cannot be trusted. Ask "
        f"the sender for a new copy. {NOTHING_IMPORTED}"
    ),
    Problem.TOO_NEW: (
        "This export file was made by a newer version of CSARP Referrals. Install the newer "
        f"version to import it. {NOTHING_IMPORTED}"
    ),
    Problem.TOO_LARGE: (
        "This file is larger than any export can be, so it was not opened. Check that you "
        f"chose the right file. {NOTHING_IMPORTED}"
    ),
    Problem.OVER_LIMIT: (
        "A referral in this file is larger than CSARP Referrals accepts, so the file cannot be "
        f"imported. Ask the sender to check it. {NOTHING_IMPORTED}"
    ),
    Problem.INVALID_RECORDS: (
        "The records in this export file are not in the form the app expects, so it cannot "
        f"import them. Ask the sender for a new copy. {NOTHING_IMPORTED}"
    ),
    Problem.UNREADABLE: (
        "The file could not be read. Check that the drive is connected and that you are "
        f"allowed to open the file. {NOTHING_IMPORTED}"
    ),
    Problem.CHANGED_SINCE_CHECK: (
        "The records in this app changed while you were checking the import. Check the file "
        f"again to see what would happen now. {NOTHING_IMPORTED}"
    ),
    Problem.CANNOT_WRITE: (
        "The export file could not be saved there. Check that the folder exists, that you "
        f"are allowed to save in it and that the drive has space. {NOTHING_SAVED}"
    ),
    Problem.SUMMARY_FAILED: (
        "The PDF summary of one of the referrals could not be made, so the export stopped. "
        f"{NOTHING_SAVED}"
    ),
    Problem.NOT_RECORDED: (
        "The export could not be recorded in the audit log, so the file was removed again. "
        f"Try again. {NOTHING_SAVED}"
    ),
    Problem.UNEXPECTED: (
        "Something went wrong that the app did not expect, so it stopped. Nothing was "
        "changed and no file was saved."
    ),
}


class TransferError(Exception):
    """A failed export or import the advocate can understand; ``str()`` is the message:
    the problem's own, or ``message`` when one is given (which limit a file is over)."""

    def __init__(self, problem: Problem, detail: str = "", message: str | None = None) -> None:
        self.problem = problem
        #: Which check failed, for tests and developers: never personal data or the passphrase.
        self.detail = detail
        super().__init__(message or MESSAGES[problem])


class Cancelled(Exception):  # noqa: N818 (not an error: the advocate asked for it)
    """The advocate pressed Cancel; whatever was being written has been removed."""
