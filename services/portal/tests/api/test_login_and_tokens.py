import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select

from portal.demo import DEMO_PASSWORD
from portal.models import User

LOGIN = "/api/v1/portal/auth/login"
ME = "/api/v1/portal/me"


def _login(client, email, password=DEMO_PASSWORD, **kw):
    return client.post(LOGIN, json={"email": email, "password": password}, **kw)


def test_login_returns_a_bearer_token_that_verifies_against_the_published_jwks(
    client, demo, verify, app
):
    response = _login(client, "coordinator@demo.example")
    assert response.status_code == 200
    assert response.json["token_type"] == "Bearer"
    assert response.json["expires_in"] == 3600
    assert response.headers["Cache-Control"] == "no-store"
    token = response.json["access_token"]
    header = jwt.get_unverified_header(token)
    assert header["alg"] == "EdDSA"
    claims = verify(token)
    assert claims["iss"] == app.config["AUTH_ISSUER"] == "http://issuer.test"
    assert claims["aud"] == "smartcustoms"
    assert claims["sub"] == demo["users"]["coordinator@demo.example"]
    assert claims["administration_id"] == demo["demo"]
    assert claims["roles"] == ["coordinator"]
    assert claims["name"] == "Demo Coordinator"
    assert claims["locale"] == "fr"
    assert claims["exp"] - claims["iat"] == 3600
    assert claims["jti"]


def test_the_token_lifetime_comes_from_configuration(make_app, demo, verify):
    short = make_app(PORTAL_TOKEN_TTL_S=120).test_client()
    response = _login(short, "respondent@demo.example")
    assert response.json["expires_in"] == 120
    claims = verify(response.json["access_token"])
    assert claims["exp"] - claims["iat"] == 120


def test_platform_users_get_tokens_without_an_administration(client, demo, verify):
    claims = verify(_login(client, "operator@demo.example").json["access_token"])
    assert claims["administration_id"] is None
    assert claims["roles"] == ["operator"]


def test_the_email_address_is_case_insensitive(client, demo):
    assert _login(client, "  Coordinator@DEMO.example ").status_code == 200


def test_wrong_password_unknown_email_and_inactive_user_get_the_same_401(client, demo, app):
    with app.extensions["db"].session(write=True) as session, session.begin():
        user = session.scalars(select(User).where(User.email == "respondent@demo.example")).one()
        user.active = False
    answers = [
        _login(client, "coordinator@demo.example", "wrong-password-123"),
        _login(client, "nobody@demo.example"),
        _login(client, "respondent@demo.example"),
    ]
    for response in answers:
        assert response.status_code == 401
        assert response.content_type == "application/problem+json"
        assert "access_token" not in response.json
    bodies = [{k: v for k, v in r.json.items() if k != "request_id"} for r in answers]
    assert bodies[0] == bodies[1] == bodies[2]
    assert bodies[0]["code"] == "invalid_credentials"


def test_an_unknown_email_is_checked_against_a_dummy_hash(client, demo, app, monkeypatch):
    passwords = app.extensions["portal.passwords"]
    calls = []
    monkeypatch.setattr(passwords, "verify_nobody", lambda password: calls.append(password))
    assert _login(client, "ghost@demo.example", "some-password-1").status_code == 401
    assert calls == ["some-password-1"]


def test_failed_login_is_explained_in_french_on_request(client, demo):
    response = _login(
        client, "coordinator@demo.example", "nope-nope-nope", headers={"Accept-Language": "fr"}
    )
    assert response.json["title"] == "L'adresse e-mail ou le mot de passe est incorrect"
    assert response.headers["Content-Language"] == "fr"


def test_login_validation_errors_are_problems_with_field_errors(client):
    missing = client.post(LOGIN, json={"email": "a@b.example"})
    assert missing.status_code == 422
    assert missing.content_type == "application/problem+json"
    assert missing.json["code"] == "validation_failed"
    assert "password" in missing.json["errors"]
    not_email = client.post(LOGIN, json={"email": "not-an-email", "password": "x"})
    assert not_email.status_code == 422
    assert "email" in not_email.json["errors"]
    malformed = client.post(LOGIN, data="{", content_type="application/json")
    assert malformed.status_code == 400
    assert malformed.json["code"] == "invalid_json"


def test_a_password_hashed_with_older_parameters_is_upgraded_at_login(make_app, app, demo):
    def stored_hash():
        with app.extensions["db"].session() as session:
            email = "coordinator@demo.example"
            return session.scalars(select(User.password_hash).where(User.email == email)).one()

    before = stored_hash()
    assert "m=1024" in before
    stronger = make_app(PORTAL_ARGON2_MEMORY_KIB=2048).test_client()
    assert _login(stronger, "coordinator@demo.example").status_code == 200
    after = stored_hash()
    assert "m=2048" in after
    assert _login(stronger, "coordinator@demo.example").status_code == 200
    assert stored_hash() == after


def test_me_returns_the_callers_profile(client, demo, login):
    response = client.get(ME, headers=login("coordinator@demo.example"))
    assert response.status_code == 200
    assert response.json == {
        "sub": demo["users"]["coordinator@demo.example"],
        "kind": "user",
        "name": "Demo Coordinator",
        "email": "coordinator@demo.example",
        "locale": "fr",
        "roles": ["coordinator"],
        "administration_id": demo["demo"],
        "administration_name": "Demo Customs Administration",
    }


def test_me_refuses_missing_foreign_and_forged_tokens(client, demo, make_token):
    assert client.get(ME).status_code == 401
    # Signed by the shared test issuer's key: the portal trusts only its own keys.
    foreign = make_token(sub=demo["users"]["coordinator@demo.example"])
    response = client.get(ME, headers={"Authorization": f"Bearer {foreign}"})
    assert response.status_code == 401
    assert response.json["code"] == "invalid_token"
    forged = make_token(key=Ed25519PrivateKey.generate())
    assert client.get(ME, headers={"Authorization": f"Bearer {forged}"}).status_code == 401


def test_a_deactivated_user_is_refused_even_with_a_valid_token(client, demo, login, app):
    headers = login("respondent@demo.example")
    with app.extensions["db"].session(write=True) as session, session.begin():
        user = session.scalars(select(User).where(User.email == "respondent@demo.example")).one()
        user.active = False
    response = client.get(ME, headers=headers)
    assert response.status_code == 401
    assert response.json["code"] == "invalid_token"
