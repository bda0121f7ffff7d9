"""The reports service's event process: the consumers of ``assessment.submitted`` (group
``reports``) and of its own ``report.ready``/``report.failed`` (group ``reports-notifications``).

Handlers are closures over the app's adapters, so a consumer works without an app context (the
tests call ``poll()`` directly); the use cases live in ``reports.jobs`` and
``reports.notifications``.
"""

from __future__ import annotations

from flask import Flask

from reports import jobs, notifications
from reports.celery_app import build_enqueuer
from reports.config import ASSESSMENT_STREAM, JOBS_GROUP, NOTIFICATIONS_GROUP, STREAM
from shared.bus import Consumer, ConsumerSettings
from shared.events import CloudEvent


def _settings(app: Flask) -> ConsumerSettings:
    return ConsumerSettings(max_deliveries=app.config["EVENTS_MAX_DELIVERIES"])


def submissions_consumer(app: Flask, *, name: str | None = None) -> Consumer:
    """Return the consumer that turns ``assessment.submitted`` into queued report jobs."""
    database = app.extensions["db"]
    enqueue = build_enqueuer(app)

    def on_submitted(event: CloudEvent) -> None:
        with database.session(write=True) as session:
            jobs.accept_submission(event, session=session, enqueue=enqueue)

    return Consumer(
        app.extensions["redis"],
        group=JOBS_GROUP,
        streams=[ASSESSMENT_STREAM],
        handlers={"assessment.submitted": on_submitted},
        name=name,
        settings=_settings(app),
    )


def notifications_consumer(app: Flask, *, name: str | None = None) -> Consumer:
    """Return the consumer that turns ``report.ready``/``report.failed`` into notifications."""
    database = app.extensions["db"]
    client = app.extensions["redis"]

    def on_report(event: CloudEvent) -> None:
        with database.session(write=True) as session:
            notifications.record_report_event(event, session=session, publish=client.publish)

    return Consumer(
        client,
        group=NOTIFICATIONS_GROUP,
        streams=[STREAM],
        handlers={"report.ready": on_report, "report.failed": on_report},
        name=name,
        settings=_settings(app),
    )


def consumers(app: Flask) -> list[Consumer]:
    """Return every consumer the event process runs."""
    return [submissions_consumer(app), notifications_consumer(app)]
