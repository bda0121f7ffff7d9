"""Structured JSON logging with a request id that travels across services and into tasks."""

from __future__ import annotations

import contextvars
import json
import logging
import re
import secrets
import sys
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from shared.timestamps import to_rfc3339

_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
_traceparent: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "traceparent", default=None
)

_SAFE_ID = re.compile(r"^[A-Za-z0-9._:\-]{1,128}$")
_TRACEPARENT = re.compile(r"^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$")
_STANDARD_ATTRS = set(vars(logging.makeLogRecord({})).keys()) | {"message", "asctime"}


def new_request_id() -> str:
    """Return a fresh random request id."""
    return secrets.token_hex(16)


def new_traceparent() -> str:
    """Return a fresh W3C traceparent header value (trace id and parent id: 24 random bytes)."""
    random = secrets.token_hex(24)  # one read of the system's random source, not two
    return f"00-{random[:32]}-{random[32:]}-01"


def clean_request_id(value: str | None) -> str:
    """Return ``value`` when it is a safe id, else a fresh one (ids end up in logs and headers)."""
    if value and _SAFE_ID.match(value):
        return value
    return new_request_id()


def clean_traceparent(value: str | None) -> str:
    """Return ``value`` when it is a valid traceparent, else a fresh one."""
    if value and _TRACEPARENT.match(value.strip().lower()):
        return value.strip().lower()
    return new_traceparent()


def bind_context(request_id: str | None, traceparent: str | None) -> None:
    """Attach a request id and traceparent to everything logged from now on in this context."""
    _request_id.set(request_id)
    _traceparent.set(traceparent)


def current_request_id() -> str | None:
    """Return the request id of the current context, if any."""
    return _request_id.get()


def current_traceparent() -> str | None:
    """Return the traceparent of the current context, if any."""
    return _traceparent.get()


def _record_time(record: logging.LogRecord) -> str:
    return to_rfc3339(datetime.fromtimestamp(record.created, UTC), timespec="milliseconds")


def _json_value(value: Any) -> Any:
    return to_rfc3339(value) if isinstance(value, datetime) else str(value)


class JsonFormatter(logging.Formatter):
    """Formats each record as one JSON object per line."""

    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        """Return the record as a JSON line."""
        entry: dict[str, Any] = {
            "time": _record_time(record),
            "level": record.levelname.lower(),
            "service": self.service,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": _request_id.get(),
            "traceparent": _traceparent.get(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD_ATTRS and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=_json_value, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """Human-readable lines for local work, still carrying the request id."""

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802
        """Return the record's time as RFC 3339 in UTC (milliseconds)."""
        return _record_time(record)

    def format(self, record: logging.LogRecord) -> str:
        """Return the record as a text line."""
        base = super().format(record)
        return f"{base} [request_id={_request_id.get() or '-'}]"


def configure_logging(service: str, *, level: str = "INFO", fmt: str = "json") -> None:
    """Send the root logger's output to stderr in the chosen format (idempotent)."""
    handler = logging.StreamHandler(sys.stderr)
    if fmt == "text":
        handler.setFormatter(TextFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    else:
        handler.setFormatter(JsonFormatter(service))
    root = logging.getLogger()
    for existing in list(root.handlers):
        if getattr(existing, "_smartcustoms", False):
            root.removeHandler(existing)
    handler._smartcustoms = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level.upper())


def context_headers() -> dict[str, str]:
    """Return the headers that carry the current context to another process (task, event)."""
    headers: dict[str, str] = {}
    if (rid := _request_id.get()) is not None:
        headers["request_id"] = rid
    if (tp := _traceparent.get()) is not None:
        headers["traceparent"] = tp
    return headers


def bind_from_headers(headers: Mapping[str, Any] | None) -> None:
    """Restore the context carried by ``context_headers`` (in a task or an event handler)."""
    headers = headers or {}
    rid = headers.get("request_id")
    tp = headers.get("traceparent")
    bind_context(
        clean_request_id(rid if isinstance(rid, str) else None),
        clean_traceparent(tp if isinstance(tp, str) else None),
    )
