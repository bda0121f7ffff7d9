"""Moderation of the forums through the API: editors hide and unhide posts and threads, lock and
unlock threads and move them to another category, each act in the moderation log that only
editors read; members report posts and editors list the reports; a thread discusses a published
catalogue item and is listed by it; posting is rate limited per caller."""

import pytest

from portal.forums.models import ForumPost
from shared.conformance import conforming_client

from .conftest import item_data

FORUMS = "/api/v1/portal/forums"
THREADS = f"{FORUMS}/threads"
LOG = f"{FORUMS}/moderation-log"
REPORTS = f"{FORUMS}/reports"


@pytest.fixture
def thread(client, people):
    """A thread of the demo coordinator with one reply of the other administration."""
    opened = client.post(
        THREADS,
        json={"category": "ai", "title": "Risk engines", "language": "en", "body": "Who?"},
        headers=people["member"],
    )
    assert opened.status_code == 201, opened.json
    thread_id = opened.json["thread"]["id"]
    reply = client.post(
        f"{THREADS}/{thread_id}/posts", json={"body": "Us"}, headers=people["other"]
    )
    assert reply.status_code == 201, reply.json
    return {"id": thread_id, "first": opened.json["posts"][0]["id"], "reply": reply.json["id"]}


def _moderate(client, people, kind, target, who="editor", **body):
    url = f"{FORUMS}/{kind}/{target}/moderation"
    return client.post(url, json=body, headers=people[who])


def test_an_editor_hides_and_unhides_a_post_and_the_log_says_who_why_and_when(
    client, people, thread
):
    hidden = _moderate(client, people, "posts", thread["reply"], action="hide", reason="spam")
    assert hidden.status_code == 200, hidden.json
    assert hidden.json["hidden"] is True
    posts = client.get(f"{THREADS}/{thread['id']}", headers=people["member"]).json["posts"]
    assert [p["id"] for p in posts] == [thread["first"]]
    shown = _moderate(client, people, "posts", thread["reply"], who="editor2", action="unhide")
    assert shown.status_code == 200 and shown.json["hidden"] is False
    posts = client.get(f"{THREADS}/{thread['id']}", headers=people["member"]).json["posts"]
    assert [p["id"] for p in posts] == [thread["first"], thread["reply"]]
    log = client.get(LOG, headers=people["editor"])
    assert log.status_code == 200
    assert [(e["action"], e["target_kind"], e["target_id"], e["reason"]) for e in log.json] == [
        ("unhide", "post", thread["reply"], ""),
        ("hide", "post", thread["reply"], "spam"),
    ]
    assert log.json[1]["actor_id"] != log.json[0]["actor_id"] and log.json[1]["at"]


def test_members_may_not_moderate_nor_read_the_log_or_the_reports(client, people, thread):
    for who in ("member", "other", "respondent", "operator"):
        refused = _moderate(client, people, "posts", thread["reply"], who=who, action="hide")
        assert refused.status_code == 403, who
        locked = _moderate(client, people, "threads", thread["id"], who=who, action="lock")
        assert locked.status_code == 403, who
        assert client.get(LOG, headers=people[who]).status_code == 403, who
        assert client.get(REPORTS, headers=people[who]).status_code == 403, who
    assert client.get(LOG).status_code == 401 and client.get(REPORTS).status_code == 401
    posts = client.get(f"{THREADS}/{thread['id']}", headers=people["member"]).json["posts"]
    assert len(posts) == 2


def test_a_locked_thread_refuses_replies_until_unlocked(client, people, thread):
    assert _moderate(client, people, "threads", thread["id"], action="lock").json["locked"]
    refused = client.post(
        f"{THREADS}/{thread['id']}/posts", json={"body": "x"}, headers=people["other"]
    )
    assert refused.status_code == 409 and refused.json["code"] == "thread_locked"
    assert not _moderate(client, people, "threads", thread["id"], action="unlock").json["locked"]
    again = client.post(
        f"{THREADS}/{thread['id']}/posts", json={"body": "x"}, headers=people["other"]
    )
    assert again.status_code == 201


