import json

from sqlalchemy import select

from portal.models import ContentRevision, OutboxMessage

ITEMS = "/api/v1/portal/content/items"
PROPOSALS = "/api/v1/portal/content/proposals"


def _item(title="Machine learning for risk targeting", **fields):
    return {
        "kind": "resource",
        "subtype": "guide",
        "technologies": ["machine-learning"],
        "domains": ["risk-management"],
        "region": "west-africa",
        "translations": {"en": {"title": title, "summary": "How to start", "body": "Text"}},
        **fields,
    }


def _events(app, event_type=None):
    with app.extensions["db"].session() as session:
        rows = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    found = [json.loads(row.payload) for row in rows if row.event_type.startswith("content.")]
    return [e for e in found if event_type in (None, e["type"])]


def test_a_draft_is_invisible_to_the_public_and_members_in_reads_search_and_facets(content, people):
    draft = content.create(_item())
    assert draft["status"] == "draft"
    for who in ("anonymous", "member", "other"):
        assert content.get(draft["id"], who).status_code == 404
        assert content.get(draft["slug"], who).status_code == 404
        found = content.search(who, q="machine learning")
        assert found["total"] == 0
        assert found["items"] == []
        assert all(values == [] for values in found["facets"].values())
    editors_view = content.search("editor", q="machine learning")
    assert [i["id"] for i in editors_view["items"]] == [draft["id"]]
    assert editors_view["items"][0]["status"] == "draft"


def test_an_editor_cannot_publish_their_own_item_alone(content, app):
    item = content.create(_item())
    assert content.act(item["id"], "submit", "editor").status_code == 200
    refused = content.act(item["id"], "publish", "editor")
    assert refused.status_code == 403
    assert refused.json["code"] == "second_editor_required"
    assert content.get(item["id"]).status_code == 404
    assert _events(app) == []
    published = content.act(item["id"], "publish", "editor2")
    assert published.status_code == 200
    assert published.json["status"] == "published"
    assert content.get(item["id"]).json["title"] == "Machine learning for risk targeting"


def test_a_second_editor_who_edited_the_item_cannot_publish_it_either(content, client, people):
    item = content.create(_item())
    content.act(item["id"], "submit", "editor")
    edited = client.patch(
        f"{ITEMS}/{item['id']}",
        json={"translations": {"en": {"summary": "Reviewed and improved"}}},
        headers=people["editor2"],
    )
    assert edited.status_code == 200, edited.json
    assert edited.json["contributors"] == sorted([item["created_by"], edited.json["updated_by"]])
    for who in ("editor", "editor2"):
        assert content.act(item["id"], "publish", who).json["code"] == "second_editor_required"


def test_publishing_needs_a_review_first(content):
    item = content.create(_item())
    response = content.act(item["id"], "publish", "editor2")
    assert response.status_code == 409
    assert response.json["code"] == "invalid_transition"


def test_members_cannot_create_edit_or_publish(content, client, people):
    item = content.published(_item())
    for who in ("member", "respondent", "operator"):
        headers = people[who]
        assert client.post(ITEMS, json=_item("Mine"), headers=headers).status_code == 403
        patch = client.patch(
            f"{ITEMS}/{item['id']}", json={"visibility": "members"}, headers=headers
        )
        assert patch.status_code == 403
        assert patch.json["code"] == "forbidden"
        for action in ("submit", "publish", "archive", "reopen"):
            assert content.act(item["id"], action, who).status_code == 403
    assert client.patch(f"{ITEMS}/{item['id']}", json={"visibility": "members"}).status_code == 401
    assert content.get(item["id"]).json["visibility"] == "public"


def test_a_member_proposes_a_case_study_that_editors_review_and_publish(content, client, people):
    proposal = {
        "translations": {
            "fr": {
                "title": "Ciblage des conteneurs par apprentissage automatique",
                "summary": "Notre expérience",
                "problem": "Trop de contrôles physiques",
                "technology": "Un modèle de gradient boosting",
                "results": "Taux de détection doublé",
                "lessons": "La qualité des données d'abord",
            }
        },
        "technologies": ["machine-learning"],
        "domains": ["risk-management"],
    }
    response = client.post(PROPOSALS, json=proposal, headers=people["member"])
    assert response.status_code == 201, response.json
    assert response.json["status"] == "in_review"
    assert response.json["kind"] == "case_study"
    item_id = response.json["id"]
    assert content.get(item_id, "member").status_code == 404
    assert (
        client.patch(
            f"{ITEMS}/{item_id}", json={"region": "global"}, headers=people["member"]
        ).status_code
        == 403
    )
    assert client.post(PROPOSALS, json=proposal).status_code == 401
    in_review = content.search("editor", status="in_review")
    assert [i["id"] for i in in_review["items"]] == [item_id]
    assert content.act(item_id, "publish", "editor").status_code == 200
    seen = content.get(item_id, "other", lang="fr")
    assert seen.status_code == 200
    case = seen.json["case_study"]
    assert case["administration"] == "Demo Customs Administration"
    assert case["results_html"] == "<p>Taux de détection doublé</p>"
    assert seen.json["visibility"] == "members"
    assert content.get(item_id, "anonymous").status_code == 404


