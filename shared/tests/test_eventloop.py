"""The event process's heartbeat: touched while every loop makes progress, not once one hangs."""

import threading
import time
from pathlib import Path

from flask import Flask

from shared.bus import Consumer, ConsumerSettings, EventBus
from shared.eventloop import Heartbeat, run_event_process
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
