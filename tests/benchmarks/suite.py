"""Every benchmark, in the order a run measures them.

Those that write to the caseload's database (saving and opening records add rows and audit
events) come last, so that every other figure is taken on the caseload as generated.
"""

from __future__ import annotations

from collections.abc import Callable

from tests.benchmarks import caseload, eligibility, export, memory, records, startup
from tests.benchmarks.figures import Figure, Kind, Target
from tests.benchmarks.workspace import Workspace


def run_generation(workspace: Workspace) -> list[Figure]:
    """Making the caseload every other benchmark uses (``tests.generate.populate``)."""
    workspace.caseload  # noqa: B018 (made on first use, timed as it is made)
    made = workspace.generation
    if made is None:
        raise RuntimeError("the caseload was not generated in this run")
    return [
        Figure(
            f"Generating and storing {made.count:,} referrals (Repository.create_many)",
            made.stored_seconds,
            made.generated_seconds,
            "s",
            "generating the same referrals without storing them",
            Target(Kind.AT_MOST, 60),
            (f"{made.count / made.stored_seconds:,.0f} referrals a second, one transaction",),
        )
    ]


BENCHMARKS: dict[str, Callable[[Workspace], list[Figure]]] = {
    "generation": run_generation,
    "startup": startup.run,
    "first-screen": caseload.run_first_screen,
    "search": caseload.run_search,
    "memory": memory.run,
    "eligibility": eligibility.run,
    "export": export.run_json,
    "pdf": export.run_pdf,
    "save": records.run_save,
    "open": records.run_open,
}
