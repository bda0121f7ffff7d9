"""Opting assessments in and out of a regional peer aggregate, and recomputing the aggregates.

Each opt-in or opt-out recomputes the aggregates it touches in its own transaction, so the
stored figures never lag behind a change of participation; so do reopening and submitting
again an opted-in assessment (``follow``); ``recompute_all`` (the CLI) catches up with anything
else (a new threshold).
One score per administration and area: that of its latest opted-in submitted assessment of the
framework version. Below the threshold only a count is stored, never a figure. Each change of
what members see is announced in the same transaction (``announcements``).
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from assessment.access import access, record
from assessment.framework import Framework
from assessment.frameworks import FrameworkCache
from assessment.models import Assessment, PeerAggregate, PeerOptIn, ScoreSnapshot
from assessment.peers import announcements
from assessment.peers.aggregate import (
    MIN_ADMINISTRATIONS,
    REGIONS,
    distribute,
    validate_threshold,
)
from assessment.peers.texts import in_languages
from shared.auth import Principal, Role
from shared.errors import ApiError
from shared.timestamps import utcnow

THRESHOLD_SETTING = "ASSESSMENT_PEER_MIN_ADMINISTRATIONS"


def threshold_of(config: Mapping[str, Any]) -> int:
    """Return the configured k-threshold (5 unless set higher; lower is refused)."""
    return validate_threshold(config.get(THRESHOLD_SETTING, MIN_ADMINISTRATIONS))


@dataclass(frozen=True)
class Group:
    """What one aggregate is over: a region and a framework version."""

    region: str
    framework_key: str
    framework_version: str


def _require_coordinator(principal: Principal) -> None:
    if not principal.has_any(Role.COORDINATOR):
        raise ApiError(403, "forbidden", "only a coordinator opts an assessment in or out")


def _lock(session: Session, group: Group) -> None:
    """Serialize recomputations of one group (PostgreSQL; SQLite writers queue already).

    Without it two administrations opting in at once could each write an aggregate that misses
    the other's contribution.
    """
    if session.get_bind().dialect.name == "postgresql":
        key = zlib.crc32(
            f"peers:{group.region}:{group.framework_key}:{group.framework_version}".encode()
        )
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


def opt_in(
    *,
    session: Session,
    principal: Principal,
    cache: FrameworkCache,
    assessment_id: str,
    region: str,
    threshold: int = MIN_ADMINISTRATIONS,
) -> dict[str, Any]:
    """Opt a submitted assessment in to a region's aggregate and recompute what it touches."""
    _require_coordinator(principal)
    if region not in REGIONS:
        raise ApiError(422, "validation_error", errors={"region": ["unknown region"]})
    with session.begin():
        seen = access(
            session=session, principal=principal, assessment_id=assessment_id, cache=cache
        )
        assessment = seen.assessment
        if assessment.status != "submitted":
            raise ApiError(409, "assessment_not_submitted")
        other_region = session.scalar(
            select(PeerOptIn.region).where(
                PeerOptIn.administration_id == assessment.administration_id,
                PeerOptIn.region != region,
                PeerOptIn.assessment_id != assessment.id,
            )
        )
        if other_region is not None:
            raise ApiError(409, "peer_region_conflict", errors={"region": [other_region]})
        row = session.scalar(select(PeerOptIn).where(PeerOptIn.assessment_id == assessment.id))
        touched = {_group_of(assessment, region)}
        if row is None:
            row = PeerOptIn(
                assessment_id=assessment.id,
                administration_id=assessment.administration_id,
                region=region,
                framework_key=assessment.framework_key,
                framework_version=assessment.framework_version,
                opted_in_by=principal.subject,
                opted_in_at=utcnow(),
            )
            session.add(row)
        elif row.region != region:
            touched.add(_group_of(assessment, row.region))
            row.region, row.opted_in_by, row.opted_in_at = region, principal.subject, utcnow()
        else:
            return opt_in_status(assessment, row)  # already in, in that region: no change
        record(session, assessment, "peer_opted_in", principal.subject, region=region)
        announcements.announce_participation(session, assessment, region)
        session.flush()
        for group in sorted(touched, key=lambda g: g.region):
            recompute(session=session, group=group, framework=seen.framework, threshold=threshold)
        return opt_in_status(assessment, row)


def opt_out(
    *,
    session: Session,
    principal: Principal,
    cache: FrameworkCache,
    assessment_id: str,
    threshold: int = MIN_ADMINISTRATIONS,
) -> None:
    """Withdraw an assessment from its region's aggregate and recompute that aggregate."""
    _require_coordinator(principal)
    with session.begin():
        seen = access(
            session=session, principal=principal, assessment_id=assessment_id, cache=cache
        )
        row = session.scalar(select(PeerOptIn).where(PeerOptIn.assessment_id == seen.assessment.id))
        if row is None:
            return  # not in: opting out again changes nothing
        group = _group_of(seen.assessment, row.region)
        session.delete(row)
        record(session, seen.assessment, "peer_opted_out", principal.subject, region=row.region)
        announcements.announce_participation(session, seen.assessment, None)
        session.flush()
        recompute(session=session, group=group, framework=seen.framework, threshold=threshold)


