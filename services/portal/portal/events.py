"""Events the portal publishes through its outbox, and the consumer its event process runs:
``assistance_request.sent`` into the operators' queue (group ``portal-assistance``)."""

from __future__ import annotations

from flask import Flask
from sqlalchemy.orm import Session

from portal.assistance.intake import apply_sent_event
from portal.config import ASSESSMENT_STREAM, ASSISTANCE_GROUP
from portal.models import Administration, OutboxMessage
from shared.bus import Consumer, ConsumerSettings, stream_name
from shared.events import CloudEvent, new_event
from shared.outbox import add_event

SOURCE = "portal"
STREAM = stream_name(SOURCE)


def stage(session: Session, event_type: str, data: dict[str, object], subject: str) -> None:
    """Stage an event in the outbox within the session's transaction."""
    event = new_event(event_type, source=SOURCE, data=data, subject=subject)
    add_event(session, OutboxMessage, STREAM, event)


def administration_created_payload(administration: Administration) -> dict[str, object]:
    """Return the ``administration.created`` payload."""
    return {
        "administration_id": administration.id,
        "name": administration.name,
        "country_code": administration.country_code,
        "language": administration.default_language,
    }


def administration_renamed_payload(
    administration: Administration, previous_name: str
) -> dict[str, object]:
    """Return the ``administration.renamed`` payload (the administration as it now is)."""
    return {
        **administration_created_payload(administration),
        "previous_name": previous_name,
    }


def assistance_consumer(app: Flask, *, name: str | None = None) -> Consumer:
    """Return the consumer that queues sent capacity-building requests for the operators."""
    database = app.extensions["db"]

    def on_sent(event: CloudEvent) -> None:
        with database.session(write=True) as session:
            apply_sent_event(event, session=session)

    return Consumer(
        app.extensions["redis"],
        group=ASSISTANCE_GROUP,
        streams=[ASSESSMENT_STREAM],
        handlers={"assistance_request.sent": on_sent},
        name=name,
        settings=ConsumerSettings(max_deliveries=app.config["EVENTS_MAX_DELIVERIES"]),
    )


def consumers(app: Flask) -> list[Consumer]:
    """Return every consumer the event process runs."""
    return [assistance_consumer(app)]
