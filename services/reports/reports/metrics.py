"""Gauges of the reports service: the Celery queue length, the pending events per group and the
dead letters per dead-letter stream (the last two from ``shared.metrics``)."""

from __future__ import annotations

from collections.abc import Callable

import redis
from flask import Flask

from reports.celery_app import queues
from reports.config import (
    ACTIONS_GROUP,
    ADMINISTRATIONS_GROUP,
    ASSESSMENT_STREAM,
    CONTENT_GROUP,
    FORUMS_GROUP,
    IMPORTS_GROUP,
    JOBS_GROUP,
    NOTIFICATIONS_GROUP,
    PEERS_GROUP,
    PORTAL_STREAM,
    STREAM,
)
from shared.metrics import register_event_gauges

GROUPS = (
    (ASSESSMENT_STREAM, JOBS_GROUP),
    (STREAM, NOTIFICATIONS_GROUP),
    (PORTAL_STREAM, CONTENT_GROUP),
    (ASSESSMENT_STREAM, IMPORTS_GROUP),
    (PORTAL_STREAM, ADMINISTRATIONS_GROUP),
    (ASSESSMENT_STREAM, ACTIONS_GROUP),
    (PORTAL_STREAM, FORUMS_GROUP),
    (ASSESSMENT_STREAM, PEERS_GROUP),
)


def queue_length_reader(broker: redis.Redis, *names: str) -> Callable[[], dict[str, float]]:
    """Return a reader of the number of tasks waiting in each Celery queue (a Redis list)."""

    def read() -> dict[str, float]:
        return {queue: float(broker.llen(queue)) for queue in names}

    return read


def register(app: Flask) -> None:
    """Register the service's gauges on the app's metrics registry."""
    client: redis.Redis = app.extensions["redis"]
    broker_url = app.extensions["celery"].conf.broker_url
    broker = (
        client
        if broker_url == app.config["REDIS_URL"]
        else redis.Redis.from_url(broker_url, socket_timeout=2, socket_connect_timeout=2)
    )
    metrics = app.extensions["metrics"]
    metrics.gauge(
        "reports_celery_queue_length",
        "Tasks waiting in each Celery queue (report builds, deliveries)",
        queue_length_reader(broker, *queues(app.config)),
    )
    register_event_gauges(metrics, client, "reports", GROUPS)
