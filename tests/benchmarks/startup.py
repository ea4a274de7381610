"""Start-up: from starting the process to the first window shown and idle.

The app is started as the advocate starts it, with no arguments, and its first window is the
unlock dialog (the database exists in the default place, inside the benchmark's own user
folders). The baseline is a bare PySide6 program showing one empty window, measured the same
way: each in a fresh process, alternately, so that the machine's background load falls on
both alike, and the median reported. Both times include starting Python and importing Qt, as
the advocate waits for them. For comparison, a plain PySide6 passphrase window (a heading, a
sentence, a password box, two buttons) is timed the same way.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

from tests.benchmarks.figures import Figure, Kind, Target, median
from tests.benchmarks.workspace import Workspace, python

_PROBE = Path(__file__).with_name("probe_startup.py")
_TIMEOUT = 120


def _start(workspace: Workspace, *arguments: str) -> tuple[float, dict[str, Any]]:
    """Wall-clock seconds from starting the process to its report, and the report."""
    started = time.perf_counter()
    finished = subprocess.run(
        [python(), str(_PROBE), *arguments],
        capture_output=True,
        text=True,
        env=workspace.child_environment(),
        cwd=workspace.root,
        timeout=_TIMEOUT,
        check=False,
    )
    elapsed = time.perf_counter() - started
    lines = finished.stdout.strip().splitlines()
    if finished.returncode != 0 or not lines:
        raise RuntimeError(f"the start-up probe failed ({finished.returncode}): {finished.stderr}")
    return elapsed, json.loads(lines[-1])


def _printed(workspace: Workspace, code: str) -> str:
    """What ``code`` prints, run in a fresh interpreter with the workspace's environment."""
    finished = subprocess.run(
        [python(), "-c", code],
        capture_output=True,
        text=True,
        env=workspace.child_environment(),
        timeout=_TIMEOUT,
        check=True,
    )
    return finished.stdout.strip()


def _seconds_in_fresh_interpreter(workspace: Workspace, setup: str, timed: str) -> float:
    """How long the statement ``timed`` takes after ``setup``, in a fresh interpreter."""
    code = (
        f"import time; {setup}; started = time.perf_counter(); {timed}; "
        "print(time.perf_counter() - started)"
    )
    return float(_printed(workspace, code))


def _import_seconds(workspace: Workspace, module: str) -> float:
    """How long importing ``module`` takes in a fresh interpreter."""
    return _seconds_in_fresh_interpreter(workspace, "pass", f"import {module}")


def _qt_namespace_ms(workspace: Workspace, runs: int) -> float:
    """What building PySide6's ``Qt`` namespace costs, after QtWidgets is loaded, in ms."""
    setup, timed = "import PySide6.QtWidgets", "from PySide6.QtCore import Qt"
    return median(
        [_seconds_in_fresh_interpreter(workspace, setup, timed) * 1000 for _ in range(min(runs, 5))]
    )


def _as_the_advocate_starts_it(workspace: Workspace) -> tuple[str, ...]:
    """The app's arguments: none, as the advocate starts it, with the caseload where the app
    looks by default, inside the workspace's own per-user folders. Where the platform's
    folders cannot be redirected there, ``--db``, so that nothing of the user's is touched."""
    code = "from referral_app.storage.paths import default_database_path as d; print(d())"
    default = Path(_printed(workspace, code))
    if workspace.root.resolve() not in default.resolve().parents:
        return ("--db", str(workspace.caseload))
    default.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not default.exists():
        try:
            default.symlink_to(workspace.caseload)
        except OSError:  # no symbolic links here: the file's size does not matter to start-up
            shutil.copyfile(workspace.caseload, default)
    return ()


def run(workspace: Workspace) -> list[Figure]:
    arguments = _as_the_advocate_starts_it(workspace)
    runs = workspace.scale.starts
    if runs > 1:
        # Once each untimed: bytecode caches written, files in the OS cache, as on any later
        # start of an installed app.
        _start(workspace, "app", *arguments)
        _start(workspace, "bare")
        _start(workspace, "text")
    app: list[float] = []
    bare: list[float] = []
    text: list[float] = []
    app_inside: list[float] = []
    bare_inside: list[float] = []
    report: dict[str, Any] = {}
    for _ in range(runs):
        seconds, report = _start(workspace, "app", *arguments)
        app.append(seconds * 1000)
        app_inside.append(report["seconds"] * 1000)
        seconds, bare_report = _start(workspace, "bare")
        bare.append(seconds * 1000)
        bare_inside.append(bare_report["seconds"] * 1000)
        seconds, _report = _start(workspace, "text")
        text.append(seconds * 1000)
    imports = {
        module: median([_import_seconds(workspace, module) * 1000 for _ in range(min(runs, 5))])
        for module in ("sqlalchemy", "sqlalchemy.orm")
    }
    window = report["window"]
    loaded = "imported" if report["sqlalchemy_imported"] else "not imported"
    start_up = Figure(
        f"Start-up to the first window ({window}) shown and idle",
        median(app),
        median(bare),
        "ms",
        "a bare PySide6 program showing one empty window",
        Target(Kind.RATIO_AT_MOST, 1.3),
        (
            f"median of {len(app)} fresh processes each, wall clock from starting Python; "
            f"from the first line of the probe: app {median(app_inside):.0f} ms, "
            f"bare {median(bare_inside):.0f} ms",
            f"slowest: app {max(app):.0f} ms, bare {max(bare):.0f} ms",
            f"SQLAlchemy {loaded} when the first window appeared ({report['modules']} modules)",
        ),
    )
    least = Figure(
        "Start-up to the first window, against a plain passphrase window",
        median(app),
        median(text),
        "ms",
        "a bare PySide6 window with a heading, a sentence, a password box and two buttons",
        notes=(
            f"that window against the empty one: {median(text) / median(bare):.2f}x; "
            f"importing the Qt namespace alone: {_qt_namespace_ms(workspace, runs):.0f} ms",
        ),
    )
    importing = Figure(
        "import sqlalchemy alone, in a fresh interpreter",
        imports["sqlalchemy"],
        median(bare),
        "ms",
        "the bare PySide6 window's whole start-up",
        notes=(f"import sqlalchemy.orm (what storage needs): {imports['sqlalchemy.orm']:.0f} ms",),
    )
    return [start_up, least, importing]
