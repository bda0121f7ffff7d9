"""gunicorn settings and hooks of every web process (``--config python:shared.gunicorn_conf``).

A graceful stop (SIGTERM to the master, which closes its sockets and sends SIGTERM to each
worker) goes, per worker:

1. drain, ``WEB_DRAIN_S`` seconds (default 5): the worker marks its app draining
   (``shared.draining``) and keeps accepting: running requests go on, ``/readyz`` answers 503 so
   a load balancer stops sending, a request that still arrives gets a 503 problem with
   ``Retry-After`` instead of a refused or reset connection, live streams end at once with a
   reconnect event;
2. stop: the worker accepts nothing more and exits once its running requests are done.

The master kills whatever is left ``graceful_timeout`` seconds after the SIGTERM: 25 s, below the
orchestrator's grace period (30 s: compose ``stop_grace_period``, Kubernetes
``terminationGracePeriodSeconds``), which leaves a request the drain time plus 20 s.

Only a stop of the whole server drains: the master marks it in a flag shared with its workers
before it signals them. A worker the master retires while the server goes on (a reload on
SIGHUP, one worker fewer on SIGTTOU) stops as gunicorn stops it, after a second's wait for that
flag (a SIGTERM sent to the whole process group may reach a worker before the master marks it).
A further SIGTERM changes nothing; SIGINT or SIGQUIT still stop at once (live streams are told
to end first).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable
from typing import Any

from flask import Flask

from shared.config import env_float
from shared.draining import end_streams, start_draining

__all__ = [
    "graceful_timeout",
    "keepalive",
    "post_worker_init",
    "timeout",
    "when_ready",
    "worker_int",
]

graceful_timeout = 25
timeout = 30  # a sync worker silent for this long (a request that long included) is replaced
# Idle keep-alive connections (threaded workers: reports) outlive the gateway's: nginx drops an
# idle upstream connection after 60 s, so it never reuses one the server has just closed (with
# gunicorn's 2 s default a POST sent at that moment met a closed connection: a 502).
keepalive = 75

DRAIN_S = env_float("WEB_DRAIN_S", 5.0)
MASTER_WAIT_S = 1.0  # how long a signalled worker waits to learn whether the server stops
_log = logging.getLogger("gunicorn.error")
# Set by the master when it is asked to stop; made before any fork, so every worker shares it.
_SERVER_STOPPING: Any = multiprocessing.RawValue("b", 0)


def _server_stopping() -> bool:
    return bool(_SERVER_STOPPING.value)


def _app(worker: Any) -> Flask | None:
    app = getattr(worker, "wsgi", None)
    return app if isinstance(app, Flask) else None


class _Drain:
    """A worker's SIGTERM handling: drain first, then gunicorn's own graceful stop."""

    def __init__(
        self,
        worker: Any,
        graceful: Any,
        drain_s: float,
        server_stopping: Callable[[], bool] = _server_stopping,
    ) -> None:
        self.worker = worker
        self.graceful = graceful
        self.drain_s = drain_s
        self.server_stopping = server_stopping
        self.phase = "serving"

    def on_term(self, signum: int, frame: Any) -> None:
        """Drain on the first SIGTERM of a server stop, then stop; repeats change nothing."""
        if self.phase == "serving":
            if _app(self.worker) is None or self.drain_s <= 0:
                self._stop(signum, frame)
                return
            self.phase = "draining"
            threading.Thread(target=self._drain, name="drain", daemon=True).start()
        elif self.phase == "drained":
            self._stop(signum, frame)

    def _drain(self) -> None:
        app = _app(self.worker)
        deadline = time.monotonic() + MASTER_WAIT_S
        while not self.server_stopping() and time.monotonic() < deadline:
            time.sleep(0.02)
        if app is not None and self.server_stopping():
            start_draining(app)
            _log.info("worker %s draining for %.1f s", os.getpid(), self.drain_s)
            time.sleep(self.drain_s)
        self.phase = "drained"
        os.kill(os.getpid(), signal.SIGTERM)  # gunicorn's handler runs in the main thread

    def _stop(self, signum: int, frame: Any) -> None:
        self.phase = "stopping"
        app = _app(self.worker)
        if app is not None:
            end_streams(app)  # a retired worker must not wait for them either
            if self.server_stopping():
                start_draining(app)  # what still arrives before the loop ends is refused
        if callable(self.graceful):
            self.graceful(signum, frame)


def when_ready(server: Any) -> None:
    """In the master: mark the server stopping before its stop signals the workers."""
    for name in ("handle_term", "handle_int", "handle_quit"):
        handle = getattr(server, name)

        def marked(handle: Callable[[], None] = handle) -> None:
            _SERVER_STOPPING.value = 1
            handle()

        setattr(server, name, marked)  # the arbiter looks its handlers up by name


def post_worker_init(worker: Any) -> None:
    """Put the drain in front of the worker's own SIGTERM handler."""
    drain = _Drain(worker, signal.getsignal(signal.SIGTERM), DRAIN_S)
    signal.signal(signal.SIGTERM, drain.on_term)
    signal.siginterrupt(signal.SIGTERM, False)  # as gunicorn has it: requests are not disturbed


def worker_int(worker: Any) -> None:
    """On SIGINT/SIGQUIT (immediate stop), end the live streams first."""
    app = _app(worker)
    if app is not None:
        end_streams(app)
