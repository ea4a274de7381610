"""Where the database lives by default: asked for before anything is unlocked, so this module
loads nothing of the database machinery."""

from __future__ import annotations

from pathlib import Path


def default_database_path() -> Path:
    """The user's data folder, unless ``--db`` says otherwise."""
    import platformdirs

    return platformdirs.user_data_path("csarp-referrals", appauthor=False) / "referrals.db"


def default_log_folder() -> Path:
    """Where the app's log is kept (no personal data is written there)."""
    import platformdirs

    return platformdirs.user_log_path("csarp-referrals", appauthor=False)
