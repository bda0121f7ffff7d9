"""Settings of the reports service (environment variables ``REPORTS_*``)."""

from __future__ import annotations

from typing import Any

from shared.bus import stream_name
from shared.config import env_int, env_str

SERVICE = "reports"
STREAM = stream_name(SERVICE)
ASSESSMENT_STREAM = stream_name("assessment")
JOBS_GROUP = "reports"
NOTIFICATIONS_GROUP = "reports-notifications"


def settings() -> dict[str, Any]:
    """Return the service's own settings as Flask config keys."""
    return {
        # Empty means "the shared REDIS_URL", resolved after test_config is applied.
        "REPORTS_CELERY_BROKER_URL": env_str("REPORTS_CELERY_BROKER_URL", ""),
        "REPORTS_CELERY_QUEUE": env_str("REPORTS_CELERY_QUEUE", "reports"),
        # Must stay above the longest build, or a slow task is delivered to a second worker.
        "REPORTS_VISIBILITY_TIMEOUT_S": env_int("REPORTS_VISIBILITY_TIMEOUT_S", 300),
        "REPORTS_TASK_TIME_LIMIT_S": env_int("REPORTS_TASK_TIME_LIMIT_S", 240),
        "REPORTS_FILE_STORE": env_str("REPORTS_FILE_STORE", "database"),
    }
