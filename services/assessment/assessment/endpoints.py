"""What every view of the assessment API does around its use case.

A unit of work (a write session and the caller; for a page, a visitor not signed in goes to the
login page), the framework cache, and a creation run once per ``Idempotency-Key``. Views stay
one call to a use case between these.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from flask import Response, current_app, jsonify, request
from sqlalchemy.orm import Session

from assessment.frameworks import FrameworkCache
from assessment.models import IdempotencyRecord
from shared import idempotency
from shared.auth import Principal, current_principal
from shared.pages import signed_in


@contextmanager
def unit_of_work() -> Iterator[tuple[Session, Principal]]:
    """Yield a write session (committed at the end) and the caller."""
    with current_app.extensions["db"].session(write=True) as session:
        yield session, current_principal()


@contextmanager
def page_unit_of_work() -> Iterator[tuple[Session, Principal, FrameworkCache]]:
    """Yield a write session, the caller and the framework cache, for a page (a visitor not
    signed in is sent to the login page)."""
    principal = signed_in()
    with current_app.extensions["db"].session(write=True) as session:
        yield session, principal, framework_cache()


def framework_cache() -> FrameworkCache:
    """Return the app's cache of published framework versions."""
    cache: FrameworkCache = current_app.extensions["frameworks"]
    return cache


def once_per_key(payload: Any, create: Callable[[], tuple[int, Any]]) -> tuple[int, Any]:
    """Run ``create`` once per ``Idempotency-Key`` (the same key and ``payload`` again: the first
    answer again); return its status and body."""
    return idempotency.run_once(
        db=current_app.extensions["db"],
        model=IdempotencyRecord,
        principal=current_principal().subject,
        key=request.headers.get("Idempotency-Key"),
        request_fingerprint=idempotency.fingerprint(request.method, request.path, payload),
        create=create,
    )


def created_once(payload: Any, schema: Any, create: Callable[[], Any]) -> Response:
    """Answer 201 with ``schema``'s dump of what ``create`` made, made once per key."""
    status, body = once_per_key(payload, lambda: (201, schema.dump(create())))
    return json_response(status, body)


def json_response(status: int, body: Any) -> Response:
    """Return ``body`` as JSON with ``status``."""
    response = jsonify(body)
    response.status_code = status
    return response
