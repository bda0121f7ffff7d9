from typing import Any

import jwt
import pytest
from sqlalchemy import func, select

from portal import create_app
from portal.demo import DEMO_PASSWORD
from portal.demo import seed_demo as seed_demo_data
from portal.models import Administration, User
from shared.conformance import conforming_client

LOGIN = "/api/v1/portal/auth/login"
# Cheap argon2 parameters: the tests hash many passwords; production uses the defaults.
FAST_HASHING = {
    "PORTAL_ARGON2_TIME_COST": 1,
    "PORTAL_ARGON2_MEMORY_KIB": 1024,
    "PORTAL_ARGON2_PARALLELISM": 1,
}


@pytest.fixture
def portal_config(service_config: dict[str, Any]) -> dict[str, Any]:
    # service_config's static AUTH_JWKS stays: the portal must ignore it and trust its own keys.
    return {**service_config, **FAST_HASHING, "PORTAL_KEY_ACTIVATION_S": 0}


@pytest.fixture
def make_app(portal_config):
    """Build portal apps on the test database (several may share it, like several processes)."""
    apps = []

    def factory(**overrides):
        app = create_app({**portal_config, **overrides})
        apps.append(app)
        return app

    yield factory
    for app in apps:
        app.extensions["db"].dispose()


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
def client(app):
    return conforming_client(app)


@pytest.fixture
def demo(app) -> dict[str, Any]:
    """Seed the demo data; return administration and user ids by name and e-mail."""
    db = app.extensions["db"]
    with db.session(write=True) as session:
        seed_demo_data(session=session, passwords=app.extensions["portal.passwords"])
    with db.session() as session:
        admins = {a.name: a.id for a in session.scalars(select(Administration))}
        users = {u.email: u.id for u in session.scalars(select(User))}
    return {
        "demo": admins["Demo Customs Administration"],
        "other": admins["Other Customs Administration"],
        "users": users,
    }


@pytest.fixture
def login(client):
    """Return a function that signs in and returns the Authorization headers."""

    def sign_in(email: str, password: str = DEMO_PASSWORD) -> dict[str, str]:
        response = client.post(LOGIN, json={"email": email, "password": password})
        assert response.status_code == 200, response.json
        return {"Authorization": f"Bearer {response.json['access_token']}"}

    return sign_in


@pytest.fixture
def verify(client, app):
    """Return a function that verifies a token with PyJWT against the published JWKS only."""

    def decode(token: str) -> dict[str, Any]:
        published = jwt.PyJWKSet.from_dict(client.get("/.well-known/jwks.json").json)
        kid = jwt.get_unverified_header(token)["kid"]
        key = next(k for k in published.keys if k.key_id == kid)
        return jwt.decode(
            token,
            key=key,
            algorithms=["EdDSA"],
            audience=app.config["AUTH_AUDIENCE"],
            issuer=app.config["AUTH_ISSUER"],
            options={"require": ["exp", "iat", "sub", "jti"]},
        )

    return decode


@pytest.fixture
def count(app):
    """Return a function counting the rows of a table."""

    def rows(model) -> int:
        with app.extensions["db"].session() as session:
            return session.scalar(select(func.count()).select_from(model))

    return rows
