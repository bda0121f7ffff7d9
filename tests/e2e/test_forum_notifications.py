"""A forum reply across the platform, through the real gateway and event processes: a member of
another administration answers a thread, quoting its first post; the portal announces the reply
and the reports service's group ``reports-forums`` turns it into the thread author's in-app
notification, leading to the thread; the replier and a bystander get none."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
import requests

pytestmark = pytest.mark.gateway


def _forum_notifications(gateway_url: str, headers: dict[str, str], thread_id: str) -> list[dict]:
    listed = requests.get(
        f"{gateway_url}/api/v1/reports/notifications",
        params={"page_size": 100, "lang": "fr"},
        headers=headers,
        timeout=10,
    )
    assert listed.status_code == 200, listed.text
    return [n for n in listed.json()["items"] if n["params"].get("thread_id") == thread_id]


def test_a_reply_notifies_the_threads_author_and_not_the_replier(
    gateway_url: str, sign_in: Callable[..., dict[str, str]]
) -> None:
    author = sign_in("coordinator@demo.example")
    replier = sign_in("coordinator@other.example")
    bystander = sign_in("respondent@demo.example")
    forums = f"{gateway_url}/api/v1/portal/forums"
    opened = requests.post(
        f"{forums}/threads",
        json={
            "category": "ai",
            "title": "Risk targeting with machine learning",
            "language": "en",
            "body": "Who has tried it at the border?",
        },
        headers=author,
        timeout=10,
    )
    assert opened.status_code == 201, opened.text
    thread_id = opened.json()["thread"]["id"]
    first_post = opened.json()["posts"][0]["id"]
    replied = requests.post(
        f"{forums}/threads/{thread_id}/posts",
        json={"body": "We have, since 2025.", "quoted_post_id": first_post},
        headers=replier,
        timeout=10,
    )
    assert replied.status_code == 201, replied.text
    replier_name = replied.json()["author_name"]

    started = time.monotonic()
    deadline = started + 60
    while not (told := _forum_notifications(gateway_url, author, thread_id)):
        assert time.monotonic() < deadline, "no notification after 60 s"
        time.sleep(0.25)
    (notification,) = told
    assert notification["code"] == "forum_quoted"
    reply_id = replied.json()["id"]
    assert notification["url"] == f"/forums/threads/{thread_id}?post={reply_id}#post-{reply_id}"
    assert notification["title"] == "Votre message a été cité"
    assert notification["body"] == (
        f"{replier_name} a cité votre message dans la discussion "
        "« Risk targeting with machine learning »."
    )
    assert notification["read"] is False
    print(f"reply to notification: {time.monotonic() - started:.2f} s")
    # the relay and the group have handled the event: the others were not told
    assert _forum_notifications(gateway_url, replier, thread_id) == []
    assert _forum_notifications(gateway_url, bystander, thread_id) == []
    read = requests.post(
        f"{gateway_url}/api/v1/reports/notifications/{notification['id']}/read",
        headers=replier,
        timeout=10,
    )
    assert read.status_code == 404


def test_a_mentioned_bystander_is_told_they_were_mentioned(
    gateway_url: str, sign_in: Callable[..., dict[str, str]]
) -> None:
    author = sign_in("coordinator@demo.example")
    replier = sign_in("coordinator@other.example")
    bystander = sign_in("respondent@demo.example")
    portal = f"{gateway_url}/api/v1/portal"
    bystander_id = requests.get(f"{portal}/me", headers=bystander, timeout=10).json()["sub"]
    opened = requests.post(
        f"{portal}/forums/threads",
        json={"category": "ai", "title": "Mentions", "language": "en", "body": "Anyone?"},
        headers=author,
        timeout=10,
    )
    assert opened.status_code == 201, opened.text
    thread_id = opened.json()["thread"]["id"]
    replied = requests.post(
        f"{portal}/forums/threads/{thread_id}/posts",
        json={"body": "Ask our respondent.", "mentions": [bystander_id]},
        headers=replier,
        timeout=10,
    )
    assert replied.status_code == 201, replied.text
    deadline = time.monotonic() + 60
    while not (told := _forum_notifications(gateway_url, bystander, thread_id)):
        assert time.monotonic() < deadline, "no notification after 60 s"
        time.sleep(0.25)
    assert [n["code"] for n in told] == ["forum_mentioned"]
    assert [n["code"] for n in _forum_notifications(gateway_url, author, thread_id)] == [
        "forum_replied"
    ]
