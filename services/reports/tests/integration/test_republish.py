"""``flask --app reports events republish`` on the real database and Redis: after Redis lost an
event it had relayed (the stream and its consumer group are gone), the event is published again
from the outbox and handled once more, without a second notification."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from reports.config import STREAM
from reports.events import notifications_consumer
from reports.models import Notification, OutboxMessage
from shared.outbox import relay_pending
from shared.timestamps import utcnow

pytestmark = pytest.mark.integration


def _notifications(app):
    with app.extensions["db"].session() as session:
        return sorted(row.user_id for row in session.scalars(select(Notification)))


def test_events_lost_with_redis_are_published_again_and_handled_once(
    app, make_report, redis_client
):
    make_report()  # stages report.ready in the outbox
    db, bus = app.extensions["db"], app.extensions["bus"]
    assert relay_pending(db, OutboxMessage, bus) == 1
    assert relay_pending(db, OutboxMessage, bus) == 0  # published: the relay is done with it
    consumer = notifications_consumer(app, name="test-1")
    assert consumer.poll(block_ms=100) == 1
    assert _notifications(app) == ["coord-1", "resp-1"]

    redis_client.delete(STREAM)  # Redis lost its data: the stream and the group are gone
    runner = app.test_cli_runner()
    wrong = runner.invoke(args=["events", "republish", "--since", "yesterday"])
    assert wrong.exit_code == 2 and "neither an age" in wrong.output
    other = runner.invoke(args=["events", "republish", "--since", "1h", "--type", "nothing.x"])
    assert other.exit_code == 0 and "reports: events to publish again: 0" in other.output
    result = runner.invoke(args=["events", "republish", "--since", "1h", "--type", "report.ready"])
    assert result.exit_code == 0, result.output
    assert "reports: events to publish again: 1" in result.output

    assert relay_pending(db, OutboxMessage, bus) == 1
    assert redis_client.xlen(STREAM) == 1
    again = notifications_consumer(app, name="test-2")
    assert again.poll(block_ms=100) == 1
    assert _notifications(app) == ["coord-1", "resp-1"]  # handled again, notified once
    later = runner.invoke(
        args=["events", "republish", "--since", (utcnow() + timedelta(minutes=1)).isoformat()]
    )
    assert "reports: events to publish again: 0" in later.output
