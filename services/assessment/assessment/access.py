"""Who may see and change an assessment: tenancy, participation, open or submitted.

Another administration's assessment is "not found", never "forbidden" (its existence is private
too); respondents reach only the assessments they take part in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from assessment.framework import Framework
from assessment.frameworks import FrameworkCache
from assessment.models import Assessment, HistoryEntry, Participant
from shared.auth import Principal, Role
from shared.errors import ApiError, NotFound


@dataclass(frozen=True)
class Access:
    """An assessment as seen by one caller, with what they may do."""

    assessment: Assessment
    framework: Framework
    is_coordinator: bool
    participant: Participant | None

    def assigned_areas(self) -> set[str]:
        """Return the areas the caller may answer (coordinators and machine clients: all)."""
        if self.is_coordinator or self.participant is None or not self.participant.areas:
            return {area.key for area in self.framework.areas}
        return set(self.participant.areas)


def administration_of(principal: Principal) -> str:
    """Return the caller's administration, or refuse callers that have none."""
    if not principal.administration_id:
        raise ApiError(403, "forbidden", "an administration is required")
    return principal.administration_id


def is_manager(principal: Principal) -> bool:
    """Return whether the caller manages its administration's assessments."""
    return principal.has_any(Role.COORDINATOR, Role.CLIENT)


def record(
    session: Session, assessment: Assessment, action: str, actor: str, **detail: Any
) -> None:
    """Add an entry to the assessment's history."""
    session.add(
        HistoryEntry(assessment_id=assessment.id, action=action, actor=actor, detail=detail)
    )


def access(
    *, session: Session, principal: Principal, assessment_id: str, cache: FrameworkCache
) -> Access:
    """Return the caller's access to an assessment, or 404 when they have none."""
    assessment = session.get(Assessment, assessment_id)
    if assessment is None or assessment.administration_id != principal.administration_id:
        raise NotFound()
    participant = session.scalar(
        select(Participant).where(
            Participant.assessment_id == assessment.id, Participant.user_id == principal.subject
        )
    )
    manager = is_manager(principal)
    if not manager and participant is None:
        raise NotFound()
    framework = cache.get(
        session=session, key=assessment.framework_key, version=assessment.framework_version
    )
    return Access(assessment, framework, manager, participant)


def require_open(assessment: Assessment) -> None:
    """Refuse changes to a submitted assessment."""
    if assessment.status == "submitted":
        raise ApiError(409, "assessment_submitted")


def require_coordinator(seen: Access) -> None:
    """Refuse callers who do not manage the assessment."""
    if not seen.is_coordinator:
        raise ApiError(403, "forbidden")


def participants(*, session: Session, assessment_id: str) -> list[Participant]:
    """Return an assessment's participants."""
    return list(
        session.scalars(
            select(Participant)
            .where(Participant.assessment_id == assessment_id)
            .order_by(Participant.id)
        )
    )
