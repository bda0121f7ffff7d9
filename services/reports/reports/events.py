"""The reports service's event process: the consumers of ``assessment.submitted`` (group
``reports``), of its own ``report.ready``/``report.failed`` (group ``reports-notifications``),
of the portal's ``content.*`` (group ``reports-content``: the read model of resources), of the
portal's ``administration.*`` (group ``reports-administrations``: the read model of names), of
the assessment service's ``answer_import.finished`` (group ``reports-imports``) and of its action
plan reminders ``action.due_soon``/``action.overdue`` (group ``reports-actions``), and of the
portal's forum replies ``forum.post_replied`` (group ``reports-forums``), and of the assessment
service's peer learning ``peer_aggregate.*``/``peer_participation.*`` (group ``reports-peers``:
the read model of published regional distributions, and the new revisions of the reports an
opt-in or opt-out changes).

Handlers are closures over the app's adapters, so a consumer works without an app context (the
tests call ``poll()`` directly); the use cases live in ``reports.jobs`` and
``reports.notifications``. A handler that finds the database unreachable waits for it to answer
again (up to ``DATABASE_WAIT_S``) before it fails, so a database restart does not use up an
event's few quick deliveries and send it to the dead letters.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterable, Mapping

from flask import Flask
from sqlalchemy.exc import InterfaceError, OperationalError

from reports import (
    action_reminders,
    administrations,
    deliveries,
    forum_replies,
    jobs,
    mail,
    notifications,
    peer_aggregates,
    peer_rebuilds,
    resources,
    webhooks,
)
from reports.celery_app import build_enqueuer
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
from shared.bus import Consumer, ConsumerSettings, Handler
from shared.db import Database
from shared.events import CloudEvent

# Below the event process's heartbeat staleness (30 s) and its stop timeout (20 s).
DATABASE_WAIT_S = 15.0


def _settings(app: Flask) -> ConsumerSettings:
    return ConsumerSettings(max_deliveries=app.config["EVENTS_MAX_DELIVERIES"])


def _await_database(database: Database, timeout_s: float) -> None:
    """Return once the database answers, or after ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            database.ping()
        except Exception:  # still unreachable
            time.sleep(0.5)
        else:
            return


def _patient(app: Flask, handlers: Mapping[str, Handler]) -> dict[str, Handler]:
    """Return ``handlers``, each waiting (bounded) for an unreachable database before it fails."""
    database: Database = app.extensions["db"]

    def patient(handler: Handler) -> Handler:
        def handle(event: CloudEvent) -> None:
            try:
                handler(event)
            except (OperationalError, InterfaceError):
                _await_database(database, DATABASE_WAIT_S)
                raise

        return handle

    return {event_type: patient(handler) for event_type, handler in handlers.items()}


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
        handlers=_patient(app, {"assessment.submitted": on_submitted}),
        name=name,
        settings=_settings(app),
    )


def notifications_consumer(app: Flask, *, name: str | None = None) -> Consumer:
    """Return the consumer that turns ``report.ready``/``report.failed`` into notifications,
    webhook deliveries and (when SMTP is configured) e-mails."""
    database = app.extensions["db"]
    client = app.extensions["redis"]
    enqueue_webhook = deliveries.enqueuer(app, deliveries.DELIVER_WEBHOOK)
    enqueue_email = deliveries.enqueuer(app, deliveries.SEND_EMAIL)
    emails = mail.configured(app.config)

    def on_report(event: CloudEvent) -> None:
        with database.session(write=True) as session:
            notifications.record_report_event(event, session=session, publish=client.publish)
        # Each step is idempotent per event, so a retried event completes what a crash left.
        with database.session(write=True) as session:
            webhooks.fan_out(event, session=session, enqueue=enqueue_webhook)
        if emails:
            with database.session(write=True) as session:
                mail.record_emails(event, session=session, enqueue=enqueue_email)

    return Consumer(
        client,
        group=NOTIFICATIONS_GROUP,
        streams=[STREAM],
        handlers=_patient(app, {"report.ready": on_report, "report.failed": on_report}),
        name=name,
        settings=_settings(app),
    )


