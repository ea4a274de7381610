"""Where the database lives by default: asked for before anything is unlocked, so this module
loads nothing of the database machinery."""

from __future__ import annotations

from pathlib import Path


def default_database_path() -> Path:
    """The user's data folder, unless ``--db`` says otherwise."""
    import platformdirs

    return platformdirs.user_data_path("csarp-referrals", appauthor=False) / "referrals.db"
