"""A consumer outlives a Redis that restarts without its data (the group is gone with it)."""

from __future__ import annotations

import contextlib
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator

import pytest
import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from shared.bus import Consumer, ConsumerSettings, EventBus
from shared.events import new_event

STREAM = "test:recovery"
FAST = ConsumerSettings(max_deliveries=3, retry_base_ms=20, claim_idle_ms=100, block_ms=50)


class _Server:
    """A private redis-server keeping nothing on disk, which can be killed and started again."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port)
        for _ in range(100):
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("private redis-server did not answer")

    def kill(self) -> None:
        assert self.process is not None
        self.process.kill()
        self.process.wait()

    def pause(self) -> None:
        """Freeze the server (SIGSTOP): connections stay open and nothing answers."""
        assert self.process is not None
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGCONT)


@pytest.fixture()
def server() -> Iterator[_Server]:
    if shutil.which("redis-server") is None:
        pytest.fail("redis-server is required (make bootstrap installs it)")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    private = _Server(port)
    private.start()
    yield private
    private.resume()
    private.kill()


def _wait(condition, timeout_s: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


@contextlib.contextmanager
def _consuming(client: redis.Redis) -> Iterator[tuple[list[int], threading.Thread]]:
    """Run a consumer of ``test.pinged`` in a thread; yield what it saw and its thread."""
    seen: list[int] = []
    consumer = Consumer(
        client,
        group="g",
        streams=[STREAM],
        settings=FAST,
        handlers={"test.pinged": lambda e: seen.append(e.data["n"])},
    )
    consumer.ensure_groups()
    stop = threading.Event()
    loop = threading.Thread(target=consumer.run, args=(stop,), daemon=True)
    loop.start()
    try:
        yield seen, loop
    finally:
        stop.set()
        loop.join(timeout=5)
        client.close()


def _published(bus: EventBus, n: int) -> bool:
    try:
        bus.publish(STREAM, new_event("test.pinged", source="test", data={"n": n}))
    except (redis.ConnectionError, redis.TimeoutError):
        return False
    return True


def test_a_consumer_creates_its_group_again_after_redis_restarts_empty(server):
    client = redis.Redis(port=server.port, socket_timeout=2)
    with _consuming(client) as (seen, loop):
        EventBus(client).publish(STREAM, new_event("test.pinged", source="test", data={"n": 1}))
        assert _wait(lambda: seen == [1])

        server.kill()  # SIGKILL, nothing on disk: the stream and its group are gone
        time.sleep(0.3)
        server.start()
        assert client.exists(STREAM) == 0

        bus = EventBus(client)
        assert _wait(lambda: _published(bus, 2)), "could not publish after the restart"
        assert _wait(lambda: seen == [1, 2]), f"the consumer read nothing after the restart: {seen}"
        assert loop.is_alive()
        assert client.xpending(STREAM, "g")["pending"] == 0


def test_a_consumer_outlives_a_redis_that_stops_answering_for_a_while(server):
    # A frozen or overloaded server makes reads time out (redis.TimeoutError, not a
    # ConnectionError): the loop must wait and go on, not end and leave the process reading nothing.
    # No retries in the client: the first timeout reaches the loop (the services' client retries
    # a few times, then raises the same error).
    client = redis.Redis(port=server.port, socket_timeout=0.5, retry=Retry(NoBackoff(), 0))
    with _consuming(client) as (seen, loop):
        server.pause()
        try:
            time.sleep(1.5)  # several reads time out meanwhile
            assert loop.is_alive(), "the consumer loop ended on a read timeout"
        finally:
            server.resume()
        bus = EventBus(client)
        assert _wait(lambda: _published(bus, 1)), "could not publish after the server resumed"
        assert _wait(lambda: seen == [1]), f"the consumer read nothing after the pause: {seen}"
        assert loop.is_alive()
