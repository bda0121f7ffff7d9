"""Events the assessment service publishes, and its event process: the outbox relay, the
consumer of the portal's ``administration.*`` (group ``assessment-administrations``: the read
model of names that ``assessment.submitted`` carries) and of its
``assistance_request.status_changed`` (group ``assessment-assistance``)."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy.orm import Session

from assessment.assistance.status import apply_status_event
from assessment.config import ADMINISTRATIONS_GROUP, ASSISTANCE_GROUP, PORTAL_STREAM
from assessment.models import AdministrationName, Assessment, OutboxMessage
from shared import names
from shared.bus import Consumer, ConsumerSettings, stream_name
from shared.events import CloudEvent, new_event
from shared.outbox import add_event
from shared.timestamps import to_rfc3339

SOURCE = "assessment"
STREAM = stream_name(SOURCE)


def stage(session: Session, event_type: str, data: dict[str, Any], subject: str) -> None:
    """Stage an event in the outbox within the session's transaction."""
    add_event(
        session,
        OutboxMessage,
        STREAM,
        new_event(event_type, source=SOURCE, data=data, subject=subject),
    )


def framework_ref(assessment: Assessment, title: dict[str, str] | None) -> dict[str, Any]:
    """Return the framework an assessment is pinned to, with its title when known."""
    ref: dict[str, Any] = {"key": assessment.framework_key, "version": assessment.framework_version}
    if title:
        ref["title"] = dict(title)
    return ref


def started_payload(
    assessment: Assessment, framework_title: dict[str, str] | None = None
) -> dict[str, Any]:
    """Return the ``assessment.started`` payload."""
    return {
        "assessment_id": assessment.id,
        "administration_id": assessment.administration_id,
        "title": assessment.title,
        "language": assessment.language,
        "framework": framework_ref(assessment, framework_title),
        "started_by": assessment.created_by,
    }


def submitted_payload(
    assessment: Assessment,
    results: dict[str, Any],
    notify: list[str],
    administration_name: str,
    *,
    answers: list[dict[str, Any]] | None = None,
    framework_title: dict[str, str] | None = None,
    progress: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Return the ``assessment.submitted`` payload: everything the report needs to be built.

    ``progress`` (since the previous assessment) is carried only when there is one.
    """
    submitted_at = to_rfc3339(assessment.submitted_at) if assessment.submitted_at else ""
    payload = {
        "assessment_id": assessment.id,
        "administration_id": assessment.administration_id,
        "administration_name": administration_name,
        "version": assessment.version,
        "title": assessment.title,
        "language": assessment.language,
        "framework": framework_ref(assessment, framework_title),
        "submitted_by": assessment.submitted_by or "",
        "submitted_at": submitted_at,
        "areas": [
            {
                "area": a["area"],
                "name": a["name"],
                "level": a["score"],
                "percentage": a["percentage"],
                "target": a["target"],
                "coverage": a["coverage"],
                "confidence": a["confidence"],
            }
            for a in results["areas"]
        ],
        "overall": results["overall"]["score"],
        "priorities": [
            {
                "indicator": p["indicator"],
                "area": p["area"],
                "rank": p["rank"],
                "text": p["recommendation"]["text"],
                "horizon": p["recommendation"]["horizon"],
                "tags": p["recommendation"]["tags"],
            }
            for p in results["priorities"]
        ],
        "notify": notify,
        "details": results,
        "answers": answers or [],
    }
    if progress is not None:
        payload["progress"] = progress
    return payload


def administrations_consumer(app: Flask, *, name: str | None = None) -> Consumer:
    """Return the consumer that keeps the read model of administration names."""
    database = app.extensions["db"]

    def on_administration(event: CloudEvent) -> None:
        with database.session(write=True) as session:
            names.apply_name_event(event, session=session, model=AdministrationName)

    return Consumer(
        app.extensions["redis"],
        group=ADMINISTRATIONS_GROUP,
        streams=[PORTAL_STREAM],
        handlers={kind: on_administration for kind in names.NAME_EVENTS},
        name=name,
        settings=ConsumerSettings(max_deliveries=app.config["EVENTS_MAX_DELIVERIES"]),
    )


def assistance_consumer(app: Flask, *, name: str | None = None) -> Consumer:
    """Return the consumer that records the status operators give capacity-building requests."""
    database = app.extensions["db"]

    def on_status(event: CloudEvent) -> None:
        with database.session(write=True) as session:
            apply_status_event(event, session=session)

    return Consumer(
        app.extensions["redis"],
        group=ASSISTANCE_GROUP,
        streams=[PORTAL_STREAM],
        handlers={"assistance_request.status_changed": on_status},
        name=name,
        settings=ConsumerSettings(max_deliveries=app.config["EVENTS_MAX_DELIVERIES"]),
    )


def consumers(app: Flask) -> list[Consumer]:
    """Return every consumer the event process runs."""
    return [administrations_consumer(app), assistance_consumer(app)]


def administration_name(session: Session, administration_id: str, announced: str = "") -> str:
    """Return the name ``assessment.submitted`` carries: the portal's (read model), else the
    one the client gave, else ""."""
    known = names.name_of(session, AdministrationName, administration_id)
    return known or announced.strip()
