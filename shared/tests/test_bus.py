"""The event bus over a real Redis server: delivery, retries, dedupe and dead letters."""

import json
import time

import pytest

from shared.bus import Consumer, ConsumerSettings, EventBus, dlq_name
from shared.events import CloudEvent, new_event

STREAM = "test:events"
FAST = ConsumerSettings(max_deliveries=3, retry_base_ms=20, claim_idle_ms=100, block_ms=10)


def _ping(n: int) -> CloudEvent:
    return new_event("test.pinged", source="test", data={"n": n})


def _drain(consumer: Consumer, rounds: int = 30, pause: float = 0.03) -> None:
    for _ in range(rounds):
        consumer.poll(block_ms=10)
        time.sleep(pause)


def test_published_event_reaches_the_handler_once_and_is_acknowledged(redis_client):
    seen = []
    consumer = Consumer(
        redis_client,
        group="g",
        streams=[STREAM],
        settings=FAST,
        handlers={"test.pinged": lambda e: seen.append(e.data["n"])},
    )
    consumer.ensure_groups()
    EventBus(redis_client).publish(STREAM, _ping(1))
    _drain(consumer, rounds=3)
    assert seen == [1]
    assert redis_client.xpending(STREAM, "g")["pending"] == 0


def test_an_event_whose_handler_crashes_is_redelivered_until_it_succeeds(redis_client):
    attempts = []

    def flaky(event):
        attempts.append(event.id)
        if len(attempts) < 3:
            raise RuntimeError("database went away")

    consumer = Consumer(
        redis_client, group="g", streams=[STREAM], settings=FAST, handlers={"test.pinged": flaky}
    )
    consumer.ensure_groups()
    EventBus(redis_client).publish(STREAM, _ping(1))
    _drain(consumer)
    assert len(attempts) == 3
    assert len(set(attempts)) == 1
    assert redis_client.xpending(STREAM, "g")["pending"] == 0
    assert redis_client.xlen(dlq_name(STREAM)) == 0


def test_events_held_by_a_dead_consumer_are_claimed_by_another(redis_client):
    bus = EventBus(redis_client)
    dead = Consumer(
        redis_client,
        group="g",
        streams=[STREAM],
        name="dead",
        settings=FAST,
        handlers={"test.pinged": lambda e: None},
    )
    dead.ensure_groups()
    bus.publish(STREAM, _ping(7))
    # The dead member reads the event but dies before handling it: it stays pending.
    redis_client.xreadgroup("g", "dead", {STREAM: ">"}, count=10)
    seen = []
    alive = Consumer(
        redis_client,
        group="g",
        streams=[STREAM],
        name="alive",
        settings=FAST,
        handlers={"test.pinged": lambda e: seen.append(e.data["n"])},
    )
    alive.poll(block_ms=10)
    assert seen == [], "a live member must not steal an event before claim_idle_ms"
    time.sleep(0.15)
    _drain(alive, rounds=3)
    assert seen == [7]
    assert redis_client.xpending(STREAM, "g")["pending"] == 0


def test_an_event_delivered_twice_is_processed_once(redis_client):
    seen = []
    consumer = Consumer(
        redis_client,
        group="g",
        streams=[STREAM],
        settings=FAST,
        handlers={"test.pinged": lambda e: seen.append(e.id)},
    )
    consumer.ensure_groups()
    event = _ping(3)
    bus = EventBus(redis_client)
    bus.publish(STREAM, event)
    bus.publish(STREAM, event)  # e.g. the relay crashed after the append, before its mark
    _drain(consumer, rounds=3)
    assert seen == [event.id]
    assert redis_client.xpending(STREAM, "g")["pending"] == 0


def test_a_poison_event_ends_in_the_dead_letter_stream_with_its_reason(redis_client):
    def always_fails(event):
        raise ValueError(f"cannot handle n={event.data['n']}")

    consumer = Consumer(
        redis_client,
        group="g",
        streams=[STREAM],
        settings=FAST,
        handlers={"test.pinged": always_fails},
    )
    consumer.ensure_groups()
    event = _ping(9)
    EventBus(redis_client).publish(STREAM, event)
    _drain(consumer, rounds=40)
    dead = redis_client.xrange(dlq_name(STREAM))
    assert len(dead) == 1
    fields = dead[0][1]
    assert json.loads(fields[b"event"])["id"] == event.id
    assert b"cannot handle n=9" in fields[b"reason"]
    assert int(fields[b"deliveries"]) == FAST.max_deliveries
    assert redis_client.xpending(STREAM, "g")["pending"] == 0


def test_a_malformed_entry_goes_straight_to_the_dead_letter_stream(redis_client):
    seen = []
    consumer = Consumer(
        redis_client,
        group="g",
        streams=[STREAM],
        settings=FAST,
        handlers={"test.pinged": seen.append},
    )
    consumer.ensure_groups()
    redis_client.xadd(STREAM, {"event": b"{not json"})
    _drain(consumer, rounds=2)
    assert seen == []
    (entry,) = redis_client.xrange(dlq_name(STREAM))
    assert entry[1][b"reason"].startswith(b"malformed event")


def test_consumer_groups_share_work_and_each_group_sees_every_event(redis_client):
    bus = EventBus(redis_client)
    a_seen, b_seen, other_seen = [], [], []
    a = Consumer(
        redis_client,
        group="g",
        streams=[STREAM],
        name="a",
        settings=FAST,
        handlers={"test.pinged": lambda e: a_seen.append(e.data["n"])},
    )
    b = Consumer(
        redis_client,
        group="g",
        streams=[STREAM],
        name="b",
        settings=FAST,
        handlers={"test.pinged": lambda e: b_seen.append(e.data["n"])},
    )
    other = Consumer(
        redis_client,
        group="other",
        streams=[STREAM],
        settings=FAST,
        handlers={"test.pinged": lambda e: other_seen.append(e.data["n"])},
    )
    for consumer in (a, b, other):
        consumer.ensure_groups()
    for n in range(10):
        bus.publish(STREAM, _ping(n))
    a.settings = ConsumerSettings(batch=5, block_ms=10)
    a.poll(block_ms=10)
    b.poll(block_ms=10)
    other.poll(block_ms=10)
    assert sorted(a_seen + b_seen) == list(range(10))
    assert set(a_seen).isdisjoint(b_seen)
    assert sorted(other_seen) == list(range(10))


@pytest.mark.parametrize(
    "raw",
    [b"[]", b'{"id": "x"}', b'{"id":"x","source":"s","type":"t","specversion":"0.3","time":"t"}'],
)
def test_invalid_envelopes_are_rejected(raw):
    from shared.events import InvalidEvent

    with pytest.raises(InvalidEvent):
        CloudEvent.from_json(raw)
