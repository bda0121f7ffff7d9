"""Pure arithmetic of a regional peer aggregate: quartiles, median and the k-threshold rule.

No Flask, database or I/O: the use case passes one score per administration and gets back either
a distribution (count, first quartile, median, third quartile) or nothing below the threshold.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from shared.translations import N_

MIN_ADMINISTRATIONS = 5
"""The floor of the k-threshold: an aggregate over fewer administrations is never shown."""

REGIONS: dict[str, str] = {
    "wca": N_("West and Central Africa"),
    "esa": N_("East and Southern Africa"),
    "mena": N_("North of Africa, Near and Middle East"),
    "ap": N_("Asia/Pacific"),
    "eur": N_("Europe"),
    "amc": N_("Americas and the Caribbean"),
}
"""The six WCO regions an administration may contribute to, with their names (for the catalog)."""


@dataclass(frozen=True)
class Distribution:
    """The only figures an aggregate exposes: how many administrations and three cut points."""

    count: int
    first_quartile: float
    median: float
    third_quartile: float


def validate_threshold(value: int) -> int:
    """Return the configured threshold, refusing anything below the floor of 5."""
    if isinstance(value, bool) or not isinstance(value, int) or value < MIN_ADMINISTRATIONS:
        raise ValueError(
            f"ASSESSMENT_PEER_MIN_ADMINISTRATIONS must be an integer >= {MIN_ADMINISTRATIONS}"
        )
    return value


def quantile(ordered: Sequence[float], fraction: float) -> float:
    """Return the linearly interpolated quantile of sorted values (the 'inclusive' method)."""
    if not ordered:
        raise ValueError("no values")
    position = (len(ordered) - 1) * fraction
    lower = int(position)
    upper = min(lower + 1, len(ordered) - 1)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)


def distribute(
    scores: Sequence[float], threshold: int = MIN_ADMINISTRATIONS
) -> Distribution | None:
    """Return the distribution of one score per administration, or None below the threshold."""
    validate_threshold(threshold)
    if len(scores) < threshold:
        return None
    ordered = sorted(float(score) for score in scores)
    return Distribution(
        count=len(ordered),
        first_quartile=round(quantile(ordered, 0.25), 2),
        median=round(quantile(ordered, 0.5), 2),
        third_quartile=round(quantile(ordered, 0.75), 2),
    )
