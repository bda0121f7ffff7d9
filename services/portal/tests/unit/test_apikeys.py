import hashlib

from portal import apikeys
from portal.wellknown import discovery


def test_a_new_key_is_random_prefixed_and_stored_only_as_a_digest():
    first, second = apikeys.generate(), apikeys.generate()
    assert first.secret.startswith("sck_")
    assert len(first.secret) >= 4 + 43  # 32 random bytes, base64url
    assert first.prefix == first.secret[:12]
    assert first.digest == hashlib.sha256(first.secret.encode()).hexdigest()
    assert first.digest != first.secret
    assert first.secret != second.secret


def test_the_key_is_read_from_x_api_key_or_the_apikey_scheme():
    assert apikeys.from_headers(None, "sck_a") == "sck_a"
    assert apikeys.from_headers("ApiKey sck_b", None) == "sck_b"
    assert apikeys.from_headers("apikey  sck_c ", None) == "sck_c"
    assert apikeys.from_headers("Bearer sck_d", None) is None
    assert apikeys.from_headers("ApiKey ", "  ") is None
    assert apikeys.from_headers(None, None) is None


def test_discovery_names_the_issuer_endpoints_under_the_issuer():
    document = discovery("https://customs.example/")
    assert document["issuer"] == "https://customs.example/"
    assert document["jwks_uri"] == "https://customs.example/.well-known/jwks.json"
    assert document["token_endpoint"] == "https://customs.example/api/v1/portal/auth/token"
    assert document["id_token_signing_alg_values_supported"] == ["EdDSA"]
