from portal.models import ContentItem, ContentRevision, VocabularyTerm

ITEMS = "/api/v1/portal/content/items"
VOCABULARIES = "/api/v1/portal/content/vocabularies"

UNSAFE = (
    "# Title\n\n"
    "<script>alert('x')</script>\n\n"
    '[click](javascript:alert(1)) and <a href="JaVaScRiPt:alert(2)">there</a>\n\n'
    '<img src="/x.png" onerror="alert(3)"> <p onclick="alert(4)" style="color:red">p</p>\n\n'
    '<iframe src="https://evil.example"></iframe>\n\n[ok](https://wco.example/guide)'
)


def _data(**fields):
    return {"kind": "resource", "translations": {"en": {"title": "T", "body": "b"}}, **fields}


def test_unsafe_markdown_and_html_are_neutralized_on_output(content):
    item = content.published(_data(translations={"en": {"title": "Unsafe", "body": UNSAFE}}))
    html = content.get(item["id"]).json["body_html"]
    lowered = html.lower()
    for bad in ("<script", 'href="javascript', "onerror", "onclick", "style=", "<iframe"):
        assert bad not in lowered, bad
    # the refused Markdown link stays visible as inert text, never as a link
    assert "<p>[click](javascript:alert(1)) and <a rel=" in html
    assert "<h1>Title</h1>" in html
    assert '<a href="https://wco.example/guide" rel="noopener noreferrer nofollow">ok</a>' in html
    raw = content.get(item["id"], "editor").json["translations"]["en"]["body"]
    assert raw == UNSAFE  # kept as written for editing, never served as HTML


def test_case_study_sections_are_sanitized_too(content):
    item = content.published(
        _data(
            kind="case_study",
            translations={"en": {"title": "Case", "results": "<b onmouseover=x()>up</b>"}},
        )
    )
    assert content.get(item["id"]).json["case_study"]["results_html"] == "<p><b>up</b></p>"


def test_unknown_tags_are_refused_with_field_errors(client, people, count):
    response = client.post(
        ITEMS,
        json=_data(
            technologies=["ai", "quantum-teleportation"],
            domains=["smuggling-by-owl"],
            topics=["data-quality", "astrology"],
            region="atlantis",
        ),
        headers=people["editor"],
    )
    assert response.status_code == 422
    assert response.json["code"] == "item_rules_failed"
    assert response.json["errors"] == {
        "technologies": ["unknown technology tag: quantum-teleportation"],
        "domains": ["unknown domain tag: smuggling-by-owl"],
        "topics": ["unknown topic tag: astrology"],
        "region": ["unknown region: atlantis"],
    }
    assert count(ContentItem) == count(ContentRevision) == 0


def test_oversized_fields_are_refused_and_nothing_is_stored(client, people, count):
    big = "é" * 50_001  # 100,002 bytes in UTF-8
    response = client.post(
        ITEMS,
        json=_data(translations={"en": {"title": "T", "body": big}}),
        headers=people["editor"],
    )
    assert response.status_code == 422
    assert response.json["errors"]["translations"]["en"]["value"]["body"] == ["longer than 100 kB"]
    long_title = client.post(
        ITEMS, json=_data(translations={"en": {"title": "x" * 301}}), headers=people["editor"]
    )
    assert long_title.status_code == 422
    assert count(ContentItem) == 0


def test_a_request_over_the_size_limit_is_refused_with_413(client, people, count):
    huge = "a" * (1024 * 1024 + 10)
    response = client.post(
        ITEMS,
        json=_data(translations={"en": {"title": "T", "body": huge}}),
        headers=people["editor"],
    )
    assert response.status_code == 413
    assert response.json["code"] == "payload_too_large"
    assert count(ContentItem) == 0


def test_bad_fields_get_clear_errors(client, people):
    cases = [
        ({"kind": "podcast", "translations": {"en": {"title": "T"}}}, "kind"),
        (_data(visibility="secret"), "visibility"),
        (_data(links=[{"url": "javascript:alert(1)", "label": "x"}]), "links"),
        (_data(links=[{"url": "//evil.example/x", "label": "x"}]), "links"),
        (_data(launch_url="data:text/html,hi"), "launch_url"),
        ({"kind": "resource", "translations": {}}, "translations"),
        ({"kind": "resource", "translations": {"de": {"title": "T"}}}, "translations"),
        (_data(subtype="webinar"), "subtype"),
        (_data(kind="event"), "event_start"),
        (
            _data(kind="event", event_start="2026-05-02T09:00:00Z", event_end="2026-05-01"),
            "event_end",
        ),
        (_data(slug="Not A Slug"), "slug"),
        (_data(colour="blue"), "colour"),
    ]
    for body, field in cases:
        response = client.post(ITEMS, json=body, headers=people["editor"])
        assert response.status_code == 422, (field, response.json)
        assert field in response.json["errors"], (field, response.json)


