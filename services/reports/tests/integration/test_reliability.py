"""Reliability with real worker processes on real Redis: webhook retries, a worker killed mid-build.

(The same event delivered twice giving one report is in test_consumers.py.)
"""

import signal
import time

import pytest
from sqlalchemy import func, select
from standardwebhooks.webhooks import Webhook

from reports.celery_app import celery_settings
from reports.config import ASSESSMENT_STREAM, STREAM
from reports.events import notifications_consumer, submissions_consumer
from reports.models import (
    JobStatus,
    Notification,
    OutboxMessage,
    ReportFile,
    ReportJob,
    WebhookDelivery,
)
from shared.events import new_event

pytestmark = pytest.mark.integration

WAIT_S = 30


def _one(app, model):
    with app.extensions["db"].session() as session:
        return session.scalar(select(model))


def _ready_event():
    data = {
        "report_id": "rep-1",
        "assessment_id": "asm-1",
        "administration_id": "adm-1",
        "version": 1,
        "language": "fr",
        "title": "Readiness 2026",
        "formats": ["html", "pdf", "xlsx"],
        "notify": ["coord-1", "resp-1"],
    }
    return new_event("report.ready", source="reports", data=data, subject="rep-1")


def test_a_receiver_failing_twice_gets_one_signed_delivery_on_the_third_attempt(
    app, client, auth, start_worker, webhook_receiver
):
    receiver = webhook_receiver([500, 502, 204])
    created = client.post(
        "/api/v1/reports/webhooks", json={"url": receiver.url}, headers=auth()
    ).get_json()
    worker = start_worker(
        REPORTS_WEBHOOK_ALLOW_PRIVATE="true",  # the receiver is on this machine's loopback
        REPORTS_WEBHOOK_BACKOFF_S="0.3",
        REPORTS_WEBHOOK_TIMEOUT_S="2",
    )
    event = _ready_event()
    app.extensions["bus"].publish(STREAM, event)
    assert notifications_consumer(app, name="test-consumer").poll(block_ms=500) == 1

    def finished():
        delivery = _one(app, WebhookDelivery)
        return delivery if delivery is not None and delivery.status != "pending" else None

    delivery = worker.wait_for(finished, "webhook delivered")
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 3, 204)
    time.sleep(1.0)  # no fourth POST after success
    assert len(receiver.requests) == 3
    assert [r["headers"]["webhook-id"] for r in receiver.requests] == [delivery.id] * 3
    verifier = Webhook(created["secret"])
    for request in receiver.requests:
        body = verifier.verify(request["body"], request["headers"])
        assert (body["id"], body["type"]) == (event.id, "report.ready")
        assert body["data"]["report_id"] == "rep-1" and "notify" not in body["data"]
    listed = client.get(
        f"/api/v1/reports/webhooks/{created['id']}/deliveries", headers=auth()
    ).get_json()
    assert [(d["id"], d["status"], d["attempts"]) for d in listed] == [
        (delivery.id, "delivered", 3)
    ]
    with app.extensions["db"].session() as session:
        assert session.scalar(select(func.count()).select_from(Notification)) == 2


# A short visibility timeout and restore sweep every second bring the task of a dead worker back
# within seconds (production: REPORTS_VISIBILITY_TIMEOUT_S=300).
FAST_RESTORE = {"REPORTS_VISIBILITY_TIMEOUT_S": "3", "REPORTS_UNACKED_RESTORE_INTERVAL_S": "1"}


def _worker_building(app, start_worker, submitted_event):
    """Start a worker whose build lasts a minute; return it once the build has started."""
    worker = start_worker(pool="prefork", REPORTS_TEST_BUILD_DELAY_S="60", **FAST_RESTORE)
    app.extensions["bus"].publish(ASSESSMENT_STREAM, submitted_event())
    assert submissions_consumer(app, name="test-consumer").poll(block_ms=500) == 1

    def building():
        job = _one(app, ReportJob)
        return job if job is not None and job.status == JobStatus.BUILDING else None

    worker.wait_for(building, "build started")
    return worker


