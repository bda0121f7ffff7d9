"""Dead letters over a real Redis server: made by a real consumer giving up, then listed, shown,
replayed and purged through the ``events dead-letters`` commands (Flask's CLI runner)."""

import json
import time
from datetime import timedelta

import pytest
from flask import Flask
from flask.cli import AppGroup

from shared import deadletters
from shared.bus import Consumer, ConsumerSettings, EventBus, dlq_name, processed_key
from shared.deadletter_commands import dead_letter_commands
from shared.events import new_event

STREAM = "test:events"
OTHER_STREAM = "other:events"
GROUPS = ((STREAM, "g"), (OTHER_STREAM, "g"))
# The first failure is the last: the event is dead-lettered at once.
ONCE = ConsumerSettings(max_deliveries=1, retry_base_ms=20, claim_idle_ms=100, block_ms=10)


class Handler:
    """Records the events it sees; fails while ``broken``."""

    def __init__(self, broken: bool = False) -> None:
        self.broken = broken
        self.seen: list[int] = []

    def __call__(self, event) -> None:
        self.seen.append(event.data["n"])
        if self.broken:
            raise RuntimeError(f"database went away (n={event.data['n']})")


def _consumer(client, handler, *, group="g", streams=(STREAM,)) -> Consumer:
    consumer = Consumer(
        client, group=group, streams=list(streams), settings=ONCE, handlers={"test.pinged": handler}
    )
    consumer.ensure_groups()
    return consumer


def _publish(client, n: int, stream: str = STREAM):
    event = new_event("test.pinged", source="test", data={"n": n})
    EventBus(client).publish(stream, event)
    return event


def _drain(*consumers: Consumer, rounds: int = 3) -> None:
    for _ in range(rounds):
        for consumer in consumers:
            consumer.poll(block_ms=10)
        time.sleep(0.03)


@pytest.fixture
def cli(redis_client):
    """Return a function running ``events dead-letters ...`` of a service whose groups are
    ``GROUPS`` (or ``groups``)."""

    def run(*args: str, groups=GROUPS, input: str | None = None):
        app = Flask("probe")
        app.extensions["redis"] = redis_client
        app.config["EVENTS_STREAM_MAXLEN"] = 1000
        events = AppGroup("events")
        events.add_command(dead_letter_commands("probe", groups))
        app.cli.add_command(events)
        return app.test_cli_runner().invoke(args=["events", "dead-letters", *args], input=input)

    return run


@pytest.fixture
def dead(redis_client):
    """Return a consumer whose handler failed on event n=1: one dead letter of group ``g``."""
    handler = Handler(broken=True)
    consumer = _consumer(redis_client, handler)
    event = _publish(redis_client, 1)
    _drain(consumer)
    assert handler.seen == [1]
    return consumer, handler, event


