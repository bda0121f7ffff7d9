from sqlalchemy import select

from portal.models import ApiKey

TOKEN = "/api/v1/portal/auth/token"
ME = "/api/v1/portal/me"


def _url(administration_id, key_id=None):
    base = f"/api/v1/portal/administrations/{administration_id}/api-keys"
    return f"{base}/{key_id}" if key_id else base


def _create(client, demo, headers, name="ERP connector"):
    response = client.post(_url(demo["demo"]), json={"name": name}, headers=headers)
    assert response.status_code == 201, response.json
    return response.json


def test_an_api_key_is_shown_once_and_stored_only_hashed(client, demo, login, app):
    headers = login("coordinator@demo.example")
    response = client.post(_url(demo["demo"]), json={"name": "ERP connector"}, headers=headers)
    assert response.status_code == 201
    assert response.headers["Cache-Control"] == "no-store"
    created = response.json
    secret = created["key"]
    assert secret.startswith("sck_")
    assert created["prefix"] == secret[:12]
    assert created["roles"] == ["client"]
    assert created["created_by"] == demo["users"]["coordinator@demo.example"]
    listed = client.get(_url(demo["demo"]), headers=headers)
    assert listed.status_code == 200
    (shown,) = listed.json
    assert shown["id"] == created["id"]
    assert shown["prefix"] == created["prefix"]
    assert "key" not in shown
    assert secret not in listed.get_data(as_text=True)
    with app.extensions["db"].session() as session:
        row = session.get(ApiKey, created["id"])
    assert secret not in (row.secret_hash, row.prefix)


def test_an_api_key_is_exchanged_for_a_short_lived_client_token(client, demo, login, verify):
    created = _create(client, demo, login("coordinator@demo.example"))
    response = client.post(TOKEN, headers={"Authorization": f"ApiKey {created['key']}"})
    assert response.status_code == 200, response.json
    assert response.json["token_type"] == "Bearer"
    assert response.json["expires_in"] == 900
    assert response.headers["Cache-Control"] == "no-store"
    claims = verify(response.json["access_token"])
    assert claims["sub"] == f"apikey:{created['id']}"
    assert claims["administration_id"] == demo["demo"]
    assert claims["roles"] == ["client"]
    assert claims["name"] == "ERP connector"
    assert claims["exp"] - claims["iat"] == 900
    me = client.get(ME, headers={"Authorization": f"Bearer {response.json['access_token']}"})
    assert me.json["kind"] == "client"
    assert me.json["administration_name"] == "Demo Customs Administration"


def test_the_key_may_travel_as_x_api_key_or_in_an_oauth_form(client, demo, login):
    secret = _create(client, demo, login("coordinator@demo.example"))["key"]
    assert client.post(TOKEN, headers={"X-API-Key": secret}).status_code == 200
    form = {"grant_type": "client_credentials", "scope": "any", "client_id": "erp"}
    assert client.post(TOKEN, data=form, headers={"X-API-Key": secret}).status_code == 200
    posted = {"grant_type": "client_credentials", "client_secret": secret}
    assert client.post(TOKEN, data=posted).status_code == 200
    assert (
        client.post(
            TOKEN, json={"grant_type": "client_credentials"}, headers={"X-API-Key": secret}
        ).status_code
        == 200
    )
    wrong = client.post(TOKEN, data={"grant_type": "password"}, headers={"X-API-Key": secret})
    assert wrong.status_code == 422
    assert "grant_type" in wrong.json["errors"]


def test_using_a_key_records_when_it_was_last_used(client, demo, login):
    headers = login("coordinator@demo.example")
    created = _create(client, demo, headers)
    assert created["last_used_at"] is None
    client.post(TOKEN, headers={"X-API-Key": created["key"]})
    (listed,) = client.get(_url(demo["demo"]), headers=headers).json
    assert listed["last_used_at"] is not None


def test_a_revoked_key_is_refused_and_its_tokens_no_longer_show_a_profile(client, demo, login):
    headers = login("coordinator@demo.example")
    created = _create(client, demo, headers)
    token = client.post(TOKEN, headers={"X-API-Key": created["key"]}).json["access_token"]
    assert client.delete(_url(demo["demo"], created["id"]), headers=headers).status_code == 204
    assert client.delete(_url(demo["demo"], created["id"]), headers=headers).status_code == 204
    refused = client.post(TOKEN, headers={"X-API-Key": created["key"]})
    assert refused.status_code == 401
    assert refused.content_type == "application/problem+json"
    assert refused.json["code"] == "invalid_api_key"
    assert client.get(ME, headers={"Authorization": f"Bearer {token}"}).status_code == 401
    (listed,) = client.get(_url(demo["demo"]), headers=headers).json
    assert listed["revoked_at"] is not None


def test_unknown_and_missing_keys_are_401(client):
    unknown = client.post(TOKEN, headers={"X-API-Key": "sck_not-a-real-key"})
    assert unknown.status_code == 401
    assert unknown.json["code"] == "invalid_api_key"
    missing = client.post(TOKEN)
    assert missing.status_code == 401
    assert missing.json["code"] == "api_key_required"
    assert missing.headers["WWW-Authenticate"] == "ApiKey"


def test_keys_of_another_administration_are_404(client, demo, login, app):
    created = _create(client, demo, login("coordinator@demo.example"))
    other = login("coordinator@other.example")
    assert client.get(_url(demo["demo"]), headers=other).status_code == 404
    assert client.post(_url(demo["demo"]), json={"name": "x"}, headers=other).status_code == 404
    assert client.delete(_url(demo["demo"], created["id"]), headers=other).status_code == 404
    # Its own administration's path does not reach the key either.
    assert client.delete(_url(demo["other"], created["id"]), headers=other).status_code == 404
    with app.extensions["db"].session() as session:
        assert session.scalars(select(ApiKey.revoked_at)).one() is None


def test_respondents_and_machine_clients_cannot_manage_keys_or_users(client, demo, login):
    respondent = login("respondent@demo.example")
    assert (
        client.post(_url(demo["demo"]), json={"name": "x"}, headers=respondent).status_code == 403
    )
    secret = _create(client, demo, login("coordinator@demo.example"))["key"]
    token = client.post(TOKEN, headers={"X-API-Key": secret}).json["access_token"]
    machine = {"Authorization": f"Bearer {token}"}
    assert client.get(_url(demo["demo"]), headers=machine).status_code == 403
    users = f"/api/v1/portal/administrations/{demo['demo']}/users"
    assert client.get(users, headers=machine).status_code == 403


def test_only_the_client_role_can_be_given_to_a_key(client, demo, login):
    response = client.post(
        _url(demo["demo"]),
        json={"name": "x", "roles": ["operator"]},
        headers=login("operator@demo.example"),
    )
    assert response.status_code == 422
    assert "roles" in response.json["errors"]
