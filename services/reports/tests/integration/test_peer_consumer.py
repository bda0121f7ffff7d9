"""The peer-learning consumer on real Redis: the assessment service's ``peer_aggregate.*`` and
``peer_participation.*`` events, as its relay puts them on ``assessment:events``, fill the read
model once whatever the redeliveries; a withdrawal drops the aggregate; an older event changes
nothing."""

import pytest
from sqlalchemy import select

from reports import peer_aggregates
from reports.config import ASSESSMENT_STREAM
from reports.events import consumers, peers_consumer
from reports.models import PeerAggregateCopy, PeerParticipation

from . import peer_events
from .peer_events import CUTS, SUBMITTED

pytestmark = pytest.mark.integration


def _shown(app):
    with app.extensions["db"].session() as session:
        return peer_aggregates.distribution_for(session, SUBMITTED)


def test_published_and_opted_in_on_the_stream_fill_the_read_model_once(app, redis_client):
    consumer = peers_consumer(app, name="test-1")
    consumer.ensure_groups()
    bus = app.extensions["bus"]
    published, opted = peer_events.published(), peer_events.opted("wca")
    for event in (published, published, opted, opted):  # a relay retry publishes each again
        bus.publish(ASSESSMENT_STREAM, event)
    assert consumer.poll(block_ms=100) == 4
    assert _shown(app) == {
        "region": "wca",
        "areas": [CUTS],
        "computed_at": "2026-03-05T09:00:00+00:00",
    }
    with app.extensions["db"].session() as session:
        assert len(session.scalars(select(PeerAggregateCopy)).all()) == 1
        assert len(session.scalars(select(PeerParticipation)).all()) == 1
    assert redis_client.xpending(ASSESSMENT_STREAM, "reports-peers")["pending"] == 0


def test_a_withdrawal_drops_the_aggregate_and_a_late_older_publication_does_not_bring_it_back(
    app,
):
    older = peer_events.published(median=3.0)
    withdrawn = peer_events.withdrawn()
    with app.extensions["db"].session(write=True) as session:
        peer_aggregates.apply_peer_event(peer_events.opted("wca"), session=session)
    for event in (older, withdrawn, older, withdrawn):
        with app.extensions["db"].session(write=True) as session:
            peer_aggregates.apply_peer_event(event, session=session)
    assert _shown(app) is None
    with app.extensions["db"].session(write=True) as session:
        peer_aggregates.apply_peer_event(peer_events.published(median=3.5), session=session)
    shown = _shown(app)
    assert shown is not None and shown["areas"][0]["median"] == 3.5


def test_opting_out_hides_the_distribution_from_the_report(app):
    for event in (peer_events.published(), peer_events.opted("wca"), peer_events.opted(None)):
        with app.extensions["db"].session(write=True) as session:
            peer_aggregates.apply_peer_event(event, session=session)
    assert _shown(app) is None


def test_the_event_process_runs_the_peers_consumer(app):
    groups = {consumer.group: consumer.streams for consumer in consumers(app)}
    assert groups["reports-peers"] == [ASSESSMENT_STREAM]
