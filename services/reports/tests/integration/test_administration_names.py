"""The administration names consumer on real Redis: the portal's events, as its relay puts them
on ``portal:events``, fill the read model once, whatever the redeliveries."""

import pytest
from sqlalchemy import select

from reports.config import PORTAL_STREAM
from reports.events import administrations_consumer, consumers
from reports.models import AdministrationName
from shared.events import new_event

pytestmark = pytest.mark.integration


def _event(event_type, name):
    data = {"administration_id": "adm-7", "name": name, "country_code": "SN", "language": "fr"}
    return new_event(event_type, source="portal", data=data, subject="adm-7")


def _names(app):
    with app.extensions["db"].session() as session:
        return [(r.administration_id, r.name) for r in session.scalars(select(AdministrationName))]


def test_created_then_renamed_on_the_portal_stream_leave_the_latest_name(app, redis_client):
    consumer = administrations_consumer(app, name="test-1")
    consumer.ensure_groups()
    bus = app.extensions["bus"]
    created = _event("administration.created", "Douanes sénégalaises")
    bus.publish(PORTAL_STREAM, created)
    bus.publish(PORTAL_STREAM, created)  # a relay retry publishes the same event again
    bus.publish(PORTAL_STREAM, _event("administration.renamed", "Direction générale des douanes"))
    assert consumer.poll(block_ms=100) == 3
    assert _names(app) == [("adm-7", "Direction générale des douanes")]
    assert redis_client.xpending(PORTAL_STREAM, "reports-administrations")["pending"] == 0


def test_the_event_process_runs_the_administrations_consumer(app):
    groups = {consumer.group: consumer.streams for consumer in consumers(app)}
    assert groups["reports-administrations"] == [PORTAL_STREAM]
