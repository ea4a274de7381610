"""The worked cases of the domain spec, run against the eligibility engine."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from referral_app.eligibility import InvalidAnswers, assess

EXAMPLES_PATH = Path(__file__).parent / "data" / "eligibility-examples.json"


def _load_cases() -> list[dict[str, Any]]:
    with EXAMPLES_PATH.open(encoding="utf-8") as handle:
        cases: list[dict[str, Any]] = json.load(handle)
    return cases


CASES = _load_cases()


def test_examples_file_is_not_empty() -> None:
    assert len(CASES) >= 14
    names = [case["name"] for case in CASES]
    assert len(names) == len(set(names)), "case names must be unique test ids"


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_worked_case(case: dict[str, Any]) -> None:
    today = date.fromisoformat(case["today"])
    expected = case["expected"]
    if "error" in expected:
        assert expected["error"] == "InvalidAnswers"
        with pytest.raises(InvalidAnswers):
            assess(dict(case["answers"]), ruleset=case["ruleset"], today=today)
        return
    result = assess(dict(case["answers"]), ruleset=case["ruleset"], today=today)
    assert result.outcome == expected["outcome"]
    assert list(result.reasons) == expected["reasons"]
    assert list(result.flags) == expected["flags"]
