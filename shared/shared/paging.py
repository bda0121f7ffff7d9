"""Paginated lists: bounded ``page``/``page_size``, one-statement reads, RFC 8288 headers.

Every list operation takes ``page`` (1-10 000) and ``page_size`` (1-100): a number outside
those bounds, or not a number, is a 422 naming the field, never an offset that overflows the
database. A page and its total come from one statement (a window count), so a row committed
between two reads cannot make a page contradict its own count. The response carries the total
in ``X-Total-Count`` and the neighbouring pages in an RFC 8288 ``Link`` header.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

from flask import request
from marshmallow import fields, validate
from sqlalchemy import Select, func
from sqlalchemy.orm import Session

from shared.text import InputSchema

MAX_PAGE = 10_000
MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20

# The headers of every paginated 200 response, as the OpenAPI documents declare them.
PAGE_HEADERS: dict[str, dict[str, Any]] = {
    "X-Total-Count": {
        "description": "How many items the whole list holds (all pages)",
        "schema": {"type": "integer", "minimum": 0},
    },
    "Link": {
        "description": 'RFC 8288 links to the "first", "prev", "next" and "last" pages',
        "schema": {"type": "string"},
    },
}


class PageQuerySchema(InputSchema):
    """Which page of a list to read (a list's own filters extend this schema)."""

    page = fields.Integer(
        load_default=1,
        validate=validate.Range(min=1, max=MAX_PAGE),
        metadata={"description": "Page number, from 1"},
    )
    page_size = fields.Integer(
        load_default=DEFAULT_PAGE_SIZE,
        validate=validate.Range(min=1, max=MAX_PAGE_SIZE),
        metadata={"description": "Items per page"},
    )


def fetch_page(
    session: Session, query: Select[Any], *, page: int, page_size: int, extra: Sequence[Any] = ()
) -> tuple[list[Any], int, list[Any]]:
    """Return one page of ``query``'s first column, the total and ``extra`` window aggregates.

    The total (and each aggregate of ``extra``, e.g. ``func.sum(...).over()``) is computed over
    the whole result by the statement that reads the page. A page past the end has no row to
    carry them: the first row is then read again, with its aggregates, in one statement.
    """
    statement = query.add_columns(func.count().over(), *extra)
    rows = session.execute(statement.offset((page - 1) * page_size).limit(page_size)).all()
    if not rows and page > 1:
        first = session.execute(statement.limit(1)).first()
        return [], (int(first[1]) if first else 0), _aggregates(first, len(extra))
    if not rows:
        return [], 0, [None] * len(extra)
    return [row[0] for row in rows], int(rows[0][1]), _aggregates(rows[0], len(extra))


def _aggregates(row: Any, count: int) -> list[Any]:
    return [None] * count if row is None else [row[2 + i] for i in range(count)]


def page_headers(
    *, path: str, args: Mapping[str, Any], total: int, page: int, page_size: int
) -> dict[str, str]:
    """Return ``X-Total-Count`` and the RFC 8288 ``Link`` header of one page of a list."""
    last = max(1, -(-total // page_size))
    kept = [(key, value) for key, value in args.items() if key not in ("page", "page_size")]

    def link(number: int, rel: str) -> str:
        query = urlencode([*kept, ("page", number), ("page_size", page_size)])
        return f'<{path}?{query}>; rel="{rel}"'

    links = [link(1, "first")]
    if page > 1:
        links.append(link(min(page - 1, last), "prev"))
    if page < last:
        links.append(link(page + 1, "next"))
    links.append(link(last, "last"))
    return {"X-Total-Count": str(total), "Link": ", ".join(links)}


def paged(
    items: list[Any], *, total: int, query: Mapping[str, Any]
) -> tuple[list[Any], int, dict[str, str]]:
    """Return a view's answer for one page: the items, 200 and the pagination headers."""
    headers = page_headers(
        path=request.path,
        args=request.args,
        total=total,
        page=query["page"],
        page_size=query["page_size"],
    )
    return items, 200, headers
