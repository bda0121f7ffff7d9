"""The event process's ``reports-forums`` group: forum replies on the portal stream become the
notifications of the members they concern, once per event and member however often the event is
delivered, never the replier's; other portal events pass it by."""

import pytest
from sqlalchemy import select

from reports.config import PORTAL_STREAM
from reports.events import consumers, forums_consumer
from reports.metrics import GROUPS
from reports.models import Notification
from shared.events import new_event

from ..api.test_forum_replies import reply

pytestmark = pytest.mark.integration


def _notifications(app):
    with app.extensions["db"].session() as session:
        rows = session.scalars(select(Notification).order_by(Notification.user_id))
        return [(n.user_id, n.code) for n in rows]


def test_a_reply_delivered_again_notifies_each_member_once(app, redis_client):
    consumer = forums_consumer(app, name="test-1")
    event = reply()
    bus = app.extensions["bus"]
    bus.publish(PORTAL_STREAM, event)
    bus.publish(PORTAL_STREAM, event)
    assert consumer.poll(block_ms=100) == 2
    told = [("author-1", "forum_replied"), ("quoted-1", "forum_quoted")]
    assert _notifications(app) == told
    # a redelivery after a crash that lost the dedupe mark adds nothing either
    redis_client.delete(f"reports-forums:processed-event:{event.id}")
    bus.publish(PORTAL_STREAM, event)
    assert consumer.poll(block_ms=100) == 1
    assert _notifications(app) == told
    assert redis_client.xpending(PORTAL_STREAM, "reports-forums")["pending"] == 0


def test_the_replier_is_never_notified_even_when_the_event_names_them(app, redis_client):
    consumer = forums_consumer(app, name="test-1")
    bus = app.extensions["bus"]
    bus.publish(PORTAL_STREAM, reply(notify=["author-1", "replier-1"], mentioned=["replier-1"]))
    bus.publish(PORTAL_STREAM, reply(thread_author_id="replier-1", notify=[]))
    assert consumer.poll(block_ms=100) == 2
    assert _notifications(app) == [("author-1", "forum_replied")]
    assert redis_client.xpending(PORTAL_STREAM, "reports-forums")["pending"] == 0


def test_the_group_leaves_other_portal_events_alone(app):
    consumer = forums_consumer(app, name="test-1")
    created = new_event(
        "administration.created",
        source="portal",
        data={"administration_id": "adm-1", "name": "Douanes", "country_code": "TL"},
        subject="adm-1",
    )
    app.extensions["bus"].publish(PORTAL_STREAM, created)
    assert consumer.poll(block_ms=100) == 1
    assert _notifications(app) == []


def test_the_event_process_runs_the_group_and_measures_its_backlog(app):
    groups = {consumer.group: consumer.streams for consumer in consumers(app)}
    assert groups["reports-forums"] == [PORTAL_STREAM]
    assert (PORTAL_STREAM, "reports-forums") in GROUPS
