"""A real event process for test_eventloop.py: one consumer whose handler takes a while.

    python event_process_child.py REDIS_URL STREAM HANDLE_S

Each handling pushes the event id to ``child:started`` when it begins and counts it in
``child:finished`` when it ends, so the test sees what was begun, finished and acknowledged.
"""

from __future__ import annotations

import sys
import time

import redis
from flask import Flask

from shared.bus import Consumer, ConsumerSettings
from shared.eventloop import run_event_process
from shared.events import CloudEvent

GROUP = "child"
EVENT_TYPE = "test.pinged"


def main(redis_url: str, stream: str, handle_s: float) -> None:
    """Run the event process until SIGTERM."""
    client = redis.Redis.from_url(redis_url)

    def handle(event: CloudEvent) -> None:
        client.rpush("child:started", event.id)
        time.sleep(handle_s)
        client.hincrby("child:finished", event.id, 1)

    consumer = Consumer(
        client,
        group=GROUP,
        streams=[stream],
        handlers={EVENT_TYPE: handle},
        settings=ConsumerSettings(block_ms=100),
    )
    run_event_process(Flask("child"), outbox=None, consumers=[consumer])


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], float(sys.argv[3]))
