"""The retention period, in years, kept with the other preferences of this copy of the app.

It is really the organisation's policy, but QSettings is the only store of settings there is;
it holds a number of years and nothing about anyone. Kept apart from ``settings.py`` for now so
the retention page can be built on its own; it can move there unchanged.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings

from referral_app.storage.retention import DEFAULT_YEARS, MAX_YEARS, MIN_YEARS

KEY = "retention/years"


class RetentionSettings:
    """Typed access to the retention period: always a whole number of years in range."""

    def __init__(self, store: QSettings | None = None) -> None:
        self._store = store if store is not None else QSettings()

    def years(self) -> int:
        """The period saved, or the default when none is (or what is there makes no sense)."""
        value = self._store.value(KEY, DEFAULT_YEARS)
        try:
            years = int(str(value))
        except ValueError:
            return DEFAULT_YEARS
        return years if MIN_YEARS <= years <= MAX_YEARS else DEFAULT_YEARS

    def set_years(self, years: int) -> None:
        if not MIN_YEARS <= years <= MAX_YEARS:
            raise ValueError(f"the retention period must be {MIN_YEARS} to {MAX_YEARS} years")
        self._store.setValue(KEY, years)
        self._store.sync()
