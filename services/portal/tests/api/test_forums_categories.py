"""Forum categories are editable by editors: they add one (its key for good) and rename,
reclassify or reorder it; members and operators only read them."""

FORUMS = "/api/v1/portal/forums"
CATEGORIES = f"{FORUMS}/categories"
NEW = {"key": "quantum", "name_en": "Quantum", "name_fr": "Quantique", "kind": "technology"}


def test_an_editor_adds_a_category_that_members_then_use(client, people):
    added = client.post(CATEGORIES, json={**NEW, "position": 5}, headers=people["editor"])
    assert added.status_code == 201, added.json
    assert added.json == {**NEW, "position": 5}
    keys = [c["key"] for c in client.get(CATEGORIES, headers=people["other"]).json]
    assert keys[:6] == [
        "ai",
        "machine-learning",
        "blockchain",
        "cloud",
        "legal-frameworks",
        "quantum",
    ]
    opened = client.post(
        f"{FORUMS}/threads",
        json={"category": "quantum", "title": "Post-quantum", "language": "en", "body": "Soon?"},
        headers=people["member"],
    )
    assert opened.status_code == 201 and opened.json["thread"]["category"] == "quantum"
    again = client.post(CATEGORIES, json=NEW, headers=people["editor2"])
    assert again.status_code == 409 and again.json["detail"] == "a category already has this key"
    bad = client.post(CATEGORIES, json={**NEW, "key": "Bad Key"}, headers=people["editor"])
    assert bad.status_code == 422 and "key" in bad.json["errors"]


def test_an_editor_renames_and_reorders_a_category(client, people):
    changed = client.patch(
        f"{CATEGORIES}/cloud",
        json={"name_fr": "Nuage", "kind": "topic", "position": 99},
        headers=people["editor"],
    )
    assert changed.status_code == 200, changed.json
    assert changed.json == {
        "key": "cloud",
        "name_en": "Cloud computing",
        "name_fr": "Nuage",
        "kind": "topic",
        "position": 99,
    }
    listed = client.get(CATEGORIES, headers=people["respondent"]).json
    assert listed[-1]["key"] == "cloud"
    missing = client.patch(
        f"{CATEGORIES}/astrology", json={"position": 1}, headers=people["editor"]
    )
    assert missing.status_code == 404


def test_only_editors_change_the_categories(client, people):
    for who in ("member", "other", "respondent", "operator"):
        assert client.post(CATEGORIES, json=NEW, headers=people[who]).status_code == 403, who
        patched = client.patch(f"{CATEGORIES}/ai", json={"position": 9}, headers=people[who])
        assert patched.status_code == 403, who
    assert client.post(CATEGORIES, json=NEW).status_code == 401
    assert client.get(CATEGORIES, headers=people["member"]).json[0]["position"] == 1
