"""The long-running event process of a service: its outbox relay and its consumers.

``flask --app <service> events run`` calls ``run_event_process``. Every loop runs in its own
thread. SIGTERM or SIGINT stops them all after their current round, so a replica can be removed
at any time: a consumer claims and reads nothing more, finishes the event in hand (acknowledged
only once its handler is done) and hands back what it had read but not started; the relay
finishes its batch. The process then exits 0. A loop still busy ``EVENTS_STOP_TIMEOUT_S`` after
the signal (20 s, below the orchestrator's 30 s grace period) is abandoned: its event is not
acknowledged, so another member of the group, or this process restarted, handles it again.

Liveness: a process whose thread is alive but stuck (a hung connection, a handler that never
returns) would still look alive. With ``EVENTS_HEARTBEAT_FILE`` set, the process touches that
file only while every loop has finished a round within ``EVENTS_HEARTBEAT_STALE_S``; the
container's health check is the file's age.

A loop that ends on its own (an error no round survives) ends the process too: the others are
stopped as on SIGTERM and ``EventLoopEnded`` is raised (exit status 1), so the orchestrator
restarts the process instead of keeping one that answers healthy while a group reads nothing.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from flask import Flask

from shared.bus import Consumer
from shared.outbox import OutboxMixin, run_relay

_log = logging.getLogger(__name__)


class EventLoopEnded(RuntimeError):
    """A loop of the event process ended without being asked to (its error is in the log)."""


class Heartbeat:
    """Each loop's last finished round; the file is touched only while none is stale."""

    def __init__(self, path: Path | None, stale_s: float) -> None:
        self.path = path
        self.stale_s = stale_s
        self._rounds: dict[str, float] = {}

    def loop(self, name: str) -> Callable[[], None]:
        """Register a loop; return what it calls after each round."""
        self._rounds[name] = time.monotonic()

        def beat() -> None:
            self._rounds[name] = time.monotonic()

        return beat

    def stale(self) -> list[str]:
        """Return the loops that have not finished a round within ``stale_s``."""
        now = time.monotonic()
        return sorted(name for name, at in self._rounds.items() if now - at > self.stale_s)

    def pulse(self) -> None:
        """Touch the file if every loop is making progress."""
        if self.path is not None and not self.stale():
            self.path.touch()


def run_event_process(
    app: Flask,
    *,
    outbox: type[OutboxMixin] | None,
    consumers: Sequence[Consumer] = (),
    stop: threading.Event | None = None,
) -> None:
    """Run the relay and consumers of ``app`` until stopped by a signal or ``stop``."""
    stop = stop or threading.Event()
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
    stop_timeout_s = float(app.config.get("EVENTS_STOP_TIMEOUT_S", 20.0))
    configured = app.config.get("EVENTS_HEARTBEAT_FILE") or ""
    heartbeat = Heartbeat(
        Path(configured) if configured else None, app.config.get("EVENTS_HEARTBEAT_STALE_S", 30.0)
    )
    threads = []
    if outbox is not None:
        threads.append(
            _thread(
                "relay",
                run_relay,
                app.extensions["db"],
                outbox,
                app.extensions["bus"],
                stop,
                interval_s=app.config.get("OUTBOX_POLL_INTERVAL_S", 0.1),
                on_round=heartbeat.loop("relay"),
            )
        )
    for consumer in consumers:
        consumer.ensure_groups()
        name = f"consumer-{consumer.group}"
        threads.append(_thread(name, _run_in_app, app, consumer, stop, heartbeat.loop(name)))
    _log.info("event process started", extra={"loops": [t.name for t in threads]})
    for thread in threads:
        thread.start()
    while threads and all(t.is_alive() for t in threads) and not stop.wait(0.5):
        heartbeat.pulse()
    ended = [] if stop.is_set() else [t.name for t in threads if not t.is_alive()]
    if ended:
        _log.error("event loop ended on its own: stopping the process", extra={"loops": ended})
    stop.set()
    _join(threads, stop_timeout_s, quiet=bool(ended))
    if ended:
        raise EventLoopEnded(f"event loops ended on their own: {', '.join(ended)}")


def _join(threads: Sequence[threading.Thread], timeout_s: float, *, quiet: bool) -> None:
    """Wait up to ``timeout_s`` in all for the loops to finish their round."""
    _log.info("event process stopping: finishing the events in hand")
    deadline = time.monotonic() + timeout_s
    for thread in threads:
        thread.join(timeout=max(0.0, deadline - time.monotonic()))
    unfinished = [t.name for t in threads if t.is_alive()]
    if unfinished:
        _log.error(
            "event process stopped with loops still busy: their events stay unacknowledged",
            extra={"loops": unfinished},
        )
    elif not quiet:
        _log.info("event process stopped")


def _run_in_app(
    app: Flask, consumer: Consumer, stop: threading.Event, beat: Callable[[], None]
) -> None:
    with app.app_context():
        try:
            consumer.run(stop, on_round=beat)
        except Exception:
            _log.exception("consumer loop failed", extra={"group": consumer.group})


def _thread(name: str, target: Any, *args: Any, **kwargs: Any) -> threading.Thread:
    return threading.Thread(target=target, args=args, kwargs=kwargs, name=name, daemon=True)
