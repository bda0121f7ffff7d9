"""Events the portal publishes through its outbox."""

from __future__ import annotations

from sqlalchemy.orm import Session

from portal.models import Administration, OutboxMessage
from shared.bus import stream_name
from shared.events import new_event
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
