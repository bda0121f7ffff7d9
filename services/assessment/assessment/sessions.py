"""Use cases of assessment sessions: start, read, update, team, submit, reopen.

Every function goes through ``access``: tenancy and participation are checked before anything.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from assessment import events, results
from assessment.access import (
    access,
    administration_of,
    coordinate_open,
    is_manager,
    participants,
    record,
    require_coordinator,
    require_open,
)
from assessment.actions import progress as action_progress
from assessment.framework import Framework
from assessment.frameworks import FrameworkCache, latest_version
from assessment.models import Assessment, HistoryEntry, Participant, ScoreSnapshot
from assessment.peers import participation as peer_participation
from shared.auth import Principal, Role
from shared.errors import ApiError, NotFound
from shared.paging import MAX_PAGE_SIZE, fetch_page
from shared.timestamps import utcnow

DEFAULT_FRAMEWORK = "ai-ml-readiness"


def start_assessment(
    *,
    session: Session,
    principal: Principal,
    cache: FrameworkCache,
    title: str,
    language: str,
    framework_key: str = DEFAULT_FRAMEWORK,
    framework_version: str | None = None,
    targets: dict[str, float] | None = None,
) -> Assessment:
    """Start an assessment for the caller's administration and announce it (coordinators)."""
    administration = administration_of(principal)
    if not principal.has_any(Role.COORDINATOR):
        raise ApiError(403, "forbidden", "only a coordinator starts an assessment")
    with session.begin():
        version = framework_version or latest_version(session=session, key=framework_key)
        framework = cache.get(session=session, key=framework_key, version=version)
        _check_targets(framework, targets or {})
        previous = session.scalar(
            select(Assessment.id)
            .where(
                Assessment.administration_id == administration,
                Assessment.framework_key == framework_key,
                Assessment.version > 0,
            )
            .order_by(Assessment.submitted_at.desc())
            .limit(1)
        )
        assessment = Assessment(
            administration_id=administration,
            title=title,
            language=language,
            framework_key=framework_key,
            framework_version=version,
            targets=targets or {},
            created_by=principal.subject,
            previous_id=previous,
        )
        session.add(assessment)
        session.flush()
        session.add(
            Participant(
                assessment_id=assessment.id,
                user_id=principal.subject,
                name=principal.name,
                role="coordinator",
                areas=[],
                invited_by=principal.subject,
            )
        )
        record(session, assessment, "started", principal.subject)
        events.stage(
            session,
            "assessment.started",
            events.started_payload(assessment, framework.title),
            assessment.id,
        )
    return assessment


def _check_targets(framework: Framework, targets: dict[str, float]) -> None:
    unknown = sorted(set(targets) - {area.key for area in framework.areas})
    if unknown:
        raise ApiError(
            422, "unknown_area", errors={"targets": [f"unknown areas: {', '.join(unknown)}"]}
        )


def list_assessments(
    *,
    session: Session,
    principal: Principal,
    status: str | None = None,
    page: int = 1,
    page_size: int = MAX_PAGE_SIZE,
) -> tuple[list[Assessment], int]:
    """Return a page of the caller's assessments (all the administration's for coordinators)."""
    query = select(Assessment).where(Assessment.administration_id == administration_of(principal))
    if not is_manager(principal):
        query = query.join(Participant, Participant.assessment_id == Assessment.id).where(
            Participant.user_id == principal.subject
        )
    if status:
        query = query.where(Assessment.status == status)
    rows, total, _ = fetch_page(
        session,
        query.order_by(Assessment.created_at.desc(), Assessment.id),
        page=page,
        page_size=page_size,
    )
    return rows, total


def update_assessment(
    *,
    session: Session,
    principal: Principal,
    cache: FrameworkCache,
    assessment_id: str,
    changes: dict[str, Any],
) -> Assessment:
    """Change the title, language or targets of an open assessment (coordinators)."""
    with session.begin():
        seen = access(
            session=session, principal=principal, assessment_id=assessment_id, cache=cache
        )
        require_coordinator(seen)
        require_open(seen.assessment)
        if "targets" in changes:
            _check_targets(seen.framework, changes["targets"])
        for name, value in changes.items():
            setattr(seen.assessment, name, value)
        record(session, seen.assessment, "updated", principal.subject, fields=sorted(changes))
    return seen.assessment


