"""Live notifications as server-sent events: ``GET /api/v1/reports/notifications/stream``.

A stream starts with ``retry:`` and the caller's unread count (after replaying what a
reconnecting browser missed since its ``Last-Event-ID``), then relays the caller's Redis pub/sub
channel as ``notification`` events rendered in the caller's language, with heartbeat comments in
between. Each stream ends after a bounded lifetime, or at once when the web process drains to
stop or is retired (``shared.draining``), with a last ``reconnect`` event (and ``retry:``),
after which the browser reconnects, so credentials are checked again and no connection lives
for ever. Streams hold one thread of the web process each: their number per process is capped,
and over the cap the answer is 503 with ``Retry-After``.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import redis
from flask import Flask, Response, current_app, g, request
from flask.views import MethodView
from flask_smorest import Api, Blueprint
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from reports import notifications
from reports.models import Notification
from shared.auth import Principal, current_principal, require
from shared.db import Database
from shared.draining import closing_event
from shared.errors import ApiError, register_titles
from shared.translations import N_

ERRORS = {"too_many_streams": N_("Too many live connections right now; try again shortly")}
MAX_REPLAY = 50
SLOTS = "reports.sse_slots"
STOP_CHECK_S = 1.0

blp = Blueprint(
    "notification_stream",
    __name__,
    url_prefix="/api/v1/reports/notifications",
    description="The caller's notifications as they arrive (server-sent events)",
)


# -- the text format (pure) --------------------------------------------------------------------
def frame(data: Any, *, event: str | None = None, event_id: str | None = None) -> str:
    """Return one server-sent event whose ``data`` is ``data`` as JSON."""
    lines = []
    if event_id:
        lines.append(f"id: {event_id}")
    if event:
        lines.append(f"event: {event}")
    lines.append(f"data: {json.dumps(data, ensure_ascii=False, separators=(',', ':'))}")
    return "\n".join(lines) + "\n\n"


def heartbeat() -> str:
    """Return a comment line: keeps proxies from closing an idle stream, shows a dead client."""
    return ": ping\n\n"


def reconnect(retry_ms: int) -> str:
    """Return a stream's last event: the server ends it, reconnect after ``retry_ms``."""
    return f"retry: {retry_ms}\n" + frame({"retry_ms": retry_ms}, event="reconnect")


# -- reading what to send ----------------------------------------------------------------------
@dataclass(frozen=True)
class Reader:
    """Who the stream is for and how to read and render their notifications."""

    database: Database
    principal: Principal
    language: str

    def _mine(self) -> Any:
        return notifications.mine(self.principal)

    def unread(self, session: Session) -> int:
        """Return the caller's unread count."""
        count = session.scalar(
            select(func.count()).where(self._mine(), Notification.read_at.is_(None))
        )
        return int(count or 0)

    def rendered(self, session: Session, row: Notification) -> dict[str, Any]:
        """Return a notification as the page shows it, with the unread count after it."""
        return {
            "id": row.id,
            "code": row.code,
            "report_id": row.report_id,
            "url": notifications.link(row),
            "read": row.read_at is not None,
            "created_at": _iso(row.created_at),
            **notifications.render(row, self.language),
            "unread": self.unread(session),
        }

    def opening(self, last_event_id: str | None) -> list[str]:
        """Return the first events: what was missed since ``last_event_id``, then the count."""
        with self.database.session() as session:
            missed = self._since(session, last_event_id) if last_event_id else []
            out = [
                frame(self.rendered(session, row), event="notification", event_id=row.id)
                for row in missed
            ]
            newest = session.scalar(
                select(Notification.id)
                .where(self._mine())
                .order_by(Notification.created_at.desc(), Notification.id.desc())
                .limit(1)
            )
            out.append(frame({"unread": self.unread(session)}, event="unread", event_id=newest))
        return out

    def _since(self, session: Session, last_event_id: str) -> list[Notification]:
        seen = session.get(Notification, last_event_id)
        if seen is None or seen.user_id != self.principal.subject:
            return []
        rows = session.scalars(
            select(Notification)
            .where(
                self._mine(), Notification.created_at >= seen.created_at, Notification.id != seen.id
            )
            .order_by(Notification.created_at, Notification.id)
            .limit(MAX_REPLAY)
        )
        return list(rows)

    def pushed(self, raw: bytes | str) -> str | None:
        """Return the event of a pub/sub message, or None when it is not the caller's."""
        try:
            notification_id = str(json.loads(raw)["id"])
        except (ValueError, KeyError, TypeError):
            return None
        with self.database.session() as session:
            row = session.get(Notification, notification_id)
            if row is None or not self._mine_row(row):
                return None
            return frame(self.rendered(session, row), event="notification", event_id=row.id)

    def _mine_row(self, row: Notification) -> bool:
        return notifications.is_mine(row, self.principal)


def _iso(moment: datetime) -> str:
    return moment.isoformat()


# -- the stream --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Timing:
    """How often a stream beats and how long it lives."""

    heartbeat_s: float
    max_age_s: float
    retry_ms: int

    @classmethod
    def from_config(cls, config: Any) -> Timing:
        """Return the timing configured for the app."""
        return cls(
            heartbeat_s=float(config["REPORTS_SSE_HEARTBEAT_S"]),
            max_age_s=float(config["REPORTS_SSE_MAX_AGE_S"]),
            retry_ms=int(config["REPORTS_SSE_RETRY_MS"]),
        )