def test_a_new_language_version_needs_a_title(content, client, people):
    item = content.create(_data())
    response = client.patch(
        f"{ITEMS}/{item['id']}",
        json={"translations": {"fr": {"summary": "Résumé"}}},
        headers=people["editor"],
    )
    assert response.status_code == 422
    assert "translations.fr.title" in response.json["errors"]


def test_the_last_language_version_cannot_be_removed(content, client, people):
    item = content.create(_data())
    response = client.patch(
        f"{ITEMS}/{item['id']}", json={"translations": {"en": None}}, headers=people["editor"]
    )
    assert response.status_code == 422
    assert "translations" in response.json["errors"]


def test_a_language_version_can_be_added_then_removed(content, client, people):
    item = content.create(_data())
    url = f"{ITEMS}/{item['id']}"
    added = client.patch(
        url, json={"translations": {"fr": {"title": "Titre"}}}, headers=people["editor"]
    )
    assert added.json["languages"] == ["en", "fr"]
    removed = client.patch(url, json={"translations": {"en": None}}, headers=people["editor"])
    assert removed.json["languages"] == ["fr"]
    assert removed.json["title"] == "Titre"


def test_slugs_are_made_from_titles_and_stay_unique(content, client, people):
    first = content.create(_data(translations={"fr": {"title": "Qualité des données"}}))
    second = content.create(_data(translations={"fr": {"title": "Qualité des données"}}))
    assert first["slug"] == "qualite-des-donnees"
    assert second["slug"] == "qualite-des-donnees-2"
    taken = client.post(ITEMS, json=_data(slug="qualite-des-donnees"), headers=people["editor"])
    assert taken.status_code == 409
    assert taken.json["code"] == "slug_taken"


def test_an_unknown_item_answers_404(content, client, people):
    assert content.get("no-such-item").status_code == 404
    assert content.get("no-such-item", "editor").status_code == 404
    assert client.patch(f"{ITEMS}/nope", json={}, headers=people["editor"]).status_code == 404
    assert content.act("nope", "publish", "editor2").status_code == 404


def test_vocabularies_are_listed_with_labels_in_the_readers_language(client):
    response = client.get(VOCABULARIES, query_string={"lang": "fr"})
    assert response.status_code == 200
    technologies = {t["code"]: t["label"] for t in response.json["technology"]}
    assert len(technologies) == 11
    assert technologies["robots-and-drones"] == "Robots et drones"
    topics = {t["code"] for t in response.json["topic"]}
    assert {"data-governance", "mlops", "integrity", "risk-management"} <= topics
    assert {"west-africa", "central-africa", "global"} <= {
        t["code"] for t in response.json["region"]
    }
    assert [s["code"] for s in response.json["subtype.resource"]][:3] == [
        "guide",
        "publication",
        "training",
    ]


def test_editors_add_terms_that_items_can_then_use(client, people, content, count):
    term = {
        "code": "quantum-computing",
        "labels": {"en": "Quantum computing", "fr": "Informatique quantique"},
    }
    url = f"{VOCABULARIES}/technology"
    assert client.post(url, json=term, headers=people["member"]).status_code == 403
    before = count(VocabularyTerm)
    created = client.post(url, json=term, headers=people["editor"])
    assert created.status_code == 201
    assert created.json["code"] == "quantum-computing"
    assert count(VocabularyTerm) == before + 1
    again = client.post(url, json=term, headers=people["editor"])
    assert again.status_code == 409
    assert again.json["code"] == "term_exists"
    item = content.create(_data(technologies=["quantum-computing"]))
    assert item["technologies"][0]["code"] == "quantum-computing"
    assert (
        client.post(f"{VOCABULARIES}/colours", json=term, headers=people["editor"]).status_code
        == 404
    )
    bad = client.post(
        url, json={"code": "Bad Code", "labels": {"en": "x"}}, headers=people["editor"]
    )
    assert bad.status_code == 422
    assert set(bad.json["errors"]) == {"code"}
    one_language = client.post(
        url, json={"code": "x-ray", "labels": {"en": "X-ray"}}, headers=people["editor"]
    )
    assert one_language.json["errors"] == {"labels": ["missing: fr"]}


def test_api_problems_have_french_titles(client, people):
    response = client.post(
        ITEMS,
        json=_data(technologies=["nope"]),
        headers={**people["editor"], "Accept-Language": "fr"},
    )
    assert response.json["title"] == (
        "Le contenu cite des termes inconnus ou a des champs que son type n'admet pas"
    )