def imports_consumer(app: Flask, *, name: str | None = None) -> Consumer:
    """Return the consumer that turns ``answer_import.finished`` into notifications and webhook
    deliveries (no e-mail: the event carries no addresses)."""
    database = app.extensions["db"]
    client = app.extensions["redis"]
    enqueue_webhook = deliveries.enqueuer(app, deliveries.DELIVER_WEBHOOK)

    def on_import(event: CloudEvent) -> None:
        with database.session(write=True) as session:
            notifications.record_import_event(event, session=session, publish=client.publish)
        # Each step is idempotent per event, so a retried event completes what a crash left.
        with database.session(write=True) as session:
            webhooks.fan_out(event, session=session, enqueue=enqueue_webhook)

    return Consumer(
        client,
        group=IMPORTS_GROUP,
        streams=[ASSESSMENT_STREAM],
        handlers=_patient(app, {notifications.IMPORT_EVENT: on_import}),
        name=name,
        settings=_settings(app),
    )


def actions_consumer(app: Flask, *, name: str | None = None) -> Consumer:
    """Return the consumer that turns action plan reminders into the owner's notifications."""
    database = app.extensions["db"]
    client = app.extensions["redis"]

    def on_reminder(event: CloudEvent) -> None:
        with database.session(write=True) as session:
            action_reminders.record_reminder_event(event, session=session, publish=client.publish)

    return Consumer(
        client,
        group=ACTIONS_GROUP,
        streams=[ASSESSMENT_STREAM],
        handlers=_patient(app, dict.fromkeys(action_reminders.REMINDER_CODES, on_reminder)),
        name=name,
        settings=_settings(app),
    )


def forums_consumer(app: Flask, *, name: str | None = None) -> Consumer:
    """Return the consumer that turns forum replies into the notifications of the thread's
    author, the quoted post's author and the mentioned members (never the replier)."""
    database = app.extensions["db"]
    client = app.extensions["redis"]

    def on_reply(event: CloudEvent) -> None:
        with database.session(write=True) as session:
            forum_replies.record_reply_event(event, session=session, publish=client.publish)

    return Consumer(
        client,
        group=FORUMS_GROUP,
        streams=[PORTAL_STREAM],
        handlers=_patient(app, {forum_replies.REPLIED: on_reply}),
        name=name,
        settings=_settings(app),
    )


def _read_model_consumer(
    app: Flask,
    *,
    group: str,
    stream: str,
    kinds: Iterable[str],
    apply: Callable[..., object],
    name: str | None,
) -> Consumer:
    """Return a consumer applying each event of ``kinds`` to a read model, a transaction each."""
    database = app.extensions["db"]

    def on_event(event: CloudEvent) -> None:
        with database.session(write=True) as session:
            apply(event, session=session)

    return Consumer(
        app.extensions["redis"],
        group=group,
        streams=[stream],
        handlers=_patient(app, dict.fromkeys(kinds, on_event)),
        name=name,
        settings=_settings(app),
    )


def content_consumer(app: Flask, *, name: str | None = None) -> Consumer:
    """Return the consumer that keeps the read model of portal resources (``content.*``)."""
    return _read_model_consumer(
        app,
        group=CONTENT_GROUP,
        stream=PORTAL_STREAM,
        kinds=resources.CONTENT_EVENTS,
        apply=resources.apply_content_event,
        name=name,
    )


def administrations_consumer(app: Flask, *, name: str | None = None) -> Consumer:
    """Return the consumer that keeps the read model of administration names."""
    return _read_model_consumer(
        app,
        group=ADMINISTRATIONS_GROUP,
        stream=PORTAL_STREAM,
        kinds=administrations.ADMINISTRATION_EVENTS,
        apply=administrations.apply_administration_event,
        name=name,
    )


def peers_consumer(app: Flask, *, name: str | None = None) -> Consumer:
    """Return the consumer that keeps the read model of published peer aggregates and opt-ins
    and queues the report revisions they call for (ADR 0012)."""
    return _read_model_consumer(
        app,
        group=PEERS_GROUP,
        stream=ASSESSMENT_STREAM,
        kinds=peer_aggregates.PEER_EVENTS,
        # The read model, and a new revision of each report an opt-in or opt-out changes.
        apply=functools.partial(peer_rebuilds.apply_peer_event, enqueue=build_enqueuer(app)),
        name=name,
    )


def consumers(app: Flask) -> list[Consumer]:
    """Return every consumer the event process runs."""
    return [
        submissions_consumer(app),
        notifications_consumer(app),
        content_consumer(app),
        imports_consumer(app),
        administrations_consumer(app),
        actions_consumer(app),
        forums_consumer(app),
        peers_consumer(app),
    ]
