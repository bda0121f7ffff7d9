"""Token verification against a JWKS, key rotation and refusals."""

import time

import jwt
import pytest
import redis
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from shared.auth import REVOCATIONS_KEY, AuthError, Revocations, TokenVerifier
from shared.testing import TEST_AUDIENCE, TEST_ISSUER


def _jwk(key, kid):
    entry = dict(jwt.algorithms.OKPAlgorithm.to_jwk(key.public_key(), as_dict=True))
    entry.update(kid=kid, alg="EdDSA", use="sig")
    return entry


def _token(key, kid, **claims):
    now = int(time.time())
    base = {
        "iss": TEST_ISSUER,
        "aud": TEST_AUDIENCE,
        "sub": "u1",
        "iat": now,
        "exp": now + 60,
        "administration_id": "adm-1",
        "roles": ["coordinator"],
        "name": "Awa",
        "locale": "fr",
    }
    base.update(claims)
    return jwt.encode(base, key, algorithm="EdDSA", headers={"kid": kid})


class Source:
    def __init__(self, *keys):
        self.document = {"keys": list(keys)}
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return self.document


def _verifier(source):
    return TokenVerifier(
        issuer=TEST_ISSUER, audience=TEST_AUDIENCE, jwks_source=source, refetch_s=0
    )


def test_a_valid_token_gives_its_principal():
    key = Ed25519PrivateKey.generate()
    principal = _verifier(Source(_jwk(key, "k1"))).verify(_token(key, "k1"))
    assert principal.subject == "u1"
    assert principal.administration_id == "adm-1"
    assert principal.roles == {"coordinator"}
    assert principal.language == "fr"


def test_keys_are_cached_between_requests():
    key = Ed25519PrivateKey.generate()
    source = Source(_jwk(key, "k1"))
    verifier = _verifier(source)
    for _ in range(5):
        verifier.verify(_token(key, "k1"))
    assert source.calls == 1


def test_a_rotated_key_is_fetched_when_first_seen():
    old, new = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    source = Source(_jwk(old, "k1"))
    verifier = _verifier(source)
    verifier.verify(_token(old, "k1"))
    source.document = {"keys": [_jwk(old, "k1"), _jwk(new, "k2")]}
    assert verifier.verify(_token(new, "k2")).subject == "u1"
    assert verifier.verify(_token(old, "k1")).subject == "u1"


@pytest.mark.parametrize(
    "claims",
    [{"exp": int(time.time()) - 120}, {"aud": "someone-else"}, {"iss": "http://evil.test"}],
)
def test_expired_or_misaddressed_tokens_are_refused(claims):
    key = Ed25519PrivateKey.generate()
    with pytest.raises(AuthError):
        _verifier(Source(_jwk(key, "k1"))).verify(_token(key, "k1", **claims))


def test_a_token_signed_by_another_key_is_refused():
    real, forger = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    with pytest.raises(AuthError):
        _verifier(Source(_jwk(real, "k1"))).verify(_token(forger, "k1"))


def test_unsigned_tokens_are_refused():
    key = Ed25519PrivateKey.generate()
    unsigned = jwt.encode({"sub": "u1"}, None, algorithm="none")
    with pytest.raises(AuthError):
        _verifier(Source(_jwk(key, "k1"))).verify(unsigned)


def test_a_remembered_token_is_refused_once_it_expires():
    key = Ed25519PrivateKey.generate()
    verifier = TokenVerifier(
        issuer=TEST_ISSUER,
        audience=TEST_AUDIENCE,
        jwks_source=Source(_jwk(key, "k1")),
        leeway_s=0,
    )
    token = _token(key, "k1", exp=int(time.time()) + 1)
    assert verifier.verify(token).subject == "u1"
    assert verifier.verify(token).subject == "u1"
    time.sleep(
        max(0.0, jwt.decode(token, options={"verify_signature": False})["exp"] - time.time())
    )
    time.sleep(0.05)
    with pytest.raises(AuthError):
        verifier.verify(token)


def test_a_remembered_token_is_refused_once_its_key_is_withdrawn_from_the_jwks():
    key = Ed25519PrivateKey.generate()
    source = Source(_jwk(key, "k1"))
    verifier = TokenVerifier(
        issuer=TEST_ISSUER, audience=TEST_AUDIENCE, jwks_source=source, cache_s=0.2
    )
    token = _token(key, "k1")
    assert verifier.verify(token).subject == "u1"
    source.document = {"keys": []}
    time.sleep(0.25)  # the keys are due a refetch
    with pytest.raises(AuthError):
        verifier.verify(token)


def test_a_tampered_copy_of_a_remembered_token_is_refused():
    key = Ed25519PrivateKey.generate()
    verifier = _verifier(Source(_jwk(key, "k1")))
    token = _token(key, "k1")
    verifier.verify(token)
    header, payload, signature = token.split(".")
    forged = jwt.utils.base64url_encode(
        jwt.utils.base64url_decode(payload).replace(b"adm-1", b"adm-2")
    ).decode()
    with pytest.raises(AuthError):
        verifier.verify(f"{header}.{forged}.{signature}")


