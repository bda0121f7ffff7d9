import json
import threading

import pytest

from portal.demo import DEMO_PASSWORD, demo_entries
from portal.models import Administration, ContentItem, OutboxMessage, SigningKey, User
from shared.eventloop import run_event_process
from shared.events import CloudEvent, load_payload
from shared.outbox import relay_pending

pytestmark = pytest.mark.integration


def test_init_db_creates_tables_and_one_signing_key_and_can_run_again(app, count):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["init-db"])
    assert first.exit_code == 0, first.output
    second = runner.invoke(args=["init-db"])
    assert second.exit_code == 0, second.output
    assert count(SigningKey) == 1
    kid = first.output.split("signing key ")[1].strip()
    assert kid in second.output


def test_seed_demo_is_idempotent_and_its_accounts_sign_in(app, client, count):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "coordinator@other.example" in first.output
    items = len(demo_entries())
    assert f"demo catalogue ready ({items} new items)" in first.output
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0, second.output
    assert "demo catalogue ready (0 new items)" in second.output
    # two administration.created, one content.published per demo item
    assert (count(Administration), count(User), count(OutboxMessage)) == (2, 6, 2 + items)
    assert count(ContentItem) == items >= 40
    for email in (
        "coordinator@demo.example",
        "respondent@demo.example",
        "editor@demo.example",
        "reviewer@demo.example",
        "operator@demo.example",
        "coordinator@other.example",
    ):
        response = client.post(
            "/api/v1/portal/auth/login", json={"email": email, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 200, email


def _stream_events(redis_client, stream="portal:events"):
    return [CloudEvent.from_json(fields[b"event"]) for _, fields in redis_client.xrange(stream)]


def test_the_relay_publishes_administration_created_as_a_cloudevent(app, demo, redis_client):
    moved = relay_pending(app.extensions["db"], OutboxMessage, app.extensions["bus"])
    assert moved == 2
    published = _stream_events(redis_client)
    assert [e.type for e in published] == ["administration.created"] * 2
    event = published[0]
    assert event.source == "portal"
    assert event.dataschema == "/schemas/events/administration.created/v1"
    payload = load_payload(event)
    assert payload["administration_id"] in {demo["demo"], demo["other"]}
    assert relay_pending(app.extensions["db"], OutboxMessage, app.extensions["bus"]) == 0


def test_the_event_process_relays_new_administrations_until_stopped(
    app, client, demo, login, redis_client
):
    stop = threading.Event()
    worker = threading.Thread(
        target=run_event_process, args=(app,), kwargs={"outbox": OutboxMessage, "stop": stop}
    )
    worker.start()
    try:
        response = client.post(
            "/api/v1/portal/administrations",
            json={"name": "Relayed"},
            headers=login("operator@demo.example"),
        )
        assert response.status_code == 201
        for _ in range(100):
            names = [e.data["name"] for e in _stream_events(redis_client)]
            if "Relayed" in names:
                break
            stop.wait(0.05)
        assert "Relayed" in names
    finally:
        stop.set()
        worker.join(timeout=10)
    assert not worker.is_alive()
    raw = redis_client.xrange("portal:events")[-1][1]
    assert json.loads(raw[b"event"])["type"] == "administration.created"
