"""The current request's objects themselves, for code that runs on every request.

Flask's ``request``, ``g`` and ``current_app`` are proxies: each attribute read through one
first fails on the proxy (an AttributeError raised and caught) before it is looked up on the
object. Hot paths take the object once and read from it.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Request, current_app, g, request


def this_request() -> Request:
    """Return the request being handled (not the proxy)."""
    found: Request = request._get_current_object()  # type: ignore[attr-defined]
    return found


def this_g() -> Any:
    """Return the current application context's ``g`` (not the proxy)."""
    return g._get_current_object()


def this_app() -> Flask:
    """Return the application handling the request (not the proxy)."""
    found: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    return found
