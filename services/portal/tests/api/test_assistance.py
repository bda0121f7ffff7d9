"""The operators' assistance queue and the expertise registry through the API: a sent request
arrives from the assessment service's stream once, operators see it beside the administrations
that volunteered expertise in its areas, match and answer it (``assistance_request.status_changed``
in the same transaction), and nobody else sees the queue."""

import json

import pytest
from sqlalchemy import select

from portal.config import ASSESSMENT_STREAM
from portal.events import assistance_consumer, consumers
from portal.models import OutboxMessage
from shared.events import new_event

URL = "/api/v1/portal/assistance-requests"


def _sent(administration_id, request_id="req-1", areas=("data",)):
    data = {
        "request_id": request_id,
        "administration_id": administration_id,
        "administration_name": "Demo Customs Administration",
        "topic": "Data governance for risk management",
        "areas": list(areas),
        "indicators": [
            {"indicator": "data-quality", "area": "data", "current": 1.0, "target": 3.0}
        ],
        "horizon": "6-18",
        "language": "fr",
        "formats": ["workshop"],
        "notes": "Deux agents par direction.",
        "framework": {"key": "ai-ml-readiness", "version": "1.0"},
        "sent_by": "coord-1",
        "sent_at": "2026-12-07T10:00:00Z",
    }
    return new_event("assistance_request.sent", source="assessment", data=data, subject=request_id)


@pytest.fixture
def queued(app, demo, redis_client):
    """Deliver one sent request of the demo administration through the real stream (twice)."""
    consumer = assistance_consumer(app, name="test-1")
    consumer.ensure_groups()
    event = _sent(demo["demo"])
    app.extensions["bus"].publish(ASSESSMENT_STREAM, event)
    app.extensions["bus"].publish(ASSESSMENT_STREAM, event)  # a relay retry
    assert consumer.poll(block_ms=100) == 2
    assert redis_client.xpending(ASSESSMENT_STREAM, "portal-assistance")["pending"] == 0
    return event.data["request_id"]


def test_the_event_process_runs_the_assistance_consumer(app):
    assert {c.group: c.streams for c in consumers(app)} == {
        "portal-assistance": [ASSESSMENT_STREAM]
    }


def test_operators_see_a_sent_request_once_with_the_volunteers_of_its_areas(
    client, demo, login, queued
):
    other = login("coordinator@other.example")
    offered = client.put(
        f"/api/v1/portal/administrations/{demo['other']}/expertise",
        json={"areas": ["data", "legal"], "languages": ["en", "fr"], "note": "Data lab team"},
        headers=other,
    )
    assert offered.status_code == 200, offered.json
    operator = login("operator@demo.example")
    listed = client.get(URL, headers=operator)
    assert listed.status_code == 200 and [c["request_id"] for c in listed.json] == [queued]
    assert client.get(URL, query_string={"area": "legal"}, headers=operator).json == []
    assert len(client.get(URL, query_string={"status": "received"}, headers=operator).json) == 1
    detail = client.get(f"{URL}/{queued}", headers=operator).json
    assert detail["case"]["status"] == "received" and detail["case"]["language"] == "fr"
    assert detail["suggestions"] == [
        {
            "administration_id": demo["other"],
            "name": "Other Customs Administration",
            "areas": ["data"],
            "languages": ["en", "fr"],
            "note": "Data lab team",
        }
    ]


def test_an_operator_matches_and_answers_a_request_announced_in_the_same_transaction(
    app, client, demo, login, queued
):
    operator = login("operator@demo.example")
    answered = client.patch(
        f"{URL}/{queued}",
        json={
            "status": "matched",
            "note": "Un pair peut aider.",
            "matches": [{"kind": "administration", "id": demo["other"]}],
        },
        headers=operator,
    )
    assert answered.status_code == 200, answered.json
    assert answered.json["case"]["matches"] == [
        {"kind": "administration", "id": demo["other"], "name": "Other Customs Administration"}
    ]
    with app.extensions["db"].session() as session:
        rows = session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.event_type == "assistance_request.status_changed"
            )
        ).all()
    (event,) = [json.loads(row.payload)["data"] for row in rows]
    assert event["request_id"] == queued and event["administration_id"] == demo["demo"]
    assert event["status"] == "matched" and event["note"] == "Un pair peut aider."

    own = client.patch(
        f"{URL}/{queued}",
        json={"matches": [{"kind": "administration", "id": demo["demo"]}]},
        headers=operator,
    )
    assert own.status_code == 422 and own.json["code"] == "unknown_match"
    missing = client.patch(
        f"{URL}/{queued}", json={"matches": [{"kind": "resource", "id": "nope"}]}, headers=operator
    )
    assert missing.status_code == 422
    assert (
        client.patch(f"{URL}/nope", json={"status": "closed"}, headers=operator).status_code == 404
    )


@pytest.mark.parametrize(
    "email", ["coordinator@demo.example", "editor@demo.example", "respondent@demo.example"]
)
def test_nobody_but_operators_sees_the_queue(client, login, queued, email):
    headers = {**login(email), "Accept-Language": "fr"}
    assert client.get(URL, headers=headers).status_code == 403
    assert client.get(f"{URL}/{queued}", headers=headers).status_code == 403
    refused = client.patch(f"{URL}/{queued}", json={"status": "closed"}, headers=headers)
    assert refused.status_code == 403


def test_an_administration_keeps_its_own_offer_and_another_finds_nothing(client, demo, login):
    url = f"/api/v1/portal/administrations/{demo['demo']}/expertise"
    coordinator = login("coordinator@demo.example")
    assert client.get(url, headers=coordinator).json["areas"] == []
    put = client.put(url, json={"areas": ["strategy", "strategy"]}, headers=coordinator)
    assert put.status_code == 200 and put.json["areas"] == ["strategy"]
    respondent = login("respondent@demo.example")
    assert client.get(url, headers=respondent).json["areas"] == ["strategy"]
    assert client.put(url, json={"areas": ["data"]}, headers=respondent).status_code == 403
    stranger = login("coordinator@other.example")
    assert client.get(url, headers=stranger).status_code == 404
    assert client.put(url, json={"areas": ["data"]}, headers=stranger).status_code == 404
    bad = client.put(url, json={"areas": ["Not A Key!"]}, headers=coordinator)
    assert bad.status_code == 422
    operator = login("operator@demo.example")
    assert [
        o["administration_id"]
        for o in client.get("/api/v1/portal/expertise", headers=operator).json
    ] == [demo["demo"]]
    assert client.get("/api/v1/portal/expertise", headers=coordinator).status_code == 403
    assert client.delete(url, headers=coordinator).status_code == 204
    assert client.get(url, headers=coordinator).json["areas"] == []
