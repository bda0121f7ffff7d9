"""Who may see and change an assessment: tenancy, participation, open or submitted.

Another administration's assessment is "not found", never "forbidden" (its existence is private
too); respondents reach only the assessments they take part in.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Select, bindparam, select
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
        areas = None if self.participant is None else self.participant.areas
        return answerable_areas(self.framework, self.is_coordinator, areas)


@dataclass(frozen=True)
class Answering:
    """What saving an answer needs to know: the framework and the areas the caller may answer."""

    framework: Framework
    areas: set[str]


def answerable_areas(framework: Framework, manager: bool, assigned: list[str] | None) -> set[str]:
    """Return the areas a caller may answer (managers, and participants given no areas: all)."""
    if manager or not assigned:
        return {area.key for area in framework.areas}
    return set(assigned)


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


@functools.cache
def _access_query() -> Select[Assessment, Participant]:
    """Return the query of an assessment with the caller's participation: one round trip, on
    every request, built once (building a statement costs more than running it)."""
    return (
        select(Assessment, Participant)
        .outerjoin(
            Participant,
            (Participant.assessment_id == Assessment.id)
            & (Participant.user_id == bindparam("subject")),
        )
        .where(Assessment.id == bindparam("assessment_id"))
    )


def _admit(principal: Principal, administration_id: str | None, takes_part: bool) -> bool:
    """Return whether the caller manages the assessment; NotFound if it is not theirs to see."""
    if administration_id is None or administration_id != principal.administration_id:
        raise NotFound()
    manager = is_manager(principal)
    if not manager and not takes_part:
        raise NotFound()
    return manager


def access(
    *, session: Session, principal: Principal, assessment_id: str, cache: FrameworkCache
) -> Access:
    """Return the caller's access to an assessment, or 404 when they have none."""
    found = session.execute(
        _access_query(), {"assessment_id": assessment_id, "subject": principal.subject}
    ).first()
    assessment, participant = found if found is not None else (None, None)
    manager = _admit(
        principal,
        None if assessment is None else assessment.administration_id,
        participant is not None,
    )
    assert assessment is not None
    framework = cache.get(
        session=session, key=assessment.framework_key, version=assessment.framework_version
    )
    return Access(assessment, framework, manager, participant)


@functools.cache
def _answering_query() -> Select[str, str, str, str, int | None, list[str] | None]:
    """Return the columns that decide whether the caller may answer, built once."""
    return (
        select(
            Assessment.administration_id,
            Assessment.status,
            Assessment.framework_key,
            Assessment.framework_version,
            Participant.id,
            Participant.areas,
        )
        .outerjoin(
            Participant,
            (Participant.assessment_id == Assessment.id)
            & (Participant.user_id == bindparam("subject")),
        )
        .where(Assessment.id == bindparam("assessment_id"))
    )


def answering(
    *, connection: Connection, principal: Principal, assessment_id: str, cache: FrameworkCache
) -> Answering:
    """Return what the caller may answer in an open assessment (404 or 409 otherwise).

    The same rules as ``access``, read as plain columns on the transaction's connection: saving
    an answer is the hottest write, and loading ORM objects would cost more than the query.
    """
    row = connection.execute(
        _answering_query(), {"assessment_id": assessment_id, "subject": principal.subject}
    ).first()
    if row is None:
        raise NotFound()
    administration_id, status, key, version, participant_id, assigned = row
    manager = _admit(principal, administration_id, participant_id is not None)
    _require_status_open(status)
    framework = cache.get(session=connection, key=key, version=version)
    return Answering(framework, answerable_areas(framework, manager, assigned))


def require_open(assessment: Assessment) -> None:
    """Refuse changes to a submitted assessment."""
    _require_status_open(assessment.status)


def _require_status_open(status: str) -> None:
    if status == "submitted":
        raise ApiError(409, "assessment_submitted")


def require_coordinator(seen: Access) -> None:
    """Refuse callers who do not manage the assessment."""
    if not seen.is_coordinator:
        raise ApiError(403, "forbidden")


def coordinate_open(
    *, session: Session, principal: Principal, assessment_id: str, cache: FrameworkCache
) -> Access:
    """Lock an open assessment for a coordinator's change, or refuse (404, 403, 409).

    Locked first: an answer being saved (which share-locks the row) either lands before the
    change, or waits and finds it done; two such changes run one after the other.
    """
    session.execute(select(Assessment.id).where(Assessment.id == assessment_id).with_for_update())
    seen = access(session=session, principal=principal, assessment_id=assessment_id, cache=cache)
    require_coordinator(seen)
    require_open(seen.assessment)
    return seen


def participants(*, session: Session, assessment_id: str) -> list[Participant]:
    """Return an assessment's participants."""
    return list(
        session.scalars(
            select(Participant)
            .where(Participant.assessment_id == assessment_id)
            .order_by(Participant.id)
        )
    )