def participation(
    *, session: Session, principal: Principal, cache: FrameworkCache, assessment_id: str
) -> dict[str, Any]:
    """Return whether the caller's assessment is opted in, and to which region."""
    with session.begin():
        seen = access(
            session=session, principal=principal, assessment_id=assessment_id, cache=cache
        )
        row = session.scalar(select(PeerOptIn).where(PeerOptIn.assessment_id == seen.assessment.id))
        return opt_in_status(seen.assessment, row)


def opt_in_status(assessment: Assessment, row: PeerOptIn | None) -> dict[str, Any]:
    """Return the opt-in status document of an assessment."""
    return {
        "assessment_id": assessment.id,
        "opted_in": row is not None,
        "region": None if row is None else row.region,
        "region_name": None if row is None else in_languages(REGIONS[row.region]),
        "framework": {"key": assessment.framework_key, "version": assessment.framework_version},
        "opted_in_at": None if row is None else row.opted_in_at,
        "can_opt_in": assessment.status == "submitted",
    }


def _group_of(assessment: Assessment, region: str) -> Group:
    return Group(region, assessment.framework_key, assessment.framework_version)


def contributions(*, session: Session, group: Group) -> list[dict[str, float | None]]:
    """Return one set of area scores per administration of ``group`` (latest submission).

    Only ever passed to ``distribute``: these are the individual values nothing else may show.
    """
    rows = session.execute(
        select(PeerOptIn.administration_id, Assessment.submitted_at, ScoreSnapshot.results)
        .join(Assessment, Assessment.id == PeerOptIn.assessment_id)
        .join(
            ScoreSnapshot,
            (ScoreSnapshot.assessment_id == Assessment.id)
            & (ScoreSnapshot.version == Assessment.version),
        )
        .where(
            PeerOptIn.region == group.region,
            PeerOptIn.framework_key == group.framework_key,
            PeerOptIn.framework_version == group.framework_version,
            Assessment.status == "submitted",
        )
        .order_by(PeerOptIn.administration_id, Assessment.submitted_at.desc(), Assessment.id)
    )
    latest: dict[str, dict[str, float | None]] = {}
    for administration_id, _, results in rows:
        if administration_id not in latest:
            latest[administration_id] = {
                area["area"]: area.get("score") for area in results.get("areas", [])
            }
    return list(latest.values())


def recompute(
    *, session: Session, group: Group, framework: Framework, threshold: int = MIN_ADMINISTRATIONS
) -> list[PeerAggregate]:
    """Recompute and store the aggregate of each area of ``group`` (in the caller's transaction)."""
    _lock(session, group)
    scored = contributions(session=session, group=group)
    stored = {
        row.area: row
        for row in session.scalars(
            select(PeerAggregate).where(
                PeerAggregate.region == group.region,
                PeerAggregate.framework_key == group.framework_key,
                PeerAggregate.framework_version == group.framework_version,
            )
        )
    }
    before = announcements.shown(stored.values())
    now = utcnow()
    result = []
    for area in framework.areas:
        scores = [float(v) for one in scored if (v := one.get(area.key)) is not None]
        shown = distribute(scores, threshold)
        row = stored.get(area.key)
        if row is None:
            row = PeerAggregate(
                region=group.region,
                framework_key=group.framework_key,
                framework_version=group.framework_version,
                area=area.key,
            )
            session.add(row)
        row.participants = len(scores)
        row.median = None if shown is None else shown.median
        row.first_quartile = None if shown is None else shown.first_quartile
        row.third_quartile = None if shown is None else shown.third_quartile
        row.computed_at = now
        result.append(row)
    session.flush()
    announcements.announce_aggregate(
        session,
        region=group.region,
        framework_key=group.framework_key,
        framework_version=group.framework_version,
        before=before,
        after=announcements.shown(result),
        computed_at=now,
    )
    return result


def follow(*, session: Session, assessment: Assessment, framework: Framework) -> None:
    """Recompute the aggregate an opted-in assessment counts in, now that it was submitted again
    or reopened (in the caller's transaction; nothing when it is not opted in)."""
    region = session.scalar(
        select(PeerOptIn.region).where(PeerOptIn.assessment_id == assessment.id)
    )
    if region is None:
        return
    threshold = threshold_of(current_app.config) if has_app_context() else MIN_ADMINISTRATIONS
    session.flush()
    recompute(
        session=session,
        group=_group_of(assessment, region),
        framework=framework,
        threshold=threshold,
    )


def recompute_all(
    *, session: Session, cache: FrameworkCache, threshold: int = MIN_ADMINISTRATIONS
) -> int:
    """Recompute every aggregate that has, or had, participants; return how many groups."""
    with session.begin():
        groups = {
            Group(*row)
            for query in (
                select(PeerOptIn.region, PeerOptIn.framework_key, PeerOptIn.framework_version),
                select(
                    PeerAggregate.region,
                    PeerAggregate.framework_key,
                    PeerAggregate.framework_version,
                ),
            )
            for row in session.execute(query.distinct())
        }
        ordered = sorted(groups, key=lambda g: (g.region, g.framework_key, g.framework_version))
        for group in ordered:
            framework = cache.get(
                session=session, key=group.framework_key, version=group.framework_version
            )
            recompute(session=session, group=group, framework=framework, threshold=threshold)
    return len(groups)
