"""Pytest fixtures shared by every service's tests (a pytest plugin, loaded by entry point).

They give real dependencies: a Redis database (flushed per test) and a fresh database per
service, SQLite by default or PostgreSQL when ``TEST_DB=postgresql`` (``TEST_POSTGRES_URL``,
default ``postgresql://postgres@127.0.0.1:5432/postgres``), plus a signing key pair, a token
factory for the tokens a real issuer would sign, and tokens it must refuse (``bad_tokens``).
"""

from __future__ import annotations

import os
import socket
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import jwt
import pytest
import redis
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import DateTime, MetaData, TypeDecorator, create_engine, text
from sqlalchemy.pool import NullPool

from shared.migrations import Schema, current_revisions, differences
from shared.timestamps import UtcDateTime

TEST_ISSUER = "http://issuer.test"
_LOCK_KEY = "smartcustoms:test-lock"
TEST_AUDIENCE = "smartcustoms"
TokenFactory = Callable[..., str]


def _postgres_base() -> str:
    return os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def uses_postgresql() -> bool:
    """Return whether this test run targets PostgreSQL."""
    return os.environ.get("TEST_DB", "sqlite").lower().startswith("postgres")


def fresh_postgres_database(name: str) -> str:
    """(Re)create database ``name`` on the test server; return its SQLAlchemy URL."""
    import psycopg

    base = _postgres_base()
    with psycopg.connect(base, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
        # A test database is thrown away: its commits need not wait for the WAL to reach the
        # disk (a crash loses the last commits, never consistency). Set on the database alone.
        connection.execute(f'ALTER DATABASE "{name}" SET synchronous_commit TO off')
    parts = urlsplit(base)
    return urlunsplit(("postgresql+psycopg", parts.netloc, f"/{name}", parts.query, ""))


def drop_postgres_database(name: str) -> None:
    """Drop database ``name`` on the test server, closing its connections."""
    import psycopg

    with psycopg.connect(_postgres_base(), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def empty_postgres_database(name: str) -> None:
    """Make database ``name`` empty again: its sessions ended, its ``public`` schema new.

    A tenth of what dropping and creating the database costs (CREATE DATABASE copies its
    template and writes it all to the WAL): the suite's PostgreSQL pass gives each test a
    database this way. Extensions created in ``public`` go with it.
    """
    import psycopg

    parts = urlsplit(_postgres_base())
    url = urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))
    with psycopg.connect(_postgres_base(), autocommit=True) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = %s AND pid <> pg_backend_pid()",
            (name,),
        )
    with psycopg.connect(url, autocommit=True) as connection:
        schemas = connection.execute(
            "SELECT nspname FROM pg_namespace"
            " WHERE nspname NOT LIKE 'pg!_%' ESCAPE '!' AND nspname <> 'information_schema'"
        ).fetchall()
        for (schema,) in schemas:
            connection.execute(f'DROP SCHEMA "{schema}" CASCADE')
        connection.execute("CREATE SCHEMA public")


class _DatabasePool:
    """This test process's PostgreSQL databases, emptied and handed out again test after test."""

    def __init__(self) -> None:
        self.free: list[str] = []
        self.made: list[str] = []

    def take(self) -> str:
        if self.free:
            return self.free.pop()
        name = f"sc_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
        fresh_postgres_database(name)
        self.made.append(name)
        return name

    def give_back(self, name: str) -> None:
        try:
            empty_postgres_database(name)
        except Exception:  # emptied badly: never hand it out again
            drop_postgres_database(name)
            self.made.remove(name)
            raise
        self.free.append(name)

    def drop_all(self) -> None:
        for name in self.made:
            drop_postgres_database(name)
        self.made, self.free = [], []


@pytest.fixture(scope="session")
def _postgres_pool() -> Iterator[_DatabasePool]:
    pool = _DatabasePool()
    yield pool
    pool.drop_all()


@pytest.fixture
def database_url(tmp_path: Any, request: pytest.FixtureRequest) -> Iterator[str]:
    """Yield the URL of an empty database for one test (emptied again afterwards)."""
    if not uses_postgresql():
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    pool: _DatabasePool = request.getfixturevalue("_postgres_pool")
    name = pool.take()
    parts = urlsplit(_postgres_base())
    yield urlunsplit(("postgresql+psycopg", parts.netloc, f"/{name}", parts.query, ""))
    pool.give_back(name)


REDIS_TEST_DBS = range(9, 16)


def _abandoned(owner: bytes | str | None) -> bool:
    """Return whether a lock's owner was a process of this machine that is gone (a killed run)."""
    if not owner:
        return False
    text = owner.decode(errors="replace") if isinstance(owner, bytes) else owner
    host, _, rest = text.rpartition(":")
    pid = rest.split("-", 1)[0]
    if (host and host != socket.gethostname()) or not pid.isdigit():
        return False  # another machine's run: its liveness cannot be seen from here
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


