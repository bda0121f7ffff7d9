"""The service's Celery app, made the Flask way: every task runs inside the Flask app context.

Tasks are sent by name with the caller's request id and traceparent as message headers, and the
worker binds them again before running the task, so one request id follows a submission from
the API through the event, the consumer and the worker into every log line.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from celery import Celery, Task
from flask import Flask

from shared.logs import bind_context, bind_from_headers, context_headers

BUILD_REPORT = "reports.build_report"


def celery_settings(config: Mapping[str, Any]) -> dict[str, Any]:
    """Return the Celery configuration derived from the Flask config."""
    broker = config.get("REPORTS_CELERY_BROKER_URL") or config["REDIS_URL"]
    return {
        "broker_url": broker,
        "result_backend": None,
        "task_ignore_result": True,
        "task_default_queue": config["REPORTS_CELERY_QUEUE"],
        "task_serializer": "json",
        "accept_content": ["json"],
        "result_serializer": "json",
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,
        "broker_transport_options": {
            "visibility_timeout": config["REPORTS_VISIBILITY_TIMEOUT_S"],
            # Sweep for tasks of dead workers every interval (kombu's default scans every 10th
            # sweep only), so one comes back about visibility_timeout + interval after a crash.
            "unacked_restore_interval": config.get("REPORTS_UNACKED_RESTORE_INTERVAL_S", 10),
            "unacked_restore_throttle": 1,
        },
        "task_time_limit": config["REPORTS_TASK_TIME_LIMIT_S"],
        "broker_connection_retry_on_startup": True,
        # Keep the platform's JSON log lines (with request ids) in the worker too.
        "worker_hijack_root_logger": False,
        "enable_utc": True,
        "timezone": "UTC",
    }


def celery_init_app(app: Flask) -> Celery:
    """Create the Celery app of ``app``, store it in ``app.extensions["celery"]`` and return it."""

    class FlaskTask(Task):  # type: ignore[misc]
        """A task that runs in the Flask app context with the sender's request context."""

        flask_app = app

        def __call__(self, *args: Any, **kwargs: Any) -> Any:
            bind_from_headers(self.request.headers)
            try:
                with app.app_context():
                    return self.run(*args, **kwargs)
            finally:
                # The worker's own log lines between tasks must not carry this task's ids.
                bind_context(None, None)

    celery = Celery(app.import_name, task_cls=FlaskTask)
    celery.conf.update(celery_settings(app.config))
    celery.set_default()
    app.extensions["celery"] = celery
    return celery


def build_enqueuer(app: Flask) -> Callable[[str], None]:
    """Return the function that queues the build of a report job."""
    celery: Celery = app.extensions["celery"]
    queue = app.config["REPORTS_CELERY_QUEUE"]

    def enqueue(job_id: str) -> None:
        celery.send_task(BUILD_REPORT, args=[job_id], queue=queue, headers=context_headers())

    return enqueue
