"""The event process: its heartbeat (touched while every loop makes progress, not once one hangs)
and its stop (SIGTERM: the event in hand finishes, nothing unfinished is acknowledged)."""

import json
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from flask import Flask

from shared.bus import Consumer, ConsumerSettings, EventBus
from shared.eventloop import EventLoopEnded, Heartbeat, run_event_process
from shared.events import new_event

STREAM = "test:heartbeat"


def _wait_for(condition, timeout_s: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_the_heartbeat_file_is_touched_only_while_no_loop_is_stale(tmp_path: Path):
    path = tmp_path / "alive"
    heartbeat = Heartbeat(path, stale_s=0.2)
    relay, consumer = heartbeat.loop("relay"), heartbeat.loop("consumer")
    heartbeat.pulse()
    assert path.exists()
    path.unlink()
    time.sleep(0.3)
    relay()
    assert heartbeat.stale() == ["consumer"]
    heartbeat.pulse()
    assert not path.exists()
    consumer()
    heartbeat.pulse()
    assert path.exists()


def test_without_a_file_the_heartbeat_only_tracks_the_loops():
    heartbeat = Heartbeat(None, stale_s=0.0)
    heartbeat.loop("relay")
    time.sleep(0.01)
    heartbeat.pulse()  # nothing to touch, nothing raised
    assert heartbeat.stale() == ["relay"]


def test_a_consumer_stuck_in_a_handler_stops_the_heartbeat_until_it_returns(
    redis_client, tmp_path: Path
):
    path = tmp_path / "events-heartbeat"
    app = Flask("heartbeat-test")
    app.config.update(EVENTS_HEARTBEAT_FILE=str(path), EVENTS_HEARTBEAT_STALE_S=0.5)
    entered, release = threading.Event(), threading.Event()

    def hang(event):
        entered.set()
        release.wait(30)

    consumer = Consumer(
        redis_client,
        group="heartbeat",
        streams=[STREAM],
        handlers={"test.pinged": hang},
        settings=ConsumerSettings(block_ms=50),
    )
    stop = threading.Event()
    process = threading.Thread(
        target=run_event_process,
        args=(app,),
        kwargs={"outbox": None, "consumers": [consumer], "stop": stop},
    )
    process.start()
    try:
        assert _wait_for(path.exists), "a healthy event process touches its heartbeat file"
        EventBus(redis_client).publish(
            STREAM, new_event("test.pinged", source="test", data={"n": 1})
        )
        assert entered.wait(5)
        time.sleep(1.0)  # past the stale limit: the last touch was before the hang began
        path.unlink(missing_ok=True)
        time.sleep(1.0)
        assert not path.exists(), "a hung loop must not look alive"
        release.set()
        assert _wait_for(path.exists), "the heartbeat resumes once the loop makes progress"
    finally:
        release.set()
        stop.set()
        process.join(timeout=10)
    assert not process.is_alive()


class _LoopStub:
    """A consumer's loop as the event process sees it: it runs until stopped, or fails."""

    def __init__(self, group: str, error: Exception | None = None) -> None:
        self.group = group
        self.error = error
        self.stopped = threading.Event()

    def ensure_groups(self) -> None:
        pass

    def run(self, stop: threading.Event, *, on_round=None) -> None:
        if self.error is not None:
            raise self.error
        stop.wait(30)
        self.stopped.set()


def test_a_loop_that_fails_ends_the_process_with_the_others_stopped():
    healthy, failing = _LoopStub("healthy"), _LoopStub("failing", RuntimeError("WRONGTYPE"))
    outcome: list[BaseException] = []

    def process() -> None:
        try:
            run_event_process(Flask("ended-test"), outbox=None, consumers=[healthy, failing])
        except EventLoopEnded as exc:
            outcome.append(exc)

    thread = threading.Thread(target=process)
    thread.start()
    thread.join(timeout=10)
    assert not thread.is_alive(), "the process kept running with one of its loops gone"
    assert [str(e) for e in outcome] == ["event loops ended on their own: consumer-failing"]
    assert healthy.stopped.is_set(), "the other loops are stopped as on SIGTERM"


def test_a_process_asked_to_stop_ends_without_error():
    loop = _LoopStub("healthy")
    stop = threading.Event()
    thread = threading.Thread(
        target=run_event_process,
        args=(Flask("stopped-test"),),
        kwargs={"outbox": None, "consumers": [loop], "stop": stop},
    )
    thread.start()
    stop.set()
    thread.join(timeout=10)
    assert not thread.is_alive() and loop.stopped.is_set()


# -- stopping ------------------------------------------------------------------------------------
STOP_STREAM = "test:stopping"
CHILD = Path(__file__).with_name("event_process_child.py")


def _publish(client, count: int, event_type: str = "test.pinged") -> list[str]:
    bus = EventBus(client)
    events = [new_event(event_type, source="test", data={"n": n}) for n in range(count)]
    for event in events:
        bus.publish(STOP_STREAM, event)
    return [event.id for event in events]


def test_a_consumer_stopped_mid_batch_finishes_the_event_in_hand_and_hands_back_the_rest(
    redis_client,
):
    ids = _publish(redis_client, 5)
    entered, release = threading.Event(), threading.Event()
    first_handled: list[str] = []

    def slow(event):
        entered.set()
        release.wait(10)
        first_handled.append(event.id)

    first = Consumer(
        redis_client,
        group="stopping",
        streams=[STOP_STREAM],
        handlers={"test.pinged": slow},
        name="first",
        settings=ConsumerSettings(block_ms=50),
    )
    first.ensure_groups()
    stop = threading.Event()
    loop = threading.Thread(target=first.run, args=(stop,))
    loop.start()
    assert entered.wait(5)
    stop.set()  # SIGTERM arrives while the first event of a batch of five is being handled
    release.set()
    loop.join(timeout=10)
    assert not loop.is_alive()
    assert first_handled == ids[:1]
    pending = redis_client.xpending_range(STOP_STREAM, "stopping", min="-", max="+", count=10)
    assert len(pending) == 4  # the rest of the batch: read, never started, not acknowledged
    assert {p["consumer"] for p in pending} == {b"first"}
    assert {p["times_delivered"] for p in pending} == {0}  # that read delivered them to no one

    second_handled: list[str] = []
    second = Consumer(
        redis_client,
        group="stopping",
        streams=[STOP_STREAM],
        handlers={"test.pinged": lambda event: second_handled.append(event.id)},
        name="second",  # another member: claims the handed-back entries without the idle wait
    )
    assert second.poll(block_ms=50) == 4
    assert second_handled == ids[1:]
    assert redis_client.xpending(STOP_STREAM, "stopping")["pending"] == 0


def _start_child(redis_url: str, tmp_path: Path, name: str, handle_s: float):
    log = (tmp_path / f"{name}.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, str(CHILD), redis_url, STOP_STREAM, str(handle_s)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    log.close()
    return process


def _started(client) -> list[str]:
    return [raw.decode() for raw in client.lrange("child:started", 0, -1)]


def _finished(client) -> dict[str, int]:
    return {k.decode(): int(v) for k, v in client.hgetall("child:finished").items()}


def test_sigterm_mid_handling_acknowledges_only_finished_work_and_a_restart_handles_the_rest_once(
    redis_client, redis_url, tmp_path: Path
):
    ids = _publish(redis_client, 30)
    first = _start_child(redis_url, tmp_path, "first", handle_s=0.3)
    try:
        assert _wait_for(lambda: len(_started(redis_client)) >= 3, 30), (
            tmp_path / "first.log"
        ).read_text()
        first.send_signal(signal.SIGTERM)  # the child is inside a handler, with events read ahead
        assert first.wait(timeout=30) == 0, (tmp_path / "first.log").read_text()
    finally:
        first.kill()
    begun, done = _started(redis_client), _finished(redis_client)
    assert 3 <= len(begun) < len(ids)
    assert set(done) == set(begun) and set(done.values()) == {1}  # the one in hand finished
    pending = redis_client.xpending_range(STOP_STREAM, "child", min="-", max="+", count=100)
    assert pending, "events it had read ahead are left to the group"
    for item in pending:  # nothing unfinished was acknowledged, nothing pending was begun
        (entry,) = redis_client.xrange(STOP_STREAM, item["message_id"], item["message_id"])
        assert json.loads(entry[1][b"event"])["id"] not in begun

    second = _start_child(redis_url, tmp_path, "second", handle_s=0.01)
    try:
        assert _wait_for(lambda: len(_finished(redis_client)) == len(ids), 60), (
            tmp_path / "second.log"
        ).read_text()
        second.send_signal(signal.SIGTERM)
        assert second.wait(timeout=30) == 0
    finally:
        second.kill()
    assert sorted(_started(redis_client)) == sorted(ids)  # each begun once, over both processes
    assert _finished(redis_client) == dict.fromkeys(ids, 1)
    assert redis_client.xpending(STOP_STREAM, "child")["pending"] == 0
