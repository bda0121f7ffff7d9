"""A durable event bus on Redis Streams with consumer groups.

Publishing appends the CloudEvent to a stream (bounded by an approximate ``MAXLEN``). A
``Consumer`` reads with a group, acknowledges only after its handler succeeded, retries a failed
event with exponential backoff by reclaiming it from the pending list (which also rescues events
held by a consumer that died), and moves an event to ``<stream>:dlq`` with the reason once it has
been delivered ``max_deliveries`` times. Handlers run at most once per event id per group: the id
is remembered after success, so a duplicate delivery is acknowledged without running the handler.
Handlers should still be idempotent in their own store, because a crash between the handler's
commit and that mark can deliver the event again. An entry naming a group in ``REPLAY_FOR`` (a
dead letter put back by ``shared.deadletters``) is handled by that group only; the others
acknowledge it unread.

Once ``run``'s stop is set (SIGTERM), a consumer claims and reads nothing more and finishes the
event in hand, acknowledged as usual; entries it had read but not started are handed back to the
group, claimable by any member at once, that read not counted as a delivery.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import redis

from shared.events import CloudEvent, InvalidEvent
from shared.logs import bind_context, clean_request_id, clean_traceparent
from shared.timestamps import to_rfc3339, utcnow

_log = logging.getLogger(__name__)

Handler = Callable[[CloudEvent], None]
# The entry field naming the one group that handles a replayed dead letter.
REPLAY_FOR = "replay_for"


def stream_name(service: str) -> str:
    """Return the stream a service publishes its events to."""
    return f"{service}:events"


def dlq_name(stream: str) -> str:
    """Return the dead-letter stream of ``stream``."""
    return f"{stream}:dlq"


def processed_key(group: str, event_id: str) -> str:
    """Return the key that marks ``event_id`` as handled by ``group``."""
    return f"{group}:processed-event:{event_id}"


class EventBus:
    """Publishes events to Redis streams."""

    def __init__(self, client: redis.Redis, *, maxlen: int = 100_000) -> None:
        self.client = client
        self.maxlen = maxlen

    def publish(self, stream: str, event: CloudEvent) -> str:
        """Append ``event`` to ``stream`` and return the entry id."""
        entry_id = self.client.xadd(
            stream,
            {"event": event.to_json(), "type": event.type, "id": event.id},
            maxlen=self.maxlen,
            approximate=True,
        )
        return entry_id.decode() if isinstance(entry_id, bytes) else str(entry_id)


@dataclass(frozen=True)
class ConsumerSettings:
    """How a consumer reads, retries and gives up."""

    max_deliveries: int = 5
    # Own failures are retried after the backoff; another member's unacknowledged events only
    # once they have been idle for ``claim_idle_ms`` (that member is presumed dead).
    retry_base_ms: int = 500
    retry_max_ms: int = 60_000
    claim_idle_ms: int = 30_000
    batch: int = 20
    block_ms: int = 1000
    processed_ttl_s: int = 7 * 24 * 3600


class Consumer:
    """Reads events of some streams as one member of a consumer group."""

    def __init__(
        self,
        client: redis.Redis,
        *,
        group: str,
        streams: Iterable[str],
        handlers: Mapping[str, Handler],
        name: str | None = None,
        settings: ConsumerSettings | None = None,
    ) -> None:
        self.client = client
        self.group = group
        self.streams = list(streams)
        self.handlers = dict(handlers)
        self.name = name or f"{socket.gethostname()}-{os.getpid()}"
        self.settings = settings or ConsumerSettings()
        self._groups_ready = False
        self._stop: threading.Event | None = None

    # -- setup -----------------------------------------------------------------------------
    def ensure_groups(self) -> None:
        """Create the consumer group on each stream (from the start) if it does not exist."""
        for stream in self.streams:
            try:
                self.client.xgroup_create(stream, self.group, id="0", mkstream=True)
            except redis.ResponseError as exc:
                if "BUSYGROUP" not in str(exc):
                    raise
        self._groups_ready = True

    # -- one round -------------------------------------------------------------------------
    def poll(self, block_ms: int | None = None) -> int:
        """Retry due pending events, then read new ones; return how many were handled."""
        if not self._groups_ready:
            self.ensure_groups()
        handled = self._retry_pending()
        if self._stopping():
            return handled
        block = self.settings.block_ms if block_ms is None else block_ms
        response: Any = self.client.xreadgroup(
            self.group,
            self.name,
            {stream: ">" for stream in self.streams},
            count=self.settings.batch,
            block=block if handled == 0 else None,
        )
        for stream, entries in response or []:
            stream_key = _text(stream)
            for index, (entry_id, fields) in enumerate(entries):
                if self._stopping():  # asked to stop during the read: leave the rest to others
                    self._hand_back(stream_key, [_text(e) for e, _ in entries[index:]])
                    break
                self._process(stream_key, _text(entry_id), fields, deliveries=1)
                handled += 1
        return handled

    def run(self, stop: threading.Event, *, on_round: Callable[[], None] | None = None) -> None:
        """Poll until ``stop`` is set; a Redis outage is logged and retried, never fatal.

        ``on_round`` is called after each round (the event process's heartbeat). Once ``stop``
        is set, the event in hand is finished and nothing more is claimed or read.
        """
        self._stop = stop
        while not stop.is_set():
            try:
                self.poll()
            except (redis.ConnectionError, redis.TimeoutError) as exc:
                # A timeout is not a ConnectionError in redis-py: a frozen, overloaded or
                # restarting server gives one, and it must not end the loop either.
                _log.warning(
                    "redis unavailable, consumer waiting",
                    extra={"group": self.group, "error": type(exc).__name__},
                )
                stop.wait(1.0)
            except redis.ResponseError as exc:
                if not _lost_group(exc):
                    raise
                # A Redis restarted without its data (or a stream deleted by hand) forgets the
                # group: create it again, or the process would answer healthy and read nothing.
                _log.warning("consumer group lost, creating it again", extra={"group": self.group})
                self._groups_ready = False
                stop.wait(0.1)
            if on_round is not None:
                on_round()

    # -- internals -------------------------------------------------------------------------
    def _stopping(self) -> bool:
        return self._stop is not None and self._stop.is_set()

    def _hand_back(self, stream: str, entry_ids: list[str]) -> None:
        """Make entries read but never started claimable by any member at once, uncounted."""
        if not entry_ids:
            return
        self.client.xclaim(
            stream,
            self.group,
            self.name,
            min_idle_time=0,
            message_ids=[*entry_ids],
            idle=max(self.settings.claim_idle_ms, self.settings.retry_max_ms),
            retrycount=0,  # read by ">" once: that read delivered them to no handler
            justid=True,
        )
        _log.info(
            "stopping: unstarted events handed back",
            extra={"group": self.group, "stream": stream, "count": len(entry_ids)},
        )

    def _backoff_ms(self, deliveries: int) -> int:
        delay = self.settings.retry_base_ms * 2 ** max(deliveries - 1, 0)
        return int(min(delay, self.settings.retry_max_ms))

    def _retry_pending(self) -> int:
        handled = 0
        for stream in self.streams:
            pending = self.client.xpending_range(
                stream,
                self.group,
                min="-",
                max="+",
                count=self.settings.batch,
                idle=self.settings.retry_base_ms,
            )
            for item in pending:
                if self._stopping():
                    return handled
                entry_id = _text(item["message_id"])
                deliveries = int(item["times_delivered"])
                wait_ms = self._wait_ms(_text(item["consumer"]), deliveries)
                if int(item["time_since_delivered"]) < wait_ms:
                    continue
                handled += self._retry_one(stream, entry_id, deliveries, wait_ms)
        return handled

    def _wait_ms(self, owner: str, deliveries: int) -> int:
        if owner == self.name:
            return self._backoff_ms(deliveries)
        return max(self.settings.claim_idle_ms, self._backoff_ms(deliveries))

    def _retry_one(self, stream: str, entry_id: str, deliveries: int, wait_ms: int) -> int:
        if deliveries >= self.settings.max_deliveries:
            fields = self._entry_fields(stream, entry_id)
            self._dead_letter(
                stream, entry_id, fields, deliveries, self._last_error(stream, entry_id)
            )
            return 1
        claimed: Any = self.client.xclaim(
            stream,
            self.group,
            self.name,
            min_idle_time=wait_ms,
            message_ids=[entry_id],
        )
        for claimed_id, fields in claimed:
            if fields is None:  # trimmed away while pending: nothing left to handle
                self.client.xack(stream, self.group, claimed_id)
                continue
            self._process(stream, _text(claimed_id), fields, deliveries=deliveries + 1)
        return len(claimed)

    def _process(
        self, stream: str, entry_id: str, fields: Mapping[Any, Any], *, deliveries: int
    ) -> None:
        target = fields.get(REPLAY_FOR.encode(), fields.get(REPLAY_FOR))
        if target is not None and _text(target) != self.group:
            self.client.xack(stream, self.group, entry_id)  # another group's replayed event
            return
        raw = fields.get(b"event", fields.get("event"))
        try:
            event = CloudEvent.from_json(raw if raw is not None else b"")
        except InvalidEvent as exc:
            self._dead_letter(stream, entry_id, fields, deliveries, f"malformed event: {exc}")
            return
        handler = self.handlers.get(event.type)
        processed = processed_key(self.group, event.id)
        if handler is None or self.client.exists(processed):
            self.client.xack(stream, self.group, entry_id)
            return
        bind_context(clean_request_id(event.requestid), clean_traceparent(event.traceparent))
        try:
            handler(event)
        except Exception as exc:
            reason = f"{type(exc).__name__}: {exc}"[:500]
            self.client.hset(self._errors_key(stream), entry_id, reason)
            _log.warning(
                "event handler failed",
                extra={
                    "event_id": event.id,
                    "event_type": event.type,
                    "group": self.group,
                    "deliveries": deliveries,
                    "reason": reason,
                },
            )
            if isinstance(exc, InvalidEvent) or deliveries >= self.settings.max_deliveries:
                self._dead_letter(stream, entry_id, fields, deliveries, reason)
            return
        pipe = self.client.pipeline()
        pipe.set(processed, "1", ex=self.settings.processed_ttl_s)
        pipe.xack(stream, self.group, entry_id)
        pipe.hdel(self._errors_key(stream), entry_id)
        pipe.execute()

    def _dead_letter(
        self,
        stream: str,
        entry_id: str,
        fields: Mapping[Any, Any] | None,
        deliveries: int,
        reason: str,
    ) -> None:
        raw = (fields or {}).get(b"event", (fields or {}).get("event", b""))
        pipe = self.client.pipeline()
        pipe.xadd(
            dlq_name(stream),
            {
                "event": raw or b"",
                "reason": reason,
                "deliveries": deliveries,
                "group": self.group,
                "stream": stream,
                "entry_id": entry_id,
                "time": to_rfc3339(utcnow()),
            },
            maxlen=100_000,
            approximate=True,
        )
        pipe.xack(stream, self.group, entry_id)
        pipe.hdel(self._errors_key(stream), entry_id)
        pipe.execute()
        _log.error(
            "event moved to dead-letter stream",
            extra={"stream": stream, "entry_id": entry_id, "group": self.group, "reason": reason},
        )

    def _entry_fields(self, stream: str, entry_id: str) -> Mapping[Any, Any] | None:
        entries = self.client.xrange(stream, min=entry_id, max=entry_id, count=1)
        return entries[0][1] if entries else None

    def _errors_key(self, stream: str) -> str:
        return f"{stream}:errors:{self.group}"

    def _last_error(self, stream: str, entry_id: str) -> str:
        reason = self.client.hget(self._errors_key(stream), entry_id)
        text = _text(reason) if reason is not None else "no acknowledgement (consumer died)"
        return f"gave up after max deliveries; last error: {text}"


def _lost_group(exc: redis.ResponseError) -> bool:
    """Whether Redis refused a group command because the stream or its group no longer exists."""
    return str(exc).startswith("NOGROUP")


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
