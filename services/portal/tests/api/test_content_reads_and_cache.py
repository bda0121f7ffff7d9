import json

ITEMS = "/api/v1/portal/content/items"
CACHE_KEYS = "portal:cache:*"


def _resource(title_en="Data governance guide", title_fr=None, **fields):
    translations = {"en": {"title": title_en, "summary": "Who owns which data", "body": "**Bold**"}}
    if title_fr:
        translations["fr"] = {"title": title_fr, "summary": "Qui détient quelles données"}
    return {
        "kind": "resource",
        "topics": ["data-governance"],
        "translations": translations,
        **fields,
    }


def _public_entries(redis_client):
    keys = [k.decode() for k in redis_client.scan_iter(CACHE_KEYS)]
    public = [k for k in keys if ":public:" in k]
    return public, b"".join(redis_client.get(k) or b"" for k in public)


def test_an_item_is_read_by_id_or_slug_in_the_readers_language(content):
    item = content.published(_resource(title_fr="Guide de gouvernance des données"))
    by_slug = content.get(item["slug"], headers={}, lang="fr")
    assert by_slug.status_code == 200
    assert by_slug.headers["Content-Language"] == "fr"
    assert by_slug.json["title"] == "Guide de gouvernance des données"
    assert by_slug.json["languages"] == ["en", "fr"]
    english = content.get(item["id"], lang="en")
    assert english.headers["Content-Language"] == "en"
    assert english.json["title"] == "Data governance guide"
    assert english.json["body_html"] == "<p><strong>Bold</strong></p>"
    assert english.json["topics"] == [{"code": "data-governance", "label": "Data governance"}]
    assert "translations" not in english.json
    assert "status" not in english.json


def test_an_item_in_one_language_is_served_in_that_language(content, client):
    item = content.published(_resource())
    response = client.get(f"{ITEMS}/{item['slug']}", headers={"Accept-Language": "fr-FR,fr;q=0.9"})
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "en"
    assert response.json["language"] == "en"
    assert response.json["topics"][0]["label"] == "Gouvernance des données"


def test_members_items_are_for_signed_in_members_only(content):
    item = content.published(_resource(visibility="members"))
    assert content.get(item["id"]).status_code == 404
    for who in ("member", "other", "respondent", "operator", "editor"):
        assert content.get(item["id"], who).status_code == 200, who


def test_a_bad_token_is_refused_rather_than_served_the_public_view(client):
    response = client.get(ITEMS, headers={"Authorization": "Bearer nonsense"})
    assert response.status_code == 401


def test_public_reads_are_cached_and_a_publication_invalidates_them(content, redis_client):
    first = content.published(_resource("First guide"))
    assert content.search()["total"] == 1
    assert content.get(first["id"]).status_code == 200
    public, _ = _public_entries(redis_client)
    assert len(public) == 2
    second = content.published(_resource("Second guide"))
    assert content.search()["total"] == 2
    assert content.get(second["slug"]).json["title"] == "Second guide"


def test_an_archived_item_leaves_cached_reads_at_once(content):
    item = content.published(_resource())
    assert content.get(item["id"]).status_code == 200
    assert content.search()["total"] == 1
    assert content.act(item["id"], "archive", "editor").status_code == 200
    assert content.get(item["id"]).status_code == 404
    assert content.search()["total"] == 0


def test_an_edit_of_a_published_item_shows_at_once(content, client, people):
    item = content.published(_resource())
    assert content.get(item["id"]).json["summary"] == "Who owns which data"
    client.patch(
        f"{ITEMS}/{item['id']}",
        json={"translations": {"en": {"summary": "Owners and stewards"}}},
        headers=people["editor"],
    )
    assert content.get(item["id"]).json["summary"] == "Owners and stewards"
    assert content.search(q="stewards")["total"] == 1


def test_drafts_and_members_items_never_enter_public_cache_entries(content, redis_client):
    members = content.published(_resource("Members only handbook", visibility="members"))
    draft = content.create(_resource("Unfinished draft"))
    for who in ("anonymous", "member", "editor"):
        content.search(who)
        content.search(who, q="handbook")
        content.get(members["id"], who)
        content.get(draft["id"], who)
    public, stored = _public_entries(redis_client)
    assert public
    assert members["id"].encode() not in stored
    assert draft["id"].encode() not in stored
    assert b"Unfinished" not in stored
    assert b"Members only" not in stored
    keys = [k.decode() for k in redis_client.scan_iter(CACHE_KEYS)]
    members_stored = b"".join(redis_client.get(k) or b"" for k in keys if ":members:" in k)
    assert members["id"].encode() in members_stored
    assert draft["id"].encode() not in members_stored
    assert not [k for k in keys if ":editors:" in k]


def test_a_visibility_change_to_members_removes_the_item_from_public_reads(content, client, people):
    item = content.published(_resource())
    assert content.search()["facets"]["kind"] == [
        {"value": "resource", "label": "Resource", "count": 1}
    ]
    client.patch(f"{ITEMS}/{item['id']}", json={"visibility": "members"}, headers=people["editor"])
    assert content.get(item["id"]).status_code == 404
    assert content.search()["facets"]["kind"] == []
    assert content.search("member")["total"] == 1


def test_responses_say_how_they_may_be_cached(content, client, people):
    content.published(_resource())
    assert client.get(ITEMS).headers["Cache-Control"] == "public, max-age=30"
    assert client.get(ITEMS, headers=people["member"]).headers["Cache-Control"] == (
        "private, no-cache"
    )
    assert client.get(ITEMS, headers=people["editor"]).headers["Cache-Control"] == "no-store"
    vary = [v.strip() for v in client.get(ITEMS).headers["Vary"].split(",")]
    assert sorted(vary) == ["Accept-Language", "Authorization", "Cookie"]


def test_the_catalogue_answers_from_the_database_when_the_cache_is_off(make_app, people, content):
    item = content.published(_resource())
    uncached = make_app(PORTAL_CACHE_TTL_S=0).test_client()
    response = uncached.get(f"{ITEMS}/{item['id']}")
    assert json.loads(response.data)["id"] == item["id"]


def test_a_change_made_by_another_process_reaches_this_ones_memory_at_once(
    make_app, content, people
):
    item = content.published(_resource())
    reader = make_app().test_client()  # another web process on the same database and Redis
    for _ in range(3):
        assert reader.get(f"{ITEMS}/{item['id']}").status_code == 200  # now in its memory
    assert content.act(item["id"], "archive", "editor").status_code == 200
    assert reader.get(f"{ITEMS}/{item['id']}").status_code == 404
    assert reader.get(ITEMS).json["total"] == 0


def test_the_catalogue_answers_without_redis(make_app, content):
    item = content.published(_resource())
    cut_off = make_app(REDIS_URL="redis://127.0.0.1:1/0").test_client()
    response = cut_off.get(f"{ITEMS}/{item['slug']}")
    assert response.status_code == 200
    assert cut_off.get(ITEMS).json["total"] == 1


def test_a_cached_read_opens_no_database_session(make_app, content):
    item = content.published(_resource())
    reader = make_app()
    client = reader.test_client()
    paths = (f"{ITEMS}/{item['slug']}", f"{ITEMS}?q=governance")
    first = [client.get(path) for path in paths]  # computed once, now cached
    assert [r.status_code for r in first] == [200, 200]

    def no_database(*args, **kwargs):
        raise AssertionError("a cache hit must not open a database session")

    reader.extensions["db"].session = no_database
    again = [client.get(path) for path in paths]
    assert [r.data for r in again] == [r.data for r in first]
