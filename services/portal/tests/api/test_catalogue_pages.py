"""The catalogue's pages: home, catalogue and search, item pages, editor screens, proposals.

Pages run the same use cases as the API: these tests check what a browser receives, including
that drafts and members-only items never reach the public in a page, a facet count or a cached
page, and that the editor screens keep the workflow's rules.
"""

import re

import pytest

from portal.models import ContentItem

from .conftest import item_data

CSRF = "csrf-test-token"


@pytest.fixture
def browser(app, people):
    """Return a function giving a test client signed in as one of ``people`` (cookies)."""

    def as_person(who: str):
        client = app.test_client()
        header = people[who].get("Authorization")
        if header:
            client.set_cookie("sc_session", header.removeprefix("Bearer "))
        client.set_cookie("sc_csrf", CSRF)
        return client

    return as_person


def _page(client, path: str, **headers) -> str:
    response = client.get(path, headers={"Accept": "text/html", **headers})
    assert response.status_code == 200, (path, response.status_code)
    assert response.content_type.startswith("text/html")
    return response.get_data(as_text=True)


def _facet_count(page: str, facet: str, value: str) -> int | None:
    found = re.search(
        rf'name="{facet}" value="{value}"[^>]*>\s*[^<]*<span class="count">\((\d+)\)', page
    )
    return int(found.group(1)) if found else None


def test_the_public_never_sees_drafts_or_members_material_in_pages_or_counts(
    content, browser, client
):
    content.published(item_data("Port risk engine", technologies=["ai"]))
    content.published(item_data("Members risk dossier", technologies=["ai"], visibility="members"))
    content.create(item_data("Draft risk memo", technologies=["ai"]))
    for _ in range(2):  # the second read is served from the cache
        page = _page(client, "/catalogue?q=risk")
        assert "Port risk engine" in page
        assert "Members risk dossier" not in page and "Draft risk memo" not in page
        assert "1 result" in page
        assert _facet_count(page, "technology", "ai") == 1
    member = _page(browser("member"), "/catalogue?q=risk")
    assert "Members risk dossier" in member and "Draft risk memo" not in member
    assert _facet_count(member, "technology", "ai") == 2
    # a status filter in the address does not open drafts to members
    assert "Draft risk memo" not in _page(browser("member"), "/catalogue?q=risk&status=draft")


def test_filters_narrow_the_results_and_keep_the_search(content, client):
    content.published(item_data("Blockchain for origin", technologies=["blockchain"]))
    content.published(item_data("Cloud for origin", technologies=["cloud-computing"]))
    page = _page(client, "/catalogue?q=origin&technology=blockchain")
    assert "Blockchain for origin" in page and "Cloud for origin" not in page
    assert 'value="blockchain" checked' in page
    assert 'name="q" value="origin"' in page


def test_a_search_without_accents_finds_french_words_with_them(content, client):
    content.published(item_data(None, "Qualité des données douanières"))
    page = _page(client, "/catalogue?q=donnees+douanieres", **{"Accept-Language": "fr"})
    assert "Qualité des données douanières" in page


def test_a_bad_query_string_still_shows_the_catalogue_with_a_notice(content, client):
    content.published(item_data("Still listed"))
    page = _page(client, "/catalogue?page=abc&sort=nonsense&kind=resource")
    assert "Still listed" in page
    assert "were not understood" in page


def test_an_item_page_falls_back_to_the_language_it_exists_in(content, client):
    item = content.published(item_data(None, "Guide de l'analyse de risque", body_fr="Texte."))
    response = client.get(f"/catalogue/{item['slug']}", headers={"Accept-Language": "en"})
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "fr"
    page = response.get_data(as_text=True)
    assert '<html lang="en">' in page and '<article lang="fr"' in page
    assert "not available in English yet" in page
    # the language switch keeps the reader on the same item
    assert f'href="/catalogue/{item["slug"]}?lang=fr"' in page


def test_item_pages_neutralize_unsafe_markdown(content, client):
    body = "Hello <script>alert(1)</script> [x](javascript:alert(2)) <img src=x onerror=alert(3)>"
    item = content.published(item_data("Unsafe body", body_en=body))
    page = _page(client, f"/catalogue/{item['slug']}")
    assert "<script>alert(1)" not in page
    assert 'href="javascript:' not in page and "onerror" not in page


def test_members_items_and_drafts_answer_404_to_those_who_may_not_see_them(
    content, browser, client
):
    members = content.published(item_data("Members only guide", visibility="members"))
    draft = content.create(item_data("Unfinished guide"))
    anonymous = client.get(f"/catalogue/{members['slug']}", headers={"Accept": "text/html"})
    assert anonymous.status_code == 404
    assert "sign in" in anonymous.get_data(as_text=True)
    assert "Members only guide" in _page(browser("member"), f"/catalogue/{members['slug']}")
    for who in ("anonymous", "member"):
        response = browser(who).get(f"/catalogue/{draft['slug']}")
        assert response.status_code == 404, who
    editor = _page(browser("editor"), f"/catalogue/{draft['slug']}")
    assert "Unfinished guide" in editor and "only editors see this item" in editor


def test_the_home_page_shows_featured_and_latest_items_the_reader_may_see(content, client):
    content.published(item_data("Featured public guide", featured=True))
    content.published(item_data("Featured members guide", featured=True, visibility="members"))
    content.published(item_data("Plain latest guide"))
    page = _page(client, "/")
    featured = page.split('id="featured-h"')[1].split("</section>")[0]
    assert "Featured public guide" in featured and "Plain latest guide" not in featured
    assert "Featured members guide" not in page
    assert "Plain latest guide" in page
    assert 'href="/assessment/"' in page


