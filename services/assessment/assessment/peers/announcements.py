"""The events peer learning stages in the outbox, in the transaction that changed what they say.

``peer_aggregate.published`` carries only what members may see of an aggregate (per published
area the first quartile, median and third quartile: no count, no administration, no individual
value), ``peer_aggregate.withdrawn`` says an aggregate is shown no more; both only when what is
shown changed. ``peer_participation.opted_in``/``opted_out`` carry an administration's own
choice, so that its own report shows the distribution exactly when its results page does.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from assessment import events
from assessment.models import Assessment, PeerAggregate
from shared.timestamps import to_rfc3339

PUBLISHED = "peer_aggregate.published"
WITHDRAWN = "peer_aggregate.withdrawn"
OPTED_IN = "peer_participation.opted_in"
OPTED_OUT = "peer_participation.opted_out"

Shown = dict[str, tuple[float, float, float]]


def shown(rows: Iterable[PeerAggregate]) -> Shown:
    """Return the cut points of each published area of an aggregate (what members see)."""
    return {
        row.area: (float(row.first_quartile), float(row.median), float(row.third_quartile))
        for row in rows
        if row.median is not None
        and row.first_quartile is not None
        and row.third_quartile is not None
    }


def aggregate_payload(
    *,
    region: str,
    framework_key: str,
    framework_version: str,
    areas: Mapping[str, tuple[float, float, float]],
    computed_at: datetime,
) -> dict[str, Any]:
    """Return the ``peer_aggregate.published`` payload (areas in the given order)."""
    return {
        "region": region,
        "framework": {"key": framework_key, "version": framework_version},
        "areas": [
            {"area": area, "first_quartile": q1, "median": median, "third_quartile": q3}
            for area, (q1, median, q3) in areas.items()
        ],
        "computed_at": to_rfc3339(computed_at),
    }


def announce_aggregate(
    session: Session,
    *,
    region: str,
    framework_key: str,
    framework_version: str,
    before: Shown,
    after: Shown,
    computed_at: datetime,
) -> str | None:
    """Stage ``published`` or ``withdrawn`` when what members see changed; return which."""
    if after == before:
        return None
    subject = f"{region}:{framework_key}:{framework_version}"
    framework = {"key": framework_key, "version": framework_version}
    if after:
        events.stage(
            session,
            PUBLISHED,
            aggregate_payload(
                region=region,
                framework_key=framework_key,
                framework_version=framework_version,
                areas=after,
                computed_at=computed_at,
            ),
            subject,
        )
        return PUBLISHED
    events.stage(
        session,
        WITHDRAWN,
        {"region": region, "framework": framework, "computed_at": to_rfc3339(computed_at)},
        subject,
    )
    return WITHDRAWN


def announce_participation(session: Session, assessment: Assessment, region: str | None) -> None:
    """Stage an administration's own opt-in (``region``) or opt-out (None) of an assessment."""
    events.stage(
        session,
        OPTED_OUT if region is None else OPTED_IN,
        {
            "assessment_id": assessment.id,
            "administration_id": assessment.administration_id,
            "region": region,
            "framework": {
                "key": assessment.framework_key,
                "version": assessment.framework_version,
            },
        },
        assessment.id,
    )
