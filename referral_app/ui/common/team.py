"""Who is signed in to the team's server: what the caseload and the record offer depends on it
(the server enforces the same rules whatever is offered)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Team:
    """The signed-in advocate, whether they are a manager, and the team's advocates."""

    me: str
    is_manager: bool
    advocates: tuple[str, ...] = ()