def test_an_editor_moves_a_thread_and_hides_it(client, people, thread):
    moved = _moderate(
        client,
        people,
        "threads",
        thread["id"],
        action="move",
        category="cybersecurity",
        reason="off topic",
    )
    assert moved.status_code == 200 and moved.json["category"] == "cybersecurity"
    listed = client.get(
        THREADS, query_string={"category": "cybersecurity"}, headers=people["member"]
    )
    assert [t["id"] for t in listed.json] == [thread["id"]]
    nowhere = _moderate(
        client, people, "threads", thread["id"], action="move", category="astrology"
    )
    assert nowhere.status_code == 422 and nowhere.json["code"] == "unknown_category"
    unnamed = _moderate(client, people, "threads", thread["id"], action="move")
    assert unnamed.status_code == 422 and "category" in unnamed.json["errors"]
    assert _moderate(client, people, "threads", thread["id"], action="hide").json["hidden"]
    assert client.get(f"{THREADS}/{thread['id']}", headers=people["other"]).status_code == 404
    log = client.get(LOG, query_string={"target_id": thread["id"]}, headers=people["editor"]).json
    assert [(e["action"], e["detail"]) for e in log] == [
        ("hide", ""),
        ("move", "ai -> cybersecurity"),
    ]
    assert log[1]["reason"] == "off topic"
    bad = _moderate(client, people, "threads", thread["id"], action="delete")
    assert bad.status_code == 422


def test_a_member_reports_a_post_once_and_editors_list_the_reports(client, people, thread):
    url = f"{FORUMS}/posts/{thread['reply']}/reports"
    reported = client.post(url, json={"reason": "advertising"}, headers=people["member"])
    assert reported.status_code == 201, reported.json
    again = client.post(url, json={"reason": "again"}, headers=people["member"])
    assert again.status_code == 409 and again.json["detail"] == "you already reported this post"
    assert client.post(url, json={}, headers=people["respondent"]).status_code == 201
    assert client.post(url, json={}).status_code == 401
    listed = client.get(REPORTS, headers=people["editor"])
    assert listed.status_code == 200 and listed.headers["X-Total-Count"] == "2"
    assert {(r["post_id"], r["thread_id"], r["reason"]) for r in listed.json} == {
        (thread["reply"], thread["id"], "advertising"),
        (thread["reply"], thread["id"], ""),
    }
    _moderate(client, people, "posts", thread["reply"], action="hide")
    hidden = client.post(url, json={}, headers=people["other"])
    assert hidden.status_code == 404  # a post hidden from its reader cannot be reported


def test_a_thread_discusses_a_published_item_and_is_listed_by_it(client, people, content):
    item = content.published(item_data("A case study", kind="case_study"))
    draft = content.create(item_data("Not yet"))
    data = {"category": "ai", "title": "About it", "language": "fr", "body": "Discussons"}
    linked = client.post(THREADS, json={**data, "item_id": item["id"]}, headers=people["other"])
    assert linked.status_code == 201, linked.json
    assert linked.json["thread"]["item_id"] == item["id"]
    client.post(THREADS, json=data, headers=people["member"])
    by_item = client.get(THREADS, query_string={"item_id": item["id"]}, headers=people["member"])
    assert [t["id"] for t in by_item.json] == [linked.json["thread"]["id"]]
    for missing in (draft["id"], "no-such-item"):
        refused = client.post(THREADS, json={**data, "item_id": missing}, headers=people["member"])
        assert refused.status_code == 422 and refused.json["code"] == "unknown_item"
        assert refused.json["errors"] == {"item_id": ["not a published catalogue item"]}
    assert client.get(THREADS, query_string={"item_id": item["id"]}).status_code == 401


def test_posting_is_rate_limited_per_caller(make_app, demo, people):
    client = conforming_client(make_app(PORTAL_FORUM_POSTS_PER_CALLER=2))
    data = {"category": "cloud", "title": "T", "language": "en", "body": "B"}
    first = client.post(THREADS, json=data, headers=people["member"])
    thread_id = first.json["thread"]["id"]
    assert (
        client.post(
            f"{THREADS}/{thread_id}/posts", json={"body": "x"}, headers=people["member"]
        ).status_code
        == 201
    )
    refused = client.post(
        f"{THREADS}/{thread_id}/posts", json={"body": "y"}, headers=people["member"]
    )
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
    assert (
        refused.json["detail"]
        == "Too many forum posts from this caller: wait for Retry-After seconds"
    )
    french = client.post(THREADS, json=data, headers={**people["member"], "Accept-Language": "fr"})
    assert french.status_code == 429 and french.json["detail"].startswith("Trop de messages")
    other = client.post(f"{THREADS}/{thread_id}/posts", json={"body": "z"}, headers=people["other"])
    assert other.status_code == 201  # another caller has their own count
    with client.application.extensions["db"].session() as session:
        assert session.query(ForumPost).filter_by(thread_id=thread_id).count() == 3