def invite(
    *,
    session: Session,
    principal: Principal,
    cache: FrameworkCache,
    assessment_id: str,
    user_id: str,
    name: str,
    email: str | None,
    role: str,
    areas: list[str],
) -> Participant:
    """Invite (or update) a participant and assign areas to them (coordinators)."""
    with session.begin():
        seen = access(
            session=session, principal=principal, assessment_id=assessment_id, cache=cache
        )
        require_coordinator(seen)
        require_open(seen.assessment)
        unknown = sorted(set(areas) - {area.key for area in seen.framework.areas})
        if unknown:
            raise ApiError(
                422, "unknown_area", errors={"areas": [f"unknown areas: {', '.join(unknown)}"]}
            )
        participant = session.scalar(
            select(Participant).where(
                Participant.assessment_id == assessment_id, Participant.user_id == user_id
            )
        )
        if participant is None:
            participant = Participant(
                assessment_id=assessment_id, user_id=user_id, invited_by=principal.subject
            )
            session.add(participant)
        participant.name, participant.email, participant.role = name, email, role
        participant.areas = sorted(set(areas))
        record(
            session,
            seen.assessment,
            "invited",
            principal.subject,
            user_id=user_id,
            areas=participant.areas,
        )
    return participant


def remove_participant(
    *,
    session: Session,
    principal: Principal,
    cache: FrameworkCache,
    assessment_id: str,
    user_id: str,
) -> None:
    """Remove a participant (their answers stay, for the record)."""
    with session.begin():
        seen = access(
            session=session, principal=principal, assessment_id=assessment_id, cache=cache
        )
        require_coordinator(seen)
        result = session.execute(
            delete(Participant).where(
                Participant.assessment_id == assessment_id, Participant.user_id == user_id
            )
        )
        if not getattr(result, "rowcount", 0):
            raise NotFound()
        record(session, seen.assessment, "removed", principal.subject, user_id=user_id)


def submit_assessment(
    *,
    session: Session,
    principal: Principal,
    cache: FrameworkCache,
    assessment_id: str,
    administration_name: str = "",
) -> Assessment:
    """Submit: freeze the results, make it read-only and publish ``assessment.submitted``."""
    with session.begin():
        seen = coordinate_open(
            session=session, principal=principal, assessment_id=assessment_id, cache=cache
        )
        assessment = seen.assessment
        computed, answers = results.compute(
            session=session, assessment=assessment, framework=seen.framework, cache=cache
        )
        assessment.status = "submitted"
        assessment.version += 1
        assessment.submitted_at = utcnow()
        assessment.submitted_by = principal.subject
        session.add(
            ScoreSnapshot(
                assessment_id=assessment.id,
                version=assessment.version,
                results=computed,
                answers=answers,
            )
        )
        record(session, assessment, "submitted", principal.subject, version=assessment.version)
        peer_participation.follow(session=session, assessment=assessment, framework=seen.framework)
        notify = sorted(
            {p.user_id for p in participants(session=session, assessment_id=assessment.id)}
            | {principal.subject}
        )
        events.stage(
            session,
            "assessment.submitted",
            events.submitted_payload(
                assessment,
                computed,
                notify,
                events.administration_name(
                    session, assessment.administration_id, administration_name
                ),
                answers=results.answer_sheet(session, assessment, seen.framework, answers),
                framework_title=seen.framework.title,
                progress=action_progress.for_submission(
                    session, assessment, seen.framework, answers
                ),
            ),
            assessment.id,
        )
    return assessment


def reopen_assessment(
    *,
    session: Session,
    principal: Principal,
    cache: FrameworkCache,
    assessment_id: str,
    reason: str,
) -> Assessment:
    """Reopen a submitted assessment for changes; the reopening is recorded and announced."""
    with session.begin():
        seen = access(
            session=session, principal=principal, assessment_id=assessment_id, cache=cache
        )
        require_coordinator(seen)
        assessment = seen.assessment
        if assessment.status != "submitted":
            raise ApiError(409, "assessment_not_submitted")
        assessment.status = "in_progress"
        record(session, assessment, "reopened", principal.subject, reason=reason)
        peer_participation.follow(session=session, assessment=assessment, framework=seen.framework)
        events.stage(
            session,
            "assessment.reopened",
            {
                "assessment_id": assessment.id,
                "administration_id": assessment.administration_id,
                "version": assessment.version,
                "reopened_by": principal.subject,
                "reason": reason,
            },
            assessment.id,
        )
    return assessment


def history(*, session: Session, assessment_id: str) -> list[HistoryEntry]:
    """Return what happened to an assessment, oldest first."""
    return list(
        session.scalars(
            select(HistoryEntry)
            .where(HistoryEntry.assessment_id == assessment_id)
            .order_by(HistoryEntry.id)
        )
    )
