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

A further SIGTERM (one sent to the whole process group as well as the master's) changes
nothing; SIGINT or SIGQUIT still stop at once (live streams are told to end first).
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from typing import Any

from flask import Flask

from shared.config import env_float
from shared.draining import start_draining

__all__ = ["graceful_timeout", "post_worker_init", "timeout", "worker_int"]

graceful_timeout = 25
timeout = 30  # a sync worker silent for this long (a request that long included) is replaced

DRAIN_S = env_float("WEB_DRAIN_S", 5.0)
_log = logging.getLogger("gunicorn.error")


def _app(worker: Any) -> Flask | None:
    app = getattr(worker, "wsgi", None)
    return app if isinstance(app, Flask) else None


class _Drain:
    """A worker's SIGTERM handling: drain first, then gunicorn's own graceful stop."""

    def __init__(self, worker: Any, graceful: Any, drain_s: float) -> None:
        self.worker = worker
        self.graceful = graceful
        self.drain_s = drain_s
        self.phase = "serving"

    def on_term(self, signum: int, frame: Any) -> None:
        """Start draining on the first SIGTERM; stop once the drain is over."""
        if self.phase == "serving":
            self.phase = "draining"
            app = _app(self.worker)
            if app is None or self.drain_s <= 0:
                self._stop(signum, frame)
                return
            start_draining(app)
            _log.info("worker %s draining for %.1f s", os.getpid(), self.drain_s)
            timer = threading.Timer(self.drain_s, self._drained)
            timer.daemon = True
            timer.start()
        elif self.phase == "drained":
            self._stop(signum, frame)

    def _drained(self) -> None:
        self.phase = "drained"
        os.kill(os.getpid(), signal.SIGTERM)  # gunicorn's handler runs in the main thread

    def _stop(self, signum: int, frame: Any) -> None:
        self.phase = "stopping"
        app = _app(self.worker)
        if app is not None:
            start_draining(app)  # what still arrives before the loop ends is refused
        if callable(self.graceful):
            self.graceful(signum, frame)


def post_worker_init(worker: Any) -> None:
    """Put the drain in front of the worker's own SIGTERM handler."""
    drain = _Drain(worker, signal.getsignal(signal.SIGTERM), DRAIN_S)
    signal.signal(signal.SIGTERM, drain.on_term)
    signal.siginterrupt(signal.SIGTERM, False)  # as gunicorn has it: requests are not disturbed


def worker_int(worker: Any) -> None:
    """On SIGINT/SIGQUIT (immediate stop), end the live streams first."""
    app = _app(worker)
    if app is not None:
        start_draining(app)
