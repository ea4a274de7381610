"""The team-server search benchmark still runs and gives its figures (no timing judged)."""

from __future__ import annotations

import pytest

from tests.benchmarks import team_search
from tests.storage.pg_server import find_binaries


def test_the_team_search_benchmark_produces_its_figures() -> None:
    if find_binaries() is None:
        pytest.skip("PostgreSQL's server programs (initdb, pg_ctl) are not installed")
    rows = team_search.measure(200, rounds=1, out=lambda _line: None)
    assert len(rows) == 2
    assert all(row.startswith("| ") and " ms " in row for row in rows)


def test_the_team_concurrency_benchmark_produces_its_figures() -> None:
    from tests.benchmarks import team_concurrency

    if find_binaries() is None:
        pytest.skip("PostgreSQL's server programs (initdb, pg_ctl) are not installed")
    rows = team_concurrency.measure(3, 1.0, out=lambda _line: None)
    assert len(rows) == 3
    assert "| yes (" in rows[1]  # no lost update, the chain intact
