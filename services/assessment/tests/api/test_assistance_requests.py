"""Capacity-building requests through the API: a coordinator drafts one from a submitted
assessment's gaps, reviews and sends it (``assistance_request.sent`` carries only what was
chosen), members read it, another administration finds nothing, and refusals are problems in
the caller's language."""

import json

import pytest
from sqlalchemy import select

from assessment.models import OutboxMessage

from ..conftest import BASE

URL = f"{BASE}/assistance-requests"


@pytest.fixture
def submitted(client, auth, started, indicators):
    """The started assessment with its data indicators at level 1, submitted; its priorities."""
    base = f"{BASE}/assessments/{started}"
    for key in indicators["data"]:
        saved = client.put(f"{base}/answers/{key}", json={"value": 1}, headers=auth())
        assert saved.status_code == 200
    assert client.post(f"{base}/submit", headers=auth()).status_code == 200
    priorities = client.get(f"{base}/results", headers=auth()).json["priorities"]
    return started, priorities


def _draft(client, auth, assessment_id, indicators, headers=None, **fields):
    body = {
        "topic": "Data governance for risk management",
        "indicators": indicators,
        "horizon": "6-18",
        "formats": ["workshop", "mentoring"],
        "notes": "Two officers per directorate.",
        **fields,
    }
    return client.post(
        f"{BASE}/assessments/{assessment_id}/assistance-requests",
        json=body,
        headers=headers or auth(),
    )


def _sent_events(app):
    with app.extensions["db"].session() as session:
        rows = session.scalars(
            select(OutboxMessage).where(OutboxMessage.event_type == "assistance_request.sent")
        ).all()
    return [json.loads(row.payload)["data"] for row in rows]


def test_a_coordinator_drafts_reviews_and_sends_a_request_from_the_gaps(
    app, client, auth, submitted
):
    aid, priorities = submitted
    chosen = [p["indicator"] for p in priorities[:2]]
    drafted = _draft(client, auth, aid, list(reversed(chosen)))
    assert drafted.status_code == 201, drafted.json
    body = drafted.json
    assert body["status"] == "draft" and body["language"] == "en"
    assert [item["indicator"] for item in body["indicators"]] == chosen  # in priority order
    first = priorities[0]
    assert body["indicators"][0] == {
        "indicator": first["indicator"],
        "area": first["area"],
        "current": first["level"],
        "target": first["target"],
    }
    assert body["areas"] == list(dict.fromkeys(p["area"] for p in priorities[:2]))
    assert _sent_events(app) == []  # a draft stays inside the administration

    changed = client.patch(
        f"{URL}/{body['id']}",
        json={"language": "fr", "formats": ["expert_mission"]},
        headers=auth(),
    )
    assert changed.status_code == 200 and changed.json["formats"] == ["expert_mission"]

    sent = client.post(f"{URL}/{body['id']}/send", headers=auth())
    assert sent.status_code == 200 and sent.json["status"] == "sent"
    assert client.post(f"{URL}/{body['id']}/send", headers=auth()).status_code == 200
    (event,) = _sent_events(app)  # sending twice announces it once
    assert event["request_id"] == body["id"] and event["administration_id"] == "adm-1"
    assert event["indicators"] == body["indicators"] and event["language"] == "fr"
    assert event["framework"]["key"] == "ai-ml-readiness"
    # Only what was chosen leaves: no assessment id, no other answer or score.
    assert "assessment_id" not in event and "answers" not in event and "areas_scores" not in event
    others = {p["indicator"] for p in priorities[2:]}
    assert not others & {item["indicator"] for item in event["indicators"]}

    late = client.patch(f"{URL}/{body['id']}", json={"topic": "Other"}, headers=auth())
    assert late.status_code == 409 and late.json["code"] == "assistance_request_sent"
    listed = client.get(URL, headers=auth(sub="resp-1", roles=("respondent",)))
    assert listed.status_code == 200 and [r["id"] for r in listed.json] == [body["id"]]


