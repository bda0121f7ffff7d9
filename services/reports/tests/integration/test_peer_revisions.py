"""An opt-in after the report was built gives the report a new revision with the peer section,
through the consumer ``reports-peers`` on real Redis and a real Celery worker; a redelivered event
builds nothing twice; an opt-out gives a revision without the section; a region's first
publication gives the section to the reports that lack it, a later recomputation builds nothing
(ADR 0012); an enqueue lost after the commit is made good by the redelivery, and a worker killed
building a revision leaves it to another worker, built and told once."""

import json
import time
from html import unescape

import pytest
from sqlalchemy import select

from reports import peer_rebuilds
from reports.config import ASSESSMENT_STREAM
from reports.events import peers_consumer, submissions_consumer
from reports.models import OutboxMessage, ReportJob

from . import peer_events

pytestmark = pytest.mark.integration

HEADING = "Your scores beside the regional distribution"
QUIET_S = 1.5  # time for a build that should not happen to show up


def _deliver(app, *events):
    for event in events:
        app.extensions["bus"].publish(ASSESSMENT_STREAM, event)
    assert peers_consumer(app, name="test-peers").poll(block_ms=500) == len(events)


def _reports(app):
    with app.extensions["db"].session() as session:
        return list(session.scalars(select(ReportJob).order_by(ReportJob.revision)))


def _ready(app, worker, revisions):
    """Wait until ``revisions`` reports exist and all are ready; return them."""

    def done():
        rows = _reports(app)
        return rows if len(rows) == revisions and all(r.status == "ready" for r in rows) else None

    return worker.wait_for(done, f"{revisions} ready revisions")


def _page(client, auth, job):
    response = client.get(f"/api/v1/reports/reports/{job.id}/files/html", headers=auth())
    assert response.status_code == 200
    return unescape(response.get_data(as_text=True))


def _ready_events(app):
    with app.extensions["db"].session() as session:
        rows = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
        ready = [row for row in rows if row.event_type == "report.ready"]
        return [json.loads(row.payload)["data"]["report_id"] for row in ready]


@pytest.fixture
def submitted_report(app, start_worker, submitted_event):
    """A worker, and asm-1's report built (revision 1) before any peer-learning event."""
    worker = start_worker(queues="reports")
    app.extensions["bus"].publish(ASSESSMENT_STREAM, submitted_event())
    assert submissions_consumer(app, name="test-jobs").poll(block_ms=500) == 1
    peers_consumer(app, name="test-peers").poll(block_ms=100)  # it passes the submission by
    (first,) = _ready(app, worker, 1)
    assert first.revision == 1 and first.peer_distribution is None
    return worker, first


def test_opting_in_then_out_after_the_report_gives_revisions_with_then_without_the_section(
    app, client, auth, submitted_report
):
    worker, first = submitted_report
    assert HEADING not in _page(client, auth, first)
    opted = peer_events.opted("wca")
    _deliver(app, peer_events.published(), opted)
    first, second = _ready(app, worker, 2)
    assert (second.revision, second.version, second.language) == (2, 1, "en")
    assert second.source_event_id == opted.id
    assert second.notify == first.notify  # the same people are told the updated report is ready
    assert HEADING in _page(client, auth, second)
    assert HEADING not in _page(client, auth, first)  # the earlier revision stays as it was
    assert _ready_events(app) == [first.id, second.id]
    listed = client.get("/api/v1/reports/reports", headers=auth()).json
    assert [(r["id"], r["revision"]) for r in listed] == [(second.id, 2), (first.id, 1)]

    _deliver(app, opted)  # redelivered
    time.sleep(QUIET_S)
    assert len(_reports(app)) == 2

    _deliver(app, peer_events.opted(None))
    *_, third = _ready(app, worker, 3)
    assert third.revision == 3 and third.peer_distribution is None
    assert HEADING not in _page(client, auth, third)
    assert len(_ready_events(app)) == 3


def test_a_regions_first_publication_gives_the_section_and_a_recomputation_builds_nothing(
    app, client, auth, submitted_report
):
    worker, _ = submitted_report
    # opted in below five: nothing published, nothing to show
    _deliver(app, peer_events.opted("wca"))
    time.sleep(QUIET_S)
    assert len(_reports(app)) == 1
    _deliver(app, peer_events.published())  # the fifth administration opted in
    _, second = _ready(app, worker, 2)
    assert HEADING in _page(client, auth, second)
    assert second.peer_distribution["computed_at"] == "2026-03-05T09:00:00+00:00"

    _deliver(
        app,
        peer_events.published(median=3.5, computed_at="2026-03-06T09:00:00Z"),
        peer_events.withdrawn(),
    )
    time.sleep(QUIET_S)
    assert len(_reports(app)) == 2  # the report is a dated snapshot: it says when it was computed


def test_an_enqueue_lost_after_the_commit_is_made_good_by_the_redelivery(
    app, make_report, enqueued
):
    first = make_report()
    opted = peer_events.opted("wca")
    database = app.extensions["db"]
    with database.session(write=True) as session:
        peer_rebuilds.apply_peer_event(peer_events.published(), session=session, enqueue=enqueued)

    def lost(job_id):
        raise ConnectionError("broker gone")

    with pytest.raises(ConnectionError), database.session(write=True) as session:
        peer_rebuilds.apply_peer_event(opted, session=session, enqueue=lost)
    for _ in range(2):  # the consumer did not acknowledge: the event comes again, and again
        with database.session(write=True) as session:
            peer_rebuilds.apply_peer_event(opted, session=session, enqueue=enqueued)
    rows = _reports(app)
    assert [(r.revision, r.status) for r in rows] == [(1, "ready"), (2, "queued")]
    assert rows[0].id == first.id
    assert enqueued.job_ids == [first.id, rows[1].id, rows[1].id]


# A dead worker's task comes back within seconds (as in test_reliability.py).
FAST_RESTORE = {"REPORTS_VISIBILITY_TIMEOUT_S": "3", "REPORTS_UNACKED_RESTORE_INTERVAL_S": "1"}


def test_a_worker_killed_building_the_new_revision_leaves_it_to_another_worker_once(
    app, client, auth, start_worker, make_report
):
    first = make_report()  # built before the opt-in
    peers_consumer(app, name="test-peers").poll(block_ms=100)  # the group starts from here
    slow = start_worker(
        pool="prefork", queues="reports", REPORTS_TEST_BUILD_DELAY_S="60", **FAST_RESTORE
    )
    _deliver(app, peer_events.published(), peer_events.opted("wca"))

    def building():
        rows = _reports(app)
        return rows[-1] if len(rows) == 2 and rows[-1].status == "building" else None

    assert slow.wait_for(building, "revision building").revision == 2
    slow.kill()
    again = start_worker(pool="prefork", queues="reports", **FAST_RESTORE)
    _, second = _ready(app, again, 2)
    assert (second.revision, second.attempts) == (2, 2)
    assert HEADING in _page(client, auth, second)
    assert _ready_events(app) == [first.id, second.id]  # each revision told once
