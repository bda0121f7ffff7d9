"""Gauges of the reports service: the Celery queue length, the pending events per group and the
dead letters per dead-letter stream."""

from __future__ import annotations

from collections.abc import Callable

import redis
from flask import Flask

from reports.config import (
    ASSESSMENT_STREAM,
    CONTENT_GROUP,
    IMPORTS_GROUP,
    JOBS_GROUP,
    NOTIFICATIONS_GROUP,
    PORTAL_STREAM,
    STREAM,
)
from shared.bus import dlq_name

GROUPS = (
    (ASSESSMENT_STREAM, JOBS_GROUP),
    (STREAM, NOTIFICATIONS_GROUP),
    (PORTAL_STREAM, CONTENT_GROUP),
    (ASSESSMENT_STREAM, IMPORTS_GROUP),
)


def queue_length_reader(broker: redis.Redis, queue: str) -> Callable[[], dict[str, float]]:
    """Return a reader of the number of tasks waiting in the Celery queue (a Redis list)."""

    def read() -> dict[str, float]:
        return {queue: float(broker.llen(queue))}

    return read


def pending_reader(client: redis.Redis) -> Callable[[], dict[str, float]]:
    """Return a reader of the delivered-but-unacknowledged events of each consumer group."""

    def read() -> dict[str, float]:
        values: dict[str, float] = {}
        for stream, group in GROUPS:
            try:
                summary = client.xpending(stream, group)
            except redis.ResponseError:  # stream or group not created yet
                summary = {"pending": 0}
            values[f"{stream}/{group}"] = float(summary["pending"])
        return values

    return read


def dead_letters_reader(client: redis.Redis) -> Callable[[], dict[str, float]]:
    """Return a reader of the length of the dead-letter stream of each stream the groups read."""

    def read() -> dict[str, float]:
        names = sorted({dlq_name(stream) for stream, _group in GROUPS})
        return {name: float(client.xlen(name)) for name in names}

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
        "Report tasks waiting in the Celery queue",
        queue_length_reader(broker, app.config["REPORTS_CELERY_QUEUE"]),
    )
    metrics.gauge(
        "reports_events_pending",
        "Events delivered to a consumer group and not yet acknowledged",
        pending_reader(client),
    )
    metrics.gauge(
        "reports_events_dead_letters",
        "Events consumer groups gave up on, waiting in each dead-letter stream",
        dead_letters_reader(client),
    )
