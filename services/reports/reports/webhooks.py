"""Use cases of webhooks: endpoints of an administration, the fan-out of events, attempts.

An endpoint receives the report and import events its administration's coordinator subscribed
to. Each
(event, endpoint) gets one ``WebhookDelivery`` whose id is the ``webhook-id`` of every attempt and
whose body is stored once, so every retry sends the same bytes, signed with a fresh timestamp.
The delivery row is the record: attempts, the last status code or error, delivered or failed.
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from reports import signing
from reports.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from reports.sender import Outcome
from shared.auth import Principal
from shared.errors import ApiError, NotFound
from shared.events import CloudEvent, load_payload
from shared.paging import fetch_page
from shared.timestamps import to_rfc3339, utcnow

EVENTS = ("report.ready", "report.failed", "answer_import.finished")
# Who is told inside the platform is nobody else's business.
PRIVATE_FIELDS = frozenset({"notify", "notify_emails", "notify_languages"})
MAX_ERROR = 1000

Enqueue = Callable[[str], None]
Send = Callable[[str, bytes, dict[str, str]], Outcome]

_log = logging.getLogger(__name__)


def _admin_of(principal: Principal) -> str:
    if not principal.administration_id:
        raise ApiError(403, "administration_required")
    return principal.administration_id


def fingerprint(body: Mapping[str, Any]) -> str:
    """Return a stable fingerprint of a registration request's body."""
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()


# -- endpoints (from the API) ----------------------------------------------------------------
def register_endpoint(
    *,
    session: Session,
    principal: Principal,
    url: str,
    events: list[str],
    description: str = "",
    idempotency_key: str | None = None,
    max_endpoints: int = 10,
) -> tuple[WebhookEndpoint, bool]:
    """Register an endpoint with a new secret; return it and whether it was created now.

    The same ``Idempotency-Key`` with the same body returns the first endpoint (and its secret)
    again; with another body it is refused with 422.
    """
    admin = _admin_of(principal)
    body = {"url": url, "events": sorted(set(events)), "description": description}
    request_fingerprint = fingerprint(body)
    with session.begin():
        if idempotency_key:
            earlier = _by_key(session, admin, idempotency_key)
            if earlier is not None:
                return _replayed(earlier, request_fingerprint), False
        count = session.scalar(
            select(func.count()).where(WebhookEndpoint.administration_id == admin)
        )
        if int(count or 0) >= max_endpoints:
            raise ApiError(409, "webhook_limit_reached", f"at most {max_endpoints} endpoints")
        endpoint = WebhookEndpoint(
            administration_id=admin,
            url=url,
            events=body["events"],
            description=description,
            secret=signing.encode_secret(secrets.token_bytes(signing.SECRET_BYTES)),
            created_by=principal.subject,
            idempotency_key=idempotency_key or None,
            request_fingerprint=request_fingerprint if idempotency_key else None,
        )
        try:
            with session.begin_nested():
                session.add(endpoint)
        except IntegrityError:
            # A concurrent retry with the same key won the insert.
            earlier = _by_key(session, admin, str(idempotency_key))
            if earlier is None:
                raise
            return _replayed(earlier, request_fingerprint), False
    return endpoint, True


def _by_key(session: Session, admin: str, key: str) -> WebhookEndpoint | None:
    return session.scalar(
        select(WebhookEndpoint).where(
            WebhookEndpoint.administration_id == admin, WebhookEndpoint.idempotency_key == key
        )
    )


def _replayed(endpoint: WebhookEndpoint, request_fingerprint: str) -> WebhookEndpoint:
    if endpoint.request_fingerprint != request_fingerprint:
        raise ApiError(422, "idempotency_key_reused")
    return endpoint


def list_endpoints(
    *, session: Session, principal: Principal, page: int, page_size: int
) -> tuple[list[WebhookEndpoint], int]:
    """Return one page of the administration's endpoints (newest first) and the total."""
    query = select(WebhookEndpoint).where(WebhookEndpoint.administration_id == _admin_of(principal))
    rows, total, _ = fetch_page(
        session,
        query.order_by(WebhookEndpoint.created_at.desc(), WebhookEndpoint.id),
        page=page,
        page_size=page_size,
    )
    return rows, total


def get_endpoint(*, session: Session, principal: Principal, endpoint_id: str) -> WebhookEndpoint:
    """Return one endpoint of the caller's administration (404 for any other)."""
    endpoint = session.get(WebhookEndpoint, endpoint_id)
    if endpoint is None or endpoint.administration_id != _admin_of(principal):
        raise NotFound()
    return endpoint


def delete_endpoint(*, session: Session, principal: Principal, endpoint_id: str) -> None:
    """Delete an endpoint and its delivery records; pending retries stop."""
    with session.begin():
        endpoint = get_endpoint(session=session, principal=principal, endpoint_id=endpoint_id)
        session.execute(delete(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint.id))
        session.delete(endpoint)


