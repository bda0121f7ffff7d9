import json

from sqlalchemy import select

from portal import events
from portal.models import Administration, OutboxMessage

URL = "/api/v1/portal/administrations"


def test_an_operator_creates_an_administration_and_announces_it_in_the_same_transaction(
    client, demo, login, app, count
):
    before = count(OutboxMessage)
    response = client.post(
        URL,
        json={"name": "Customs of Testland", "country_code": "tl", "default_language": "fr"},
        headers=login("operator@demo.example"),
    )
    assert response.status_code == 201, response.json
    created = response.json
    assert created["country_code"] == "TL"
    assert created["default_language"] == "fr"
    assert created["created_at"].endswith("+00:00")
    assert count(OutboxMessage) == before + 1
    with app.extensions["db"].session() as session:
        row = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    assert row.event_type == "administration.created"
    assert row.stream == "portal:events"
    event = json.loads(row.payload)
    assert event["source"] == "portal"
    assert event["subject"] == created["id"]
    assert event["data"] == {
        "administration_id": created["id"],
        "name": "Customs of Testland",
        "country_code": "TL",
        "language": "fr",
    }


def test_when_the_event_cannot_be_written_the_administration_is_not_created_either(
    client, demo, login, count, monkeypatch
):
    headers = login("operator@demo.example")
    administrations, messages = count(Administration), count(OutboxMessage)
    # An invalid payload makes staging the event fail after the row was flushed.
    monkeypatch.setattr(events, "administration_created_payload", lambda adm: {"name": 1})
    response = client.post(URL, json={"name": "Doomed"}, headers=headers)
    assert response.status_code == 500
    assert response.content_type == "application/problem+json"
    assert (count(Administration), count(OutboxMessage)) == (administrations, messages)


def test_only_operators_create_administrations(client, demo, login, count):
    before = count(Administration)
    for email in ("coordinator@demo.example", "editor@demo.example", "respondent@demo.example"):
        response = client.post(URL, json={"name": "Mine"}, headers=login(email))
        assert response.status_code == 403
        assert response.json["code"] == "forbidden"
    assert client.post(URL, json={"name": "Anonymous"}).status_code == 401
    assert count(Administration) == before


def test_administration_input_is_validated_in_problem_format(client, demo, login):
    headers = login("operator@demo.example")
    bad = client.post(
        URL,
        json={"name": "", "country_code": "TLX", "default_language": "de", "owner": "me"},
        headers=headers,
    )
    assert bad.status_code == 422
    assert bad.content_type == "application/problem+json"
    assert set(bad.json["errors"]) == {"name", "country_code", "default_language", "owner"}


def test_operators_list_every_administration_others_only_their_own(client, demo, login):
    everything = client.get(URL, headers=login("operator@demo.example"))
    assert {a["id"] for a in everything.json} == {demo["demo"], demo["other"]}
    assert everything.headers["X-Total-Count"] == "2"
    own = client.get(URL, headers=login("respondent@demo.example"))
    assert [a["id"] for a in own.json] == [demo["demo"]]
    assert client.get(URL, headers=login("editor@demo.example")).json == []
    paged = client.get(
        URL, query_string={"page": 2, "page_size": 1}, headers=login("operator@demo.example")
    )
    assert len(paged.json) == 1
    assert paged.headers["X-Total-Count"] == "2"
    assert 'page=1&page_size=1>; rel="prev"' in paged.headers["Link"]


def test_another_administration_is_404_like_one_that_does_not_exist(client, demo, login):
    headers = login("coordinator@other.example")
    assert client.get(f"{URL}/{demo['other']}", headers=headers).status_code == 200
    foreign = client.get(f"{URL}/{demo['demo']}", headers=headers)
    missing = client.get(f"{URL}/no-such-administration", headers=headers)
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json["code"] == missing.json["code"] == "not_found"
    operator = login("operator@demo.example")
    assert client.get(f"{URL}/{demo['demo']}", headers=operator).json["name"] == (
        "Demo Customs Administration"
    )


def _last_event(app) -> dict:
    with app.extensions["db"].session() as session:
        row = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    return json.loads(row.payload)


def test_a_coordinator_renames_their_administration_and_it_is_announced(
    client, demo, login, app, count
):
    before = count(OutboxMessage)
    response = client.patch(
        f"{URL}/{demo['demo']}",
        json={"name": "  Douanes de Démo  ", "country_code": "sn"},
        headers=login("coordinator@demo.example"),
    )
    assert response.status_code == 200, response.json
    assert response.json["name"] == "Douanes de Démo"
    assert response.json["country_code"] == "SN"
    assert count(OutboxMessage) == before + 1
    event = _last_event(app)
    assert event["type"] == "administration.renamed"
    assert event["subject"] == demo["demo"]
    assert event["data"]["name"] == "Douanes de Démo"
    assert event["data"]["previous_name"] == "Demo Customs Administration"
    # The same change again changes nothing and announces nothing.
    again = client.patch(
        f"{URL}/{demo['demo']}",
        json={"name": "Douanes de Démo"},
        headers=login("coordinator@demo.example"),
    )
    assert again.status_code == 200
    assert count(OutboxMessage) == before + 1


def test_only_the_administrations_coordinator_or_an_operator_may_rename_it(
    client, demo, login, count
):
    target = f"{URL}/{demo['demo']}"
    assert client.patch(target, json={"name": "X"}).status_code == 401
    respondent = client.patch(target, json={"name": "X"}, headers=login("respondent@demo.example"))
    assert respondent.status_code == 403
    foreign = client.patch(target, json={"name": "X"}, headers=login("coordinator@other.example"))
    assert foreign.status_code == 404
    operator = client.patch(
        f"{URL}/{demo['other']}", json={"name": "Autre"}, headers=login("operator@demo.example")
    )
    assert operator.status_code == 200
    assert operator.json["name"] == "Autre"
    operator = login("operator@demo.example")
    for body, field in (({"name": "bad\x07name"}, "name"), ({"default_language": "de"}, None)):
        bad = client.patch(target, json=body, headers=operator)
        assert bad.status_code == 422
        assert bad.content_type == "application/problem+json"
        assert set(bad.json["errors"]) == {field or "default_language"}


def test_republishing_stages_administration_created_for_every_administration(app, demo, count):
    before = count(OutboxMessage)
    result = app.test_cli_runner().invoke(args=["administrations", "republish"])
    assert result.exit_code == 0, result.output
    assert "2 administrations" in result.output
    assert count(OutboxMessage) == before + 2
    assert _last_event(app)["type"] == "administration.created"
