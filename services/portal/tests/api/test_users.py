import pytest
from sqlalchemy import func, select

from portal.demo import DEMO_PASSWORD
from portal.models import User

PASSWORD = "a-long-enough-password"


def _url(administration_id):
    return f"/api/v1/portal/administrations/{administration_id}/users"


def _user(email="new@demo.example", roles=("respondent",), **extra):
    return {
        "email": email,
        "display_name": "New Person",
        "password": PASSWORD,
        "roles": list(roles),
        **extra,
    }


def test_a_coordinator_creates_a_respondent_who_can_then_sign_in(client, demo, login):
    response = client.post(
        _url(demo["demo"]),
        json=_user("Ana@Demo.example"),
        headers=login("coordinator@demo.example"),
    )
    assert response.status_code == 201, response.json
    user = response.json
    assert user["email"] == "ana@demo.example"
    assert user["roles"] == ["respondent"]
    assert user["administration_id"] == demo["demo"]
    assert user["language"] == "fr"  # the administration's default
    assert user["active"] is True
    assert "password" not in user
    assert "password_hash" not in user
    assert login("ana@demo.example", PASSWORD)


def test_an_operator_creates_users_in_any_administration(client, demo, login):
    response = client.post(
        _url(demo["other"]),
        json=_user("lead@other.example", ("coordinator", "member"), language="en"),
        headers=login("operator@demo.example"),
    )
    assert response.status_code == 201
    assert response.json["roles"] == ["coordinator", "member"]
    assert response.json["language"] == "en"


def test_a_respondent_cannot_create_users(client, demo, login, count):
    before = count(User)
    response = client.post(
        _url(demo["demo"]), json=_user(), headers=login("respondent@demo.example")
    )
    assert response.status_code == 403
    assert response.json["code"] == "forbidden"
    assert count(User) == before


def test_a_coordinator_cannot_grant_platform_roles(client, demo, login, count):
    before = count(User)
    headers = login("coordinator@demo.example")
    for roles in (("operator",), ("respondent", "editor")):
        response = client.post(_url(demo["demo"]), json=_user(roles=roles), headers=headers)
        assert response.status_code == 403
        assert response.json["code"] == "role_not_allowed"
        assert response.json["errors"]["roles"] == [r for r in roles if r != "respondent"]
    assert count(User) == before


def test_nobody_makes_an_administrations_user_an_operator(client, demo, login):
    response = client.post(
        _url(demo["demo"]), json=_user(roles=("operator",)), headers=login("operator@demo.example")
    )
    assert response.status_code == 403
    assert response.json["errors"]["roles"] == ["operator"]


def test_another_administrations_coordinator_gets_404(client, demo, login):
    headers = login("coordinator@other.example")
    created = client.post(_url(demo["demo"]), json=_user(), headers=headers)
    listed = client.get(_url(demo["demo"]), headers=headers)
    assert created.status_code == listed.status_code == 404
    assert client.post(_url("no-such-id"), json=_user(), headers=headers).status_code == 404


def test_an_email_address_is_taken_once_whatever_its_case(client, demo, login):
    headers = login("coordinator@demo.example")
    response = client.post(
        _url(demo["demo"]), json=_user("RESPONDENT@demo.example"), headers=headers
    )
    assert response.status_code == 409
    assert response.json["code"] == "email_taken"
    french = client.post(
        _url(demo["demo"]),
        json=_user("respondent@demo.example"),
        headers={**headers, "Accept-Language": "fr"},
    )
    assert french.json["title"] == "Un compte utilise déjà cette adresse e-mail"


def test_user_input_is_validated_in_problem_format(client, demo, login):
    headers = login("coordinator@demo.example")
    short = client.post(_url(demo["demo"]), json=_user(password="short-pass1"), headers=headers)
    assert short.status_code == 422
    assert short.content_type == "application/problem+json"
    assert list(short.json["errors"]) == ["password"]
    bad = client.post(
        _url(demo["demo"]),
        json={"email": "nope", "display_name": "", "password": PASSWORD, "roles": ["boss"]},
        headers=headers,
    )
    assert bad.status_code == 422
    assert set(bad.json["errors"]) == {"email", "display_name", "roles"}
    empty = client.post(_url(demo["demo"]), json=_user(roles=()), headers=headers)
    assert "roles" in empty.json["errors"]


def test_coordinators_list_their_administrations_users_page_by_page(client, demo, login):
    headers = login("coordinator@demo.example")
    response = client.get(_url(demo["demo"]), headers=headers)
    assert response.status_code == 200
    assert {u["email"] for u in response.json} == {
        "coordinator@demo.example",
        "respondent@demo.example",
    }
    page = client.get(_url(demo["demo"]), query_string={"page_size": 1}, headers=headers)
    assert len(page.json) == 1
    assert page.headers["X-Total-Count"] == "2"
    respondent = client.get(_url(demo["demo"]), headers=login("respondent@demo.example"))
    assert respondent.status_code == 403