_TAKE_OVER = (
    "if redis.call('get', KEYS[1]) == ARGV[1] then "
    "return redis.call('set', KEYS[1], ARGV[2], 'EX', ARGV[3]) end"
)


def _take_over(client: redis.Redis, stale: bytes | str, owner: str, ttl_s: int) -> bool:
    """Replace the lock ``stale`` by ``owner``'s, unless another run took it meanwhile."""
    return client.eval(_TAKE_OVER, 1, _LOCK_KEY, stale, owner, ttl_s) is not None


def claim_redis_database(
    base_url: str, *, ttl_s: int = 6 * 3600, databases: Iterable[int] | None = None
) -> tuple[str, Callable[[], None]]:
    """Claim and empty a Redis database (9-15) on ``base_url``'s server; return it and a release.

    A lock key marks the owner, so two test runs (or a test run and the system-test stack) on
    the same server never flush each other's data. ``REDIS_TEST_DB`` forces one database. A lock
    left by a run of this machine that was killed (its process is gone) is taken over, so an
    interrupted run does not hold a database for the lock's six hours. ``databases`` narrows the
    candidates (the claims' own tests).
    """
    parts = urlsplit(base_url)
    forced = os.environ.get("REDIS_TEST_DB")
    candidates = (
        [int(forced)] if forced else list(REDIS_TEST_DBS if databases is None else databases)
    )
    owner = f"{socket.gethostname()}:{os.getpid()}-{uuid.uuid4().hex}"
    for db in candidates:
        url = urlunsplit((parts.scheme, parts.netloc, f"/{db}", parts.query, ""))
        client = redis.Redis.from_url(url)
        claimed = forced or client.set(_LOCK_KEY, owner, nx=True, ex=ttl_s)
        if not claimed:
            stale = client.get(_LOCK_KEY)
            claimed = (
                stale is not None and _abandoned(stale) and _take_over(client, stale, owner, ttl_s)
            )
        if claimed:
            _flush_and_lock(client, owner, ttl_s=ttl_s)

            def release(client: redis.Redis = client) -> None:
                if client.get(_LOCK_KEY) == owner.encode():
                    client.flushdb()
                client.close()

            return url, release
        client.close()
    raise RuntimeError(f"no free Redis test database among {candidates}")


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """Yield the URL of a Redis database this test run owns and may flush."""
    url, release = claim_redis_database(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))
    try:
        yield url
    finally:
        release()


@pytest.fixture
def redis_client(redis_url: str) -> Iterator[redis.Redis]:
    """Yield a client on an emptied test database of a real Redis server."""
    client = redis.Redis.from_url(redis_url)
    _flush_keeping_lock(client)
    yield client
    _flush_keeping_lock(client)
    client.close()


def _flush_keeping_lock(client: redis.Redis) -> None:
    owner = client.get(_LOCK_KEY)
    if owner is None:
        client.flushdb()
        return
    _flush_and_lock(client, owner, ttl_s=3600)


def _flush_and_lock(client: redis.Redis, owner: bytes | str, *, ttl_s: int) -> None:
    """Empty the database and set its lock in one transaction: between a flush and the lock's
    return, another test run would find the database free and claim it too."""
    with client.pipeline(transaction=True) as both:
        both.flushdb()
        both.set(_LOCK_KEY, owner, ex=ttl_s)
        both.execute()


@pytest.fixture(scope="session")
def signing_key() -> Ed25519PrivateKey:
    """Return an Ed25519 key standing for the issuer's signing key."""
    return Ed25519PrivateKey.generate()


@pytest.fixture(scope="session")
def jwks(signing_key: Ed25519PrivateKey) -> dict[str, Any]:
    """Return the JWKS publishing the test issuer's public key."""
    entry = dict(jwt.algorithms.OKPAlgorithm.to_jwk(signing_key.public_key(), as_dict=True))
    entry.update(kid="test-key", use="sig", alg="EdDSA")
    return {"keys": [entry]}


@pytest.fixture(scope="session")
def make_token(signing_key: Ed25519PrivateKey) -> TokenFactory:
    """Return a function that signs a token as the test issuer would."""

    def factory(
        sub: str = "user-1",
        administration_id: str | None = "adm-1",
        roles: tuple[str, ...] = ("coordinator",),
        *,
        name: str = "Test User",
        locale: str = "en",
        expires_in: int = 600,
        key: Ed25519PrivateKey | None = None,
        **extra: Any,
    ) -> str:
        now = int(time.time())
        claims = _valid_claims(
            TEST_ISSUER,
            TEST_AUDIENCE,
            {
                "sub": sub,
                "iat": now,
                "exp": now + expires_in,
                "administration_id": administration_id,
                "roles": list(roles),
                "name": name,
                "locale": locale,
                **extra,
            },
        )
        return jwt.encode(
            claims, key or signing_key, algorithm="EdDSA", headers={"kid": "test-key"}
        )

    return factory


