import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jwt
import pytest
from sqlalchemy import func, select

from portal import create_app
from portal.demo import DEMO_PASSWORD
from portal.demo import seed_demo as seed_demo_data
from portal.files.store import S3Store
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
def portal_config(service_config: dict[str, Any], tmp_path: Path) -> dict[str, Any]:
    # service_config's static AUTH_JWKS stays: the portal must ignore it and trust its own keys.
    # Members' files go to the test's folder (several apps of one test share it).
    return {
        **service_config,
        **FAST_HASHING,
        "PORTAL_KEY_ACTIVATION_S": 0,
        "PORTAL_FILE_DIR": str(tmp_path / "portal-files"),
    }


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


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """Run a real S3-API HTTP server (moto's, a subprocess) on a free port; yield its URL.

    There is no MinIO binary or Docker here: moto_server speaks the same HTTP API boto3 uses
    against MinIO (PUT, multipart uploads, GET, HEAD, DELETE), over a real socket."""
    program = Path(sys.executable).with_name("moto_server")
    for _attempt in range(5):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        process = subprocess.Popen(
            [str(program), "-H", "127.0.0.1", "-p", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 20
        while process.poll() is None and time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                time.sleep(0.1)
        if process.poll() is None:
            try:
                yield url
            finally:
                process.terminate()
                process.wait(timeout=10)
            return
    raise RuntimeError("moto_server did not start")


S3_CREDENTIALS = {"aws_access_key_id": "test-key", "aws_secret_access_key": "test-secret"}


@pytest.fixture
def s3_config(s3_endpoint, monkeypatch) -> dict[str, Any]:
    """Return the portal settings of an S3 store on a fresh bucket of the test S3 server."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", S3_CREDENTIALS["aws_access_key_id"])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", S3_CREDENTIALS["aws_secret_access_key"])
    bucket = f"portal-{uuid.uuid4().hex[:12]}"
    S3Store.connect(
        endpoint_url=s3_endpoint, bucket=bucket, region="us-east-1", **S3_CREDENTIALS
    ).ensure_bucket()
    return {
        "PORTAL_FILE_STORE": "s3",
        "PORTAL_S3_ENDPOINT_URL": s3_endpoint,
        "PORTAL_S3_BUCKET": bucket,
    }
