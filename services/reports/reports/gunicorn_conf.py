"""gunicorn hooks of the reports web process: ``gunicorn --config python:reports.gunicorn_conf``.

Live notification streams last minutes. When a worker is asked to stop (SIGTERM: graceful; SIGINT
or SIGQUIT: at once), these hooks tell the open streams to end, so the worker stops within a
second or two instead of waiting out the graceful timeout (browsers reconnect elsewhere).
"""

from __future__ import annotations

import signal
from typing import Any

STOPPING = "reports.sse_stopping"  # the event reports.sse registers on the app


def _stop_streams(worker: Any) -> None:
    extensions = getattr(getattr(worker, "wsgi", None), "extensions", None) or {}
    stopping = extensions.get(STOPPING)
    if stopping is not None:
        stopping.set()


def post_worker_init(worker: Any) -> None:
    """Chain the worker's SIGTERM handler: end the streams, then stop as gunicorn does."""
    graceful = signal.getsignal(signal.SIGTERM)

    def on_term(signum: int, frame: Any) -> None:
        _stop_streams(worker)
        if callable(graceful):
            graceful(signum, frame)

    signal.signal(signal.SIGTERM, on_term)
    signal.siginterrupt(signal.SIGTERM, False)  # as gunicorn has it: requests are not disturbed


def worker_int(worker: Any) -> None:
    """On SIGINT/SIGQUIT (immediate stop), end the streams first."""
    _stop_streams(worker)
