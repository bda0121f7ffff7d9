"""Settings of the reports service (environment variables ``REPORTS_*``)."""

from __future__ import annotations

from typing import Any

from shared.bus import stream_name
from shared.config import env_bool, env_float, env_int, env_str

SERVICE = "reports"
STREAM = stream_name(SERVICE)
ASSESSMENT_STREAM = stream_name("assessment")
JOBS_GROUP = "reports"
NOTIFICATIONS_GROUP = "reports-notifications"
PORTAL_STREAM = stream_name("portal")
CONTENT_GROUP = "reports-content"
IMPORTS_GROUP = "reports-imports"
ADMINISTRATIONS_GROUP = "reports-administrations"
ACTIONS_GROUP = "reports-actions"
FORUMS_GROUP = "reports-forums"
PEERS_GROUP = "reports-peers"


def settings() -> dict[str, Any]:
    """Return the service's own settings as Flask config keys."""
    return {
        # Empty means "the shared REDIS_URL", resolved after test_config is applied.
        "REPORTS_CELERY_BROKER_URL": env_str("REPORTS_CELERY_BROKER_URL", ""),
        "REPORTS_CELERY_QUEUE": env_str("REPORTS_CELERY_QUEUE", "reports"),
        # Webhooks and e-mails (slow, remote receivers): their own queue and workers (ADR 0011).
        "REPORTS_DELIVERY_QUEUE": env_str("REPORTS_DELIVERY_QUEUE", "reports-deliveries"),
        # Must stay above the longest build, or a slow task is delivered to a second worker.
        "REPORTS_VISIBILITY_TIMEOUT_S": env_int("REPORTS_VISIBILITY_TIMEOUT_S", 300),
        "REPORTS_TASK_TIME_LIMIT_S": env_int("REPORTS_TASK_TIME_LIMIT_S", 240),
        "REPORTS_UNACKED_RESTORE_INTERVAL_S": env_int("REPORTS_UNACKED_RESTORE_INTERVAL_S", 10),
        "REPORTS_FILE_STORE": env_str("REPORTS_FILE_STORE", "database"),
        **delivery_settings(),
    }


def delivery_settings() -> dict[str, Any]:
    """Return the settings of webhooks, live notifications (SSE) and e-mail."""
    return {
        "REPORTS_WEBHOOK_TIMEOUT_S": env_float("REPORTS_WEBHOOK_TIMEOUT_S", 5.0),
        "REPORTS_WEBHOOK_MAX_ATTEMPTS": env_int("REPORTS_WEBHOOK_MAX_ATTEMPTS", 6),
        "REPORTS_WEBHOOK_BACKOFF_S": env_float("REPORTS_WEBHOOK_BACKOFF_S", 10.0),
        # Retries wait in the worker (Celery countdown); it is kept below half the visibility
        # timeout, or Redis would hand a waiting retry to a second worker.
        "REPORTS_WEBHOOK_BACKOFF_MAX_S": env_float("REPORTS_WEBHOOK_BACKOFF_MAX_S", 120.0),
        # Off: webhooks only go to public addresses (no loopback, private or link-local ones).
        "REPORTS_WEBHOOK_ALLOW_PRIVATE": env_bool("REPORTS_WEBHOOK_ALLOW_PRIVATE", False),
        "REPORTS_WEBHOOK_MAX_ENDPOINTS": env_int("REPORTS_WEBHOOK_MAX_ENDPOINTS", 10),
        "REPORTS_SSE_HEARTBEAT_S": env_float("REPORTS_SSE_HEARTBEAT_S", 15.0),
        "REPORTS_SSE_MAX_AGE_S": env_float("REPORTS_SSE_MAX_AGE_S", 300.0),
        "REPORTS_SSE_RETRY_MS": env_int("REPORTS_SSE_RETRY_MS", 3000),
        # Per web process; keep it below gunicorn's --threads so other requests always get one.
        "REPORTS_SSE_MAX_STREAMS": env_int("REPORTS_SSE_MAX_STREAMS", 12),
        # Empty: no e-mail is sent.
        "REPORTS_SMTP_HOST": env_str("REPORTS_SMTP_HOST", ""),
        "REPORTS_SMTP_PORT": env_int("REPORTS_SMTP_PORT", 25),
        "REPORTS_SMTP_FROM": env_str("REPORTS_SMTP_FROM", "Smart Customs <no-reply@localhost>"),
        "REPORTS_SMTP_USERNAME": env_str("REPORTS_SMTP_USERNAME", ""),
        "REPORTS_SMTP_PASSWORD": env_str("REPORTS_SMTP_PASSWORD", ""),
        "REPORTS_SMTP_STARTTLS": env_bool("REPORTS_SMTP_STARTTLS", False),
        "REPORTS_SMTP_TIMEOUT_S": env_float("REPORTS_SMTP_TIMEOUT_S", 10.0),
        # Test hook only: seconds a report build sleeps half-way (to kill a worker mid-build).
        "REPORTS_TEST_BUILD_DELAY_S": env_float("REPORTS_TEST_BUILD_DELAY_S", 0.0),
    }
