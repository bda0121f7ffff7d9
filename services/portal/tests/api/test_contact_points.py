"""The national contact point directory through the API: a coordinator names its contact
points, signed-in members search them by country, region, language and role, the public never
sees them, a contact point corrects their own entry, and the administration exports what is held
about its people."""

import pytest

URL = "/api/v1/portal/contact-points"


def _admin_url(administration_id):
    return f"/api/v1/portal/administrations/{administration_id}/contact-points"


@pytest.fixture
def named(client, demo, login):
    """Two contact points of the demo administration (one with an account), one of the other."""
    coordinator = login("coordinator@demo.example")
    client.patch(
        f"/api/v1/portal/administrations/{demo['demo']}",
        json={"region": "west-africa"},
        headers=coordinator,
    )
    strategy = client.post(
        _admin_url(demo["demo"]),
        json={
            "name": "Awa Diop",
            "role": "strategy",
            "languages": ["fr", "en", "fr"],
            "email": "awa.diop@douanes.example",
            "phone": "+221 33 000 00 00",
            "user_id": demo["users"]["respondent@demo.example"],
        },
        headers=coordinator,
    )
    assert strategy.status_code == 201, strategy.json
    it = client.post(
        _admin_url(demo["demo"]),
        json={"name": "Jean Kouassi", "role": "it", "languages": ["fr"], "email": "jk@d.example"},
        headers=coordinator,
    )
    other = client.post(
        _admin_url(demo["other"]),
        json={"name": "Mary Smith", "role": "legal", "languages": ["en"], "email": "ms@o.example"},
        headers=login("coordinator@other.example"),
    )
    assert other.status_code == 201, other.json
    return {"strategy": strategy.json, "it": it.json, "other": other.json}


def test_members_search_the_directory_by_country_region_language_and_role(client, login, named):
    member = login("respondent@demo.example")
    everyone = client.get(URL, headers=member)
    assert everyone.status_code == 200
    assert [c["name"] for c in everyone.json] == ["Awa Diop", "Jean Kouassi", "Mary Smith"]
    assert everyone.json[0]["languages"] == ["en", "fr"]

    def names(**query):
        return [c["name"] for c in client.get(URL, query_string=query, headers=member).json]

    assert names(country="dm") == ["Awa Diop", "Jean Kouassi"]
    assert names(region="west-africa") == ["Awa Diop", "Jean Kouassi"]
    assert names(language="en") == ["Awa Diop", "Mary Smith"]
    assert names(role="legal") == ["Mary Smith"]
    assert names(q="kouassi") == ["Jean Kouassi"]
    assert names(q="other customs") == ["Mary Smith"]
    assert client.get(URL, query_string={"role": "chef"}, headers=member).status_code == 422


def test_the_public_never_sees_the_directory(client, named):
    assert client.get(URL).status_code == 401
    assert client.get(f"{URL}/{named['strategy']['id']}").status_code == 401


def test_a_contact_point_corrects_their_own_entry_only(client, login, named):
    own = login("respondent@demo.example")
    entry = named["strategy"]["id"]
    fixed = client.patch(f"{URL}/{entry}", json={"phone": "+221 77 111 11 11"}, headers=own)
    assert fixed.status_code == 200 and fixed.json["phone"] == "+221 77 111 11 11"
    refused = client.patch(
        f"{URL}/{entry}", json={"role": "legal"}, headers={**own, "Accept-Language": "fr"}
    )
    assert refused.status_code == 403 and "ne corrige que" in refused.json["detail"]
    not_theirs = client.patch(f"{URL}/{named['it']['id']}", json={"name": "X"}, headers=own)
    assert not_theirs.status_code == 403
    stranger = login("coordinator@other.example")
    assert client.patch(f"{URL}/{entry}", json={"name": "X"}, headers=stranger).status_code == 404
    assert client.delete(f"{URL}/{entry}", headers=stranger).status_code == 404
    assert client.get(f"{URL}/{entry}", headers=stranger).status_code == 200  # members read


def test_only_the_administrations_coordinator_or_an_operator_keeps_it(client, demo, login, named):
    respondent = login("respondent@demo.example")
    body = {"name": "N", "role": "it", "email": "n@d.example"}
    assert client.post(_admin_url(demo["demo"]), json=body, headers=respondent).status_code == 403
    stranger = login("coordinator@other.example")
    assert client.post(_admin_url(demo["demo"]), json=body, headers=stranger).status_code == 404
    operator = login("operator@demo.example")
    assert client.post(_admin_url(demo["demo"]), json=body, headers=operator).status_code == 201
    foreign_user = {**body, "user_id": "no-such-user"}
    coordinator = login("coordinator@demo.example")
    refused = client.post(_admin_url(demo["demo"]), json=foreign_user, headers=coordinator)
    assert refused.status_code == 422 and refused.json["code"] == "unknown_contact_user"
    gone = client.delete(f"{URL}/{named['it']['id']}", headers=coordinator)
    assert gone.status_code == 204
    assert client.get(f"{URL}/{named['it']['id']}", headers=coordinator).status_code == 404


def test_the_administration_exports_what_is_held_about_its_people(client, demo, login, named):
    coordinator = login("coordinator@demo.example")
    export = client.get(f"{_admin_url(demo['demo'])}/export", headers=coordinator)
    assert export.status_code == 200
    body = export.json
    assert body["administration_name"] == "Demo Customs Administration"
    records = {c["name"]: c for c in body["contact_points"]}
    assert set(records) == {"Awa Diop", "Jean Kouassi"}  # never another administration's
    assert records["Awa Diop"]["user_id"] == demo["users"]["respondent@demo.example"]
    assert records["Awa Diop"]["created_by"] and records["Awa Diop"]["created_at"]
    respondent = login("respondent@demo.example")
    assert client.get(f"{_admin_url(demo['demo'])}/export", headers=respondent).status_code == 403
    stranger = login("coordinator@other.example")
    assert client.get(f"{_admin_url(demo['demo'])}/export", headers=stranger).status_code == 404


def test_an_administrations_region_must_be_a_region_of_the_portal(client, demo, login):
    coordinator = login("coordinator@demo.example")
    url = f"/api/v1/portal/administrations/{demo['demo']}"
    bad = client.patch(url, json={"region": "atlantis"}, headers=coordinator)
    assert bad.status_code == 422 and bad.json["code"] == "unknown_region"
    good = client.patch(url, json={"region": "central-africa"}, headers=coordinator)
    assert good.status_code == 200 and good.json["region"] == "central-africa"
