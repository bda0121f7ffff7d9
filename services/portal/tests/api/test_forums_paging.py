"""A thread's posts are paged as every list is (``page``/``page_size``, ``X-Total-Count``, RFC 8288
``Link``): in a total order (time of posting, then id) so pages neither overlap nor skip a post,
bounded page sizes, bad values refused with the shared problem naming the field; the thread read
carries one page of its posts; quotes on other pages are looked up in one statement."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, insert, update

from portal.forums import threads as use_cases
from portal.forums.models import ForumPost, ForumThread
from portal.forums.threads import quoted_posts
from shared.auth import Principal, Role

THREADS = "/api/v1/portal/forums/threads"
AT = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


@pytest.fixture
def thread(client, people, app):
    """Open a thread (its first post at AT) and add 44 replies, two by two at the same time;
    return its id and its 45 post ids in their order."""
    response = client.post(
        THREADS,
        json={"category": "ai", "title": "Long", "language": "en", "body": "First"},
        headers=people["member"],
    )
    assert response.status_code == 201, response.json
    thread_id, first = response.json["thread"]["id"], response.json["posts"][0]["id"]
    rows = [
        {
            "id": f"p-{99 - n}",  # within a pair, the later inserted has the lower id
            "thread_id": thread_id,
            "author_id": "someone",
            "author_name": f"Member {n}",
            "body": f"Reply {n}",
            "body_html": f"<p>Reply {n}</p>",
            "created_at": AT + timedelta(minutes=1 + n // 2),  # pairs share a time
            "hidden": False,
        }
        for n in range(44)
    ]
    with app.extensions["db"].session(write=True) as session, session.begin():
        session.execute(update(ForumPost).where(ForumPost.id == first).values(created_at=AT))
        session.execute(insert(ForumPost), rows)
    in_order = sorted(rows, key=lambda row: (row["created_at"], row["id"]))
    return thread_id, [first, *(row["id"] for row in in_order)]


def _links(response):
    return {
        part.split('rel="')[1].rstrip('"'): part.split(">")[0].lstrip("<")
        for part in response.headers["Link"].split(", ")
    }


def test_a_threads_posts_come_in_pages_that_neither_overlap_nor_skip_a_post(client, people, thread):
    thread_id, order = thread
    seen, sizes = [], []
    for page in (1, 2, 3):
        response = client.get(
            f"{THREADS}/{thread_id}/posts",
            query_string={"page": page, "page_size": 20},
            headers=people["respondent"],
        )
        assert response.status_code == 200
        assert response.headers["X-Total-Count"] == "45"
        sizes.append(len(response.json))
        seen += [post["id"] for post in response.json]
    assert sizes == [20, 20, 5]
    assert seen == order and seen[1:3] == ["p-98", "p-99"]  # same time: by id
    again = client.get(f"{THREADS}/{thread_id}/posts?page=2", headers=people["member"])
    assert [post["id"] for post in again.json] == order[20:40]


def test_the_posts_links_name_the_neighbouring_pages_and_a_page_past_the_end_is_empty(
    client, people, thread
):
    thread_id, _ = thread
    url = f"{THREADS}/{thread_id}/posts"
    middle = client.get(f"{url}?page=2&page_size=10", headers=people["member"])
    assert _links(middle) == {
        "first": f"{url}?page=1&page_size=10",
        "prev": f"{url}?page=1&page_size=10",
        "next": f"{url}?page=3&page_size=10",
        "last": f"{url}?page=5&page_size=10",
    }
    past = client.get(f"{url}?page=9&page_size=10", headers=people["member"])
    assert past.status_code == 200 and past.json == []
    assert past.headers["X-Total-Count"] == "45"


def test_the_default_page_holds_20_posts_and_at_most_100_are_given_at_once(client, people, thread):
    thread_id, order = thread
    url = f"{THREADS}/{thread_id}/posts"
    assert [p["id"] for p in client.get(url, headers=people["member"]).json] == order[:20]
    largest = client.get(f"{url}?page_size=100", headers=people["member"])
    assert largest.status_code == 200 and len(largest.json) == 45
    assert _links(largest)["last"] == f"{url}?page=1&page_size=100"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("page_size", "101"),
        ("page_size", "0"),
        ("page", "0"),
        ("page", "-1"),
        ("page", "abc"),
        ("page", "12345678901234567890"),
    ],
)
def test_bad_paging_values_are_refused_with_a_problem_naming_the_field(
    client, people, thread, field, value
):
    thread_id, _ = thread
    for url in (f"{THREADS}/{thread_id}/posts", f"{THREADS}/{thread_id}"):
        bad = client.get(url, query_string={field: value}, headers=people["member"])
        assert bad.status_code == 422, url
        assert bad.content_type == "application/problem+json"
        assert bad.json["status"] == 422 and set(bad.json["errors"]) == {field}


def test_the_thread_read_carries_one_page_of_its_posts_with_the_paging_headers(
    client, people, thread
):
    thread_id, order = thread
    url = f"{THREADS}/{thread_id}"
    first = client.get(url, headers=people["member"])
    assert first.status_code == 200 and first.json["thread"]["id"] == thread_id
    assert [p["id"] for p in first.json["posts"]] == order[:20]
    assert first.headers["X-Total-Count"] == "45"
    assert _links(first)["next"] == f"{url}?page=2&page_size=20"
    last = client.get(f"{url}?page=3", headers=people["member"])
    assert [p["id"] for p in last.json["posts"]] == order[40:]


def test_hidden_posts_are_neither_listed_nor_counted_for_members_but_are_for_editors(
    client, people, thread, app
):
    thread_id, order = thread
    _hide(app, ForumPost, order[3])
    url = f"{THREADS}/{thread_id}/posts?page_size=100"
    member = client.get(url, headers=people["member"])
    assert member.headers["X-Total-Count"] == "44" and order[3] not in [
        p["id"] for p in member.json
    ]
    editor = client.get(url, headers=people["editor"])
    assert editor.headers["X-Total-Count"] == "45"
    assert [p["id"] for p in editor.json] == order and editor.json[3]["hidden"] is True


def test_the_posts_of_a_hidden_or_unknown_thread_are_not_found_and_the_public_sees_none(
    client, people, thread, app
):
    thread_id, _ = thread
    url = f"{THREADS}/{thread_id}/posts"
    assert client.get(url).status_code == 401
    assert client.get(f"{THREADS}/nope/posts", headers=people["member"]).status_code == 404
    _hide(app, ForumThread, thread_id)
    assert client.get(url, headers=people["member"]).status_code == 404
    assert client.get(url, headers=people["editor"]).status_code == 200


def test_threads_active_at_the_same_moment_keep_one_order_across_pages(client, people, app):
    ids = []
    for n in range(5):
        response = client.post(
            THREADS,
            json={"category": "cloud", "title": f"T{n}", "language": "en", "body": "B"},
            headers=people["editor" if n % 2 else "member"],
        )
        ids.append(response.json["thread"]["id"])
    with app.extensions["db"].session(write=True) as session, session.begin():
        session.execute(update(ForumThread).where(ForumThread.id.in_(ids)).values(last_post_at=AT))
    pages = [
        client.get(
            THREADS,
            query_string={"category": "cloud", "page": page, "page_size": 2},
            headers=people["member"],
        ).json
        for page in (1, 2, 3)
    ]
    listed = [t["id"] for page in pages for t in page]
    assert listed == sorted(ids, reverse=True)


def test_the_quotes_of_a_page_are_looked_up_in_one_statement_hidden_ones_left_out(
    app, people, thread, demo
):
    thread_id, order = thread
    with app.extensions["db"].session(write=True) as session, session.begin():
        for quoting, quoted in (
            (order[30], order[1]),
            (order[31], order[2]),
            (order[32], order[1]),
        ):
            session.execute(
                update(ForumPost).where(ForumPost.id == quoting).values(quoted_post_id=quoted)
            )
    _hide(app, ForumPost, order[2])
    member = _principal(app, demo, "coordinator@demo.example")
    engine = app.extensions["db"].engine
    statements = []

    def count(*_args):
        statements.append(1)

    with app.extensions["db"].session() as session:
        posts, _ = use_cases.list_posts(
            session=session, principal=member, thread_id=thread_id, page=2, page_size=20
        )
        event.listen(engine, "before_cursor_execute", count)
        try:
            found = quoted_posts(session=session, principal=member, posts=posts)
        finally:
            event.remove(engine, "before_cursor_execute", count)
        assert quoted_posts(session=session, principal=member, posts=posts[:1]) == {}
    assert set(found) == {order[1]} and found[order[1]].body == "Reply 1"
    assert len(statements) == 1


def _hide(app, model, row_id):
    with app.extensions["db"].session(write=True) as session, session.begin():
        session.execute(update(model).where(model.id == row_id).values(hidden=True))


def _principal(app, demo, email):
    return Principal(
        subject=demo["users"][email],
        roles=frozenset({Role.COORDINATOR}),
        administration_id=demo["demo"],
        name="Coordinator",
    )
