"""The reports service's read model of peer learning (tables ``peer_aggregates`` and
``peer_participations``, fed by the assessment service's ``peer_aggregate.published`` /
``peer_aggregate.withdrawn`` and ``peer_participation.opted_in`` / ``opted_out`` through the
group ``reports-peers``).

A report shows its administration's scores beside the regional distribution exactly when the
results page does: the assessment is opted in, and to the region of a published aggregate of its
framework version. Building a report never calls the assessment service; a report built before an
opt-in or opt-out gets a new revision from the event (``reports.peer_rebuilds``, ADR 0012).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from reports.models import PeerAggregateCopy, PeerParticipation
from reports.peer_section import DATA_KEY
from shared.events import CloudEvent, load_payload

PUBLISHED = "peer_aggregate.published"
WITHDRAWN = "peer_aggregate.withdrawn"
OPTED_IN = "peer_participation.opted_in"
OPTED_OUT = "peer_participation.opted_out"
PEER_EVENTS = (PUBLISHED, WITHDRAWN, OPTED_IN, OPTED_OUT)
__all__ = [
    "DATA_KEY",
    "PEER_EVENTS",
    "apply_peer_event",
    "distribution_for",
    "record_peer_event",
]


def _moment(event: CloudEvent) -> str:
    return event.moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def apply_peer_event(event: CloudEvent, *, session: Session) -> None:
    """Apply one peer-learning event (idempotent by event id; an older event changes nothing)."""
    with session.begin():
        record_peer_event(event, session=session)


def record_peer_event(event: CloudEvent, *, session: Session) -> bool:
    """Apply one peer-learning event in the caller's transaction; return whether it is the
    state the read model now holds (applied now or before), False when a newer one was."""
    if event.type in (PUBLISHED, WITHDRAWN):
        return _apply_aggregate(event, session=session)
    if event.type in (OPTED_IN, OPTED_OUT):
        return _apply_participation(event, session=session)
    return False


def _apply_aggregate(event: CloudEvent, *, session: Session) -> bool:
    data: dict[str, Any] = load_payload(event)
    framework = data["framework"]
    key = (data["region"], framework["key"], framework["version"])
    moment = _moment(event)
    row = session.get(PeerAggregateCopy, key, with_for_update=True)
    if row is not None and (row.event_id == event.id or row.event_time > moment):
        return row.event_id == event.id  # this event, or a newer one, was applied already
    if row is None:
        row = PeerAggregateCopy(region=key[0], framework_key=key[1], framework_version=key[2])
        session.add(row)
    row.areas = (
        [
            {
                "area": str(area["area"]),
                "first_quartile": float(area["first_quartile"]),
                "median": float(area["median"]),
                "third_quartile": float(area["third_quartile"]),
            }
            for area in data["areas"]
        ]
        if event.type == PUBLISHED
        else None
    )
    row.computed_at = str(data["computed_at"])
    row.event_id, row.event_time = event.id, moment
    session.flush()
    return True


def _apply_participation(event: CloudEvent, *, session: Session) -> bool:
    data: dict[str, Any] = load_payload(event)
    moment = _moment(event)
    row = session.get(PeerParticipation, data["assessment_id"], with_for_update=True)
    if row is not None and (row.event_id == event.id or row.event_time > moment):
        return row.event_id == event.id
    if row is None:
        row = PeerParticipation(assessment_id=data["assessment_id"])
        session.add(row)
    row.administration_id = str(data["administration_id"])
    row.region = data["region"] if event.type == OPTED_IN else None
    row.event_id, row.event_time = event.id, moment
    session.flush()
    return True


def distribution_for(session: Session, data: Mapping[str, Any]) -> dict[str, Any] | None:
    """Return the distribution the report of ``data`` shows, or None (as its results page: only
    for an assessment opted in, of its own administration, to a region with a published
    aggregate of its framework version)."""
    row = session.get(PeerParticipation, str(data.get("assessment_id") or ""))
    if row is None or row.region is None:
        return None
    if row.administration_id != str(data.get("administration_id") or ""):
        return None
    framework = data.get("framework")
    if not isinstance(framework, Mapping):
        return None
    copy = session.get(
        PeerAggregateCopy,
        (row.region, str(framework.get("key", "")), str(framework.get("version", ""))),
    )
    if copy is None or not copy.areas:
        return None
    return {
        "region": copy.region,
        "areas": [dict(area) for area in copy.areas],
        "computed_at": copy.computed_at,
    }
