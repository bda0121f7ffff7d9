"""From scores to a plan: feasibility of use cases, gaps, priorities and a gradual roadmap.

Plain functions, no I/O. Priority of an indicator's gap (see the assessment model):

    priority = gap x criticality x (1 + unblocks) x area weight x indicator weight x foundation
               / effort

* gap = the area's target minus the indicator's level (``dont_know`` counts as 1);
* criticality = 2 for a critical indicator, else 1;
* unblocks = how many use cases are out of reach because this area is below their minimum;
* foundation = 1.5 for foundation areas (governance, data), so foundations come first;
* effort = 1 (low), 2 (medium), 3 (high), from the recommendation.

Quick wins are priorities with low effort in the top third. The roadmap puts each recommendation
in its horizon (0-6, 6-18, 18-36 months); quick wins always start in the first phase.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from assessment.framework import EFFORTS, HORIZONS, Framework, Recommendation
from assessment.scoring import DONT_KNOW, Answer, Result, is_level

DEFAULT_TARGET = 3.0
FOUNDATION_FACTOR = 1.5


@dataclass(frozen=True, slots=True)
class Feasibility:
    """Whether a use case is within reach, and what is missing for it."""

    use_case: str
    within_reach: bool
    missing: tuple[tuple[str, float, float | None], ...]  # (area, needed, current)


@dataclass(frozen=True, slots=True)
class Priority:
    """A ranked gap with its recommendation."""

    rank: int
    indicator: str
    area: str
    level: float
    target: float
    gap: float
    score: float
    critical: bool
    recommendation: Recommendation
    quick_win: bool


def feasibility(framework: Framework, result: Result) -> list[Feasibility]:
    """Return, for each use case of the framework, whether the area levels reach its minimum."""
    table = []
    for case in framework.use_cases:
        missing = []
        for area, needed in case.minimum.items():
            current = result.areas[area].score if area in result.areas else None
            if current is None or current < needed:
                missing.append((area, needed, current))
        table.append(Feasibility(case.key, not missing, tuple(missing)))
    return table


def area_blocks(framework: Framework, result: Result) -> dict[str, int]:
    """Return, per area, how many use cases it keeps out of reach."""
    blocks = {area.key: 0 for area in framework.areas}
    for row in feasibility(framework, result):
        for area, _needed, _current in row.missing:
            blocks[area] = blocks.get(area, 0) + 1
    return blocks


def prioritize(
    framework: Framework,
    answers: Mapping[str, Answer],
    result: Result,
    targets: Mapping[str, float] | None = None,
) -> list[Priority]:
    """Rank the gaps between answers and targets, each with its recommendation."""
    targets = targets or {}
    blocks = area_blocks(framework, result)
    candidates = []
    for area in framework.areas:
        target = float(targets.get(area.key, DEFAULT_TARGET))
        factor = area.weight * (FOUNDATION_FACTOR if area.foundation else 1.0)
        for indicator in area.indicators:
            answer = answers.get(indicator.key)
            if answer is None:
                continue
            if answer.value == DONT_KNOW:
                level = 1.0
            elif is_level(answer.value):
                level = float(answer.value)
            else:
                continue
            gap = target - level
            recommendation = indicator.recommendation_for(int(level))
            if gap <= 0 or recommendation is None:
                continue
            score = (
                gap
                * (2.0 if indicator.critical else 1.0)
                * (1 + blocks[area.key])
                * factor
                * indicator.weight
                / EFFORTS[recommendation.effort]
            )
            candidates.append((score, indicator, level, target, gap, recommendation))
    candidates.sort(key=lambda c: (-c[0], c[1].key))
    top_third = max(1, len(candidates) // 3)
    return [
        Priority(
            rank=rank,
            indicator=ind.key,
            area=ind.area,
            level=level,
            target=target,
            gap=gap,
            score=round(score, 4),
            critical=ind.critical,
            recommendation=rec,
            quick_win=rank <= top_third and rec.effort == "low",
        )
        for rank, (score, ind, level, target, gap, rec) in enumerate(candidates, start=1)
    ]


def roadmap(priorities: list[Priority]) -> dict[str, list[Priority]]:
    """Group priorities into the three phases (0-6, 6-18, 18-36 months), in rank order."""
    phases: dict[str, list[Priority]] = {horizon: [] for horizon in HORIZONS}
    for priority in priorities:
        horizon = HORIZONS[0] if priority.quick_win else priority.recommendation.horizon
        phases[horizon].append(priority)
    return phases


def compare(previous: Result, current: Result) -> dict[str, float | None]:
    """Return the change of each area's score since an earlier assessment (None if unknown).

    When the framework versions differ, re-key the old answers with ``remap_answers`` and score
    them against the new framework first, so both results use the same indicators.
    """
    deltas: dict[str, float | None] = {}
    for key, area in current.areas.items():
        before = previous.areas.get(key)
        if area.score is None or before is None or before.score is None:
            deltas[key] = None
        else:
            deltas[key] = round(area.score - before.score, 4)
    return deltas


def remap_answers(
    answers: Mapping[str, Answer], mapping: Mapping[str, str | None]
) -> dict[str, Answer]:
    """Re-key answers of an older framework version onto a newer one (dropped when unmapped)."""
    remapped: dict[str, Answer] = {}
    for key, answer in answers.items():
        target = mapping.get(key, key)
        if target is not None:
            remapped[target] = answer
    return remapped
