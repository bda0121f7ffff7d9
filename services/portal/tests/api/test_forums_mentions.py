"""A reply may mention members of the forums by id: they are kept on the post, shown by name
on the thread, and announced in ``forum.post_replied`` as ``mentioned``, less the replier and
anyone the event already tells."""

import json

from sqlalchemy import select, update

from portal.models import OutboxMessage, User

THREADS = "/api/v1/portal/forums/threads"


def _mentioned(app):
    with app.extensions["db"].session() as session:
        rows = session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.event_type == "forum.post_replied")
            .order_by(OutboxMessage.id)
        ).all()
    return [json.loads(row.payload)["data"]["mentioned"] for row in rows]


def _thread(client, people):
    opened = client.post(
        THREADS,
        json={"category": "ai", "title": "Mentions", "language": "en", "body": "Who knows?"},
        headers=people["member"],
    )
    return opened.json["thread"]["id"]


def test_a_mention_is_kept_shown_by_name_and_announced_without_the_replier_or_the_notified(
    app, client, people, demo
):
    thread_id = _thread(client, people)
    users = demo["users"]
    editor, member = users["editor@demo.example"], users["coordinator@demo.example"]
    other = users["coordinator@other.example"]
    replied = client.post(
        f"{THREADS}/{thread_id}/posts",
        json={"body": "Ask them", "mentions": [editor, member, other]},
        headers=people["other"],
    )
    assert replied.status_code == 201, replied.json
    assert [m["name"] for m in replied.json["mentions"]] == [
        "Demo Editor",
        "Demo Coordinator",
        "Other Coordinator",
    ]
    # The thread's author is in notify, the replier is himself: only the editor is mentioned.
    assert _mentioned(app) == [[editor]]
    read = client.get(f"{THREADS}/{thread_id}", headers=people["respondent"])
    assert read.json["posts"][0]["mentions"] == []
    assert read.json["posts"][1]["mentions"][0] == {"id": editor, "name": "Demo Editor"}
    page = client.get(f"/forums/threads/{thread_id}", headers=people["respondent"])
    assert "Mentions: Demo Editor, Demo Coordinator, Other Coordinator" in page.text


def test_an_unknown_or_inactive_user_is_refused_with_a_problem_in_english_and_french(
    app, client, people, demo
):
    thread_id = _thread(client, people)
    respondent = demo["users"]["respondent@demo.example"]
    with app.extensions["db"].session(write=True) as session, session.begin():
        session.execute(update(User).where(User.id == respondent).values(active=False))
    url = f"{THREADS}/{thread_id}/posts"
    english = client.post(
        url, json={"body": "x", "mentions": ["nobody", respondent]}, headers=people["other"]
    )
    assert english.status_code == 422
    assert english.headers["Content-Type"] == "application/problem+json"
    assert english.json["title"] == "A mentioned person is not a member of the forums"
    assert english.json["errors"] == {
        "mentions": [f"not an active member of the forums: nobody, {respondent}"]
    }
    french = client.post(
        url,
        json={"body": "x", "mentions": ["nobody"]},
        headers={**people["other"], "Accept-Language": "fr"},
    )
    assert french.status_code == 422
    assert french.json["title"] == "Une personne mentionnée n\u2019est pas membre des forums"
    assert french.json["errors"] == {"mentions": ["pas un membre actif des forums : nobody"]}
    assert _mentioned(app) == []


def test_more_than_ten_mentions_or_a_repeated_one_are_refused(client, people, demo):
    thread_id = _thread(client, people)
    editor = demo["users"]["editor@demo.example"]
    url = f"{THREADS}/{thread_id}/posts"
    many = client.post(
        url, json={"body": "x", "mentions": [f"u{n}" for n in range(11)]}, headers=people["other"]
    )
    assert many.status_code == 422 and "mentions" in many.json["errors"]
    twice = client.post(
        url, json={"body": "x", "mentions": [editor, editor]}, headers=people["other"]
    )
    assert twice.status_code == 422
    assert twice.json["errors"] == {"mentions": ["each person is mentioned once"]}
