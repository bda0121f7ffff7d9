"""The platform's one way to make, store, send and read timestamps: aware UTC, RFC 3339 text.

Every time the platform writes (rows, API answers, events, webhooks, exports, logs) is an aware
UTC datetime, written as RFC 3339 with an offset (``2026-12-06T01:52:47.738570+00:00``). Times
that come without an offset (rows written before this module, which SQLite keeps as bare text,
and old events) are read as UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from marshmallow import fields
from sqlalchemy import DateTime, Dialect, TypeDecorator


def utcnow() -> datetime:
    """Return the current time as an aware UTC datetime."""
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """Return ``value`` in UTC: a naive value is read as UTC, an aware one is converted."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def parse(text: str) -> datetime:
    """Return ISO 8601 / RFC 3339 ``text`` as an aware UTC datetime (raises ``ValueError``)."""
    return as_utc(datetime.fromisoformat(text.strip()))


def to_rfc3339(value: datetime, *, timespec: str = "auto") -> str:
    """Return ``value`` as RFC 3339 text in UTC with its offset (``+00:00``)."""
    return as_utc(value).isoformat(timespec=timespec)


class UtcDateTime(TypeDecorator[datetime]):
    """A timestamp column holding aware UTC times (timestamptz on PostgreSQL, text on SQLite)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Store ``value`` in UTC (a naive value is taken as UTC)."""
        return None if value is None else as_utc(value)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Return the stored time as an aware UTC datetime (old naive values are UTC)."""
        return None if value is None else as_utc(value)


class Timestamp(fields.DateTime):
    """A date-time field that writes aware UTC RFC 3339 and reads any offset into UTC."""

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        return None if value is None else to_rfc3339(value)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> datetime:
        return as_utc(super()._deserialize(value, attr, data, **kwargs))
