import json

import pytest
from sqlalchemy import select

from reports.config import ASSESSMENT_STREAM, PORTAL_STREAM, STREAM
from reports.events import (
    consumers,
    content_consumer,
    imports_consumer,
    notifications_consumer,
    submissions_consumer,
)
from reports.models import (
    Notification,
    OutboxMessage,
    ReportJob,
    Resource,
    WebhookDelivery,
)
from reports.resources import suggestible_resources
from shared.bus import dlq_name
from shared.events import new_event
from shared.logs import bind_context
from shared.outbox import relay_pending

pytestmark = pytest.mark.integration


def _all(app, model):
    with app.extensions["db"].session() as session:
        return list(session.scalars(select(model)))


def test_a_submission_published_twice_gives_one_job_and_one_task(
    app, submitted_event, redis_client
):
    consumer = submissions_consumer(app, name="test-1")
    consumer.ensure_groups()
    bind_context("req-from-api", None)
    event = submitted_event()
    bind_context(None, None)
    bus = app.extensions["bus"]
    bus.publish(ASSESSMENT_STREAM, event)
    bus.publish(ASSESSMENT_STREAM, event)
    assert consumer.poll(block_ms=100) == 2
    (job,) = _all(app, ReportJob)
    assert job.status == "queued"
    assert redis_client.llen("reports") == 1
    task = json.loads(redis_client.lindex("reports", 0))
    assert task["headers"]["task"] == "reports.build_report"
    assert task["headers"]["argsrepr"] == repr([job.id])
    assert task["headers"]["request_id"] == "req-from-api"
    assert redis_client.xpending(ASSESSMENT_STREAM, "reports")["pending"] == 0


def test_a_redelivery_after_a_crash_re_enqueues_a_job_still_queued(
    app, submitted_event, redis_client
):
    consumer = submissions_consumer(app, name="test-1")
    event = submitted_event()
    bus = app.extensions["bus"]
    bus.publish(ASSESSMENT_STREAM, event)
    consumer.poll(block_ms=100)
    # as if the process died after its commit and before remembering the event
    redis_client.delete(f"reports:processed-event:{event.id}")
    bus.publish(ASSESSMENT_STREAM, event)
    consumer.poll(block_ms=100)
    assert len(_all(app, ReportJob)) == 1
    assert redis_client.llen("reports") == 2  # the idempotent task tolerates the second


def test_an_invalid_submission_goes_to_the_dead_letter_stream(app, submitted_event, redis_client):
    consumer = submissions_consumer(app, name="test-1")
    event = submitted_event()
    event.data["version"] = 0  # published as is: only producers validate on the way out
    app.extensions["bus"].publish(ASSESSMENT_STREAM, event)
    consumer.poll(block_ms=100)
    assert _all(app, ReportJob) == []
    ((_, fields),) = redis_client.xrange(dlq_name(ASSESSMENT_STREAM))
    assert b"payload is invalid" in fields[b"reason"]


def test_report_events_become_notifications_and_live_pushes(app, make_report, redis_client):
    job = make_report()
    pubsub = redis_client.pubsub()
    pubsub.subscribe("reports:notifications:resp-1")
    assert pubsub.get_message(timeout=1)["type"] == "subscribe"
    db, bus = app.extensions["db"], app.extensions["bus"]
    assert relay_pending(db, OutboxMessage, bus) == 1
    consumer = notifications_consumer(app, name="test-1")
    assert consumer.poll(block_ms=100) == 1
    rows = _all(app, Notification)
    assert sorted(row.user_id for row in rows) == ["coord-1", "resp-1"]
    assert {row.report_id for row in rows} == {job.id}
    message = pubsub.get_message(timeout=2)
    assert message["channel"] == b"reports:notifications:resp-1"
    assert json.loads(message["data"])["code"] == "report_ready"
    pubsub.close()
    assert redis_client.xpending(STREAM, "reports-notifications")["pending"] == 0


def _content_event(event_type, **overrides):
    data = {
        "item_id": "res-1",
        "kind": "guide",
        "visibility": "public",
        "languages": ["fr"],
        "titles": {"fr": "Guide de la qualité des données"},
        "tags": ["data-quality"],
        "url": "/resources/qualite",
        **overrides,
    }
    return new_event(event_type, source="portal", data=data, subject=data["item_id"])