@pytest.fixture
def inactive(app):
    """Return a function counting the inactive users."""

    def rows() -> int:
        with app.extensions["db"].session() as session:
            return session.scalar(select(func.count()).where(User.active.is_(False)))

    return rows


def _deactivate(client, administration_id, user_id, headers, active=False):
    return client.patch(
        f"{_url(administration_id)}/{user_id}", json={"active": active}, headers=headers
    )


def test_a_deactivated_user_cannot_sign_in_until_reactivated(client, demo, login):
    coordinator = login("coordinator@demo.example")
    respondent = demo["users"]["respondent@demo.example"]
    earlier = login("respondent@demo.example")
    assert client.get("/api/v1/portal/me", headers=earlier).status_code == 200
    response = _deactivate(client, demo["demo"], respondent, coordinator)
    assert response.status_code == 200, response.json
    assert response.json["active"] is False
    refused = client.post(
        "/api/v1/portal/auth/login",
        json={"email": "respondent@demo.example", "password": DEMO_PASSWORD},
    )
    assert refused.status_code == 401
    assert client.get("/api/v1/portal/me", headers=earlier).status_code == 401
    assert _deactivate(client, demo["demo"], respondent, coordinator, active=True).json["active"]
    assert login("respondent@demo.example")


def test_another_administrations_user_cannot_be_deactivated(client, demo, login, inactive):
    other_coordinator = demo["users"]["coordinator@other.example"]
    response = _deactivate(
        client, demo["other"], other_coordinator, login("coordinator@demo.example")
    )
    assert response.status_code == 404
    # nor through one's own administration's address
    response = _deactivate(
        client, demo["demo"], other_coordinator, login("coordinator@demo.example")
    )
    assert response.status_code == 404
    assert inactive() == 0


def _editor_of_demo(client, demo, login):
    """An editor account inside the demo administration (only an operator can grant editor)."""
    response = client.post(
        _url(demo["demo"]),
        json=_user("staff-editor@demo.example", ("member", "editor")),
        headers=login("operator@demo.example"),
    )
    assert response.status_code == 201, response.json
    return response.json["id"]


def test_deactivation_is_refused_to_respondents_to_oneself_and_beyond_ones_roles(
    client, demo, login, inactive
):
    users = demo["users"]
    editor = _editor_of_demo(client, demo, login)
    coordinator = login("coordinator@demo.example")
    refusals = [
        (users["respondent@demo.example"], login("respondent@demo.example"), 403, "forbidden"),
        (users["coordinator@demo.example"], coordinator, 409, "own_account"),
        (editor, coordinator, 403, "role_not_allowed"),
    ]
    for user_id, headers, status, code in refusals:
        response = _deactivate(client, demo["demo"], user_id, headers)
        assert (response.status_code, response.json["code"]) == (status, code), response.json
    assert inactive() == 0


def test_a_refused_deactivation_is_explained_in_french(client, demo, login):
    me = demo["users"]["coordinator@demo.example"]
    headers = {**login("coordinator@demo.example"), "Accept-Language": "fr"}
    response = _deactivate(client, demo["demo"], me, headers)
    assert response.status_code == 409
    assert response.json["detail"] == "Vous ne pouvez pas désactiver votre propre compte"


def test_the_active_flag_is_required_and_typed(client, demo, login):
    url = f"{_url(demo['demo'])}/{demo['users']['respondent@demo.example']}"
    headers = login("coordinator@demo.example")
    for body in ({}, {"active": "sometimes"}, {"active": False, "roles": ["operator"]}):
        response = client.patch(url, json=body, headers=headers)
        assert response.status_code == 422, body
    assert login("respondent@demo.example")


def test_an_operator_deactivates_an_editor(client, demo, login, inactive):
    editor = _editor_of_demo(client, demo, login)
    response = _deactivate(client, demo["demo"], editor, login("operator@demo.example"))
    assert response.status_code == 200
    assert inactive() == 1


def test_a_revoked_api_keys_tokens_are_refused(client, demo, login):
    coordinator = login("coordinator@demo.example")
    keys = f"/api/v1/portal/administrations/{demo['demo']}/api-keys"
    created = client.post(keys, json={"name": "Bulk uploads"}, headers=coordinator)
    assert created.status_code == 201, created.json
    issued = client.post("/api/v1/portal/auth/token", headers={"X-API-Key": created.json["key"]})
    assert issued.status_code == 200, issued.json
    bearer = {"Authorization": f"Bearer {issued.json['access_token']}"}
    assert client.get("/api/v1/portal/me", headers=bearer).status_code == 200
    assert client.delete(f"{keys}/{created.json['id']}", headers=coordinator).status_code == 204
    assert client.get("/api/v1/portal/me", headers=bearer).status_code == 401
