"""The discussion forums through the API: signed-in members (any administration), editors and
operators read and write them, the public never; threads filter by category and language;
replies quote posts of their thread; an author edits a post within the window only, and it shows
as edited; a locked thread refuses replies; hidden posts are omitted for members."""

from datetime import timedelta

import pytest
from sqlalchemy import update

from portal.forums.models import ForumPost, ForumThread
from shared.conformance import conforming_client
from shared.timestamps import utcnow

FORUMS = "/api/v1/portal/forums"
THREADS = f"{FORUMS}/threads"


@pytest.fixture
def start(client, people):
    """Return a function opening a thread as someone (the demo coordinator by default)."""

    def open_thread(who="member", **fields):
        data = {
            "category": "ai",
            "title": "Risk engines for cargo",
            "language": "en",
            "body": "Who runs **machine learning** on manifests?",
            **fields,
        }
        response = client.post(THREADS, json=data, headers=people[who])
        assert response.status_code == 201, response.json
        return response.json

    return open_thread


def _set(app, model, row_id, **values):
    with app.extensions["db"].session(write=True) as session, session.begin():
        session.execute(update(model).where(model.id == row_id).values(**values))


def test_members_see_the_seeded_categories_technologies_then_topics(client, people):
    response = client.get(f"{FORUMS}/categories", headers=people["respondent"])
    assert response.status_code == 200
    assert [c["key"] for c in response.json] == [
        "ai",
        "machine-learning",
        "blockchain",
        "cloud",
        "legal-frameworks",
        "cybersecurity",
        "data-governance",
        "green-technology",
    ]
    assert response.json[5] == {
        "key": "cybersecurity",
        "name_en": "Cybersecurity",
        "name_fr": "Cybersécurité",
        "kind": "topic",
        "position": 6,
    }


def test_the_public_never_sees_a_thread(client, people, start):
    thread = start()
    post_id = thread["posts"][0]["id"]
    for url in (f"{FORUMS}/categories", THREADS, f"{THREADS}/{thread['thread']['id']}"):
        refused = client.get(url)
        assert refused.status_code == 401, url
        assert "Risk engines" not in refused.get_data(as_text=True)
    assert client.post(THREADS, json={"title": "x"}).status_code == 401
    assert (
        client.post(f"{THREADS}/{thread['thread']['id']}/posts", json={"body": "hi"}).status_code
        == 401
    )
    assert client.patch(f"{FORUMS}/posts/{post_id}", json={"body": "x"}).status_code == 401


def test_a_thread_opens_with_its_sanitized_first_post_and_members_of_any_administration_read_it(
    client, people, start
):
    thread = start(
        body='Hello <script>alert(1)</script>**all** <a href="javascript:alert(1)">x</a>'
    )
    assert thread["thread"]["author_name"] == "Demo Coordinator"
    assert thread["thread"]["locked"] is False and thread["thread"]["language"] == "en"
    (first,) = thread["posts"]
    assert "<script" not in first["body_html"] and "javascript" not in first["body_html"]
    assert "<strong>all</strong>" in first["body_html"]
    assert first["edited"] is False and first["edited_at"] is None
    for who in ("other", "editor", "operator", "respondent"):
        read = client.get(f"{THREADS}/{thread['thread']['id']}", headers=people[who])
        assert read.status_code == 200, who
        assert [p["id"] for p in read.json["posts"]] == [first["id"]]


def test_threads_are_listed_by_category_and_language_most_recent_first(client, people, start):
    ai_en = start()
    cloud_fr = start(category="cloud", title="Le nuage souverain", language="fr")
    ai_fr = start(title="IA et tarifs", language="fr", who="other")

    def titles(**query):
        listed = client.get(THREADS, query_string=query, headers=people["respondent"])
        assert listed.status_code == 200, listed.json
        return [t["title"] for t in listed.json]

    assert titles() == ["IA et tarifs", "Le nuage souverain", "Risk engines for cargo"]
    assert titles(category="ai") == ["IA et tarifs", "Risk engines for cargo"]
    assert titles(language="fr") == ["IA et tarifs", "Le nuage souverain"]
    assert titles(category="ai", language="fr") == ["IA et tarifs"]
    assert titles(category="blockchain") == []
    reply = client.post(
        f"{THREADS}/{ai_en['thread']['id']}/posts", json={"body": "We do"}, headers=people["other"]
    )
    assert reply.status_code == 201
    assert titles()[0] == "Risk engines for cargo"  # a reply makes the thread the latest
    assert {ai_fr["thread"]["id"], cloud_fr["thread"]["id"]} <= {
        t["id"] for t in client.get(THREADS, headers=people["member"]).json
    }
    bad = client.get(THREADS, query_string={"language": "de"}, headers=people["member"])
    assert bad.status_code == 422


