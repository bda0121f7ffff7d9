"""The report's "Your scores beside the regional distribution" (pure: no I/O).

Built from what the job put in the data at build time (``peer_aggregates.DATA_KEY``: the
published aggregate of the region the assessment is opted in to, or None): per area of the report
its own score beside the first quartile, median and third quartile, or "not enough participants
yet". No rank, no count, no participant: with the reminder that this is not a benchmark.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from reports.notation import (
    LEVEL_RANGE,
    ReportDataError,
    checked,
    format_date,
    format_level,
    format_number,
)
from shared.translations import N_, texts_for

DATA_KEY = "peer_distribution"

REGION_NAMES: dict[str, str] = {
    "wca": N_("West and Central Africa"),
    "esa": N_("East and Southern Africa"),
    "mena": N_("North of Africa, Near and Middle East"),
    "ap": N_("Asia/Pacific"),
    "eur": N_("Europe"),
    "amc": N_("Americas and the Caribbean"),
}
"""The six WCO regions of peer learning, as the report names them."""

PEER_LABELS: dict[str, str] = {
    "heading": N_("Your scores beside the regional distribution"),
    "intro": N_(
        "Per area, your administration's score beside the distribution of the scores of the "
        "administrations of the region that opted in with this framework version. A distribution "
        "is shown only once at least 5 administrations take part; individual scores are never "
        "shown."
    ),
    "reminder": N_(
        "Not a benchmark: the regional distribution is there to inform your internal discussion. "
        "It ranks no one and shows no administration's scores."
    ),
    "region": N_("Region"),
    "your_score": N_("Your score"),
    "first_quartile": N_("First quartile"),
    "median": N_("Regional median"),
    "third_quartile": N_("Third quartile"),
    "not_enough": N_("Not enough participants yet"),
    "computed": N_(
        "Distribution as computed on %(date)s. This report is a snapshot: it is not updated "
        "when the distribution is computed again."
    ),
    "sheet": N_("Regional distribution"),
}


@dataclass(frozen=True)
class PeerArea:
    """One area: the own score beside the region's cut points (None: not published)."""

    key: str
    name: str
    own: float | None
    own_shown: str
    first_quartile: float | None
    median: float | None
    third_quartile: float | None
    first_quartile_shown: str
    median_shown: str
    third_quartile_shown: str

    @property
    def published(self) -> bool:
        """Whether the region's distribution of this area is published."""
        return self.median is not None


@dataclass(frozen=True)
class PeerSection:
    """Everything the section shows, its texts in the report's language."""

    texts: Mapping[str, str]
    region: str
    region_shown: str
    areas: tuple[PeerArea, ...]
    computed_shown: str  # "Distribution as computed on <date>. ..." (the report is a snapshot)


def labels(language: str) -> dict[str, str]:
    """Return the section's texts in ``language``."""
    t = texts_for(language, "reports")
    return {key: t.gettext(text) for key, text in PEER_LABELS.items()}


def compose_peer_section(
    data: Mapping[str, Any], language: str, areas: Sequence[Any]
) -> PeerSection | None:
    """Return the section for ``data`` (its ``areas``: the report's area views), or None when
    no published distribution was found for the assessment at build time."""
    shown = data.get(DATA_KEY)
    if shown is None:
        return None
    if not isinstance(shown, Mapping) or not isinstance(shown.get("areas"), list):
        raise ReportDataError(f"{DATA_KEY} must be an object with a list of areas")
    region = str(shown.get("region") or "")
    if region not in REGION_NAMES:
        raise ReportDataError(f"unknown peer region {region!r}")
    published = {
        str(entry.get("area")): entry for entry in shown["areas"] if isinstance(entry, Mapping)
    }
    if not published:
        return None
    rows = []
    for area in areas:
        entry = published.get(area.key)
        cuts = [
            None if entry is None else checked(entry.get(name), LEVEL_RANGE, f"{area.key}: {name}")
            for name in ("first_quartile", "median", "third_quartile")
        ]
        if None in cuts:
            cuts = [None, None, None]
        q1, median, q3 = cuts
        rows.append(
            PeerArea(
                key=area.key,
                name=area.name,
                own=area.level,
                own_shown=format_level(area.level, language),
                first_quartile=q1,
                median=median,
                third_quartile=q3,
                first_quartile_shown=_shown(q1, language),
                median_shown=_shown(median, language),
                third_quartile_shown=_shown(q3, language),
            )
        )
    t = labels(language)
    return PeerSection(
        texts=t,
        region=region,
        region_shown=texts_for(language, "reports").gettext(REGION_NAMES[region]),
        areas=tuple(rows),
        computed_shown=t["computed"]
        % {"date": format_date(str(shown.get("computed_at") or ""), language)},
    )


def _shown(value: float | None, language: str) -> str:
    """Return a cut point with one decimal, or two when it has them (``2.25``)."""
    if value is None:
        return ""
    return format_number(value, language, digits=1 if round(value, 1) == value else 2)
