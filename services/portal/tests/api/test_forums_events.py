"""A reply in a forum thread is announced as ``forum.post_replied`` in the same transaction
(outbox), naming whom the reports service should tell: the thread's author and the quoted
post's author, never the replier."""

import json

from sqlalchemy import select

from portal.forums.posts import contacts
from portal.models import OutboxMessage, User
from shared.events import CloudEvent, load_payload

THREADS = "/api/v1/portal/forums/threads"


def _replied(app):
    with app.extensions["db"].session() as session:
        rows = session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.event_type == "forum.post_replied")
            .order_by(OutboxMessage.id)
        ).all()
    return [json.loads(row.payload) for row in rows], [row.payload for row in rows]


def test_a_reply_is_announced_to_the_thread_author_and_the_quoted_author(app, client, people, demo):
    opened = client.post(
        THREADS,
        json={"category": "cloud", "title": "Le nuage", "language": "fr", "body": "Qui ?"},
        headers=people["member"],
    )
    thread_id = opened.json["thread"]["id"]
    first = client.post(
        f"{THREADS}/{thread_id}/posts", json={"body": "Nous"}, headers=people["other"]
    )
    assert first.status_code == 201
    quoting = client.post(
        f"{THREADS}/{thread_id}/posts",
        json={"body": "Et nous", "quoted_post_id": first.json["id"]},
        headers=people["respondent"],
    )
    assert quoting.status_code == 201
    coordinator = demo["users"]["coordinator@demo.example"]
    other = demo["users"]["coordinator@other.example"]
    respondent = demo["users"]["respondent@demo.example"]
    events, raw = _replied(app)
    assert [e["data"]["post_id"] for e in events] == [first.json["id"], quoting.json["id"]]
    plain, quoted = (e["data"] for e in events)
    assert plain["notify"] == [coordinator] and plain["quoted_post_id"] is None
    assert plain["thread_title"] == "Le nuage" and plain["language"] == "fr"
    assert plain["replier_id"] == other and plain["replier_name"] == "Other Coordinator"
    assert quoted["notify"] == sorted([coordinator, other]) and quoted["replier_id"] == respondent
    assert quoted["quoted_post_id"] == first.json["id"] and quoted["quoted_author_id"] == other
    assert events[1]["subject"] == thread_id and events[1]["type"] == "forum.post_replied"
    # What a consumer loads is the registered payload, as sent.
    assert load_payload(CloudEvent.from_json(raw[1])) == quoted


def test_the_author_answering_their_own_thread_tells_no_one_and_a_refused_reply_nothing(
    app, client, people
):
    opened = client.post(
        THREADS,
        json={"category": "ai", "title": "T", "language": "en", "body": "B"},
        headers=people["member"],
    )
    thread_id = opened.json["thread"]["id"]
    own = client.post(
        f"{THREADS}/{thread_id}/posts", json={"body": "More"}, headers=people["member"]
    )
    assert own.status_code == 201
    bad = client.post(
        f"{THREADS}/{thread_id}/posts",
        json={"body": "x", "quoted_post_id": "nope"},
        headers=people["other"],
    )
    assert bad.status_code == 422
    (event,), _ = _replied(app)
    assert event["data"]["post_id"] == own.json["id"] and event["data"]["notify"] == []


def test_the_event_carries_the_addresses_and_languages_of_the_told_members_only(
    app, client, people, demo
):
    opened = client.post(
        THREADS,
        json={"category": "ai", "title": "Digest", "language": "en", "body": "Who?"},
        headers=people["member"],
    )
    thread_id = opened.json["thread"]["id"]
    users = demo["users"]
    coordinator, editor = users["coordinator@demo.example"], users["editor@demo.example"]
    mentioned = client.post(
        f"{THREADS}/{thread_id}/posts",
        json={"body": "Ask them", "mentions": [editor]},
        headers=people["other"],
    )
    assert mentioned.status_code == 201, mentioned.json
    (event,), _ = _replied(app)
    data = event["data"]
    assert data["notify"] == [coordinator] and data["mentioned"] == [editor]
    # the replier (coordinator@other.example) is told nothing: their address is not carried
    assert data["notify_emails"] == {
        coordinator: "coordinator@demo.example",
        editor: "editor@demo.example",
    }
    assert data["notify_languages"] == {coordinator: "fr", editor: "en"}


def test_an_inactive_member_or_one_without_an_address_gets_no_address_in_the_event():
    users = [
        User(id="u-2", email="two@x.example", language="pt", active=True),
        User(id="u-1", email="one@x.example", language="de", active=True),
        User(id="u-3", email="gone@x.example", language="fr", active=False),
        User(id="u-4", email="", language="fr", active=True),
    ]
    assert contacts(users) == {
        "notify_emails": {"u-1": "one@x.example", "u-2": "two@x.example"},
        "notify_languages": {"u-2": "pt"},
    }
