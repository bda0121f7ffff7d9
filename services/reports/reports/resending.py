"""Use cases of the operator's resending: webhook deliveries and e-mails that failed (every
attempt used) or stalled (pending, but their task was lost with the Celery queue), sent again.

A delivery or e-mail keeps its id, so a webhook is resent with the same ``webhook-id`` and an
e-mail with the same ``Message-ID``: a receiver that did get an earlier try drops the copy. One
that was delivered is never sent again.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from reports.models import DeliveryStatus, EmailDelivery, WebhookDelivery

Enqueue = Callable[[str], None]
Outgoing = type[WebhookDelivery] | type[EmailDelivery]
Row = TypeVar("Row", bound=WebhookDelivery | EmailDelivery)


class Resent(StrEnum):
    """What resending one delivery or e-mail did."""

    REQUEUED = "requeued"  # it had failed: a new round of attempts, queued
    REENQUEUED = "re-enqueued"  # pending but untouched since the cut-off: its task queued again
    IN_PROGRESS = "in progress"  # pending and recently tried or created: left alone
    DELIVERED = "delivered"  # left alone
    MISSING = "missing"


def _touched(model: type[Row]) -> Any:
    """The column that says when a row last moved (an attempt, else its creation)."""
    if model is WebhookDelivery:
        return WebhookDelivery.last_attempt_at
    return EmailDelivery.sent_at


def list_failed(*, session: Session, model: type[Row], since: datetime | None = None) -> list[Row]:
    """Return the failed deliveries (or e-mails), created since ``since``, newest first."""
    query = select(model).where(model.status == DeliveryStatus.FAILED.value)
    if since is not None:
        query = query.where(model.created_at >= since)
    return list(session.scalars(query.order_by(model.created_at.desc(), model.id)))


def list_stalled(*, session: Session, model: type[Row], before: datetime) -> list[Row]:
    """Return pending deliveries (or e-mails) untouched since ``before``, oldest first."""
    touched = _touched(model)
    query = select(model).where(
        model.status == DeliveryStatus.PENDING.value,
        model.created_at < before,
        or_(touched.is_(None), touched < before),
    )
    return list(session.scalars(query.order_by(model.created_at, model.id)))


def resend(
    *, session: Session, model: type[Row], item_id: str, enqueue: Enqueue, stalled_before: datetime
) -> Resent:
    """Send a failed delivery (or e-mail) again with a new round of attempts, or queue the task
    of one stalled since ``stalled_before``; a delivered or recently moving one is left alone."""
    with session.begin():
        row = session.get(model, item_id, with_for_update=True, populate_existing=True)
        if row is None:
            return Resent.MISSING
        if row.status == DeliveryStatus.DELIVERED:
            return Resent.DELIVERED
        if row.status == DeliveryStatus.FAILED:
            row.status = DeliveryStatus.PENDING.value
            row.attempts = 0  # the last error stays until the next attempt replaces it
            if isinstance(row, WebhookDelivery):
                row.finished_at = None
            outcome = Resent.REQUEUED
        else:
            last = row.last_attempt_at if isinstance(row, WebhookDelivery) else row.sent_at
            if row.created_at >= stalled_before or (last is not None and last >= stalled_before):
                return Resent.IN_PROGRESS
            outcome = Resent.REENQUEUED
    enqueue(item_id)
    return outcome
