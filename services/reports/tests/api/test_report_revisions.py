"""A report built again from the same submission (a peer-learning opt-in, ADR 0012) is told
apart from a new submission: the reports page labels each revision (the latest one, the earlier
ones superseded) and its ``report.ready`` carries ``revision`` and the report it ``supersedes``."""

import json

import pytest
from sqlalchemy import select

from reports import jobs, peer_rebuilds, webhooks
from reports.models import OutboxMessage, ReportJob
from shared.events import CloudEvent, load_payload, new_event

FRAMEWORK = {"key": "ai-ml-readiness", "version": "1.0"}
CUTS = {"area": "strategy", "first_quartile": 2.0, "median": 3.0, "third_quartile": 4.0}


def _apply(app, event_type, data):
    event = new_event(event_type, source="assessment", data=data, subject="s")
    with app.extensions["db"].session(write=True) as session:
        return peer_rebuilds.apply_peer_event(event, session=session, enqueue=lambda _id: None)


def _queue_revision(app, make_report) -> tuple[ReportJob, str]:
    """Build a report, then opt its assessment in to a published region: revision 2 is queued."""
    first = make_report()
    published = {"region": "wca", "framework": FRAMEWORK, "areas": [CUTS]}
    _apply(app, "peer_aggregate.published", {**published, "computed_at": "2026-03-01T09:00:00Z"})
    opted_in = {"assessment_id": "asm-1", "administration_id": "adm-1", "region": "wca"}
    (queued,) = _apply(app, "peer_participation.opted_in", {**opted_in, "framework": FRAMEWORK})
    return first, queued


def _revised(app, make_report) -> tuple[ReportJob, ReportJob]:
    """Build a report, then opt its assessment in to a published region and build revision 2."""
    first, queued = _queue_revision(app, make_report)
    with app.extensions["db"].session(write=True) as session:
        second = jobs.build_report(
            session=session, store=app.extensions["reports.store"], job_id=queued
        )
    assert second is not None and (first.revision, second.revision) == (1, 2)
    return first, second


def _ready_events(app, event_type="report.ready") -> list[CloudEvent]:
    with app.extensions["db"].session() as session:
        rows = session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.event_type == event_type)
            .order_by(OutboxMessage.id)
        ).all()
        return [CloudEvent.from_json(row.payload) for row in rows]


def _row(page: str, report_id: str) -> str:
    return page.split(f'<tr data-report="{report_id}">', 1)[1].split("</tr>", 1)[0]


@pytest.mark.parametrize(
    ("lang", "revision", "latest", "superseded"),
    [
        ("en", "Revision %s", "Latest", "Superseded by revision 2"),
        ("fr", "Révision %s", "La plus récente", "Remplacée par la révision 2"),
        ("pt", "Revisão %s", "A mais recente", "Substituída pela revisão 2"),
    ],
)
def test_the_page_labels_the_latest_revision_and_the_superseded_one(
    app, client, make_token, make_report, lang, revision, latest, superseded
):
    first, second = _revised(app, make_report)
    client.set_cookie("sc_session", make_token("coord-1", "adm-1", ("coordinator",)))
    page = client.get(f"/reports/?lang={lang}").get_data(as_text=True)
    newer, older = _row(page, second.id), _row(page, first.id)
    assert page.index(second.id) < page.index(first.id)  # newest first
    assert revision % 2 in newer and latest in newer and superseded not in newer
    assert revision % 1 in older and superseded in older and latest not in older


def test_a_single_revision_is_neither_latest_nor_superseded(app, client, make_token, make_report):
    job = make_report()
    client.set_cookie("sc_session", make_token("coord-1", "adm-1", ("coordinator",)))
    row = _row(client.get("/reports/?lang=en").get_data(as_text=True), job.id)
    assert "Revision 1" in row
    assert "data-latest" not in row and "data-superseded" not in row


def test_report_ready_carries_the_revision_and_the_report_it_supersedes(app, make_report):
    first, second = _revised(app, make_report)
    original, revised = _ready_events(app)
    assert (original.data["report_id"], original.data["revision"]) == (first.id, 1)
    assert original.data["supersedes"] is None
    assert (revised.data["report_id"], revised.data["revision"]) == (second.id, 2)
    assert revised.data["supersedes"] == first.id
    same = ("assessment_id", "version", "language")
    assert [revised.data[key] for key in same] == [original.data[key] for key in same]


def test_report_failed_carries_the_failed_revision_and_the_report_that_stays_current(
    app, make_report
):
    lone = make_report(build=False, assessment_id="asm-9")
    first, queued = _queue_revision(app, make_report)
    with app.extensions["db"].session(write=True) as session:
        jobs.fail_report(session=session, job_id=lone.id, reason="invalid report data")
        jobs.fail_report(session=session, job_id=queued, reason="invalid report data")
    lone_failed, revision_failed = _ready_events(app, "report.failed")
    assert lone_failed.data["report_id"] == lone.id
    assert (lone_failed.data["revision"], lone_failed.data["supersedes"]) == (1, None)
    assert revision_failed.data["report_id"] == queued
    assert (revision_failed.data["revision"], revision_failed.data["supersedes"]) == (2, first.id)
    body = json.loads(webhooks.body_of(revision_failed, load_payload(revision_failed)))
    assert body["data"]["revision"] == 2 and body["data"]["supersedes"] == first.id
    assert body["data"]["reason"] == "invalid report data" and "notify" not in body["data"]


def test_the_webhook_body_tells_a_revision_from_a_new_submission(app, make_report):
    first, second = _revised(app, make_report)
    revised = _ready_events(app)[1]
    body = json.loads(webhooks.body_of(revised, load_payload(revised)))
    assert body["data"]["revision"] == 2 and body["data"]["supersedes"] == first.id
    assert body["data"]["report_id"] == second.id and "notify" not in body["data"]


def test_the_api_lists_the_revisions_newest_first_and_documents_the_field(
    app, client, auth, make_report
):
    first, second = _revised(app, make_report)
    items = client.get("/api/v1/reports/reports", headers=auth()).json
    assert [(item["id"], item["revision"]) for item in items] == [(second.id, 2), (first.id, 1)]
    detail = client.get(f"/api/v1/reports/reports/{first.id}", headers=auth()).json
    assert detail["revision"] == 1
    spec = client.get("/api/v1/reports/openapi.json").json
    revision = spec["components"]["schemas"]["Report"]["properties"]["revision"]
    assert revision["type"] == "integer" and "latest is current" in revision["description"]
