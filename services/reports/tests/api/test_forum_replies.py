"""Forum replies (the portal's ``forum.post_replied``) become in-app notifications: one per
member the reply concerns however often it is delivered, pushed live, in the list, the page and
the stream like every notification, leading to the thread; only their recipient sees them,
whichever administration the recipient is in, and the replier is never told."""

import json

import pytest
from sqlalchemy import func, select

from reports import forum_replies
from reports.models import Notification
from shared.events import load_payload, new_event

from .test_stream import _open

URL = "/api/v1/reports/notifications"


def reply(**overrides):
    """Return a ``forum.post_replied`` event as the portal stages it."""
    data = {
        "post_id": "post-2",
        "thread_id": "thr-1",
        "thread_title": "AI for risk targeting",
        "thread_author_id": "author-1",
        "category": "ai",
        "language": "en",
        "replier_id": "replier-1",
        "replier_name": "Awa Diallo",
        "quoted_post_id": "post-1",
        "quoted_author_id": "quoted-1",
        "replied_at": "2026-12-07T10:00:00Z",
        "notify": ["author-1", "quoted-1"],
        **overrides,
    }
    return new_event("forum.post_replied", source="portal", data=data, subject=data["thread_id"])


@pytest.fixture
def record(app):
    published = []

    def deliver(event):
        with app.extensions["db"].session(write=True) as session:
            return forum_replies.record_reply_event(
                event,
                session=session,
                publish=lambda channel, message: published.append((channel, json.loads(message))),
            )

    deliver.published = published
    return deliver


def _stored(app):
    with app.extensions["db"].session() as session:
        rows = session.scalars(select(Notification).order_by(Notification.user_id))
        return [(n.user_id, n.code, n.administration_id) for n in rows]


def _member(auth, sub, administration_id="adm-1"):
    return auth(sub, administration_id, ("respondent",))


def test_each_member_a_reply_concerns_gets_one_notification_even_when_delivered_twice(app, record):
    event = reply()
    assert len(record(event)) == 2
    assert record(event) == []
    assert _stored(app) == [("author-1", "forum_replied", ""), ("quoted-1", "forum_quoted", "")]
    assert [channel for channel, _ in record.published] == [
        "reports:notifications:author-1",
        "reports:notifications:quoted-1",
    ]
    with app.extensions["db"].session() as session:
        assert session.scalar(select(func.count()).select_from(Notification)) == 2


def test_the_replier_is_never_notified(app, record):
    assert record(reply(notify=["author-1", "replier-1"], quoted_author_id="replier-1")) != []
    assert [user for user, _, _ in _stored(app)] == ["author-1"]
    assert all(channel != "reports:notifications:replier-1" for channel, _ in record.published)


def test_an_author_answering_their_own_thread_notifies_nobody(app, record):
    own = reply(thread_author_id="replier-1", quoted_author_id=None, notify=[])
    assert record(own) == []
    assert _stored(app) == []


def test_the_recipient_sees_it_in_their_language_with_the_link_to_the_thread(client, auth, record):
    record(reply())
    author = _member(auth, "author-1")
    (english,) = client.get(URL, headers=author).json["items"]
    assert (english["code"], english["url"], english["report_id"]) == (
        "forum_replied",
        "/forums/threads/thr-1?post=post-2#post-post-2",
        None,
    )
    assert english["title"] == "New reply in your thread"
    assert english["body"] == "Awa Diallo replied in your thread “AI for risk targeting”."
    (french,) = client.get(URL, headers={**author, "Accept-Language": "fr"}).json["items"]
    assert french["body"] == "Awa Diallo a répondu dans votre discussion « AI for risk targeting »."
    (quoted,) = client.get(
        URL, query_string={"lang": "pt"}, headers=_member(auth, "quoted-1")
    ).json["items"]
    assert quoted["title"] == "A sua mensagem foi citada"