def _valid_claims(issuer: str, audience: str, claims: dict[str, Any]) -> dict[str, Any]:
    now = int(time.time())
    return {
        "iss": issuer,
        "aud": audience,
        "sub": "user-1",
        "iat": now,
        "exp": now + 600,
        "administration_id": "adm-1",
        "roles": ["coordinator"],
        **claims,
    }


def token_of(
    key: Ed25519PrivateKey,
    kid: str,
    *,
    issuer: str = TEST_ISSUER,
    audience: str = TEST_AUDIENCE,
    **claims: Any,
) -> str:
    """Return a valid token signed by ``key`` as ``kid`` (the control of ``bad_tokens_of``)."""
    return jwt.encode(_valid_claims(issuer, audience, claims), key, "EdDSA", {"kid": kid})


def bad_tokens_of(
    key: Ed25519PrivateKey,
    kid: str,
    *,
    issuer: str = TEST_ISSUER,
    audience: str = TEST_AUDIENCE,
    leeway_s: int = 30,
    **claims: Any,
) -> dict[str, str]:
    """Return tokens a verifier trusting ``key`` as ``kid`` must refuse, named by their fault.

    Each is ``token_of``'s valid token (``claims``: sub, administration_id, roles) but for one
    thing: expired beyond the leeway, signed by another key under the same ``kid``, meant for
    another audience or from another issuer, unsigned (``alg: none``), or signed with HS256 using
    the public key as the secret (algorithm confusion).
    """
    valid = _valid_claims(issuer, audience, claims)
    header = {"kid": kid}
    public = key.public_key().public_bytes_raw()
    expired = {**valid, "iat": valid["iat"] - 3600, "exp": valid["iat"] - leeway_s - 60}
    return {
        "expired": jwt.encode(expired, key, "EdDSA", header),
        "signed by another key with the same kid": jwt.encode(
            valid, Ed25519PrivateKey.generate(), "EdDSA", header
        ),
        "wrong audience": jwt.encode({**valid, "aud": "another-audience"}, key, "EdDSA", header),
        "wrong issuer": jwt.encode(
            {**valid, "iss": "http://another-issuer.test"}, key, "EdDSA", header
        ),
        "alg none": jwt.encode(valid, "", "none", header),
        "HS256 keyed with the public key": jwt.encode(valid, public, "HS256", header),
    }


@pytest.fixture
def bad_tokens(signing_key: Ed25519PrivateKey) -> dict[str, str]:
    """Return tokens the test issuer's verifiers must refuse, by name (see ``bad_tokens_of``)."""
    return bad_tokens_of(signing_key, "test-key")


@pytest.fixture
def service_config(
    database_url: str, redis_url: str, jwks: dict[str, Any], redis_client: redis.Redis
) -> dict[str, Any]:
    """Return the ``test_config`` a service's ``create_app`` needs for real dependencies."""
    return {
        "TESTING": True,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "AUTH_ISSUER": TEST_ISSUER,
        "AUTH_AUDIENCE": TEST_AUDIENCE,
        "AUTH_JWKS": jwks,
        "LOG_FORMAT": "text",
        "AUTH_REVOCATIONS_REFRESH_S": 0.0,  # a revocation shows on the next request
    }


# How rows were written before the shared timestamp type: naive text, meant as UTC.
OLD_NAIVE_TIME = "2026-12-06 01:52:47.738570"


def write_naive_time(app: Any, table: str, column: str, row_id: str) -> None:
    """Overwrite one row's ``column`` with ``OLD_NAIVE_TIME`` the old way, in raw SQL."""
    with app.extensions["db"].session(write=True) as session, session.begin():
        if session.bind.dialect.name == "postgresql":
            session.execute(text("SET LOCAL TIME ZONE 'UTC'"))
        session.execute(
            text(f"UPDATE {table} SET {column} = :old WHERE id = :id"),  # noqa: S608 (test names)
            {"old": OLD_NAIVE_TIME, "id": row_id},
        )


def timestamp_columns(metadata: MetaData) -> tuple[list[str], list[str]]:
    """Return every column of ``metadata`` holding times, and those not of the shared UTC type."""
    columns = [column for table in metadata.tables.values() for column in table.columns]
    timed = [
        column
        for column in columns
        if isinstance(
            column.type.impl_instance if isinstance(column.type, TypeDecorator) else column.type,
            DateTime,
        )
    ]
    return [str(c) for c in timed], [str(c) for c in timed if not isinstance(c.type, UtcDateTime)]


def schema_state(schema: Schema, url: str) -> tuple[tuple[str, ...], list[Any]]:
    """Return the revision(s) of the database at ``url`` and how it differs from the models of
    ``schema`` (the autogenerate check: empty when they match)."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            return current_revisions(connection), differences(schema, connection)
    finally:
        engine.dispose()