def test_content_events_keep_the_resource_read_model(app, redis_client):
    consumer = content_consumer(app, name="test-1")
    bus = app.extensions["bus"]
    published = _content_event("content.published")
    bus.publish(PORTAL_STREAM, published)
    bus.publish(PORTAL_STREAM, published)  # delivered twice
    bus.publish(PORTAL_STREAM, _content_event("content.published", item_id="res-2"))
    assert consumer.poll(block_ms=100) == 3
    assert sorted((r.item_id, r.archived) for r in _all(app, Resource)) == [
        ("res-1", False),
        ("res-2", False),
    ]
    # a redelivery after a crash that lost the dedupe mark changes nothing either
    redis_client.delete(f"reports-content:processed-event:{published.id}")
    bus.publish(PORTAL_STREAM, published)
    bus.publish(PORTAL_STREAM, _content_event("content.archived", item_id="res-2"))
    assert consumer.poll(block_ms=100) == 2
    rows = {r.item_id: r for r in _all(app, Resource)}
    assert (len(rows), rows["res-1"].archived, rows["res-2"].archived) == (2, False, True)
    with app.extensions["db"].session() as session:
        assert [r["item_id"] for r in suggestible_resources(session)] == ["res-1"]
    assert redis_client.xpending(PORTAL_STREAM, "reports-content")["pending"] == 0


def test_the_event_process_runs_the_content_consumer(app):
    groups = {consumer.group: consumer.streams for consumer in consumers(app)}
    assert groups["reports-content"] == [PORTAL_STREAM]


def _tasks(redis_client, name):
    queued = [json.loads(raw) for raw in redis_client.lrange("reports-deliveries", 0, -1)]
    return [task["headers"]["argsrepr"] for task in queued if task["headers"]["task"] == name]


def test_a_finished_import_delivered_twice_notifies_each_user_once_and_fans_out_once(
    app, client, auth, import_event, redis_client
):
    endpoint = client.post(
        "/api/v1/reports/webhooks",
        json={"url": "https://erp.douanes.example/hooks", "events": ["answer_import.finished"]},
        headers=auth(),
    ).get_json()
    pubsub = redis_client.pubsub()
    pubsub.subscribe("reports:notifications:coord-1")
    assert pubsub.get_message(timeout=1)["type"] == "subscribe"
    consumer = imports_consumer(app, name="test-1")
    event = import_event(status="completed_with_errors", errors_count=1)
    bus = app.extensions["bus"]
    bus.publish(ASSESSMENT_STREAM, event)
    bus.publish(ASSESSMENT_STREAM, event)
    assert consumer.poll(block_ms=100) == 2
    rows = _all(app, Notification)
    assert sorted((r.user_id, r.code) for r in rows) == [
        ("coord-1", "import_completed_with_errors"),
        ("resp-1", "import_completed_with_errors"),
    ]
    message = pubsub.get_message(timeout=2)
    assert json.loads(message["data"])["code"] == "import_completed_with_errors"
    pubsub.close()
    (delivery,) = _all(app, WebhookDelivery)
    assert (delivery.endpoint_id, delivery.event_id) == (endpoint["id"], event.id)
    assert "notify" not in json.loads(delivery.body)["data"]
    assert _tasks(redis_client, "reports.deliver_webhook") == [repr([delivery.id])]
    # a redelivery after a crash that lost the dedupe mark adds no notification or delivery
    redis_client.delete(f"reports-imports:processed-event:{event.id}")
    bus.publish(ASSESSMENT_STREAM, event)
    assert consumer.poll(block_ms=100) == 1
    assert len(_all(app, Notification)) == 2
    assert [d.id for d in _all(app, WebhookDelivery)] == [delivery.id]
    assert redis_client.xpending(ASSESSMENT_STREAM, "reports-imports")["pending"] == 0


def test_the_report_jobs_consumer_leaves_finished_imports_alone(app, import_event, redis_client):
    consumer = submissions_consumer(app, name="test-1")
    app.extensions["bus"].publish(ASSESSMENT_STREAM, import_event())
    assert consumer.poll(block_ms=100) == 1
    assert (_all(app, ReportJob), _all(app, Notification)) == ([], [])
    assert redis_client.xpending(ASSESSMENT_STREAM, "reports")["pending"] == 0


def test_the_event_process_runs_the_imports_consumer_on_the_assessment_stream(app):
    groups = {consumer.group: consumer.streams for consumer in consumers(app)}
    assert groups["reports-imports"] == [ASSESSMENT_STREAM]
    assert groups["reports"] == [ASSESSMENT_STREAM]
