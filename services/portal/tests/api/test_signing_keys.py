from datetime import timedelta

import jwt
from sqlalchemy import select, update

from portal import tokens
from portal.demo import DEMO_PASSWORD
from portal.models import SigningKey

LOGIN = "/api/v1/portal/auth/login"
ME = "/api/v1/portal/me"
JWKS = "/.well-known/jwks.json"


def _token(client, email="coordinator@demo.example"):
    response = client.post(LOGIN, json={"email": email, "password": DEMO_PASSWORD})
    assert response.status_code == 200, response.json
    return response.json["access_token"]


def _kid(token):
    return jwt.get_unverified_header(token)["kid"]


def _published(client):
    return [key["kid"] for key in client.get(JWKS).json["keys"]]


def _bearer(token):
    return {"Authorization": f"Bearer {token}"}


def test_the_first_token_creates_a_signing_key_when_none_exists(client, demo):
    assert client.get(JWKS).json == {"keys": []}
    token = _token(client)
    assert _published(client) == [_kid(token)]
    assert _kid(_token(client)) == _kid(token)


def test_after_a_rotation_old_and_new_tokens_both_verify(client, demo, app, verify):
    old = _token(client)
    result = app.test_cli_runner().invoke(args=["keys", "rotate"])
    assert result.exit_code == 0, result.output
    new = _token(client)
    assert _kid(new) != _kid(old)
    assert _kid(new) in result.output
    assert sorted(_published(client)) == sorted([_kid(old), _kid(new)])
    assert verify(old)["sub"] == verify(new)["sub"]
    assert client.get(ME, headers=_bearer(new)).status_code == 200
    assert client.get(ME, headers=_bearer(old)).status_code == 200


def test_a_rotated_key_is_published_at_once_but_signs_only_after_the_activation_delay(
    make_app, demo
):
    app = make_app(PORTAL_KEY_ACTIVATION_S=30)
    client = app.test_client()
    old = _token(client)
    app.test_cli_runner().invoke(args=["keys", "rotate"])
    published = _published(client)
    assert len(published) == 2
    assert _kid(_token(client)) == _kid(old)
    (new_kid,) = set(published) - {_kid(old)}
    with app.extensions["db"].session(write=True) as session, session.begin():
        row = session.get(SigningKey, new_kid)
        session.execute(
            update(SigningKey)
            .where(SigningKey.kid == new_kid)
            .values(created_at=row.created_at - timedelta(seconds=31))
        )
    assert _kid(_token(client)) == new_kid


def test_a_retired_key_leaves_the_jwks_and_its_tokens_stop_verifying(client, demo, app, make_app):
    old = _token(client)
    runner = app.test_cli_runner()
    runner.invoke(args=["keys", "rotate"])
    new = _token(client)
    result = runner.invoke(args=["keys", "retire", _kid(old)])
    assert result.exit_code == 0, result.output
    assert _published(client) == [_kid(new)]
    fresh = make_app().test_client()  # a verifier without a cached copy of the old key
    assert fresh.get(ME, headers=_bearer(old)).status_code == 401
    assert fresh.get(ME, headers=_bearer(new)).status_code == 200
    listing = runner.invoke(args=["keys", "list"]).output.splitlines()
    assert any(_kid(old) in line and "retired" in line for line in listing)
    assert any(_kid(new) in line and "signing" in line for line in listing)


def test_the_key_that_signs_cannot_be_retired(client, demo, app):
    kid = _kid(_token(client))
    result = app.test_cli_runner().invoke(args=["keys", "retire", kid])
    assert result.exit_code != 0
    assert "still signs" in result.output
    assert _published(client) == [kid]


def test_a_key_from_the_secret_store_signs_and_only_its_public_half_is_stored(make_app, demo, app):
    supplied = tokens.generate_private_key()
    pem = tokens.private_key_pem(supplied)
    external = make_app(PORTAL_SIGNING_KEY_PEM=pem).test_client()
    token = _token(external)
    assert _kid(token) == tokens.thumbprint(supplied.public_key())
    assert _kid(token) in _published(external)
    with app.extensions["db"].session() as session:
        rows = list(session.scalars(select(SigningKey)))
    assert [(row.kid, row.private_key_pem) for row in rows] == [(_kid(token), None)]
    # The secret is replaced: tokens of the previous key still verify.
    replaced = make_app(
        PORTAL_SIGNING_KEY_PEM=tokens.private_key_pem(tokens.generate_private_key())
    )
    replaced_client = replaced.test_client()
    assert _kid(_token(replaced_client)) != _kid(token)
    assert replaced_client.get(ME, headers=_bearer(token)).status_code == 200


def test_retiring_reads_a_kid_that_starts_with_a_dash_as_the_kid(app, demo):
    # thumbprints are base64url: "-" is one of the 64 first characters a kid may have
    result = app.test_cli_runner().invoke(args=["keys", "retire", "-Fno-such-key"])
    assert result.exit_code == 1, result.output
    assert "no signing key -Fno-such-key" in result.output
