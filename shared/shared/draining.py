"""Draining: a web process asked to stop refuses new requests cleanly until it exits.

When gunicorn asks a worker to stop (SIGTERM, see ``shared.gunicorn_conf``), the worker marks
its app as draining and keeps accepting connections for a short while before it stops: requests
already running finish, ``/readyz`` says not ready (a load balancer stops sending), a request
that still arrives gets a 503 problem with ``Retry-After`` (never a reset connection), and live
streams that watch ``closing_event`` end and tell the browser to reconnect. ``/healthz`` stays
up: the process is alive, it only takes no new work. A worker retired while the server goes on
(a reload) only ends its streams (``end_streams``): the other workers take the new requests.
"""

from __future__ import annotations

import threading

from flask import Flask, Request, Response

from shared.errors import problem_response, register_titles
from shared.translations import N_

DRAINING = "shared.draining"
CLOSING = "shared.closing"
# How long a refused caller should wait: another replica (or this one restarted) answers then.
RETRY_AFTER_S = 2
ERRORS = {"shutting_down": N_("This server is restarting; try again in a moment")}
_STILL_SERVED = frozenset({"/healthz"})


def init_draining(app: Flask) -> None:
    """Give ``app`` its draining flag (not set) and the problem it answers while draining."""
    register_titles(ERRORS, domain="shared")
    app.extensions[DRAINING] = threading.Event()
    app.extensions[CLOSING] = threading.Event()


def _event(app: Flask, key: str) -> threading.Event:
    event = app.extensions.get(key)
    if not isinstance(event, threading.Event):
        event = app.extensions[key] = threading.Event()
    return event


def draining_event(app: Flask) -> threading.Event:
    """Return the flag set once ``app`` drains: new requests are refused."""
    return _event(app, DRAINING)


def closing_event(app: Flask) -> threading.Event:
    """Return the flag set once the process stops or drains: long-lived streams end."""
    return _event(app, CLOSING)


def start_draining(app: Flask) -> None:
    """Mark ``app`` as draining: new requests are refused and live streams end from now on."""
    draining_event(app).set()
    closing_event(app).set()


def end_streams(app: Flask) -> None:
    """Tell the live streams of ``app`` to end (the worker stops; requests are still served)."""
    closing_event(app).set()


def is_draining(app: Flask) -> bool:
    """Return whether ``app`` is draining."""
    return draining_event(app).is_set()


def refusal(req: Request) -> Response | None:
    """Return the 503 problem for a request that arrives while draining, else None."""
    path = req.path
    if path in _STILL_SERVED or path.endswith("/healthz"):
        return None
    response = problem_response(503, "shutting_down", headers={"Retry-After": str(RETRY_AFTER_S)})
    response.headers["Cache-Control"] = "no-store"
    return response