def test_only_gaps_of_a_submitted_assessment_can_be_asked_about(client, auth, started, submitted):
    aid, priorities = submitted
    wrong = _draft(client, auth, aid, [priorities[0]["indicator"], "no-such-indicator"])
    assert wrong.status_code == 422 and wrong.json["code"] == "not_a_gap"
    assert "no-such-indicator" in json.dumps(wrong.json["errors"])
    bad = _draft(client, auth, aid, [priorities[0]["indicator"]], formats=["holiday"], horizon="9")
    assert bad.status_code == 422 and {"formats", "horizon"} <= set(bad.json["errors"])
    opened = client.post(f"{BASE}/assessments", json={"title": "Open one"}, headers=auth())
    still_open = _draft(client, auth, opened.json["id"], ["x"])
    assert still_open.status_code == 409 and still_open.json["code"] == "assessment_not_submitted"


def test_respondents_cannot_draft_or_send_and_are_told_in_french(client, auth, submitted):
    aid, priorities = submitted
    respondent = auth(sub="resp-1", roles=("respondent",))
    refused = client.post(
        f"{BASE}/assessments/{aid}/assistance-requests",
        json={
            "topic": "t",
            "indicators": [priorities[0]["indicator"]],
            "horizon": "0-6",
            "formats": ["training"],
        },
        headers={**respondent, "Accept-Language": "fr"},
    )
    assert refused.status_code == 403
    assert refused.json["title"] != "Forbidden" and refused.headers["Content-Language"] == "fr"


def test_another_administration_sees_nothing_of_the_requests(client, auth, submitted):
    aid, priorities = submitted
    made = _draft(client, auth, aid, [priorities[0]["indicator"]]).json
    other = auth(sub="coord-9", administration_id="adm-2")
    assert client.get(f"{URL}/{made['id']}", headers=other).status_code == 404
    assert client.post(f"{URL}/{made['id']}/send", headers=other).status_code == 404
    assert (
        client.patch(f"{URL}/{made['id']}", json={"topic": "x"}, headers=other).status_code == 404
    )
    assert client.get(URL, headers=other).json == []
    theirs = _draft(client, auth, aid, [priorities[0]["indicator"]], headers=other)
    assert theirs.status_code == 404


def _status_event(request_id, status, *, administration_id="adm-1", at=None, **fields):
    import dataclasses

    from shared.events import new_event

    data = {
        "request_id": request_id,
        "administration_id": administration_id,
        "status": status,
        "changed_by": "op-1",
        **fields,
    }
    event = new_event(
        "assistance_request.status_changed", source="portal", data=data, subject=request_id
    )
    return dataclasses.replace(event, time=at) if at else event


def test_the_operators_status_flows_back_in_order_and_only_to_its_administration(
    app, client, auth, submitted, redis_client
):
    from assessment.config import PORTAL_STREAM
    from assessment.events import assistance_consumer

    aid, priorities = submitted
    made = _draft(client, auth, aid, [priorities[0]["indicator"]]).json
    draft_only = _draft(client, auth, aid, [priorities[1]["indicator"]]).json
    client.post(f"{URL}/{made['id']}/send", headers=auth())
    consumer = assistance_consumer(app, name="test-1")
    consumer.ensure_groups()
    bus = app.extensions["bus"]
    match = {"kind": "administration", "id": "adm-5", "name": "Douanes du Bénin"}
    bus.publish(
        PORTAL_STREAM,
        _status_event(
            made["id"], "matched", at="2026-12-07T10:00:00Z", note="Un pair.", matches=[match]
        ),
    )
    bus.publish(PORTAL_STREAM, _status_event(made["id"], "acknowledged", at="2026-12-07T09:00:00Z"))
    bus.publish(PORTAL_STREAM, _status_event(made["id"], "closed", administration_id="adm-2"))
    bus.publish(PORTAL_STREAM, _status_event(draft_only["id"], "acknowledged"))
    assert consumer.poll(block_ms=100) == 4
    seen = client.get(f"{URL}/{made['id']}", headers=auth()).json
    assert (seen["status"], seen["operator_note"]) == ("matched", "Un pair.")
    assert seen["matches"] == [{**match, "url": ""}]
    assert client.get(f"{URL}/{draft_only['id']}", headers=auth()).json["status"] == "draft"
