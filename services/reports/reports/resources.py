"""The reports service's read model of portal resources, fed by ``content.*`` events.

Recommendations are matched to these resources by tag when a report is built
(``reports.content.match_resources``), so building a report never calls the portal. Events of
one item are applied in the order of their ``time``: a late, older event changes nothing, and an
archived item is kept as a tombstone so a late ``content.updated`` cannot bring it back.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from reports.content import SUGGESTIBLE
from reports.models import Resource
from shared.events import CloudEvent, load_payload

CONTENT_EVENTS = ("content.published", "content.updated", "content.archived")


def _moment(event: CloudEvent) -> str:
    """Return the event's time in one sortable form (UTC, microseconds; no offset is UTC)."""
    return event.moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def apply_content_event(event: CloudEvent, *, session: Session) -> Resource:
    """Record a published, updated or archived resource (idempotent; older events are ignored)."""
    data = load_payload(event)
    moment = _moment(event)
    with session.begin():
        row = session.get(Resource, data["item_id"], with_for_update=True)
        if row is not None and row.event_time > moment:
            return row  # a newer event of this item was applied already
        if row is None:
            row = Resource(item_id=data["item_id"])
            session.add(row)
        row.kind = data["kind"]
        row.visibility = data["visibility"]
        row.languages = sorted(set(data["languages"]))
        row.titles = dict(data["titles"])
        row.tags = sorted({tag.strip().lower() for tag in data["tags"] if tag.strip()})
        row.url = data["url"]
        # Only published items are suggested; the portal's ``status`` says so too (optional).
        row.archived = event.type == "content.archived" or data.get("status") != "published"
        row.event_id = event.id
        row.event_time = moment
    return row


def suggestible_resources(session: Session) -> list[dict[str, Any]]:
    """Return the resources a report may point to (not archived, public or members-only)."""
    rows = session.scalars(
        select(Resource)
        .where(Resource.archived.is_(False), Resource.visibility.in_(SUGGESTIBLE))
        .order_by(Resource.item_id)
    )
    return [
        {
            "item_id": row.item_id,
            "kind": row.kind,
            "visibility": row.visibility,
            "languages": list(row.languages or ()),
            "titles": dict(row.titles or {}),
            "tags": list(row.tags or ()),
            "url": row.url,
        }
        for row in rows
    ]
