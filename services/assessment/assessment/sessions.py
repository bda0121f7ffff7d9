"""Use cases of assessment sessions: start, list, read, submit."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from assessment import events
from assessment.models import Assessment
from shared.auth import Principal
from shared.errors import ApiError, NotFound

DEFAULT_FRAMEWORK = ("ai-ml-readiness", "1.0")


def _admin_of(principal: Principal) -> str:
    if not principal.administration_id:
        raise ApiError(403, "forbidden", "an administration is required")
    return principal.administration_id


def start_assessment(
    *, session: Session, principal: Principal, title: str, language: str
) -> Assessment:
    """Start an assessment for the caller's administration and announce it."""
    key, version = DEFAULT_FRAMEWORK
    with session.begin():
        assessment = Assessment(
            administration_id=_admin_of(principal), title=title, language=language,
            framework_key=key, framework_version=version, created_by=principal.subject,
        )
        session.add(assessment)
        session.flush()
        events.stage(session, "assessment.started", events.started_payload(assessment),
                     assessment.id)
    return assessment


def list_assessments(
    *, session: Session, principal: Principal, status: str | None = None
) -> list[Assessment]:
    """Return the assessments of the caller's administration, newest first."""
    query = select(Assessment).where(Assessment.administration_id == _admin_of(principal))
    if status:
        query = query.where(Assessment.status == status)
    return list(session.scalars(query.order_by(Assessment.created_at.desc())))


def get_assessment(*, session: Session, principal: Principal, assessment_id: str) -> Assessment:
    """Return one assessment of the caller's administration (404 for any other)."""
    assessment = session.get(Assessment, assessment_id)
    if assessment is None or assessment.administration_id != principal.administration_id:
        raise NotFound()
    return assessment


def submit_assessment(
    *, session: Session, principal: Principal, assessment_id: str
) -> Assessment:
    """Submit an assessment: it becomes read-only and ``assessment.submitted`` is published."""
    with session.begin():
        assessment = get_assessment(session=session, principal=principal,
                                    assessment_id=assessment_id)
        if assessment.status == "submitted":
            raise ApiError(409, "already_submitted")
        assessment.status = "submitted"
        assessment.version += 1
        assessment.submitted_at = datetime.now(UTC)
        assessment.submitted_by = principal.subject
        notify = sorted({principal.subject, assessment.created_by})
        events.stage(session, "assessment.submitted",
                     events.submitted_payload(assessment, notify), assessment.id)
    return assessment
