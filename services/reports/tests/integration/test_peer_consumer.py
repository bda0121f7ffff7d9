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
from shared.events import new_event

pytestmark = pytest.mark.integration

FRAMEWORK = {"key": "ai-ml-readiness", "version": "1.0"}
CUTS = {"area": "strategy", "first_quartile": 2.0, "median": 3.0, "third_quartile": 4.0}
SUBMITTED = {"assessment_id": "asm-1", "administration_id": "adm-1", "framework": FRAMEWORK}


def _published(median=3.0):
    data = {
        "region": "wca",
        "framework": FRAMEWORK,
        "areas": [{**CUTS, "median": median}],
        "computed_at": "2026-03-01T09:00:00Z",
    }
    return new_event("peer_aggregate.published", source="assessment", data=data, subject="wca")


def _withdrawn():
    data = {"region": "wca", "framework": FRAMEWORK, "computed_at": "2026-03-02T09:00:00Z"}
    return new_event("peer_aggregate.withdrawn", source="assessment", data=data, subject="wca")


def _opted(region):
    kind = "peer_participation.opted_in" if region else "peer_participation.opted_out"
    data = {**SUBMITTED, "region": region}
    return new_event(kind, source="assessment", data=data, subject="asm-1")


def _shown(app):
    with app.extensions["db"].session() as session:
        return peer_aggregates.distribution_for(session, SUBMITTED)


def test_published_and_opted_in_on_the_stream_fill_the_read_model_once(app, redis_client):
    consumer = peers_consumer(app, name="test-1")
    consumer.ensure_groups()
    bus = app.extensions["bus"]
    published, opted = _published(), _opted("wca")
    for event in (published, published, opted, opted):  # a relay retry publishes each again
        bus.publish(ASSESSMENT_STREAM, event)
    assert consumer.poll(block_ms=100) == 4
    assert _shown(app) == {
        "region": "wca",
        "areas": [CUTS],
        "computed_at": "2026-03-01T09:00:00+00:00",
    }
    with app.extensions["db"].session() as session:
        assert len(session.scalars(select(PeerAggregateCopy)).all()) == 1
        assert len(session.scalars(select(PeerParticipation)).all()) == 1
    assert redis_client.xpending(ASSESSMENT_STREAM, "reports-peers")["pending"] == 0


def test_a_withdrawal_drops_the_aggregate_and_a_late_older_publication_does_not_bring_it_back(
    app,
):
    older = _published(median=3.0)
    withdrawn = _withdrawn()
    with app.extensions["db"].session(write=True) as session:
        peer_aggregates.apply_peer_event(_opted("wca"), session=session)
    for event in (older, withdrawn, older, withdrawn):
        with app.extensions["db"].session(write=True) as session:
            peer_aggregates.apply_peer_event(event, session=session)
    assert _shown(app) is None
    with app.extensions["db"].session(write=True) as session:
        peer_aggregates.apply_peer_event(_published(median=3.5), session=session)
    shown = _shown(app)
    assert shown is not None and shown["areas"][0]["median"] == 3.5


def test_opting_out_hides_the_distribution_from_the_report(app):
    for event in (_published(), _opted("wca"), _opted(None)):
        with app.extensions["db"].session(write=True) as session:
            peer_aggregates.apply_peer_event(event, session=session)
    assert _shown(app) is None


def test_the_event_process_runs_the_peers_consumer(app):
    groups = {consumer.group: consumer.streams for consumer in consumers(app)}
    assert groups["reports-peers"] == [ASSESSMENT_STREAM]
