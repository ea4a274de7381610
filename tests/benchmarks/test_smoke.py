"""Every benchmark, at a tiny size: it still runs, and reports figures that make sense.

No timing is judged here (that would fail on a busy machine for no fault of the app); the
full run (``python -m tests.benchmarks``) measures. The search benchmark still checks, keystroke
by keystroke, that the list's rows are those hand-written SQL returns.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from tests.benchmarks.figures import Figure, markdown_table
from tests.benchmarks.suite import BENCHMARKS
from tests.benchmarks.workspace import SMOKE, Workspace

_FIGURES: list[Figure] = []


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return Workspace(Path(tmp_path_factory.mktemp("benchmarks")), SMOKE)


@pytest.mark.parametrize("name", list(BENCHMARKS))
def test_each_benchmark_reports_its_figures(
    name: str, workspace: Workspace, qapp: QApplication
) -> None:
    figures = BENCHMARKS[name](workspace)
    assert figures
    for figure in figures:
        assert math.isfinite(figure.value) and figure.value > 0, figure.title
        assert math.isfinite(figure.baseline) and figure.baseline > 0, figure.title
        assert figure.against and figure.unit
        assert figure.title in figure.line()
        assert figure.met in (True, False, None)
    _FIGURES.extend(figures)


def test_the_table_has_a_row_per_figure() -> None:
    if not _FIGURES:
        pytest.skip("no benchmark ran in this session")
    table = markdown_table(_FIGURES)
    assert len(table.splitlines()) == len(_FIGURES) + 2
    for figure in _FIGURES:
        assert figure.title in table
