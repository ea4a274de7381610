"""What a benchmark reports: the app's figure, the baseline measured beside it, the target.

Every figure is a pair of measurements taken in the same run, on the same machine, at the same
moment: the ratio between them says far more than either number alone on a shared, noisy
machine, and the absolute numbers stay beside it so that a slow machine can be told from a
slow app.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum


class Kind(Enum):
    """How a figure is held against its target."""

    RATIO_AT_MOST = "ratio_at_most"  # app / baseline <= limit
    FASTER_BY_AT_LEAST = "faster_by_at_least"  # baseline / app >= limit
    EXTRA_AT_MOST = "extra_at_most"  # app - baseline <= limit, in the figure's unit
    AT_MOST = "at_most"  # app <= limit, in the figure's unit


@dataclass(frozen=True)
class Target:
    kind: Kind
    limit: float

    def met(self, figure: Figure) -> bool:
        if self.kind is Kind.RATIO_AT_MOST:
            return figure.ratio <= self.limit
        if self.kind is Kind.FASTER_BY_AT_LEAST:
            return figure.speedup >= self.limit
        if self.kind is Kind.EXTRA_AT_MOST:
            return figure.extra <= self.limit
        return figure.value <= self.limit

    def describe(self, unit: str) -> str:
        if self.kind is Kind.RATIO_AT_MOST:
            return f"at most {self.limit:g}x"
        if self.kind is Kind.FASTER_BY_AT_LEAST:
            return f"at least {self.limit:g}x faster"
        if self.kind is Kind.EXTRA_AT_MOST:
            return f"at most {self.limit:g} {unit} more"
        return f"at most {self.limit:g} {unit}"


@dataclass(frozen=True)
class Figure:
    """One measured figure. ``value`` and ``baseline`` are in ``unit``, lower is better."""

    title: str
    value: float
    baseline: float
    unit: str
    #: What the baseline is, in a few words ("a bare PySide6 window").
    against: str
    target: Target | None = None
    #: Further absolute numbers (percentiles, sizes, counts), each a short phrase.
    notes: tuple[str, ...] = ()

    @property
    def ratio(self) -> float:
        return self.value / self.baseline if self.baseline else math.inf

    @property
    def speedup(self) -> float:
        return self.baseline / self.value if self.value else math.inf

    @property
    def extra(self) -> float:
        return self.value - self.baseline

    @property
    def met(self) -> bool | None:
        return None if self.target is None else self.target.met(self)

    def comparison(self) -> str:
        """The ratio in the form the target speaks of."""
        if self.target is not None and self.target.kind is Kind.FASTER_BY_AT_LEAST:
            return f"{self.speedup:.1f}x faster"
        if self.target is not None and self.target.kind is Kind.EXTRA_AT_MOST:
            return f"{self.extra:+.1f} {self.unit} ({self.ratio:.2f}x)"
        return f"{self.ratio:.2f}x"

    def verdict(self) -> str:
        if self.target is None:
            return "no target"
        wanted = self.target.describe(self.unit)
        return f"target {wanted}: {'met' if self.met else 'NOT MET'}"

    def line(self) -> str:
        """The figure as one line of the run's output."""
        value, baseline = amount(self.value, self.unit), amount(self.baseline, self.unit)
        text = (
            f"{self.title}: {value} against {baseline} ({self.against}): "
            f"{self.comparison()}; {self.verdict()}"
        )
        return "\n    ".join([text, *self.notes])


def amount(value: float, unit: str) -> str:
    """A number with its unit, to as many figures as a noisy machine makes meaningful."""
    if value >= 100:
        return f"{value:,.0f} {unit}"
    if value >= 10:
        return f"{value:.1f} {unit}"
    return f"{value:.2f} {unit}"


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def percentile(values: Sequence[float], percent: float) -> float:
    """The ``percent``-th percentile, interpolated between the nearest measurements."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    position = (len(ordered) - 1) * percent / 100
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def markdown_table(figures: Sequence[Figure]) -> str:
    """The figures as the Markdown table BENCHMARKS.md keeps."""
    lines = [
        "| Figure | App | Baseline | Ratio | Target | Met |",
        "|---|---|---|---|---|---|",
    ]
    for figure in figures:
        target = "none" if figure.target is None else figure.target.describe(figure.unit)
        met = "n/a" if figure.met is None else ("yes" if figure.met else "**no**")
        lines.append(
            f"| {figure.title} | {amount(figure.value, figure.unit)} | "
            f"{amount(figure.baseline, figure.unit)} ({figure.against}) | "
            f"{figure.comparison()} | {target} | {met} |"
        )
    return "\n".join(lines) + "\n"
