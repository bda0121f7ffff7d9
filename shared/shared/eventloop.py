"""The long-running event process of a service: its outbox relay and its consumers.

``flask --app <service> events run`` calls ``run_event_process``. Every loop runs in its own
thread; SIGTERM or SIGINT stops them all after their current round, so a replica can be removed
at any time (unacknowledged events are claimed by the other members of the group).
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Sequence
from typing import Any

from flask import Flask

from shared.bus import Consumer
from shared.outbox import OutboxMixin, run_relay

_log = logging.getLogger(__name__)


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
            )
        )
    for consumer in consumers:
        consumer.ensure_groups()
        threads.append(_thread(f"consumer-{consumer.group}", _run_in_app, app, consumer, stop))
    _log.info("event process started", extra={"loops": [t.name for t in threads]})
    for thread in threads:
        thread.start()
    while any(t.is_alive() for t in threads) and not stop.wait(0.5):
        pass
    stop.set()
    for thread in threads:
        thread.join(timeout=10)
    _log.info("event process stopped")


def _run_in_app(app: Flask, consumer: Consumer, stop: threading.Event) -> None:
    with app.app_context():
        consumer.run(stop)


def _thread(name: str, target: Any, *args: Any, **kwargs: Any) -> threading.Thread:
    return threading.Thread(target=target, args=args, kwargs=kwargs, name=name, daemon=True)
