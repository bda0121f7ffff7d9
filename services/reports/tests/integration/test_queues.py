"""Report builds and deliveries (webhooks, e-mails) go to separate Celery queues, routed by task
name (ADR 0011): read from the real Redis lists, and run by real workers, one per queue."""

import json
import signal

import pytest
from sqlalchemy import select

from reports import create_app
from reports.celery_app import BUILD_REPORT, DELIVER_WEBHOOK, SEND_EMAIL, build_enqueuer
from reports.config import STREAM
from reports.deliveries import enqueuer
from reports.events import notifications_consumer
from reports.models import ReportJob, WebhookDelivery
from shared.events import new_event

pytestmark = pytest.mark.integration

BUILDS, DELIVERIES = "reports", "reports-deliveries"
WAIT_S = 30


def _queued(redis_client, queue):
    """Return (task name, arguments) of each task waiting in the Redis list ``queue``, oldest
    first (kombu pushes on the left and workers pop on the right)."""
    tasks = [json.loads(raw)["headers"] for raw in redis_client.lrange(queue, 0, -1)]
    return [(task["task"], task["argsrepr"]) for task in reversed(tasks)]


def test_a_build_goes_to_the_build_queue_and_deliveries_to_the_delivery_queue(app, redis_client):
    build_enqueuer(app)("job-1")
    enqueuer(app, DELIVER_WEBHOOK)("msg-1")
    enqueuer(app, SEND_EMAIL)("mail-1")
    assert _queued(redis_client, BUILDS) == [(BUILD_REPORT, "['job-1']")]
    assert _queued(redis_client, DELIVERIES) == [
        (DELIVER_WEBHOOK, "['msg-1']"),
        (SEND_EMAIL, "['mail-1']"),
    ]


def test_the_queue_names_are_settings(service_config, redis_client):
    app = create_app(
        {**service_config, "REPORTS_CELERY_QUEUE": "builds", "REPORTS_DELIVERY_QUEUE": "hooks"}
    )
    try:
        build_enqueuer(app)("job-1")
        enqueuer(app, DELIVER_WEBHOOK)("msg-1")
        # a worker started without --queues consumes both
        assert set(app.extensions["celery"].amqp.queues) == {"builds", "hooks"}
    finally:
        app.extensions["celery"].close()
        app.extensions["db"].dispose()
    assert _queued(redis_client, "builds") == [(BUILD_REPORT, "['job-1']")]
    assert _queued(redis_client, "hooks") == [(DELIVER_WEBHOOK, "['msg-1']")]
    assert redis_client.llen(BUILDS) == redis_client.llen(DELIVERIES) == 0


def test_one_queue_for_both_is_refused(service_config):
    with pytest.raises(ValueError, match="REPORTS_DELIVERY_QUEUE"):
        create_app({**service_config, "REPORTS_DELIVERY_QUEUE": "reports"})


def _one(app, model):
    with app.extensions["db"].session() as session:
        return session.scalar(select(model))


def _queue_a_delivery(app, client, auth, url):
    """Register a webhook at ``url`` and handle a ``report.ready``: one delivery is queued."""
    created = client.post("/api/v1/reports/webhooks", json={"url": url}, headers=auth())
    assert created.status_code == 201, created.get_json()
    data = {
        "report_id": "rep-1",
        "assessment_id": "asm-1",
        "administration_id": "adm-1",
        "version": 1,
        "language": "en",
        "title": "Readiness 2026",
        "formats": ["html"],
        "notify": ["coord-1"],
    }
    event = new_event("report.ready", source="reports", data=data, subject="rep-1")
    app.extensions["bus"].publish(STREAM, event)
    assert notifications_consumer(app, name="test-consumer").poll(block_ms=500) == 1


def test_a_build_worker_builds_while_deliveries_wait_for_their_own_worker(
    app, client, auth, start_worker, webhook_receiver, make_report, redis_client
):
    receiver = webhook_receiver([500, 204])
    _queue_a_delivery(app, client, auth, receiver.url)
    job = make_report(build=False)
    build_enqueuer(app)(job.id)
    settings = {"REPORTS_WEBHOOK_ALLOW_PRIVATE": "true", "REPORTS_WEBHOOK_BACKOFF_S": "0.3"}
    builder = start_worker(queues=BUILDS, **settings)

    def built():
        found = _one(app, ReportJob)
        return found if found.finished else None

    assert builder.wait_for(built, "report built").status == "ready"
    assert len(receiver.requests) == 0  # the build worker never takes a delivery
    assert [name for name, _ in _queued(redis_client, DELIVERIES)] == [DELIVER_WEBHOOK]

    deliverer = start_worker(queues=DELIVERIES, **settings)

    def finished():
        delivery = _one(app, WebhookDelivery)
        return delivery if delivery.status != "pending" else None

    delivery = deliverer.wait_for(finished, "webhook delivered")
    # the retry after the 500 came back to the delivery queue: its worker took it
    assert (delivery.status, delivery.attempts) == ("delivered", 2)
    assert len(receiver.requests) == 2
    assert redis_client.llen(BUILDS) == redis_client.llen(DELIVERIES) == 0


def test_a_delivery_worker_stopped_mid_delivery_finishes_it_then_exits_leaving_nothing_queued(
    app, client, auth, start_worker, webhook_receiver, redis_client
):
    receiver = webhook_receiver([204], delay_s=3)  # a slow receiver
    _queue_a_delivery(app, client, auth, receiver.url)
    worker = start_worker(queues=DELIVERIES, REPORTS_WEBHOOK_ALLOW_PRIVATE="true")
    worker.wait_for(lambda: receiver.requests, "delivery started")
    worker.process.send_signal(signal.SIGTERM)  # warm shutdown, as for a build
    assert worker.process.wait(timeout=WAIT_S) == 0, worker.log()
    delivery = _one(app, WebhookDelivery)
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 1, 204)
    assert redis_client.llen(DELIVERIES) == 0  # not put back: it was done
    assert redis_client.hlen("unacked") == 0  # and acknowledged


def test_a_delivery_worker_stopped_while_a_retry_waits_hands_the_retry_back_to_its_queue(
    app, client, auth, start_worker, webhook_receiver, redis_client
):
    receiver = webhook_receiver([500, 204])
    _queue_a_delivery(app, client, auth, receiver.url)
    settings = {"REPORTS_WEBHOOK_ALLOW_PRIVATE": "true", "REPORTS_WEBHOOK_BACKOFF_S": "10"}
    first = start_worker(queues=DELIVERIES, **settings)
    first.wait_for(lambda: receiver.requests, "first attempt")
    first.wait_for(lambda: redis_client.hlen("unacked") == 1, "retry held by the worker")
    first.process.send_signal(signal.SIGTERM)
    assert first.process.wait(timeout=WAIT_S) == 0, first.log()
    # not lost with the worker: back on the delivery queue, for the next worker
    assert [name for name, _ in _queued(redis_client, DELIVERIES)] == [DELIVER_WEBHOOK]
    assert redis_client.hlen("unacked") == 0
    second = start_worker(queues=DELIVERIES, **settings)

    def finished():
        delivery = _one(app, WebhookDelivery)
        return delivery if delivery.status != "pending" else None

    delivery = second.wait_for(finished, "webhook delivered by the next worker")
    assert (delivery.status, delivery.attempts) == ("delivered", 2)
