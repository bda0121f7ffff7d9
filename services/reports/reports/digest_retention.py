"""Retention of the forum digests (ADR 0013): ``flask --app reports digests purge`` deletes the
digests tried to the end (delivered or failed) made before a cut-off, with their items, and the
items left waiting for members who no longer choose a digest, in bounded batches. A pending
digest and the waiting items of a member who chose one are never deleted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, Delete, delete, select
from sqlalchemy.orm import Session

from reports.digest_models import Digest, DigestItem, DigestPreference
from reports.digests import SENT_FREQUENCIES
from reports.models import DeliveryStatus

FINISHED = (DeliveryStatus.DELIVERED.value, DeliveryStatus.FAILED.value)
BATCH_SIZE = 500


@dataclass(frozen=True)
class Purged:
    """How many rows one purge deleted."""

    digests: int = 0
    items: int = 0
    waiting_items: int = 0


def purge(*, session: Session, before: datetime, batch_size: int = BATCH_SIZE) -> Purged:
    """Delete the finished digests made before ``before`` with their items, then the items made
    before it that wait for a member without a digest, ``batch_size`` digests or items per
    transaction; return the counts (a second run deletes nothing more)."""
    digests = items = 0
    while True:
        with session.begin():
            ids = list(
                session.scalars(
                    select(Digest.id)
                    .where(Digest.status.in_(FINISHED), Digest.created_at < before)
                    .order_by(Digest.created_at, Digest.id)
                    .limit(batch_size)
                    .with_for_update(skip_locked=True)
                )
            )
            if not ids:
                break
            # the items first: the foreign key's SET NULL would make them wait again
            items += _deleted(session, delete(DigestItem).where(DigestItem.digest_id.in_(ids)))
            digests += _deleted(session, delete(Digest).where(Digest.id.in_(ids)))
    waiting = 0
    chosen = select(DigestPreference.user_id).where(
        DigestPreference.frequency.in_(SENT_FREQUENCIES)
    )
    while True:
        with session.begin():
            ids = list(
                session.scalars(
                    select(DigestItem.id)
                    .where(
                        DigestItem.digest_id.is_(None),
                        DigestItem.created_at < before,
                        DigestItem.user_id.not_in(chosen),
                    )
                    .order_by(DigestItem.created_at, DigestItem.id)
                    .limit(batch_size)
                    .with_for_update(skip_locked=True)
                )
            )
            if not ids:
                break
            waiting += _deleted(session, delete(DigestItem).where(DigestItem.id.in_(ids)))
    return Purged(digests=digests, items=items, waiting_items=waiting)


def _deleted(session: Session, statement: Delete) -> int:
    result = session.execute(statement.execution_options(synchronize_session=False))
    return int(cast(CursorResult[Any], result).rowcount or 0)
