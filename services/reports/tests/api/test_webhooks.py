"""Webhook endpoints through the API: registration, secrets shown once, isolation, deliveries."""

import json

import pytest
from sqlalchemy import select
from standardwebhooks.webhooks import Webhook

from reports import sender, webhooks
from reports.models import WebhookDelivery, WebhookEndpoint
from shared.events import new_event

URL = "/api/v1/reports/webhooks"


def _register(client, auth, body=None, **headers):
    body = (
        body
        if body is not None
        else {"url": "https://erp.douanes.example/hooks", "description": "ERP"}
    )
    return client.post(URL, json=body, headers={**auth(), **headers})


def _ready_event(**overrides):
    data = {
        "report_id": "rep-1",
        "assessment_id": "asm-1",
        "administration_id": "adm-1",
        "version": 1,
        "language": "fr",
        "title": "Readiness 2026",
        "formats": ["html", "pdf"],
        "notify": ["coord-1", "resp-1"],
        **overrides,
    }
    return new_event("report.ready", source="reports", data=data, subject=data["report_id"])


def test_a_coordinator_registers_an_endpoint_and_sees_the_secret_once(client, auth):
    created = _register(client, auth)
    assert created.status_code == 201
    body = created.get_json()
    assert body["secret"].startswith("whsec_")
    assert body["events"] == ["answer_import.finished", "report.failed", "report.ready"]
    assert body["url"] == "https://erp.douanes.example/hooks"
    listed = client.get(URL, headers=auth()).get_json()
    assert [item["id"] for item in listed] == [body["id"]]
    assert "secret" not in listed[0]
    one = client.get(f"{URL}/{body['id']}", headers=auth()).get_json()
    assert "secret" not in one and one["description"] == "ERP"


def test_the_same_idempotency_key_returns_the_first_endpoint_and_refuses_another_body(client, auth):
    first = _register(client, auth, **{"Idempotency-Key": "k-1"})
    again = _register(client, auth, **{"Idempotency-Key": "k-1"})
    assert again.status_code == 201 and again.get_json() == first.get_json()
    other = _register(client, auth, {"url": "https://other.example/"}, **{"Idempotency-Key": "k-1"})
    assert other.status_code == 422
    assert other.get_json()["code"] == "idempotency_key_reused"
    assert len(client.get(URL, headers=auth()).get_json()) == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"url": "ftp://x.example/"}, "url"),
        ({"url": "javascript:alert(1)"}, "url"),
        ({"url": "https://u:p@x.example/"}, "url"),
        ({"url": "https://x.example/" + "a" * 2000}, "url"),
        ({}, "url"),
        ({"url": "https://x.example/", "events": ["report.deleted"]}, "events"),
        ({"url": "https://x.example/", "events": []}, "events"),
        ({"url": "https://x.example/", "secret": "whsec_mine"}, "secret"),
    ],
)
def test_bad_registrations_are_refused_and_nothing_is_stored(client, auth, app, body, field):
    response = _register(client, auth, body)
    assert response.status_code == 422
    problem = response.get_json()
    assert response.content_type == "application/problem+json"
    assert field in problem["errors"]
    with app.extensions["db"].session() as session:
        assert session.scalars(select(WebhookEndpoint)).all() == []


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "the URL must start with http:// or https://"),
        ("fr", "l'URL doit commencer par http:// ou https://"),
        ("pt", "o URL tem de começar por http:// ou https://"),
    ],
)
def test_a_refused_url_is_explained_in_the_readers_language(client, auth, language, message):
    response = _register(client, auth, {"url": "ftp://x.example/"}, **{"Accept-Language": language})
    assert response.status_code == 422
    assert response.get_json()["errors"]["url"] == [message]


def test_only_coordinators_of_an_administration_manage_webhooks(client, auth):
    assert client.get(URL).status_code == 401
    assert client.get(URL, headers=auth(roles=("respondent",))).status_code == 403
    response = _register(client, lambda: auth(administration_id=None))
    assert response.status_code == 403


def test_another_administrations_endpoint_answers_404(client, auth):
    endpoint = _register(client, auth).get_json()
    other = auth(sub="coord-9", administration_id="adm-2")
    for path in (f"{URL}/{endpoint['id']}", f"{URL}/{endpoint['id']}/deliveries"):
        assert client.get(path, headers=other).status_code == 404
    assert client.delete(f"{URL}/{endpoint['id']}", headers=other).status_code == 404
    assert client.get(URL, headers=other).get_json() == []
    assert client.get(f"{URL}/{endpoint['id']}", headers=auth()).status_code == 200


def test_deleting_an_endpoint_removes_it_and_its_deliveries(client, auth, app, enqueued):
    endpoint = _register(client, auth).get_json()
    with app.extensions["db"].session(write=True) as session:
        webhooks.fan_out(_ready_event(), session=session, enqueue=enqueued)
    assert client.delete(f"{URL}/{endpoint['id']}", headers=auth()).status_code == 204
    assert client.get(f"{URL}/{endpoint['id']}", headers=auth()).status_code == 404
    with app.extensions["db"].session() as session:
        assert session.scalars(select(WebhookDelivery)).all() == []


