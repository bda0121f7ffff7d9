"""The event process's ``reports-actions`` group: action plan reminders on the assessment stream
become the owner's notifications, once per event, and other events pass it by."""

import pytest
from sqlalchemy import select

from reports.config import ASSESSMENT_STREAM
from reports.events import actions_consumer, consumers
from reports.metrics import GROUPS
from reports.models import Notification

from ..api.test_action_reminders import reminder

pytestmark = pytest.mark.integration


def _notifications(app):
    with app.extensions["db"].session() as session:
        return [(n.user_id, n.code) for n in session.scalars(select(Notification))]


def test_a_reminder_delivered_twice_notifies_its_owner_once(app, redis_client):
    consumer = actions_consumer(app, name="test-1")
    event = reminder("overdue")
    bus = app.extensions["bus"]
    bus.publish(ASSESSMENT_STREAM, event)
    bus.publish(ASSESSMENT_STREAM, event)
    assert consumer.poll(block_ms=100) == 2
    assert _notifications(app) == [("resp-1", "action_overdue")]
    # a redelivery after a crash that lost the dedupe mark adds nothing either
    redis_client.delete(f"reports-actions:processed-event:{event.id}")
    bus.publish(ASSESSMENT_STREAM, event)
    assert consumer.poll(block_ms=100) == 1
    assert _notifications(app) == [("resp-1", "action_overdue")]
    assert redis_client.xpending(ASSESSMENT_STREAM, "reports-actions")["pending"] == 0


def test_the_group_leaves_other_assessment_events_alone(app, import_event, redis_client):
    consumer = actions_consumer(app, name="test-1")
    app.extensions["bus"].publish(ASSESSMENT_STREAM, import_event())
    assert consumer.poll(block_ms=100) == 1
    assert _notifications(app) == []


def test_the_event_process_runs_the_group_and_measures_its_backlog(app):
    groups = {consumer.group: consumer.streams for consumer in consumers(app)}
    assert groups["reports-actions"] == [ASSESSMENT_STREAM]
    assert (ASSESSMENT_STREAM, "reports-actions") in GROUPS