def _rebuilt_by_another_worker(app, start_worker, what: str) -> ReportJob:
    """Start a second worker and return the job once it has finished."""
    second = start_worker(pool="prefork", **FAST_RESTORE)

    def finished():
        job = _one(app, ReportJob)
        return job if job.finished else None

    return second.wait_for(finished, what)


def test_a_worker_killed_mid_build_leaves_the_report_to_a_restarted_worker_once(
    app, start_worker, submitted_event
):
    first = _worker_building(app, start_worker, submitted_event)
    first.kill()
    killed = _one(app, ReportJob)
    assert (killed.status, killed.attempts) == ("building", 1)

    job = _rebuilt_by_another_worker(app, start_worker, "report rebuilt")
    assert (job.status, job.attempts, job.reason) == ("ready", 2, None)
    with app.extensions["db"].session() as session:
        events = session.scalars(select(OutboxMessage.event_type)).all()
        formats = session.scalars(select(ReportFile.format)).all()
    assert events == ["report.ready"]
    assert sorted(formats) == sorted(set(formats)) and formats
    assert '"report ready"' not in first.log()


def test_a_restore_lock_left_by_a_killed_worker_delays_the_redelivery_only_briefly(
    app, start_worker, submitted_event, redis_client
):
    # A worker SIGKILLed during its restore sweep leaves kombu's lock behind, as set by
    # ``Mutex(client, "unacked_mutex", expire)``; kombu's own expiry (300 s) would hold every
    # redelivery back for five minutes after the visibility timeout.
    first = _worker_building(app, start_worker, submitted_event)
    expire_s = celery_settings({**app.config, "REPORTS_UNACKED_RESTORE_INTERVAL_S": 1})[
        "broker_transport_options"
    ]["unacked_mutex_expire"]
    assert expire_s <= 10
    redis_client.lock("unacked_mutex", timeout=expire_s).acquire(blocking=False)
    first.kill()
    held_until = time.monotonic() + expire_s

    job = _rebuilt_by_another_worker(
        app, start_worker, "rebuilt once the dead worker's lock expired"
    )
    assert time.monotonic() >= held_until - 0.5  # not before: the lock held the sweep back
    assert (job.status, job.attempts, job.reason) == ("ready", 2, None)


def test_a_worker_stopped_mid_build_finishes_the_report_then_exits_leaving_nothing_queued(
    app, start_worker, submitted_event, redis_client
):
    # SIGTERM is Celery's warm shutdown: the running build goes on to its end and is acknowledged
    # (acks late) before the worker exits; what outlives the grace period is killed, and then the
    # test above applies (the task comes back to another worker).
    worker = start_worker(pool="prefork", REPORTS_TEST_BUILD_DELAY_S="3")
    app.extensions["bus"].publish(ASSESSMENT_STREAM, submitted_event())
    assert submissions_consumer(app, name="test-consumer").poll(block_ms=500) == 1

    def building():
        job = _one(app, ReportJob)
        return job if job is not None and job.status == JobStatus.BUILDING else None

    worker.wait_for(building, "build started")
    worker.process.send_signal(signal.SIGTERM)
    assert worker.process.wait(timeout=WAIT_S) == 0, worker.log()
    job = _one(app, ReportJob)
    assert (job.status, job.attempts, job.reason) == ("ready", 1, None)
    with app.extensions["db"].session() as session:
        assert session.scalars(select(OutboxMessage.event_type)).all() == ["report.ready"]
        assert session.scalar(select(func.count()).select_from(ReportFile)) > 0
    assert redis_client.llen("reports") == 0  # not put back: it was done
    assert redis_client.hlen("unacked") == 0  # and acknowledged, so no restore brings it back
    assert '"report ready"' in worker.log()