def test_the_number_of_endpoints_is_bounded(client, auth, app):
    app.config["REPORTS_WEBHOOK_MAX_ENDPOINTS"] = 2
    assert _register(client, auth).status_code == 201
    assert _register(client, auth).status_code == 201
    third = _register(client, auth)
    assert third.status_code == 409 and third.get_json()["code"] == "webhook_limit_reached"
    french = _register(client, auth, **{"Accept-Language": "fr"}).get_json()
    assert french["title"].startswith("Cette administration")


def test_an_event_fans_out_once_per_subscribed_endpoint_of_its_administration(
    client, auth, app, enqueued
):
    both = _register(client, auth).get_json()
    failed_only = _register(
        client, auth, {"url": "https://x.example/", "events": ["report.failed"]}
    ).get_json()
    _register(client, lambda: auth(sub="c-2", administration_id="adm-2"))
    event = _ready_event()
    db = app.extensions["db"]
    with db.session(write=True) as session:
        first = webhooks.fan_out(event, session=session, enqueue=enqueued)
    with db.session(write=True) as session:
        again = webhooks.fan_out(event, session=session, enqueue=enqueued)
    assert len(first) == 1 and again == first  # not tried yet: queued again, same delivery
    with db.session() as session:
        (delivery,) = session.scalars(select(WebhookDelivery)).all()
    assert delivery.endpoint_id == both["id"] and delivery.id.startswith("msg_")
    sent = json.loads(delivery.body)
    assert sent["type"] == "report.ready" and sent["id"] == event.id
    assert sent["data"]["report_id"] == "rep-1" and "notify" not in sent["data"]
    deliveries = client.get(f"{URL}/{both['id']}/deliveries", headers=auth()).get_json()
    assert [(d["id"], d["status"], d["attempts"]) for d in deliveries] == [
        (delivery.id, "pending", 0)
    ]
    assert client.get(f"{URL}/{failed_only['id']}/deliveries", headers=auth()).get_json() == []


def test_attempts_are_signed_recorded_and_end_delivered_or_failed(
    client, auth, app, enqueued, webhook_receiver
):
    receiver = webhook_receiver([500, 503, 200])
    secret = _register(client, auth, {"url": receiver.url}).get_json()["secret"]
    db = app.extensions["db"]
    with db.session(write=True) as session:
        (delivery_id,) = webhooks.fan_out(_ready_event(), session=session, enqueue=enqueued)

    def send(url, body, headers):
        return sender.post(url, body=body, headers=headers, timeout_s=2, allow_private=True)

    results = []
    for _ in range(4):
        with db.session(write=True) as session:
            results.append(
                webhooks.attempt_delivery(
                    session=session, delivery_id=delivery_id, send=send, max_attempts=5
                )
            )
    assert [(r.status, r.attempts) for r in results] == [
        ("pending", 1),
        ("pending", 2),
        ("delivered", 3),
        (None, 0),  # finished: nothing more is sent
    ]
    assert len(receiver.requests) == 3
    assert {r["headers"]["webhook-id"] for r in receiver.requests} == {delivery_id}
    for request in receiver.requests:
        assert Webhook(secret).verify(request["body"], request["headers"])["type"] == "report.ready"
    with db.session() as session:
        row = session.get(WebhookDelivery, delivery_id)
    assert (row.status, row.attempts, row.last_status_code, row.last_error) == (
        "delivered",
        3,
        200,
        None,
    )
    assert row.finished_at is not None


def test_a_delivery_fails_after_the_last_attempt_with_the_last_error(client, auth, app, enqueued):
    _register(client, auth, {"url": "http://127.0.0.1:9/closed"})
    db = app.extensions["db"]
    with db.session(write=True) as session:
        (delivery_id,) = webhooks.fan_out(_ready_event(), session=session, enqueue=enqueued)

    def send(url, body, headers):
        return sender.post(url, body=body, headers=headers, timeout_s=0.5, allow_private=True)

    statuses = []
    for _ in range(2):
        with db.session(write=True) as session:
            result = webhooks.attempt_delivery(
                session=session, delivery_id=delivery_id, send=send, max_attempts=2
            )
        statuses.append(result.status)
    assert statuses == ["pending", "failed"]
    delivery = client.get(f"{URL}/{_endpoint_id(app)}/deliveries", headers=auth()).get_json()[0]
    assert delivery["status"] == "failed" and delivery["attempts"] == 2
    assert delivery["last_status_code"] is None and "ConnectionRefused" in delivery["last_error"]


def _endpoint_id(app):
    with app.extensions["db"].session() as session:
        return session.scalar(select(WebhookEndpoint.id))


def test_backoff_doubles_and_is_capped():
    waits = [webhooks.backoff_s(n, base_s=10, cap_s=120) for n in range(1, 7)]
    assert waits == [10, 20, 40, 80, 120, 120]


def test_a_refused_registration_is_explained_in_french(client, auth):
    french = {"Accept-Language": "fr"}
    response = _register(client, auth, {"url": "https://u:p@x.example/"}, **french)
    assert response.get_json()["errors"] == {"url": ["l'URL ne doit pas contenir d'identifiants"]}
    key = _register(client, auth, None, **{"Idempotency-Key": "k" * 200, **french})
    assert key.get_json()["errors"] == {"Idempotency-Key": ["au plus 128 caractères"]}
