"""``Idempotency-Key`` for requests that create things: same key + same body = the first answer.

The key is claimed before the work (so two concurrent retries cannot both create), the answer is
stored after it, and a failed attempt releases the key so the client can retry.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from assessment.models import IdempotencyRecord
from shared.db import Database
from shared.errors import ApiError

PENDING = 0


def fingerprint(method: str, path: str, body: Any) -> str:
    """Return a stable fingerprint of a request."""
    canonical = json.dumps([method, path, body], sort_keys=True, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def run_once(
    *,
    db: Database,
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
                    IdempotencyRecord(
                        principal=principal,
                        key=key,
                        status=PENDING,
                        fingerprint=request_fingerprint,
                        body={},
                    )
                )
        except IntegrityError:
            return _replay(db, principal, key, request_fingerprint)
    try:
        status, body = create()
    except Exception:
        _release(db, principal, key)
        raise
    with db.session(write=True) as session, session.begin():
        record = session.scalar(
            select(IdempotencyRecord).where(
                IdempotencyRecord.principal == principal, IdempotencyRecord.key == key
            )
        )
        if record is not None:
            record.status, record.body = status, body
    return status, body


def _replay(
    db: Database, principal: str, key: str, request_fingerprint: str
) -> tuple[int, dict[str, Any]]:
    with db.session() as session:
        record = session.scalar(
            select(IdempotencyRecord).where(
                IdempotencyRecord.principal == principal, IdempotencyRecord.key == key
            )
        )
    if record is None:
        raise ApiError(409, "idempotency_in_progress")
    if record.fingerprint != request_fingerprint:
        raise ApiError(422, "idempotency_key_reused")
    if record.status == PENDING:
        raise ApiError(409, "idempotency_in_progress")
    return record.status, dict(record.body)


def _release(db: Database, principal: str, key: str) -> None:
    with db.session(write=True) as session, session.begin():
        session.execute(
            delete(IdempotencyRecord).where(
                IdempotencyRecord.principal == principal, IdempotencyRecord.key == key
            )
        )