def test_editor_screens_refuse_other_people(browser, client):
    anonymous = client.get("/editor/")
    assert anonymous.status_code == 302 and anonymous.headers["Location"].startswith("/login")
    member = browser("member").get("/editor/", headers={"Accept": "text/html"})
    assert member.status_code == 403
    refused = browser("member").post("/editor/new", data={"csrf_token": CSRF, "kind": "tool"})
    assert refused.status_code == 403


def _form(**fields):
    return {
        "csrf_token": CSRF,
        "kind": "resource",
        "visibility": "public",
        "en.title": "Scanner images guide",
        "en.summary": "How to read scans",
        "fr.title": "Guide des images de scanner",
        "technology": ["ai"],
        "links": "Annex | https://example.org/annex.pdf | en | attachment",
        **fields,
    }


def test_an_editor_creates_a_draft_from_the_form_and_another_publishes_it(
    browser, client, app, count
):
    editor, reviewer = browser("editor"), browser("editor2")
    created = editor.post("/editor/new", data=_form())
    assert created.status_code == 303
    edit_url = created.headers["Location"].split("?")[0]
    item_id = edit_url.rsplit("/", 1)[-1]
    page = _page(editor, edit_url)
    assert (
        'value="Scanner images guide"' in page and "Annex | https://example.org/annex.pdf" in page
    )
    assert editor.post(f"{edit_url}/submit", data={"csrf_token": CSRF}).status_code == 303
    # the author may not publish alone
    refused = editor.post(f"{edit_url}/publish", data={"csrf_token": CSRF})
    assert "error=second_editor_required" in refused.headers["Location"]
    assert "Another editor must publish" in _page(editor, refused.headers["Location"])
    assert "Scanner images guide" not in _page(client, "/catalogue")
    published = reviewer.post(f"{edit_url}/publish", data={"csrf_token": CSRF, "note": "ok"})
    assert "done=publish" in published.headers["Location"]
    assert "Scanner images guide" in _page(client, "/catalogue")
    with app.extensions["db"].session() as session:
        item = session.get(ContentItem, item_id)
        assert (item.status, item.published_by) == ("published", reviewer_subject(app))
    history = _page(editor, edit_url)
    assert "published" in history and "“ok”" in history


def reviewer_subject(app):
    from sqlalchemy import select

    from portal.models import User

    with app.extensions["db"].session() as session:
        return session.scalar(select(User.id).where(User.email == "reviewer@demo.example"))


def test_a_refused_form_shows_the_errors_keeps_the_input_and_stores_nothing(browser, count):
    editor = browser("editor")
    before = count(ContentItem)
    response = editor.post(
        "/editor/new", data=_form(**{"en.title": "", "en.summary": "No title", "technology": ["x"]})
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "was not saved" in page
    assert "No title" in page  # what was typed is still there
    assert count(ContentItem) == before


def test_editor_forms_need_the_csrf_token(browser, count):
    before = count(ContentItem)
    response = browser("editor").post("/editor/new", data={**_form(), "csrf_token": "forged"})
    assert response.status_code == 403
    assert count(ContentItem) == before


def test_a_stale_edit_form_is_refused_rather_than_overwriting(browser, content):
    item = content.create(item_data("Versioned guide"))
    editor = browser("editor")
    url = f"/editor/items/{item['id']}"
    stale = _form(**{"en.title": "My change", "version": str(item["version"])})
    content_change = {"translations": {"en": {"title": "Their change"}}}
    assert content.patch(item["id"], content_change, "editor2").status_code == 200
    response = editor.post(url, data=stale)
    assert response.status_code == 409
    assert "changed since you read it" in response.get_data(as_text=True)


def test_a_member_proposes_a_case_study_that_lands_in_review(browser, client):
    anonymous = client.get("/propose")
    assert anonymous.status_code == 302
    member = browser("member")
    sent = member.post(
        "/propose",
        data={
            "csrf_token": CSRF,
            "administration_name": "Douanes de Lagunia",
            "fr.title": "Tri des conteneurs par apprentissage",
            "fr.problem": "Trop d'inspections.",
        },
    )
    assert sent.status_code == 303
    assert "sent to the editors" in _page(member, sent.headers["Location"])
    desk = _page(browser("editor"), "/editor/?status=in_review")
    assert "Tri des conteneurs par apprentissage" in desk
    assert "Tri des conteneurs" not in _page(client, "/catalogue")


def test_an_editor_adds_a_technology_that_the_forms_then_offer(browser):
    editor = browser("editor")
    term = {
        "csrf_token": CSRF,
        "scheme": "technology",
        "code": "quantum-computing",
        "label_en": "Quantum computing",
        "label_fr": "Informatique quantique",
    }
    added = editor.post("/editor/terms", data=term)
    assert added.status_code == 303 and "added=quantum-computing" in added.headers["Location"]
    assert 'value="quantum-computing"' in _page(editor, "/editor/new")
    again = editor.post("/editor/terms", data=term)
    assert "error=term_exists" in again.headers["Location"]
    half = editor.post("/editor/terms", data={**term, "code": "x-ray", "label_fr": ""})
    assert "error=validation_failed" in half.headers["Location"]
    assert 'value="x-ray"' not in _page(editor, "/editor/new")
    assert browser("member").post("/editor/terms", data=term).status_code == 403


def test_a_refused_form_explains_each_field_in_french(browser):
    editor = browser("editor")
    editor.set_cookie("lang", "fr")
    response = editor.post("/editor/new", data=_form(**{"en.title": "", "en.summary": "x"}))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="translations-en-title-error">Champ obligatoire manquant.<' in page
    assert "Missing data" not in page
