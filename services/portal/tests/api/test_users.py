import json

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
    assert json.loads(page.headers["X-Pagination"])["total"] == 2
    respondent = client.get(_url(demo["demo"]), headers=login("respondent@demo.example"))
    assert respondent.status_code == 403