def test_bad_threads_are_refused_with_a_problem_in_english_and_french(client, people):
    data = {"category": "astrology", "title": "T", "language": "en", "body": "B"}
    refused = client.post(THREADS, json=data, headers=people["member"])
    assert refused.status_code == 422 and refused.json["code"] == "unknown_category"
    assert refused.json["title"] == "The category is not one of the forums' categories"
    assert refused.json["errors"] == {"category": ["unknown category"]}
    french = client.post(THREADS, json=data, headers={**people["member"], "Accept-Language": "fr"})
    assert french.json["title"] == "La catégorie ne fait pas partie des catégories des forums"
    assert french.json["errors"] == {"category": ["catégorie inconnue"]}
    portuguese = client.post(
        THREADS, json=data, headers={**people["member"], "Accept-Language": "pt"}
    )
    assert portuguese.json["errors"] == {"category": ["categoria desconhecida"]}
    huge = client.post(
        THREADS, json={**data, "category": "ai", "body": "x" * 20_001}, headers=people["member"]
    )
    assert huge.status_code == 422 and "body" in huge.json["errors"]
    assert (
        client.post(
            THREADS, json={**data, "category": "ai", "language": "pt"}, headers=people["member"]
        ).status_code
        == 422
    )


def test_a_reply_quotes_a_post_of_the_same_thread_only(client, people, start):
    first, second = start(), start(title="Another")
    thread_id = first["thread"]["id"]
    quoted = first["posts"][0]["id"]
    reply = client.post(
        f"{THREADS}/{thread_id}/posts",
        json={"body": "> quoting\n\nAgreed", "quoted_post_id": quoted},
        headers=people["other"],
    )
    assert reply.status_code == 201, reply.json
    assert (
        reply.json["quoted_post_id"] == quoted and reply.json["author_name"] == "Other Coordinator"
    )
    elsewhere = client.post(
        f"{THREADS}/{thread_id}/posts",
        json={"body": "x", "quoted_post_id": second["posts"][0]["id"]},
        headers=people["other"],
    )
    assert elsewhere.status_code == 422 and elsewhere.json["code"] == "unknown_quoted_post"
    assert elsewhere.json["errors"] == {"quoted_post_id": ["not a post of this thread"]}
    read = client.get(f"{THREADS}/{thread_id}", headers=people["respondent"]).json
    assert [p["id"] for p in read["posts"]] == [quoted, reply.json["id"]]
    missing = client.post(f"{THREADS}/nope/posts", json={"body": "x"}, headers=people["other"])
    assert missing.status_code == 404


def test_an_author_edits_within_the_window_and_the_post_shows_as_edited(client, people, start):
    post = start()["posts"][0]
    edited = client.patch(
        f"{FORUMS}/posts/{post['id']}", json={"body": "Who runs *ML*?"}, headers=people["member"]
    )
    assert edited.status_code == 200, edited.json
    assert edited.json["edited"] is True and edited.json["edited_at"] is not None
    assert edited.json["body_html"] == "<p>Who runs <em>ML</em>?</p>"
    read = client.get(f"{THREADS}/{post['thread_id']}", headers=people["other"]).json
    assert read["posts"][0]["edited"] is True and read["posts"][0]["body"] == "Who runs *ML*?"


def test_editing_after_the_window_or_another_members_post_is_forbidden(app, client, people, start):
    post = start()["posts"][0]
    url = f"{FORUMS}/posts/{post['id']}"
    for who in ("other", "respondent", "editor"):
        refused = client.patch(url, json={"body": "mine now"}, headers=people[who])
        assert refused.status_code == 403, who
        assert refused.json["detail"] == "only its author edits a post"
    _set(app, ForumPost, post["id"], created_at=utcnow() - timedelta(seconds=901))
    late = client.patch(url, json={"body": "late"}, headers=people["member"])
    assert late.status_code == 403 and late.json["code"] == "edit_window_closed"
    assert late.json["title"] == "The time to edit this post is over"
    assert late.json["detail"] == "a post can be edited only within 15 minutes of posting"
    french = client.patch(
        url, json={"body": "late"}, headers={**people["member"], "Accept-Language": "fr"}
    )
    assert french.json["detail"] == (
        "un message ne peut être modifié que dans les 15 minutes suivant sa publication"
    )
    assert french.json["title"] == "Le délai pour modifier ce message est dépassé"
    assert (
        client.get(f"{THREADS}/{post['thread_id']}", headers=people["member"]).json["posts"][0][
            "body"
        ]
        == post["body"]
    )