def test_an_external_rs256_issuer_with_its_own_claim_names_works_by_configuration():
    from cryptography.hazmat.primitives.asymmetric.rsa import generate_private_key

    key = generate_private_key(public_exponent=65537, key_size=2048)
    jwk = dict(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key(), as_dict=True))
    jwk.update(kid="ext-1", alg="RS256", use="sig")
    now = int(time.time())
    claims = {
        "iss": "https://idp.example/realms/customs",
        "aud": "smartcustoms",
        "sub": "kc-user-7",
        "iat": now,
        "exp": now + 60,
        "realm_access": {"roles": ["coordinator", "offline_access"]},
        "https://customs.example/administration": "adm-9",
    }
    token = jwt.encode(claims, key, algorithm="RS256", headers={"kid": "ext-1"})
    verifier = TokenVerifier(
        issuer="https://idp.example/realms/customs",
        audience="smartcustoms",
        jwks_source=Source(jwk),
        administration_claim="https://customs.example/administration",
        roles_claim="realm_access.roles",
    )
    principal = verifier.verify(token)
    assert principal.subject == "kc-user-7"
    assert principal.administration_id == "adm-9"
    assert principal.roles == {"coordinator", "offline_access"}
    # a token of that issuer lacking the nested claim has no roles, rather than an error
    bare = jwt.encode(
        {**claims, "realm_access": {}}, key, algorithm="RS256", headers={"kid": "ext-1"}
    )
    assert verifier.verify(bare).roles == frozenset()


def _revoking_verifier(source, client, refresh_s=0.0):
    return TokenVerifier(
        issuer=TEST_ISSUER,
        audience=TEST_AUDIENCE,
        jwks_source=source,
        revocations=Revocations(client, refresh_s=refresh_s),
    )


def test_a_revoked_subjects_earlier_tokens_are_refused_even_when_remembered(redis_client):
    key = Ed25519PrivateKey.generate()
    verifier = _revoking_verifier(Source(_jwk(key, "k1")), redis_client)
    now = int(time.time())
    earlier = _token(key, "k1", iat=now - 10)
    assert verifier.verify(earlier).subject == "u1"  # now remembered
    redis_client.hset(REVOCATIONS_KEY, "u1", now - 5)
    with pytest.raises(AuthError) as refused:
        verifier.verify(earlier)
    assert refused.value.code == "token_revoked"
    assert verifier.verify(_token(key, "k1", iat=now)).subject == "u1"  # issued after
    assert verifier.verify(_token(key, "k1", sub="u2", iat=now - 10)).subject == "u2"
    redis_client.hdel(REVOCATIONS_KEY, "u1")
    assert verifier.verify(earlier).subject == "u1"  # restored


def test_revocations_are_read_at_most_once_per_refresh_interval(redis_client):
    key = Ed25519PrivateKey.generate()
    verifier = _revoking_verifier(Source(_jwk(key, "k1")), redis_client, refresh_s=0.3)
    token = _token(key, "k1", iat=int(time.time()) - 10)
    assert verifier.verify(token)
    redis_client.hset(REVOCATIONS_KEY, "u1", time.time())
    assert verifier.verify(token)  # not re-read yet: the delay a revocation may take
    time.sleep(0.35)
    with pytest.raises(AuthError):
        verifier.verify(token)


def test_an_unreadable_revocation_list_keeps_the_last_one_read(redis_client):
    key = Ed25519PrivateKey.generate()
    redis_client.hset(REVOCATIONS_KEY, "u1", time.time())
    revocations = Revocations(redis_client, refresh_s=0.0)
    verifier = TokenVerifier(
        issuer=TEST_ISSUER,
        audience=TEST_AUDIENCE,
        jwks_source=Source(_jwk(key, "k1")),
        revocations=revocations,
    )
    token = _token(key, "k1", iat=int(time.time()) - 10)
    with pytest.raises(AuthError):
        verifier.verify(token)
    revocations.client = redis.Redis(port=1, socket_connect_timeout=0.2)  # nothing listens
    with pytest.raises(AuthError):
        verifier.verify(token)


def test_a_request_is_never_served_as_the_caller_of_a_stream_left_open(service_config, make_token):
    from flask import Response, stream_with_context

    from shared.auth import current_principal
    from shared.web import create_service_app

    app, _api = create_service_app(
        "probe", service="probe", title="probe", test_config=service_config
    )

    @app.get("/api/v1/probe/stream")
    def stream():
        current_principal()
        return Response(stream_with_context(iter(["a", "b"])), mimetype="text/plain")

    @app.get("/api/v1/probe/whoami")
    def whoami():
        return {"sub": current_principal().subject}

    client = app.test_client()
    left_open = client.get(
        "/api/v1/probe/stream", headers={"Authorization": f"Bearer {make_token('alice')}"}
    )
    assert left_open.status_code == 200  # its body is never read nor closed: its context stays
    answer = client.get(
        "/api/v1/probe/whoami", headers={"Authorization": f"Bearer {make_token('bob')}"}
    )
    assert answer.json == {"sub": "bob"}
    left_open.close()
