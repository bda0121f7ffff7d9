"""``Idempotency-Key`` for requests that create things: same key + same body = the first answer.

The key is claimed before the work (so two concurrent retries cannot both create), the answer is
stored after it, and a failed attempt releases the key so the client can retry.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Integer, String, UniqueConstraint, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from shared.db import Database
from shared.errors import ApiError
from shared.timestamps import UtcDateTime, utcnow

PENDING = 0


class IdempotencyMixin:
    """Columns of a service's ``Idempotency-Key`` table; mix into its declarative model."""

    @declared_attr.directive
    def __table_args__(cls) -> tuple[UniqueConstraint]:  # noqa: N805
        return (UniqueConstraint("principal", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    principal: Mapped[str] = mapped_column(String(64))
    key: Mapped[str] = mapped_column(String(128))
    fingerprint: Mapped[str] = mapped_column(String(64))
    status: Mapped[int] = mapped_column(Integer)
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


def fingerprint(method: str, path: str, body: Any) -> str:
    """Return a stable fingerprint of a request."""
    canonical = json.dumps([method, path, body], sort_keys=True, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def run_once(
    *,
    db: Database,
    model: type[IdempotencyMixin],
    principal: str,
    key: str | None,
    request_fingerprint: str,
    create: Callable[[], tuple[int, dict[str, Any]]],
) -> tuple[int, dict[str, Any]]:
    """Run ``create`` once per (principal, key); replay its stored answer afterwards."""
    if not key:
        return create()
    if len(key) > 128:
        raise ApiError(422, "validation_failed", errors={"Idempotency-Key": ["at most 128 chars"]})
    with db.session(write=True) as session:
        try:
            with session.begin():
                session.add(
                    model(  # type: ignore[call-arg]
                        principal=principal,
                        key=key,
                        status=PENDING,
                        fingerprint=request_fingerprint,
                        body={},
                    )
                )
        except IntegrityError:
            return _replay(db, model, principal, key, request_fingerprint)
    try:
        status, body = create()
    except Exception:
        _release(db, model, principal, key)
        raise
    with db.session(write=True) as session, session.begin():
        record = session.scalar(select(model).where(model.principal == principal, model.key == key))
        if record is not None:
            record.status, record.body = status, body
    return status, body


def _replay(
    db: Database, model: type[IdempotencyMixin], principal: str, key: str, request_fingerprint: str
) -> tuple[int, dict[str, Any]]:
    with db.session() as session:
        record = session.scalar(select(model).where(model.principal == principal, model.key == key))
    if record is None:
        raise ApiError(409, "idempotency_in_progress")
    if record.fingerprint != request_fingerprint:
        raise ApiError(422, "idempotency_key_reused")
    if record.status == PENDING:
        raise ApiError(409, "idempotency_in_progress")
    return record.status, dict(record.body)


def _release(db: Database, model: type[IdempotencyMixin], principal: str, key: str) -> None:
    with db.session(write=True) as session, session.begin():
        session.execute(delete(model).where(model.principal == principal, model.key == key))
