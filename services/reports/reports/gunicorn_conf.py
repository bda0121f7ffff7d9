"""gunicorn settings of the reports web process: the platform's own (``shared.gunicorn_conf``).

Kept so that ``--config python:reports.gunicorn_conf`` goes on working; the drain on SIGTERM
also ends the live notification streams, which watch the app's draining flag (``reports.sse``).
"""

from __future__ import annotations

from shared.gunicorn_conf import (
    graceful_timeout,
    post_worker_init,
    timeout,
    when_ready,
    worker_int,
)

__all__ = ["graceful_timeout", "post_worker_init", "timeout", "when_ready", "worker_int"]
