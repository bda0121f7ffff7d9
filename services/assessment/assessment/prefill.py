"""Answering a shared module once: answers offered from another tool, confirmed by a coordinator.

Two frameworks share a module when they hold an area with the same origin (``framework_refs``):
the same questions with the same levels. When an open assessment of one framework has a shared
module, the team answers of the administration's most recent *submitted* assessment of another
framework holding it are offered as pre-filled, indicator by indicator.

Why submitted answers only: a submission is the team's agreed position (the median or the
coordinator's agreed answer, frozen with the results); an assessment in progress holds drafts
that may still change, individual answers that are not yet consolidated, and offering them
would let two open assessments feed each other. A reopened assessment still offers its last
submission.

Offers are worked out when asked (nothing is copied in advance, so they always show the latest
submission) and count for nothing until a coordinator confirms them: confirming records them as
the assessment's agreed answers, noted in its history with where they came from. An indicator
that already has an agreed answer is not offered. Only the same administration's assessments are
ever read.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from assessment import answers as answering
from assessment.access import Access, access, coordinate_open, record
from assessment.framework import Area, Framework
from assessment.frameworks import FrameworkCache
from assessment.models import AgreedAnswer, Assessment, ScoreSnapshot
from shared.auth import Principal
from shared.errors import ApiError
from shared.timestamps import to_rfc3339


@dataclass(frozen=True)
class Offer:
    """An answer offered to an indicator of a shared module, and where it comes from."""

    indicator: str
    area: str
    value: int | str
    confidence: str | None
    source: dict[str, Any]


def offers_for(*, session: Session, seen: Access, cache: FrameworkCache) -> list[Offer]:
    """Return the answers offered to an assessment's shared modules, in framework order."""
    target = seen.assessment
    if target.status != "in_progress":
        return []
    agreed = set(
        session.scalars(
            select(AgreedAnswer.indicator).where(AgreedAnswer.assessment_id == target.id)
        )
    )
    found: dict[str, Offer] = {}
    for source, snapshot in _sources(session, target):
        framework = cache.get(
            session=session, key=source.framework_key, version=source.framework_version
        )
        for area, shared in _shared_areas(seen.framework, framework):
            for key in _common_indicators(area, shared):
                answer = snapshot.answers.get(key)
                if answer is None or key in found or key in agreed:
                    continue
                found[key] = Offer(
                    key,
                    area.key,
                    _level(answer["value"]),
                    answer.get("confidence"),
                    _origin(source),
                )
    return [found[i.key] for i in seen.framework.indicators if i.key in found]


def _sources(session: Session, target: Assessment) -> list[tuple[Assessment, ScoreSnapshot]]:
    """Return the administration's other tools' last submissions, the most recent first."""
    rows = session.execute(
        select(Assessment, ScoreSnapshot)
        .join(
            ScoreSnapshot,
            (ScoreSnapshot.assessment_id == Assessment.id)
            & (ScoreSnapshot.version == Assessment.version),
        )
        .where(
            Assessment.administration_id == target.administration_id,
            Assessment.framework_key != target.framework_key,
            Assessment.version > 0,
        )
        .order_by(Assessment.submitted_at.desc(), Assessment.id)
    )
    return [(assessment, snapshot) for assessment, snapshot in rows]


def _level(value: Any) -> int | str:
    """Return a team answer as an answer value: a median between two levels offers the lower
    one (a pre-filled answer never overstates readiness)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return max(1, min(5, math.floor(value)))
    return str(value)


def _shared_areas(mine: Framework, theirs: Framework) -> list[tuple[Area, Area]]:
    """Return the pairs (my area, their area) that are the same module."""
    their_modules = theirs.modules()
    return [(a, their_modules[a.origin]) for a in mine.areas if a.origin in their_modules]


def _common_indicators(mine: Area, theirs: Area) -> list[str]:
    their_keys = {i.key for i in theirs.indicators}
    return [i.key for i in mine.indicators if i.key in their_keys]


def _origin(source: Assessment) -> dict[str, Any]:
    return {
        "assessment_id": source.id,
        "title": source.title,
        "framework": {"key": source.framework_key, "version": source.framework_version},
        "submitted_at": to_rfc3339(source.submitted_at) if source.submitted_at else None,
    }


def list_offers(
    *, session: Session, principal: Principal, cache: FrameworkCache, assessment_id: str
) -> list[Offer]:
    """Return the pre-filled answers offered to an assessment (any participant may see them)."""
    with session.begin():
        seen = access(
            session=session, principal=principal, assessment_id=assessment_id, cache=cache
        )
        return offers_for(session=session, seen=seen, cache=cache)


def confirm_offers(
    *,
    session: Session,
    principal: Principal,
    cache: FrameworkCache,
    assessment_id: str,
    indicators: list[str] | None = None,
) -> list[AgreedAnswer]:
    """Record offered answers as the team's agreed answers (all offered, or those named)."""
    with session.begin():
        seen = coordinate_open(
            session=session, principal=principal, assessment_id=assessment_id, cache=cache
        )
        offered = {o.indicator: o for o in offers_for(session=session, seen=seen, cache=cache)}
        wanted = list(offered) if indicators is None else list(dict.fromkeys(indicators))
        missing = [key for key in wanted if key not in offered]
        if missing:
            # A state, not a malformed request: offers come and go with submissions.
            raise ApiError(
                409,
                "not_prefilled",
                errors={"indicators": [f"not offered as pre-filled: {', '.join(missing)}"]},
            )
        confirmed = [_agree(session, seen, principal, offered[key]) for key in wanted]
        sources = sorted({offered[key].source["assessment_id"] for key in wanted})
        if confirmed:
            record(
                session,
                seen.assessment,
                "prefill_confirmed",
                principal.subject,
                indicators=wanted,
                sources=sources,
            )
    return confirmed


def agreed_values(session: Session, assessment_id: str) -> dict[str, int | str]:
    """Return the agreed answers of an assessment (answer values) by indicator."""
    rows = session.execute(
        select(AgreedAnswer.indicator, AgreedAnswer.value).where(
            AgreedAnswer.assessment_id == assessment_id
        )
    )
    return {indicator: answering.answer_value(value) for indicator, value in rows}


def _agree(session: Session, seen: Access, principal: Principal, offer: Offer) -> AgreedAnswer:
    row = AgreedAnswer(
        assessment_id=seen.assessment.id,
        indicator=offer.indicator,
        value=answering.stored_value(offer.value),
        confidence=offer.confidence,
        comment="",
        recorded_by=principal.subject,
    )
    session.add(row)
    return row
