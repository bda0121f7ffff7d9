"""Celery tasks that tell the outside world: signed webhooks, e-mails and forum digests (work in
use cases).

All run on the delivery queue (``REPORTS_DELIVERY_QUEUE``, ADR 0011), apart from report builds,
and are retried with a bounded, doubling wait. A webhook's attempts are counted in its delivery
row (the record an API client reads); Celery's own retry count only guards against a loop.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import redis.exceptions
from celery import Task, shared_task
from flask import current_app
from sqlalchemy.exc import OperationalError

from reports import digests, mail, sender, webhooks
from reports.celery_app import DELIVER_WEBHOOK, SEND_DIGEST, SEND_EMAIL, enqueuer
from reports.models import DeliveryStatus

__all__ = ["DELIVER_WEBHOOK", "SEND_DIGEST", "SEND_EMAIL", "enqueuer"]
TRANSIENT_ERRORS = (
    OperationalError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
)
# Far above any configured number of attempts: only stops a task that retries for ever.
MAX_CELERY_RETRIES = 50


def retry_wait_s(config: Mapping[str, Any], attempts: int) -> float:
    """Return the wait before the next webhook attempt after ``attempts`` attempts."""
    cap = min(
        float(config["REPORTS_WEBHOOK_BACKOFF_MAX_S"]),
        float(config["REPORTS_VISIBILITY_TIMEOUT_S"]) / 2,
    )
    base = float(config["REPORTS_WEBHOOK_BACKOFF_S"])
    return webhooks.backoff_s(attempts, base_s=base, cap_s=cap)


def _send_with(config: Mapping[str, Any]) -> webhooks.Send:
    def send(url: str, body: bytes, headers: dict[str, str]) -> sender.Outcome:
        return sender.post(
            url,
            body=body,
            headers=headers,
            timeout_s=float(config["REPORTS_WEBHOOK_TIMEOUT_S"]),
            allow_private=bool(config["REPORTS_WEBHOOK_ALLOW_PRIVATE"]),
        )

    return send


# A delivery task: acknowledged late (a worker lost mid-send leaves it to another), retried on
# transient errors; its own attempts and backoff are counted in the database.
DELIVERY_TASK: dict[str, Any] = {
    "bind": True,
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": 2,
    "retry_backoff_max": 60,
    "max_retries": MAX_CELERY_RETRIES,
}


@shared_task(name=DELIVER_WEBHOOK, **DELIVERY_TASK)
def deliver_webhook(self: Task, delivery_id: str) -> str | None:
    """Try one webhook delivery; schedule the next try while it is neither delivered nor failed."""
    config = current_app.config
    with current_app.extensions["db"].session(write=True) as session:
        result = webhooks.attempt_delivery(
            session=session,
            delivery_id=delivery_id,
            send=_send_with(config),
            max_attempts=int(config["REPORTS_WEBHOOK_MAX_ATTEMPTS"]),
        )
    if result.status == DeliveryStatus.PENDING:
        raise self.retry(countdown=retry_wait_s(config, result.attempts))
    return result.status


def public_url(config: Mapping[str, Any]) -> str:
    """Return the platform's public base URL (links in e-mails): the gateway's, the issuer's."""
    return str(config.get("REPORTS_PUBLIC_URL") or config["AUTH_ISSUER"])


def _send_mail(self: Task, send: Callable[..., mail.Sent], **row_id: str) -> str | None:
    """Run one e-mail use case with the SMTP settings; schedule the next try while it is pending."""
    config = current_app.config
    with current_app.extensions["db"].session(write=True) as session:
        result = send(
            session=session,
            smtp=mail.SmtpSettings.from_config(config),
            public_url=public_url(config),
            max_attempts=int(config["REPORTS_WEBHOOK_MAX_ATTEMPTS"]),
            **row_id,
        )
    if result.status == DeliveryStatus.PENDING:
        raise self.retry(countdown=retry_wait_s(config, result.attempts))
    return result.status


@shared_task(name=SEND_EMAIL, **DELIVERY_TASK)
def send_email(self: Task, email_id: str) -> str | None:
    """Send one notification e-mail; schedule the next try while it is neither sent nor failed."""
    return _send_mail(self, mail.send_email, email_id=email_id)


@shared_task(name=SEND_DIGEST, **DELIVERY_TASK)
def send_digest(self: Task, digest_id: str) -> str | None:
    """Send one forum digest e-mail; schedule the next try while it is neither sent nor failed."""
    return _send_mail(self, digests.send_digest, digest_id=digest_id)