def _listed(cli, *args: str) -> list[dict]:
    result = cli("list", "--json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_list_shows_what_the_consumer_gave_up_on_and_why(cli, dead, redis_client):
    _consumer, _handler, event = dead
    (original,) = redis_client.xrange(STREAM)
    (letter,) = _listed(cli)
    assert letter["stream"] == STREAM
    assert letter["dead_letter_stream"] == dlq_name(STREAM)
    assert letter["entry_id"] == original[0].decode()
    assert letter["group"] == "g"
    assert (letter["event_type"], letter["event_id"]) == ("test.pinged", event.id)
    assert letter["deliveries"] == 1
    assert "RuntimeError: database went away (n=1)" in letter["reason"]
    assert letter["time"].endswith("+00:00")
    text = cli("list")
    assert text.exit_code == 0
    assert event.id in text.output
    assert f"{dlq_name(OTHER_STREAM)} 0, {dlq_name(STREAM)} 1" in text.output


def test_list_keeps_to_the_service_groups_its_stream_and_its_limit(cli, dead, redis_client):
    # Another service's group gives up on an event of the same stream: not ours to list.
    _drain(_consumer(redis_client, Handler(broken=True), group="someone-else"))
    assert [letter["group"] for letter in _listed(cli)] == ["g"]
    assert redis_client.xlen(dlq_name(STREAM)) == 2
    _publish(redis_client, 2, OTHER_STREAM)
    _drain(_consumer(redis_client, Handler(broken=True), streams=(OTHER_STREAM,)))
    assert len(_listed(cli)) == 2
    assert [letter["stream"] for letter in _listed(cli, "--stream", OTHER_STREAM)] == [OTHER_STREAM]
    assert len(_listed(cli, "--stream", dlq_name(STREAM))) == 1
    assert len(_listed(cli, "--limit", "1")) == 1
    unknown = cli("list", "--stream", "nobody:events")
    assert unknown.exit_code == 1
    assert "no consumer group of this service reads nobody:events" in unknown.output


def test_show_prints_the_whole_event(cli, dead):
    _consumer, _handler, event = dead
    (letter,) = _listed(cli)
    result = cli("show", letter["id"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["event"]["id"] == event.id
    assert document["event"]["data"]["n"] == 1
    assert document["reason"] == letter["reason"]
    missing = cli("show", "1-1")
    assert missing.exit_code == 1
    assert "no dead letter 1-1" in missing.output
    assert cli("show", "not-an-id").exit_code == 1


def test_a_replayed_event_is_handled_again_and_leaves_the_dead_letters(cli, dead, redis_client):
    consumer, handler, event = dead
    (letter,) = _listed(cli)
    handler.broken = False  # the cause is fixed
    result = cli("replay", letter["id"])
    assert result.exit_code == 0, result.output
    assert f"replayed {letter['id']}: test.pinged {event.id} -> {STREAM}" in result.output
    assert redis_client.xlen(dlq_name(STREAM)) == 0
    _drain(consumer)
    assert handler.seen == [1, 1]
    assert redis_client.exists(processed_key("g", event.id))
    assert redis_client.xpending(STREAM, "g")["pending"] == 0
    again = cli("replay", letter["id"])
    assert again.exit_code == 1
    assert redis_client.xlen(STREAM) == 2  # the original and one replay


def test_a_replay_reaches_its_group_only(cli, redis_client):
    broken, other = Handler(broken=True), Handler()
    mine = _consumer(redis_client, broken)
    theirs = _consumer(redis_client, other, group="other")
    event = _publish(redis_client, 1)
    _drain(mine, theirs)
    assert (broken.seen, other.seen) == ([1], [1])
    # The other group's mark of the event has expired (it lasts a week): without the address,
    # the replay would run its handler a second time.
    redis_client.delete(processed_key("other", event.id))
    broken.broken = False
    (letter,) = _listed(cli)
    assert cli("replay", letter["id"]).exit_code == 0
    _drain(mine, theirs)
    assert broken.seen == [1, 1]
    assert other.seen == [1]
    assert redis_client.xpending(STREAM, "other")["pending"] == 0


def test_a_replay_clears_the_mark_that_would_make_the_handler_skip_it(cli, dead, redis_client):
    consumer, handler, event = dead
    # Marked handled by the group (e.g. a slow member finished it after another gave up).
    redis_client.set(processed_key("g", event.id), "1")
    handler.broken = False
    (letter,) = _listed(cli)
    result = cli("replay", letter["id"])
    assert result.exit_code == 0, result.output
    assert "it was marked handled: mark cleared" in result.output
    _drain(consumer)
    assert handler.seen == [1, 1]


def test_replaying_one_dead_letter_twice_puts_the_event_back_once(dead, redis_client):
    (letter,) = deadletters.list_dead_letters(redis_client, GROUPS)
    deadletters.replay(redis_client, letter, maxlen=1000)
    with pytest.raises(deadletters.DeadLetterError, match="is gone"):
        deadletters.replay(redis_client, letter, maxlen=1000)
    assert redis_client.xlen(STREAM) == 2


def test_replay_all_puts_back_the_valid_events_and_refuses_malformed_ones(cli, redis_client):
    handler = Handler(broken=True)
    consumer = _consumer(redis_client, handler)
    for n in (1, 2):
        _publish(redis_client, n)
    redis_client.xadd(STREAM, {"event": b"{not json"})
    _drain(consumer)
    assert len(_listed(cli)) == 3
    handler.broken = False
    both = cli("replay", "1-1", "--all")
    assert both.exit_code == 2
    result = cli("replay", "--all")
    assert result.exit_code == 1
    assert "2 replayed, 1 not replayed" in result.output
    assert "holds no valid event: purge it instead" in result.output
    _drain(consumer)
    assert sorted(handler.seen) == [1, 1, 2, 2]
    (left,) = _listed(cli)
    assert left["reason"].startswith("malformed event")


def test_purge_asks_first_and_deletes_only_what_was_confirmed(cli, dead, redis_client):
    (letter,) = _listed(cli)
    refused = cli("purge", letter["id"], input="n\n")
    assert refused.exit_code == 1
    assert "Delete 1 dead letter for good?" in refused.output
    assert redis_client.xlen(dlq_name(STREAM)) == 1
    confirmed = cli("purge", letter["id"], input="y\n")
    assert confirmed.exit_code == 0, confirmed.output
    assert "1 dead letter purged" in confirmed.output
    assert redis_client.xlen(dlq_name(STREAM)) == 0


def test_purge_older_than_keeps_the_recent_ones(cli, redis_client):
    ten_days_ago_ms = int((time.time() - timedelta(days=10).total_seconds()) * 1000)
    redis_client.xadd(
        dlq_name(STREAM),
        {"event": b"{}", "group": "g", "stream": STREAM, "entry_id": "1-0", "reason": "old"},
        id=f"{ten_days_ago_ms}-0",
    )
    _publish(redis_client, 1)
    _drain(_consumer(redis_client, Handler(broken=True)))
    assert len(_listed(cli)) == 2
    result = cli("purge", "--older-than", "7", "--yes")
    assert result.exit_code == 0, result.output
    assert "1 dead letter purged" in result.output
    (kept,) = _listed(cli)
    assert kept["reason"] != "old"
    assert "no dead letters to purge" in cli("purge", "--older-than", "7", "--yes").output


def test_a_service_without_consumer_groups_has_no_dead_letters(cli, dead):
    result = cli("list", groups=())
    assert result.exit_code == 0, result.output
    assert "none (probe runs no consumer groups)" in result.output
    assert cli("replay", "--all", groups=()).exit_code == 0
