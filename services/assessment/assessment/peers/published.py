"""What peer learning shows: per-area distributions from five administrations on, and an
assessment's own scores beside them. Never a count below the threshold, never an individual
value, never a list of participants."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from assessment import results
from assessment.access import access
from assessment.framework import Framework
from assessment.frameworks import FrameworkCache
from assessment.models import PeerAggregate, PeerOptIn
from assessment.peers.aggregate import MIN_ADMINISTRATIONS, REGIONS
from assessment.peers.texts import REMINDER, in_languages
from shared.auth import Principal
from shared.errors import ApiError, NotFound

PUBLISHED = "published"
NOT_ENOUGH = "not_enough_participants"


def distributions(
    *, session: Session, framework: Framework, region: str, threshold: int = MIN_ADMINISTRATIONS
) -> list[dict[str, Any]]:
    """Return each area's published distribution, or only "not enough participants"."""
    stored = {
        row.area: row
        for row in session.scalars(
            select(PeerAggregate).where(
                PeerAggregate.region == region,
                PeerAggregate.framework_key == framework.key,
                PeerAggregate.framework_version == framework.version,
            )
        )
    }
    shown = []
    for area in framework.areas:
        row = stored.get(area.key)
        entry: dict[str, Any] = {"area": area.key, "name": dict(area.name)}
        # Checked again on reading: a threshold raised since the last recomputation still holds.
        if row is None or row.participants < threshold or row.median is None:
            entry["status"] = NOT_ENOUGH
        else:
            entry.update(
                status=PUBLISHED,
                participants=row.participants,
                first_quartile=row.first_quartile,
                median=row.median,
                third_quartile=row.third_quartile,
            )
        shown.append(entry)
    return shown


def aggregates(
    *,
    session: Session,
    cache: FrameworkCache,
    region: str,
    framework: str,
    version: str,
    threshold: int = MIN_ADMINISTRATIONS,
) -> dict[str, Any]:
    """Return a region's distributions for a framework version (any signed-in member)."""
    with session.begin():
        try:
            found = cache.get(session=session, key=framework, version=version)
        except NotFound:
            raise ApiError(
                422, "unknown_framework", errors={"framework": [f"{framework} {version}"]}
            ) from None
        return {
            "region": region,
            "region_name": in_languages(REGIONS[region]),
            "framework": {"key": found.key, "version": found.version},
            "threshold": threshold,
            "areas": distributions(
                session=session, framework=found, region=region, threshold=threshold
            ),
            "reminder": in_languages(REMINDER),
        }


def comparison(
    *,
    session: Session,
    principal: Principal,
    cache: FrameworkCache,
    assessment_id: str,
    region: str | None = None,
    threshold: int = MIN_ADMINISTRATIONS,
) -> dict[str, Any]:
    """Return the assessment's own area scores beside its region's distribution.

    The region is the one asked, else the one the assessment is opted in to; with neither, the
    own scores come alone.
    """
    with session.begin():
        seen = access(
            session=session, principal=principal, assessment_id=assessment_id, cache=cache
        )
        opted = session.scalar(
            select(PeerOptIn.region).where(PeerOptIn.assessment_id == seen.assessment.id)
        )
        chosen = region or opted
        own = {
            area["area"]: area
            for area in results.current(session=session, seen=seen, cache=cache)["areas"]
        }
        peers = (
            {}
            if chosen is None
            else {
                entry["area"]: entry
                for entry in distributions(
                    session=session, framework=seen.framework, region=chosen, threshold=threshold
                )
            }
        )
        areas = []
        for area in seen.framework.areas:
            mine = own.get(area.key, {})
            areas.append(
                {
                    "area": area.key,
                    "name": dict(area.name),
                    "own_score": mine.get("score"),
                    "own_level": mine.get("level"),
                    "peers": peers.get(area.key),
                }
            )
        return {
            "assessment_id": seen.assessment.id,
            "framework": {
                "key": seen.assessment.framework_key,
                "version": seen.assessment.framework_version,
            },
            "opted_in_region": opted,
            "region": chosen,
            "region_name": None if chosen is None else in_languages(REGIONS[chosen]),
            "threshold": threshold,
            "areas": areas,
            "reminder": in_languages(REMINDER),
        }