def test_the_edit_window_is_configurable(make_app, demo, people):
    client = conforming_client(make_app(PORTAL_FORUM_EDIT_WINDOW_S=3600))
    created = client.post(
        THREADS,
        json={"category": "cloud", "title": "T", "language": "en", "body": "B"},
        headers=people["member"],
    )
    post = created.json["posts"][0]
    with client.application.extensions["db"].session(write=True) as session, session.begin():
        session.execute(
            update(ForumPost)
            .where(ForumPost.id == post["id"])
            .values(created_at=utcnow() - timedelta(minutes=30))
        )
    edited = client.patch(
        f"{FORUMS}/posts/{post['id']}", json={"body": "C"}, headers=people["member"]
    )
    assert edited.status_code == 200 and edited.json["edited"] is True


def test_a_locked_thread_refuses_replies_and_edits(app, client, people, start):
    thread = start()
    thread_id = thread["thread"]["id"]
    _set(app, ForumThread, thread_id, locked=True)
    refused = client.post(
        f"{THREADS}/{thread_id}/posts", json={"body": "x"}, headers=people["other"]
    )
    assert refused.status_code == 409 and refused.json["code"] == "thread_locked"
    assert refused.json["detail"] == "the thread is locked: it takes no more replies or edits"
    french = client.post(
        f"{THREADS}/{thread_id}/posts",
        json={"body": "x"},
        headers={**people["other"], "Accept-Language": "fr"},
    )
    assert french.json["title"] == "Le fil est verrouillé"
    assert french.json["detail"].startswith("le fil est verrouillé : il n'accepte plus")
    edit = client.patch(
        f"{FORUMS}/posts/{thread['posts'][0]['id']}", json={"body": "x"}, headers=people["member"]
    )
    assert edit.status_code == 409
    read = client.get(f"{THREADS}/{thread_id}", headers=people["other"]).json
    assert read["thread"]["locked"] is True and len(read["posts"]) == 1


def test_hidden_posts_are_omitted_for_members_and_shown_to_editors(app, client, people, start):
    thread = start()
    thread_id = thread["thread"]["id"]
    reply = client.post(
        f"{THREADS}/{thread_id}/posts", json={"body": "spam"}, headers=people["other"]
    )
    _set(app, ForumPost, reply.json["id"], hidden=True)
    for who in ("member", "other", "operator"):
        posts = client.get(f"{THREADS}/{thread_id}", headers=people[who]).json["posts"]
        assert [p["id"] for p in posts] == [thread["posts"][0]["id"]], who
    shown = client.get(f"{THREADS}/{thread_id}", headers=people["editor"]).json["posts"]
    assert [(p["id"], p["hidden"]) for p in shown] == [
        (thread["posts"][0]["id"], False),
        (reply.json["id"], True),
    ]
    quoting = client.post(
        f"{THREADS}/{thread_id}/posts",
        json={"body": "x", "quoted_post_id": reply.json["id"]},
        headers=people["member"],
    )
    assert quoting.status_code == 422


def test_a_hidden_thread_is_gone_for_members_and_kept_for_editors(app, client, people, start):
    thread_id = start()["thread"]["id"]
    _set(app, ForumThread, thread_id, hidden=True)
    assert client.get(f"{THREADS}/{thread_id}", headers=people["other"]).status_code == 404
    assert client.get(THREADS, headers=people["member"]).json == []
    reply = client.post(
        f"{THREADS}/{thread_id}/posts", json={"body": "x"}, headers=people["member"]
    )
    assert reply.status_code == 404
    assert [t["id"] for t in client.get(THREADS, headers=people["editor"]).json] == [thread_id]
    assert client.get(f"{THREADS}/{thread_id}", headers=people["editor"]).status_code == 200