def test_only_the_recipient_sees_it_from_whichever_administration(client, auth, record):
    record(reply())
    # the forums are shared by every administration: the author is told wherever they are
    for author in (_member(auth, "author-1", "adm-7"), auth("author-1", None, ("operator",))):
        assert [n["code"] for n in client.get(URL, headers=author).json["items"]] == [
            "forum_replied"
        ]
    for stranger in (
        _member(auth, "replier-1"),
        _member(auth, "member-9"),
        auth("coord-1", "adm-1"),
        auth("author-1", "adm-1", ("client",)),  # a machine client is no member
    ):
        body = client.get(URL, headers=stranger).json
        assert (body["items"], body["unread"]) == ([], 0)


def test_only_the_recipient_marks_it_read(client, auth, record):
    created = {n.user_id: n for n in record(reply())}
    notification_id = created["author-1"].id
    for stranger in (_member(auth, "quoted-1"), _member(auth, "replier-1")):
        assert client.post(f"{URL}/{notification_id}/read", headers=stranger).status_code == 404
    author = _member(auth, "author-1", "adm-3")
    assert client.post(f"{URL}/{notification_id}/read", headers=author).json["read"] is True
    assert client.get(URL, headers=author).json["unread"] == 0
    assert client.get(URL, headers=_member(auth, "quoted-1")).json["unread"] == 1
    assert client.post(f"{URL}/read-all", headers=_member(auth, "quoted-1")).json["marked"] == 1


def test_the_notifications_page_lists_it_with_the_link_to_the_thread(client, make_token, record):
    record(reply(thread_title="<script>alert(1)</script>"))
    client.set_cookie("sc_session", make_token("author-1", "adm-1", ("respondent",)))
    page = client.get("/reports/?lang=fr").get_data(as_text=True)
    link = '<a href="/forums/threads/thr-1?post=post-2#post-post-2">'
    assert f"{link}Nouvelle réponse dans votre discussion</a>" in page
    assert "« &lt;script&gt;alert(1)&lt;/script&gt; »" in page
    assert "<script>alert(1)" not in page
    client.set_cookie("sc_session", make_token("replier-1", "adm-1", ("respondent",)))
    assert "/forums/threads/thr-1" not in client.get("/reports/").get_data(as_text=True)


def test_mentioned_members_are_told_and_an_event_without_mentions_still_loads(app, record):
    older = reply(quoted_post_id=None, quoted_author_id=None, notify=["author-1"])
    assert load_payload(older)["mentioned"] == []
    record(older)
    record(reply(post_id="post-3", notify=["author-1"], mentioned=["member-5", "replier-1"]))
    assert _stored(app) == [
        ("author-1", "forum_replied", ""),
        ("author-1", "forum_replied", ""),
        ("member-5", "forum_mentioned", ""),
    ]


def test_the_live_stream_pushes_it_to_the_recipient_only(client, auth, app):
    app.config.update(REPORTS_SSE_HEARTBEAT_S=0.2, REPORTS_SSE_MAX_AGE_S=1.5)
    author = _open(client, {**_member(auth, "author-1", "adm-4"), "Accept-Language": "fr"})
    replier = _open(client, _member(auth, "replier-1"))
    assert author.next_event()[0]["event"] == "unread"
    assert replier.next_event()[0]["event"] == "unread"
    with app.extensions["db"].session(write=True) as session:
        created = forum_replies.record_reply_event(
            reply(), session=session, publish=app.extensions["redis"].publish
        )
    fields, data = author.next_event()
    assert (fields["event"], fields["id"]) == ("notification", created[0].id)
    assert (data["code"], data["url"], data["unread"]) == (
        "forum_replied",
        "/forums/threads/thr-1?post=post-2#post-post-2",
        1,
    )
    assert data["title"] == "Nouvelle réponse dans votre discussion"
    assert not any('"forum_' in block for block in replier.rest())
    author.close()
