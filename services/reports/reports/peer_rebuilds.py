"""New revisions of reports after peer-learning events (ADR 0012): the use case the group
``reports-peers`` runs for each ``peer_participation.*`` and ``peer_aggregate.*`` event.

In one transaction the event is applied to the read model (``reports.peer_aggregates``) and,
for each current report it concerns (the latest revision, per language, of the assessment's
newest submitted version), a new revision is queued when ``reports.peer_revisions`` says so.
The jobs are enqueued after the commit; a lost enqueue is made good by a redelivery of the event
(its queued revision is enqueued again) or by ``flask --app reports jobs retry --all-stalled``.
Idempotent by event id: a revision records the event that made it, and a redelivery builds
nothing twice.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from reports.models import JobStatus, PeerParticipation, ReportJob
from reports.peer_aggregates import (
    OPTED_IN,
    OPTED_OUT,
    distribution_for,
    record_peer_event,
)
from reports.peer_revisions import Trigger, needs_new_revision
from shared.events import CloudEvent, load_payload

Enqueue = Callable[[str], None]

_log = logging.getLogger(__name__)


def apply_peer_event(event: CloudEvent, *, session: Session, enqueue: Enqueue) -> list[str]:
    """Apply a peer-learning event and queue the report revisions it calls for; return their
    job ids (those enqueued, a redelivery's still-queued ones included)."""
    data: dict[str, Any] = load_payload(event)
    framework: Mapping[str, Any] = data["framework"]
    trigger = Trigger.PARTICIPATION if event.type in (OPTED_IN, OPTED_OUT) else Trigger.AGGREGATE
    queued: list[str] = []
    with session.begin():
        _serialize(session, framework)
        if not record_peer_event(event, session=session):
            return []  # a newer event of the same thing was applied: it made its own revisions
        if trigger is Trigger.PARTICIPATION:
            assessments: Iterable[str] = [str(data["assessment_id"])]
        else:
            assessments = session.scalars(
                select(PeerParticipation.assessment_id)
                .where(PeerParticipation.region == data["region"])
                .order_by(PeerParticipation.assessment_id)
            ).all()
        for assessment_id in assessments:
            for current in _current_reports(session, assessment_id):
                if not _of_framework(current, framework):
                    continue  # another framework version: another aggregate
                job_id = _revise(session, event, current, trigger)
                if job_id is not None:
                    queued.append(job_id)
    for job_id in queued:
        enqueue(job_id)
    return queued


def _serialize(session: Session, framework: Mapping[str, Any]) -> None:
    """Serialize the peer events of one framework version (PostgreSQL; SQLite writers queue).

    Without it an opt-in and the aggregate it completes, handled at once by two replicas, could
    each miss the other's change, and neither report would gain the section.
    """
    if session.get_bind().dialect.name == "postgresql":
        key = zlib.crc32(f"reports-peers:{framework['key']}:{framework['version']}".encode())
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


def _of_framework(job: ReportJob, framework: Mapping[str, Any]) -> bool:
    own = job.data.get("framework")
    if not isinstance(own, Mapping):
        return False
    return (str(own.get("key")), str(own.get("version"))) == (
        str(framework["key"]),
        str(framework["version"]),
    )


def _current_reports(session: Session, assessment_id: str) -> list[ReportJob]:
    """Return the latest revision per language of the assessment's newest version (locked)."""
    newest = session.scalar(
        select(func.max(ReportJob.version)).where(ReportJob.assessment_id == assessment_id)
    )
    if newest is None:
        return []
    rows = session.scalars(
        select(ReportJob)
        .where(ReportJob.assessment_id == assessment_id, ReportJob.version == newest)
        .order_by(ReportJob.language, ReportJob.revision.desc())
        .with_for_update()
    ).all()
    latest: dict[str, ReportJob] = {}
    for row in rows:
        latest.setdefault(row.language, row)
    return list(latest.values())


def _revise(
    session: Session, event: CloudEvent, current: ReportJob, trigger: Trigger
) -> str | None:
    """Return the id of the revision to enqueue for ``current`` (new or redelivered), or None."""
    if current.source_event_id == event.id:
        # A redelivery: this event made the current revision; enqueue it again if still queued.
        return current.id if current.status == JobStatus.QUEUED else None
    wanted = distribution_for(session, current.data)
    if not needs_new_revision(
        status=current.status, shown=current.peer_distribution, current=wanted, trigger=trigger
    ):
        return None
    revision = ReportJob(
        administration_id=current.administration_id,
        assessment_id=current.assessment_id,
        version=current.version,
        language=current.language,
        revision=current.revision + 1,
        title=current.title,
        data=dict(current.data),
        notify=list(current.notify or []),
        source_event_id=event.id,
        status=JobStatus.QUEUED.value,
        attempts=0,
        files=[],
    )
    session.add(revision)
    session.flush()
    _log.info(
        "report revision queued",
        extra={"report_id": revision.id, "revision": revision.revision, "event_id": event.id},
    )
    return revision.id