def list_deliveries(
    *, session: Session, principal: Principal, endpoint_id: str, page: int, page_size: int
) -> tuple[list[WebhookDelivery], int]:
    """Return one page of an endpoint's deliveries (newest first) and the total."""
    endpoint = get_endpoint(session=session, principal=principal, endpoint_id=endpoint_id)
    query = select(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint.id)
    rows, total, _ = fetch_page(
        session,
        query.order_by(WebhookDelivery.created_at.desc(), WebhookDelivery.id),
        page=page,
        page_size=page_size,
    )
    return rows, total


# -- fan-out (from the event process) ----------------------------------------------------------
def body_of(event: CloudEvent, data: Mapping[str, Any]) -> str:
    """Return the JSON body sent for ``event`` (Standard Webhooks shape, no private fields)."""
    public = {k: v for k, v in data.items() if k not in PRIVATE_FIELDS}
    document = {
        "id": event.id,
        "type": event.type,
        "timestamp": to_rfc3339(event.moment),
        "data": public,
    }
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False, sort_keys=True)


def fan_out(event: CloudEvent, *, session: Session, enqueue: Enqueue) -> list[str]:
    """Record one delivery per subscribed endpoint (once per event) and queue the pending ones.

    A repeated event adds nothing; deliveries not tried yet are queued again, since the first
    enqueue may have been lost in a crash (the delivery task ignores finished deliveries).
    """
    data = load_payload(event)
    admin = str(data["administration_id"])
    with session.begin():
        endpoints = [
            endpoint
            for endpoint in session.scalars(
                select(WebhookEndpoint).where(WebhookEndpoint.administration_id == admin)
            )
            if event.type in (endpoint.events or [])
        ]
        known = {
            row.endpoint_id: row
            for row in session.scalars(
                select(WebhookDelivery).where(WebhookDelivery.event_id == event.id)
            )
        }
        body = body_of(event, data)
        for endpoint in endpoints:
            if endpoint.id not in known:
                known[endpoint.id] = _add_delivery(session, endpoint, event, body)
        pending = [
            row.id
            for row in known.values()
            if row.status == DeliveryStatus.PENDING and row.attempts == 0
        ]
    for delivery_id in pending:
        enqueue(delivery_id)
    return pending


def _add_delivery(
    session: Session, endpoint: WebhookEndpoint, event: CloudEvent, body: str
) -> WebhookDelivery:
    delivery = WebhookDelivery(
        endpoint_id=endpoint.id,
        administration_id=endpoint.administration_id,
        event_id=event.id,
        event_type=event.type,
        body=body,
        status=DeliveryStatus.PENDING.value,
        attempts=0,
    )
    session.add(delivery)
    session.flush()
    return delivery


# -- attempts (from the worker) ----------------------------------------------------------------
@dataclass(frozen=True)
class Attempt:
    """What became of a delivery after one attempt (``None`` status: nothing to do)."""

    status: str | None
    attempts: int = 0


def backoff_s(attempts: int, *, base_s: float, cap_s: float) -> float:
    """Return the wait before the next try after ``attempts`` tries (doubling, capped)."""
    return float(min(cap_s, base_s * 2 ** max(0, attempts - 1)))


def attempt_delivery(
    *,
    session: Session,
    delivery_id: str,
    send: Send,
    max_attempts: int,
    now: Callable[[], datetime] = utcnow,
) -> Attempt:
    """Send a pending delivery once, signed, and record the outcome (delivered, failed, pending)."""
    with session.begin():
        delivery = session.get(WebhookDelivery, delivery_id, populate_existing=True)
        endpoint = session.get(WebhookEndpoint, delivery.endpoint_id) if delivery else None
        if delivery is None or endpoint is None or delivery.status != DeliveryStatus.PENDING:
            return Attempt(None)
        url, secret, body = endpoint.url, endpoint.secret, delivery.body.encode()
    sent_at = now()
    headers = signing.signed_headers(
        secret, message_id=delivery_id, timestamp=int(sent_at.timestamp()), body=body
    )
    outcome = send(url, body, headers)
    return _record(session, delivery_id, outcome, sent_at=sent_at, max_attempts=max_attempts)


def _record(
    session: Session, delivery_id: str, outcome: Outcome, *, sent_at: datetime, max_attempts: int
) -> Attempt:
    with session.begin():
        delivery = session.get(
            WebhookDelivery, delivery_id, with_for_update=True, populate_existing=True
        )
        if delivery is None or delivery.status != DeliveryStatus.PENDING:
            return Attempt(None)  # deleted meanwhile, or a concurrent run finished it
        delivery.attempts += 1
        delivery.last_attempt_at = sent_at
        delivery.last_status_code = outcome.status_code
        delivery.last_error = outcome.error[:MAX_ERROR] if outcome.error else None
        if outcome.ok:
            delivery.status = DeliveryStatus.DELIVERED.value
            delivery.finished_at = sent_at
        elif delivery.attempts >= max_attempts:
            delivery.status = DeliveryStatus.FAILED.value
            delivery.finished_at = sent_at
        result = Attempt(delivery.status, delivery.attempts)
    _log.info(
        "webhook attempt",
        extra={
            "delivery_id": delivery_id,
            "attempt": result.attempts,
            "status_code": outcome.status_code,
            "delivery_status": result.status,
        },
    )
    return result
