"""Peak memory with a full caseload, against the same steps on an empty database.

Each measurement is a fresh process (peak resident memory only ever grows, so one process
cannot measure two things): unlock, the caseload page with its first screen, a few searches.
The difference between the two databases is what the caseload itself costs in memory.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from tests.benchmarks.figures import Figure, Kind, Target, median
from tests.benchmarks.workspace import PASSPHRASE, Workspace, python

_PROBE = Path(__file__).with_name("probe_memory.py")
#: A name, a part of a name, a crime reference as typed, a force, and back to everything.
SEARCHES = ("s", "sm", "smith", "artermai", "ab 12", "west midlands", "")


def _peak(workspace: Workspace, database: Path) -> dict[str, Any]:
    finished = subprocess.run(
        [python(), str(_PROBE), str(database), *SEARCHES],
        input=PASSPHRASE + "\n",
        capture_output=True,
        text=True,
        env=workspace.child_environment(),
        cwd=workspace.root,
        timeout=300,
        check=False,
    )
    lines = finished.stdout.strip().splitlines()
    if finished.returncode != 0 or not lines:
        raise RuntimeError(f"the memory probe failed ({finished.returncode}): {finished.stderr}")
    report: dict[str, Any] = json.loads(lines[-1])
    return report


def run(workspace: Workspace) -> list[Figure]:
    full: list[float] = []
    empty: list[float] = []
    for _ in range(workspace.scale.memory_runs):
        full.append(_peak(workspace, workspace.caseload)["peak_mb"])
        empty.append(_peak(workspace, workspace.empty)["peak_mb"])
    count = f"{workspace.scale.referrals:,}"
    return [
        Figure(
            f"Peak memory, {count} referrals (unlock, list, {len(SEARCHES)} searches)",
            median(full),
            median(empty),
            "MB",
            "the same steps on an empty database",
            Target(Kind.EXTRA_AT_MOST, 60),
            (
                f"peak resident set size, median of {len(full)} fresh processes each; "
                f"highest: {max(full):.1f} MB against {max(empty):.1f} MB",
            ),
        )
    ]
