"""The service's Celery app, made the Flask way: every task runs inside the Flask app context.

Tasks are sent by name with the caller's request id and traceparent as message headers, and the
worker binds them again before running the task, so one request id follows a submission from
the API through the event, the consumer and the worker into every log line.

Two queues (ADR 0011): report builds on ``REPORTS_CELERY_QUEUE``, the deliveries to the outside
world (webhooks, e-mails) on ``REPORTS_DELIVERY_QUEUE``, routed by task name, so slow receivers
never hold the workers that build reports. A worker started without ``--queues`` consumes both.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from celery import Celery, Task
from flask import Flask
from kombu.entity import Exchange, Queue

from shared.logs import bind_context, bind_from_headers, context_headers

BUILD_REPORT = "reports.build_report"
DELIVER_WEBHOOK = "reports.deliver_webhook"
SEND_EMAIL = "reports.send_email"
SEND_DIGEST = "reports.send_digest"
# The tasks that talk to receivers outside the platform: they go to the delivery queue.
DELIVERY_TASKS = (DELIVER_WEBHOOK, SEND_EMAIL, SEND_DIGEST)


def queues(config: Mapping[str, Any]) -> tuple[str, str]:
    """Return the names of the build queue and the delivery queue."""
    return str(config["REPORTS_CELERY_QUEUE"]), str(config["REPORTS_DELIVERY_QUEUE"])


def unacked_mutex_expire_s(restore_every_s: int) -> int:
    """Return how long the lock of a restore sweep may outlive a worker killed holding it."""
    return max(5, 3 * restore_every_s)


def celery_settings(config: Mapping[str, Any]) -> dict[str, Any]:
    """Return the Celery configuration derived from the Flask config."""
    broker = config.get("REPORTS_CELERY_BROKER_URL") or config["REDIS_URL"]
    build, delivery = queues(config)
    restore_every_s = int(config.get("REPORTS_UNACKED_RESTORE_INTERVAL_S", 10))
    if build == delivery:
        raise ValueError(f"REPORTS_DELIVERY_QUEUE must differ from REPORTS_CELERY_QUEUE ({build})")
    return {
        "broker_url": broker,
        "result_backend": None,
        "task_ignore_result": True,
        "task_default_queue": build,
        # Each queue is a Redis list of its name (what KEDA and the metrics read). A worker with
        # no --queues consumes both; a retry goes back to the queue its task came from.
        "task_queues": [Queue(q, Exchange(q), routing_key=q) for q in (build, delivery)],
        "task_routes": {name: {"queue": delivery} for name in DELIVERY_TASKS},
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
            "unacked_restore_interval": restore_every_s,
            "unacked_restore_throttle": 1,
            # A worker killed during a sweep leaves the sweep's lock behind, and no worker
            # restores anything until it expires (kombu's default: 300 s, on top of the
            # visibility timeout). A sweep takes milliseconds: a few intervals are plenty.
            "unacked_mutex_expire": unacked_mutex_expire_s(restore_every_s),
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


def enqueuer(app: Flask, task_name: str) -> Callable[[str], None]:
    """Return the function that queues ``task_name`` for one id (its queue: the routes)."""
    celery: Celery = app.extensions["celery"]

    def enqueue(item_id: str) -> None:
        celery.send_task(task_name, args=[item_id], headers=context_headers())

    return enqueue


def build_enqueuer(app: Flask) -> Callable[[str], None]:
    """Return the function that queues the build of a report job."""
    return enqueuer(app, BUILD_REPORT)
