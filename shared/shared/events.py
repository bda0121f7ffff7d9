"""The CloudEvents 1.0 envelope every event travels in, and the registry of payload schemas.

An event's ``data`` is validated against its versioned payload schema when it is created, so a
producer cannot emit what consumers are not promised. Payload schemas are additive only: a new
field gets a default, an old one is never removed or retyped (see ``shared.payloads``).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from marshmallow import ValidationError

from shared import payloads
from shared.logs import current_request_id, current_traceparent
from shared.timestamps import parse, to_rfc3339, utcnow

SPEC_VERSION = "1.0"


class InvalidEvent(ValueError):
    """An event that cannot be parsed or does not match its payload schema."""


@dataclass(frozen=True)
class CloudEvent:
    """A CloudEvents 1.0 event in structured JSON mode."""

    id: str
    source: str
    type: str
    time: str
    data: dict[str, Any]
    dataschema: str
    subject: str | None = None
    traceparent: str | None = None
    requestid: str | None = None
    specversion: str = SPEC_VERSION
    datacontenttype: str = "application/json"
    extensions: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> str:
        """Return the structured-mode JSON document."""
        document = {k: v for k, v in asdict(self).items() if k != "extensions" and v is not None}
        document.update(self.extensions)
        return json.dumps(document, separators=(",", ":"), ensure_ascii=False)

    @classmethod
    def from_json(cls, raw: str | bytes) -> CloudEvent:
        """Parse a structured-mode JSON document, raising ``InvalidEvent`` when malformed."""
        try:
            document = json.loads(raw)
        except (TypeError, ValueError) as exc:
            raise InvalidEvent(f"not JSON: {exc}") from exc
        if not isinstance(document, dict):
            raise InvalidEvent("an event must be a JSON object")
        missing = [k for k in ("id", "source", "type", "specversion", "time") if k not in document]
        if missing:
            raise InvalidEvent(f"missing attributes: {', '.join(missing)}")
        if document["specversion"] != SPEC_VERSION:
            raise InvalidEvent(f"unsupported specversion {document['specversion']!r}")
        data = document.get("data", {})
        if not isinstance(data, dict):
            raise InvalidEvent("data must be a JSON object")
        known = {"id", "source", "type", "time", "data", "dataschema", "subject", "traceparent"}
        known |= {"requestid", "specversion", "datacontenttype"}
        return cls(
            id=str(document["id"]),
            source=str(document["source"]),
            type=str(document["type"]),
            time=str(document["time"]),
            data=data,
            dataschema=str(document.get("dataschema", "")),
            subject=document.get("subject"),
            traceparent=document.get("traceparent"),
            requestid=document.get("requestid"),
            datacontenttype=str(document.get("datacontenttype", "application/json")),
            extensions={k: str(v) for k, v in document.items() if k not in known},
        )

    @property
    def schema_version(self) -> int:
        """Return the payload schema version named in ``dataschema`` (1 when absent)."""
        tail = self.dataschema.rsplit("/v", 1)
        return int(tail[1]) if len(tail) == 2 and tail[1].isdigit() else 1

    @property
    def moment(self) -> datetime:
        """Return ``time`` as an aware UTC datetime (an old time without offset is UTC)."""
        try:
            return parse(self.time)
        except ValueError as exc:
            raise InvalidEvent(f"time is not RFC 3339: {self.time!r}") from exc


def new_event(
    event_type: str, *, source: str, data: dict[str, Any], subject: str | None = None
) -> CloudEvent:
    """Create an event of a registered type, validating ``data`` against its payload schema."""
    version, schema = payloads.schema_for(event_type)
    try:
        clean = schema.dump(schema.load(data))
    except ValidationError as exc:
        raise InvalidEvent(f"{event_type} payload is invalid: {exc.messages}") from exc
    return CloudEvent(
        id=str(uuid.uuid4()),
        source=source,
        type=event_type,
        time=to_rfc3339(utcnow()),
        data=clean,
        dataschema=f"/schemas/events/{event_type}/v{version}",
        subject=subject,
        traceparent=current_traceparent(),
        requestid=current_request_id(),
    )


def load_payload(event: CloudEvent) -> dict[str, Any]:
    """Validate and return an incoming event's payload (unknown, newer fields are kept)."""
    _, schema = payloads.schema_for(event.type)
    try:
        loaded: dict[str, Any] = schema.load(event.data, unknown="include")
    except ValidationError as exc:
        raise InvalidEvent(f"{event.type} payload is invalid: {exc.messages}") from exc
    return loaded
