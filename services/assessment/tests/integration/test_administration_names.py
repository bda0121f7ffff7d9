"""The assessment service's read model of administration names on real Redis: the portal's
events fill it once, the event process runs its consumer, and ``assessment.submitted`` carries
the portal's name rather than one a client typed."""

import json

import pytest
from sqlalchemy import select

from assessment.config import PORTAL_STREAM
from assessment.events import administrations_consumer, consumers
from assessment.models import AdministrationName, OutboxMessage
from shared.events import new_event

pytestmark = pytest.mark.integration


def _event(event_type, administration_id, name):
    data = {"administration_id": administration_id, "name": name, "language": "fr"}
    return new_event(event_type, source="portal", data=data, subject=administration_id)


def _names(app):
    with app.extensions["db"].session() as session:
        return [(r.administration_id, r.name) for r in session.scalars(select(AdministrationName))]


def test_created_then_renamed_leave_the_latest_name_once(app, redis_client):
    consumer = administrations_consumer(app, name="test-1")
    consumer.ensure_groups()
    bus = app.extensions["bus"]
    created = _event("administration.created", "adm-7", "Douanes sénégalaises")
    bus.publish(PORTAL_STREAM, created)
    bus.publish(PORTAL_STREAM, created)
    bus.publish(PORTAL_STREAM, _event("administration.renamed", "adm-7", "DGD Sénégal"))
    assert consumer.poll(block_ms=100) == 3
    assert _names(app) == [("adm-7", "DGD Sénégal")]
    assert redis_client.xpending(PORTAL_STREAM, "assessment-administrations")["pending"] == 0
    metrics = app.test_client().get("/metrics").get_data(as_text=True)
    assert 'assessment_events_pending{name="portal:events/assessment-administrations"} 0.0' in (
        metrics
    )


def test_the_event_process_runs_the_administrations_consumer(app):
    groups = {consumer.group: consumer.streams for consumer in consumers(app)}
    assert groups == {
        "assessment-administrations": [PORTAL_STREAM],
        "assessment-assistance": [PORTAL_STREAM],
    }


def _submitted_payload(app):
    with app.extensions["db"].session() as session:
        rows = session.scalars(select(OutboxMessage)).all()
    (event,) = [json.loads(r.payload) for r in rows if "assessment.submitted" in r.payload]
    return event["data"]


def test_a_submission_carries_the_portals_name_over_the_clients(
    app, client, auth, started, redis_client
):
    consumer = administrations_consumer(app, name="test-1")
    consumer.ensure_groups()
    app.extensions["bus"].publish(
        PORTAL_STREAM, _event("administration.created", "adm-1", "Douanes du Testland")
    )
    consumer.poll(block_ms=100)
    submitted = client.post(
        f"/api/v1/assessment/assessments/{started}/submit",
        json={"administration_name": "Typed by a client"},
        headers=auth(),
    )
    assert submitted.status_code == 200, submitted.json
    assert _submitted_payload(app)["administration_name"] == "Douanes du Testland"
