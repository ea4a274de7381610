"""The review of a redacted copy before it prints (see ``review``)."""