def events(
    pubsub: redis.client.PubSub,
    reader: Reader,
    timing: Timing,
    *,
    last_event_id: str | None,
    stopping: threading.Event | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> Iterator[str]:
    """Yield the stream's text: opening events, then pushed notifications and heartbeats.

    The stream ends at its lifetime or within a second of ``stopping`` being set (the web process
    drains to stop: the browser reconnects to another one), both with a ``reconnect`` event, or
    when Redis is lost.
    """
    stopping = stopping or threading.Event()
    deadline = clock() + timing.max_age_s
    yield f"retry: {timing.retry_ms}\n\n"
    yield from reader.opening(last_event_id)
    next_beat = clock() + timing.heartbeat_s
    while (now := clock()) < deadline and not stopping.is_set():
        wait = max(0.0, min(next_beat, deadline, now + STOP_CHECK_S) - now)
        try:
            message = pubsub.get_message(ignore_subscribe_messages=True, timeout=wait)
        except redis.RedisError:
            logging.getLogger(__name__).warning("live notifications: Redis lost, stream ends")
            return
        pushed = reader.pushed(message["data"]) if _is_message(message) else None
        if pushed is not None:
            yield pushed
            next_beat = clock() + timing.heartbeat_s
        elif clock() >= next_beat:
            yield heartbeat()
            next_beat = clock() + timing.heartbeat_s
    yield reconnect(timing.retry_ms)


def _is_message(message: dict[str, Any] | None) -> bool:
    return message is not None and message.get("type") == "message"


class _Release:
    """Frees a stream's slot and connection once, whenever the server closes the response."""

    def __init__(self, pubsub: redis.client.PubSub, slots: threading.BoundedSemaphore) -> None:
        self.pubsub = pubsub
        self.slots = slots
        self.done = False
        self.lock = threading.Lock()

    def __call__(self) -> None:
        with self.lock:
            if self.done:
                return
            self.done = True
        try:
            self.pubsub.close()
        finally:
            self.slots.release()


def _subscribe(client: redis.Redis, user_id: str) -> redis.client.PubSub:
    pubsub: redis.client.PubSub = client.pubsub(ignore_subscribe_messages=True)
    try:
        pubsub.subscribe(notifications.channel(user_id))
    except redis.RedisError as exc:
        pubsub.close()
        raise ApiError(503, "service_unavailable", "live notifications are unavailable") from exc
    return pubsub


# What each server-sent event holds (a ``: ping`` comment line keeps idle connections open).
EVENT_SCHEMA = {
    "type": "object",
    "properties": {
        "event": {"type": "string", "enum": ["unread", "notification", "reconnect"]},
        "data": {
            "type": "string",
            "description": "JSON: {unread}, a notification, or {retry_ms} (the stream ends)",
        },
        "id": {"type": "string", "description": "Send it back as Last-Event-ID to catch up"},
    },
}


@blp.route("/stream")
class NotificationStream(MethodView):
    """The caller's notifications as server-sent events."""

    @require()
    @blp.response(
        200,
        description=(
            "text/event-stream: `unread` ({unread}) first, then `notification` events; "
            "`reconnect` ({retry_ms}) when the server ends the stream"
        ),
        content_type="text/event-stream",
    )
    @blp.alt_response(503, response="SERVICE_UNAVAILABLE")
    @blp.doc(responses={"200": {"content": {"text/event-stream": {"schema": EVENT_SCHEMA}}}})
    def get(self) -> Response:
        """Stream the caller's new notifications (reconnect with Last-Event-ID to catch up)."""
        principal = current_principal()
        slots: threading.BoundedSemaphore = current_app.extensions[SLOTS]
        timing = Timing.from_config(current_app.config)
        if not slots.acquire(blocking=False):
            raise ApiError(
                503, "too_many_streams", headers={"Retry-After": str(timing.retry_ms // 1000 or 1)}
            )
        try:
            pubsub = _subscribe(current_app.extensions["redis"], principal.subject)
        except ApiError:
            slots.release()
            raise
        reader = Reader(current_app.extensions["db"], principal, g.language)
        last_event_id = request.headers.get("Last-Event-ID", "").strip()[:64] or None
        response = Response(
            events(
                pubsub,
                reader,
                timing,
                last_event_id=last_event_id,
                stopping=closing_event(current_app),
            ),
            mimetype="text/event-stream",
        )
        response.call_on_close(_Release(pubsub, slots))
        response.headers["Cache-Control"] = "no-cache, no-store"
        response.headers["X-Accel-Buffering"] = "no"  # nginx: pass each event on at once
        return response


def register(app: Flask, rest: Api) -> None:
    """Register the stream endpoint, its problem titles and its per-process slots."""
    register_titles(ERRORS, domain="reports")
    register_slots(app)
    rest.register_blueprint(blp)


def register_slots(app: Flask) -> None:
    """Give the app ``REPORTS_SSE_MAX_STREAMS`` stream slots (again, after a config change)."""
    app.extensions[SLOTS] = threading.BoundedSemaphore(int(app.config["REPORTS_SSE_MAX_STREAMS"]))
