"""The members' forum pages: categories with thread counts, a category's threads by language,
starting a thread, a thread with quoting, replies, edits and reports; the editors' moderation
controls and log; the threads about a catalogue item on its page. In English and French, for
signed-in members only."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import update

from portal.forums import page_kit
from portal.forums.models import ForumPost, ForumReport, ForumThread
from shared.timestamps import utcnow

from .conftest import item_data

CSRF = "csrf-test-token"
THREADS = "/api/v1/portal/forums/threads"


@pytest.fixture
def browser(app, people):
    """Return a test client signed in with the session cookie as one of ``people``."""

    def as_person(who: str, language: str = "en"):
        client = app.test_client()
        header = people[who].get("Authorization")
        if header:
            client.set_cookie("sc_session", header.removeprefix("Bearer "))
        client.set_cookie("sc_csrf", CSRF)
        client.set_cookie("lang", language)
        return client

    return as_person


@pytest.fixture
def thread(client, people):
    """Return a function opening a thread over the API (the demo coordinator by default)."""

    def open_thread(who="member", **fields):
        data = {
            "category": "ai",
            "title": "Moteurs de risque pour le fret",
            "language": "fr",
            "body": "Qui utilise **l'apprentissage automatique** sur les manifestes ?",
            **fields,
        }
        response = client.post(THREADS, json=data, headers=people[who])
        assert response.status_code == 201, response.json
        return response.json

    return open_thread


def text(response) -> str:
    return response.get_data(as_text=True)


def test_anonymous_visitors_are_sent_to_sign_in_and_clients_are_refused(browser, app):
    for path in ("/forums", "/forums/categories/ai", "/forums/new", "/forums/moderation-log"):
        anonymous = browser("anonymous").get(path)
        assert anonymous.status_code == 302, path
        assert anonymous.location == f"/login?next={path}"
    sent = browser("anonymous").post("/forums/threads", data={"csrf_token": CSRF})
    assert sent.status_code == 302 and sent.location.startswith("/login?next=/forums/threads")


def test_the_categories_show_by_technology_and_by_topic_with_thread_counts(browser, thread):
    thread()
    thread(title="Second")
    page = text(browser("respondent", "fr").get("/forums"))
    technologies = page[page.index('id="categories-technology"') : page.index('id="kind-topic"')]
    assert "Forums" in page and "Par technologie" in page and "Par thème" in page
    assert re.search(r"/forums/categories/ai\">[^<]+</a>\s*<span class=\"count\">2 fils", page)
    assert "Chaîne de blocs" in technologies or "blockchain" in technologies
    assert "0 fil<" in page  # a real plural: "0 fil" in French, "0 threads" in English
    english = text(browser("respondent").get("/forums"))
    assert "By technology" in english and "2 threads" in english and "0 threads" in english


def test_a_category_lists_its_threads_filtered_by_language(browser, thread, people, client):
    thread()
    thread(title="Risk engines in English", language="en")
    member = browser("member", "fr")
    everything = text(member.get("/forums/categories/ai"))
    assert "2 fils" in everything and "Moteurs de risque pour le fret" in everything
    assert "Risk engines in English" in everything and "Demo Coordinator" in everything
    assert "0 réponse" in everything and "Toutes les langues" in everything
    french = text(member.get("/forums/categories/ai?language=fr"))
    assert "Moteurs de risque" in french and "Risk engines in English" not in french
    assert "1 fil" in french
    assert member.get("/forums/categories/nothing-here").status_code == 404


def test_a_member_starts_a_thread_in_french_from_the_category_page(browser, app):
    member = browser("member", "fr")
    form = text(member.get("/forums/categories/cloud"))
    assert "Lancer un fil" in form and 'name="csrf_token"' in form
    sent = member.post(
        "/forums/threads",
        data={
            "csrf_token": CSRF,
            "category": "cloud",
            "title": "Nuage souverain",
            "language": "fr",
            "body": "Un *hébergement* national ?<script>alert(1)</script>",
            "item": "",
        },
    )
    assert sent.status_code == 303, text(sent)
    page = text(member.get(sent.location))
    assert "Nuage souverain" in page and "<em>hébergement</em>" in page
    assert "<script>alert" not in page and "Demo Coordinator" in page
    with app.extensions["db"].session() as session:
        assert session.query(ForumThread).filter_by(title="Nuage souverain").one().language == "fr"


def test_a_thread_form_missing_its_title_is_refused_with_the_fields_to_fix(browser):
    refused = browser("member", "fr").post(
        "/forums/threads",
        data={"csrf_token": CSRF, "category": "ai", "title": "", "language": "fr", "body": "x"},
    )
    assert refused.status_code == 422
    assert "Ce message n'a pas été envoyé" in text(refused) and "title" in text(refused)


def test_a_form_without_the_csrf_token_is_refused(browser):
    refused = browser("member").post(
        "/forums/threads",
        data={"category": "ai", "title": "T", "language": "en", "body": "x"},
    )
    assert refused.status_code == 403


def test_a_member_quotes_a_post_and_the_reply_shows_whom_it_answers(browser, thread, app):
    started = thread()
    thread_id = started["thread"]["id"]
    first = started["posts"][0]["id"]
    other = browser("respondent", "fr")
    quoting = text(other.get(f"/forums/threads/{thread_id}?quote={first}"))
    assert f'name="quoted_post_id" value="{first}"' in quoting
    assert "&gt; Qui utilise **l&#39;apprentissage automatique**" in quoting
    assert "Citation de Demo Coordinator" in quoting
    sent = other.post(
        f"/forums/threads/{thread_id}/posts",
        data={
            "csrf_token": CSRF,
            "body": "> Qui utilise\n\nNous, depuis 2024.",
            "quoted_post_id": first,
        },
    )
    assert sent.status_code == 303 and "#post-" in sent.location
    page = text(browser("member", "fr").get(f"/forums/threads/{thread_id}"))
    assert "En réponse à" in page and f'href="#post-{first}">Demo Coordinator' in page
    assert "<blockquote>" in page and "Nous, depuis 2024." in page and "1 réponse" in page
    with app.extensions["db"].session() as session:
        assert session.query(ForumPost).filter_by(quoted_post_id=first).count() == 1


def test_a_locked_thread_shows_no_reply_form_and_refuses_a_reply(browser, thread, client, people):
    thread_id = thread()["thread"]["id"]
    locked = client.post(
        f"{THREADS}/{thread_id}/moderation", json={"action": "lock"}, headers=people["editor"]
    )
    assert locked.status_code == 200
    member = browser("member")
    page = text(member.get(f"/forums/threads/{thread_id}"))
    assert "This thread is locked: it takes no more replies." in page
    assert 'id="reply-form"' not in page and "?quote=" not in page
    refused = member.post(
        f"/forums/threads/{thread_id}/posts", data={"csrf_token": CSRF, "body": "Still here"}
    )
    assert refused.status_code == 409 and "The thread is locked" in text(refused)
    french = text(browser("member", "fr").get(f"/forums/threads/{thread_id}"))
    assert "Ce fil est verrouillé" in french


def test_editors_see_the_moderation_controls_and_members_do_not(browser, thread):
    thread_id = thread()["thread"]["id"]
    member = text(browser("member").get(f"/forums/threads/{thread_id}"))
    assert "Lock the thread" not in member and "Hide this post" not in member
    assert 'id="moderation"' not in member and "Report this post" not in member  # own post
    assert "Report this post" in text(browser("respondent").get(f"/forums/threads/{thread_id}"))
    editor = text(browser("editor").get(f"/forums/threads/{thread_id}"))
    assert "Lock the thread" in editor and "Hide this post" in editor
    assert "Move the thread" in editor and "Hide the thread" in editor
    assert browser("member").get("/forums/moderation-log").status_code == 403


def test_an_editor_hides_and_moves_a_thread_and_the_log_names_the_editor(browser, thread, app):
    thread_id = thread()["thread"]["id"]
    editor = browser("editor", "fr")
    moved = editor.post(
        f"/forums/threads/{thread_id}/moderation",
        data={"csrf_token": CSRF, "action": "move", "category": "cloud", "reason": "Hors sujet"},
    )
    assert moved.status_code == 303
    assert "Fait : le journal de modération le garde." in text(editor.get(moved.location))
    hidden = editor.post(
        f"/forums/threads/{thread_id}/moderation", data={"csrf_token": CSRF, "action": "hide"}
    )
    assert hidden.status_code == 303
    assert browser("member").get(f"/forums/threads/{thread_id}").status_code == 404
    assert "Masqué" in text(editor.get("/forums/categories/cloud"))
    log = text(editor.get("/forums/moderation-log"))
    assert "2 actes de modération" in log and "Demo Editor" in log
    assert "ai -&gt; cloud" in log and "Hors sujet" in log
    assert "0 moderation acts" in text(browser("editor").get("/forums/moderation-log?target=x"))


def test_an_author_edits_a_post_within_the_window_and_it_shows_edited(browser, thread):
    started = thread()
    thread_id, post_id = started["thread"]["id"], started["posts"][0]["id"]
    member = browser("member")
    form = text(member.get(f"/forums/threads/{thread_id}?edit={post_id}"))
    assert f'action="/forums/threads/{thread_id}/posts/{post_id}/edit"' in form
    assert f"?edit={post_id}" not in text(browser("respondent").get(f"/forums/threads/{thread_id}"))
    sent = member.post(
        f"/forums/threads/{thread_id}/posts/{post_id}/edit",
        data={"csrf_token": CSRF, "body": "Corrected **text**"},
    )
    assert sent.status_code == 303
    page = text(member.get(f"/forums/threads/{thread_id}"))
    assert "<strong>text</strong>" in page and 'class="badge edited">edited<' in page
    refused = browser("respondent").post(
        f"/forums/threads/{thread_id}/posts/{post_id}/edit",
        data={"csrf_token": CSRF, "body": "Not mine"},
    )
    assert refused.status_code == 403


def test_a_member_reports_a_post_once(browser, thread, app):
    started = thread()
    thread_id, post_id = started["thread"]["id"], started["posts"][0]["id"]
    other = browser("respondent", "fr")
    path = f"/forums/threads/{thread_id}/posts/{post_id}/report"
    sent = other.post(path, data={"csrf_token": CSRF, "reason": "Publicité"})
    assert sent.status_code == 303
    assert "Merci : les éditeurs vont regarder ce message." in text(other.get(sent.location))
    again = other.post(path, data={"csrf_token": CSRF, "reason": "Encore"})
    assert again.status_code == 409 and "vous avez déjà signalé ce message" in text(again)
    with app.extensions["db"].session() as session:
        assert session.query(ForumReport).count() == 1


def test_the_item_page_lists_its_threads_and_offers_to_discuss_it(browser, content, client, people):
    item = content.published(item_data("Scanner study", "Étude scanner", technologies=["ai"]))
    member = browser("member", "fr")
    before = text(member.get(f"/catalogue/{item['slug']}"))
    assert "Aucune discussion de cet élément" in before
    assert f'href="/forums/new?item={item["slug"]}"' in before
    form = text(member.get(f"/forums/new?item={item['slug']}"))
    assert f'name="item" value="{item["slug"]}"' in form and '<option value="ai" selected' in form
    sent = member.post(
        "/forums/threads",
        data={
            "csrf_token": CSRF,
            "category": "ai",
            "title": "Parlons du scanner",
            "language": "fr",
            "body": "Des retours ?",
            "item": item["slug"],
        },
    )
    assert sent.status_code == 303, text(sent)
    after = text(member.get(f"/catalogue/{item['slug']}"))
    assert "Parlons du scanner" in after and "0 réponse" in after
    assert "Étude scanner" in text(member.get(sent.location))
    assert "Discussions" not in text(browser("anonymous").get(f"/catalogue/{item['slug']}"))


def test_a_long_thread_comes_in_pages_and_a_reply_lands_on_the_last(browser, thread, monkeypatch):
    monkeypatch.setattr(page_kit, "PAGE_SIZE", 2)
    started = thread()
    thread_id, first = started["thread"]["id"], started["posts"][0]["id"]
    member = browser("respondent", "fr")
    for number in range(3):
        sent = member.post(
            f"/forums/threads/{thread_id}/posts",
            data={"csrf_token": CSRF, "body": f"Réponse {number}", "quoted_post_id": first},
        )
        assert sent.status_code == 303
    assert "page=last" in sent.location
    last = text(member.get(sent.location))
    assert "Page 2 sur 2" in last and "Réponse 2" in last and "Réponse 0" not in last
    assert f'href="#post-{first}">Demo Coordinator' in last  # the quoted post is on page 1
    assert "3 réponses" in last
    first_page = text(member.get(f"/forums/threads/{thread_id}"))
    assert "Page 1 sur 2" in first_page and "Réponse 0" in first_page
    assert "Réponse 1" not in first_page
    posts = re.findall(r'id="post-([0-9a-f-]{36})"', last)
    jumped = text(member.get(f"/forums/threads/{thread_id}?post={posts[-1]}"))
    assert "Page 2 sur 2" in jumped and "Réponse 2" in jumped


def test_a_hidden_post_is_gone_for_members_and_marked_for_editors(browser, thread, client, people):
    started = thread()
    thread_id = started["thread"]["id"]
    reply = client.post(
        f"{THREADS}/{thread_id}/posts", json={"body": "Achetez ici"}, headers=people["respondent"]
    )
    assert reply.status_code == 201
    editor = browser("editor")
    hidden = editor.post(
        f"/forums/threads/{thread_id}/posts/{reply.json['id']}/moderation",
        data={"csrf_token": CSRF, "action": "hide", "page": "1"},
    )
    assert hidden.status_code == 303 and f"#post-{reply.json['id']}" in hidden.location
    assert "Achetez ici" not in text(browser("member").get(f"/forums/threads/{thread_id}"))
    page = text(editor.get(f"/forums/threads/{thread_id}"))
    assert "Achetez ici" in page and "Hidden from members" in page
    assert "Show this post again" in page


def test_the_edit_link_is_gone_once_the_window_is_over(browser, thread, app):
    started = thread()
    thread_id, post_id = started["thread"]["id"], started["posts"][0]["id"]
    with app.extensions["db"].session(write=True) as session, session.begin():
        session.execute(
            update(ForumPost)
            .where(ForumPost.id == post_id)
            .values(created_at=utcnow() - timedelta(hours=2))
        )
    member = browser("member")
    assert f"edit={post_id}" not in text(member.get(f"/forums/threads/{thread_id}"))
    refused = member.post(
        f"/forums/threads/{thread_id}/posts/{post_id}/edit",
        data={"csrf_token": CSRF, "body": "Too late"},
    )
    assert refused.status_code == 403 and "The time to edit this post is over" in text(refused)


def test_the_pages_speak_portuguese_too(browser, thread):
    thread_id = thread()["thread"]["id"]
    member = browser("member", "pt")
    assert "Por tecnologia" in text(member.get("/forums"))
    page = text(member.get(f"/forums/threads/{thread_id}"))
    assert "Publicar a resposta" in page
    assert "0 resposta" in page and "0 respostas" not in page  # CLDR: 0 is singular in pt


def test_editors_read_the_reported_posts_with_names(browser, thread):
    started = thread()
    thread_id, post_id = started["thread"]["id"], started["posts"][0]["id"]
    sent = browser("respondent").post(
        f"/forums/threads/{thread_id}/posts/{post_id}/report",
        data={"csrf_token": CSRF, "reason": "Off topic"},
    )
    assert sent.status_code == 303
    page = text(browser("editor", "fr").get("/forums/reports"))
    assert "1 signalement" in page and "Demo Respondent" in page and "Demo Coordinator" in page
    assert (
        "Off topic" in page
        and f'href="/forums/threads/{thread_id}?post={post_id}#post-{post_id}"' in page
    )
    assert browser("member").get("/forums/reports").status_code == 403
    assert browser("anonymous").get("/forums/reports").status_code == 302


def test_the_reply_form_posts_the_members_picked_to_the_same_use_case_as_the_api(
    browser, thread, app, demo
):
    thread_id = thread()["thread"]["id"]
    other = browser("respondent")
    page = text(other.get(f"/forums/threads/{thread_id}"))
    # Without script: no picker to use (its part is hidden), the form posts no mentions.
    assert '<div class="picker" hidden>' in page
    assert '<script src="/forums/assets/mentions.js" defer></script>' in page
    editor = demo["users"]["editor@demo.example"]
    sent = other.post(
        f"/forums/threads/{thread_id}/posts",
        data={"csrf_token": CSRF, "body": "Ask the editor", "mentions": [editor]},
    )
    assert sent.status_code == 303
    shown = text(browser("member").get(f"/forums/threads/{thread_id}"))
    assert "Mentions: Demo Editor" in shown
    with app.extensions["db"].session() as session:
        reply = session.query(ForumPost).filter_by(body="Ask the editor").one()
        assert [m.user_id for m in reply.mentions] == [editor]


def test_a_refused_reply_keeps_the_members_it_mentioned_and_an_unknown_one_is_refused(
    browser, thread, demo
):
    thread_id = thread()["thread"]["id"]
    other = browser("respondent", "fr")
    editor = demo["users"]["editor@demo.example"]
    url = f"/forums/threads/{thread_id}/posts"
    empty = other.post(url, data={"csrf_token": CSRF, "body": "", "mentions": [editor]})
    assert empty.status_code == 422
    assert f'name="mentions" value="{editor}" checked> Demo Editor<' in text(empty)
    unknown = other.post(url, data={"csrf_token": CSRF, "body": "x", "mentions": ["nobody"]})
    assert unknown.status_code == 422
    assert "pas un membre actif des forums : nobody" in text(unknown)
    assert 'name="mentions" value="nobody"' not in text(unknown)


def test_the_mentions_picker_script_is_served_and_the_top_menu_links_the_forums_for_members(
    browser,
):
    script = browser("anonymous").get("/forums/assets/mentions.js")
    assert script.status_code == 200 and "javascript" in script.headers["Content-Type"]
    script.close()
    member = text(browser("member").get("/catalogue"))
    assert '<a href="/forums" id="menu-forums">Forums</a>' in member
    current = text(browser("member").get("/forums/categories/ai"))
    assert '<a href="/forums" id="menu-forums" aria-current="page">Forums</a>' in current
    assert 'id="menu-forums"' not in text(browser("anonymous").get("/catalogue"))
    portuguese = text(browser("respondent", "pt").get("/forums"))
    assert 'id="menu-forums" aria-current="page">Fóruns</a>' in portuguese
