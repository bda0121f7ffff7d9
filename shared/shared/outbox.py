"""The transactional outbox: a change and its event are written in one transaction.

A service declares its outbox table with ``OutboxMixin`` on its own declarative base and calls
``add_event(session, Model, event)`` before committing its change. ``relay_pending`` moves
unpublished rows to the stream; several relays can run at once (``FOR UPDATE SKIP LOCKED`` on
PostgreSQL). A crash between the append and the mark publishes the event again: consumers are
idempotent by event id, so nothing is lost and nothing is handled twice.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import Integer, String, Text, delete, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from shared.bus import EventBus
from shared.db import Database
from shared.events import CloudEvent
from shared.timestamps import UtcDateTime, utcnow

_log = logging.getLogger(__name__)


class OutboxMixin:
    """Columns of an outbox table; mix into a service's declarative model."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(64), unique=True)
    stream: Mapped[str] = mapped_column(String(200))
    event_type: Mapped[str] = mapped_column(String(200))
    payload: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True, index=True)


def add_event(session: Session, model: type[OutboxMixin], stream: str, event: CloudEvent) -> None:
    """Stage ``event`` in the outbox within the session's current transaction."""
    session.add(
        model(  # type: ignore[call-arg]
            event_id=event.id, stream=stream, event_type=event.type, payload=event.to_json()
        )
    )


def relay_pending(
    database: Database, model: type[OutboxMixin], bus: EventBus, *, batch: int = 100
) -> int:
    """Publish up to ``batch`` unpublished outbox rows in order; return how many."""
    with database.session(write=True) as session, session.begin():
        query = select(model).where(model.published_at.is_(None)).order_by(model.id).limit(batch)
        if not database.is_sqlite:
            query = query.with_for_update(skip_locked=True)
        rows = list(session.scalars(query))
        for row in rows:
            bus.publish(row.stream, CloudEvent.from_json(row.payload))
            row.published_at = utcnow()
        return len(rows)


def purge_published(database: Database, model: type[OutboxMixin], *, older_than: timedelta) -> int:
    """Delete rows published before ``older_than`` ago; return how many."""
    cutoff = utcnow() - older_than
    with database.session(write=True) as session, session.begin():
        result = session.execute(delete(model).where(model.published_at < cutoff))
        return int(getattr(result, "rowcount", 0) or 0)


def republish_since(
    database: Database,
    model: type[OutboxMixin],
    *,
    since: datetime,
    event_types: tuple[str, ...] = (),
) -> int:
    """Mark rows published since ``since`` (of ``event_types``, or all) unpublished, so the
    relay sends them again (after Redis lost events it had); return how many.

    Consumers are idempotent by event id in their own databases, so an event they had handled
    changes nothing the second time.
    """
    query = update(model).where(model.published_at >= since).values(published_at=None)
    if event_types:
        query = query.where(model.event_type.in_(event_types))
    with database.session(write=True) as session, session.begin():
        result = session.execute(query)
        return int(getattr(result, "rowcount", 0) or 0)


def run_relay(
    database: Database,
    model: type[OutboxMixin],
    bus: EventBus,
    stop: threading.Event,
    *,
    interval_s: float = 0.1,
    on_round: Callable[[], None] | None = None,
) -> None:
    """Relay until ``stop`` is set, sleeping ``interval_s`` whenever the outbox is empty.

    ``on_round`` is called after each round (the event process's heartbeat).
    """
    last_purge = utcnow()
    while not stop.is_set():
        if on_round is not None:
            on_round()
        try:
            moved = relay_pending(database, model, bus)
        except Exception:
            _log.exception("outbox relay failed; retrying")
            moved = 0
            stop.wait(1.0)
        if utcnow() - last_purge > timedelta(hours=1):
            purge_published(database, model, older_than=timedelta(days=7))
            last_purge = utcnow()
        if moved == 0:
            stop.wait(interval_s)