def test_a_member_cannot_propose_other_kinds_of_content(client, people):
    response = client.post(
        PROPOSALS,
        json={"kind": "news", "translations": {"en": {"title": "Hello"}}},
        headers=people["member"],
    )
    assert response.status_code == 422
    assert "kind" in response.json["errors"]
    editor_only = client.post(
        PROPOSALS, json={"translations": {"en": {"title": "x"}}}, headers=people["editor"]
    )
    assert editor_only.status_code == 403


def test_publish_update_and_archive_emit_content_events_in_the_outbox(content, client, people, app):
    item = content.published(_item(topics=["data-quality"]))
    client.patch(
        f"{ITEMS}/{item['id']}",
        json={"translations": {"fr": {"title": "Apprentissage automatique et ciblage"}}},
        headers=people["editor"],
    )
    content.act(item["id"], "archive", "editor")
    kinds = [e["type"] for e in _events(app)]
    assert kinds == ["content.published", "content.updated", "content.archived"]
    published, updated, archived = (e["data"] for e in _events(app))
    assert published["item_id"] == item["id"]
    assert published["kind"] == "resource"
    assert published["visibility"] == "public"
    assert published["tags"] == ["data-quality", "machine-learning", "risk-management"]
    assert published["domains"] == ["risk-management"]
    assert published["url"] == f"/catalogue/{item['slug']}"
    assert published["titles"] == {"en": "Machine learning for risk targeting"}
    assert updated["languages"] == ["en", "fr"]
    assert updated["titles"]["fr"] == "Apprentissage automatique et ciblage"
    assert archived["status"] == "archived"
    assert content.get(item["id"]).status_code == 404


def test_changes_to_drafts_emit_no_events(content, client, people, app):
    item = content.create(_item())
    client.patch(f"{ITEMS}/{item['id']}", json={"region": "global"}, headers=people["editor"])
    content.act(item["id"], "submit", "editor")
    content.act(item["id"], "archive", "editor")
    assert _events(app) == []


def test_reopening_a_published_item_withdraws_it_until_it_is_published_again(content):
    item = content.published(_item())
    reopened = content.act(item["id"], "reopen", "editor", note="needs a new section")
    assert reopened.json["status"] == "draft"
    assert content.get(item["id"]).status_code == 404
    assert content.act(item["id"], "submit", "editor").status_code == 200
    assert content.act(item["id"], "publish", "editor2").status_code == 200
    assert content.get(item["id"]).status_code == 200


def test_every_change_is_kept_in_the_history_with_a_version(content, client, people, app):
    item = content.create(_item())
    client.patch(
        f"{ITEMS}/{item['id']}",
        json={"technologies": ["machine-learning", "ai"], "version": 1},
        headers=people["editor"],
    )
    content.act(item["id"], "submit", "editor", note="ready")
    content.act(item["id"], "publish", "editor2")
    history = client.get(f"{ITEMS}/{item['id']}/history", headers=people["editor"])
    assert history.status_code == 200
    entries = history.json
    assert [(e["version"], e["action"]) for e in entries] == [
        (4, "published"),
        (3, "submitted"),
        (2, "updated"),
        (1, "created"),
    ]
    assert entries[2]["changes"]["technologies"] == {
        "from": ["machine-learning"],
        "to": ["ai", "machine-learning"],
    }
    assert entries[1]["changes"] == {
        "status": {"from": "draft", "to": "in_review"},
        "note": "ready",
    }
    assert entries[0]["actor_name"] == "Demo Reviewer"
    assert entries[3]["changes"]["translations.en.title"]["to"] == item["title"]
    assert client.get(f"{ITEMS}/{item['id']}/history", headers=people["member"]).status_code == 403
    with app.extensions["db"].session() as session:
        assert len(session.scalars(select(ContentRevision)).all()) == 4


def test_an_edit_based_on_an_old_version_is_refused(content, client, people):
    item = content.create(_item())
    url = f"{ITEMS}/{item['id']}"
    assert (
        client.patch(
            url, json={"region": "global", "version": 1}, headers=people["editor"]
        ).status_code
        == 200
    )
    stale = client.patch(
        url, json={"region": "central-africa", "version": 1}, headers=people["editor2"]
    )
    assert stale.status_code == 409
    assert stale.json["code"] == "version_conflict"
    assert content.get(item["id"], "editor").json["region"]["code"] == "global"


def test_an_archived_item_must_be_reopened_before_it_is_edited(content, client, people):
    item = content.create(_item())
    content.act(item["id"], "archive", "editor")
    response = client.patch(
        f"{ITEMS}/{item['id']}", json={"region": "global"}, headers=people["editor"]
    )
    assert response.status_code == 409
    assert response.json["code"] == "invalid_transition"
