import json

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ec import SECP256R1, generate_private_key

from portal import tokens

# RFC 8037 appendix A: an Ed25519 key and its RFC 7638 thumbprint.
RFC8037_JWK = {
    "kty": "OKP",
    "crv": "Ed25519",
    "d": "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A",
    "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo",
}
RFC8037_THUMBPRINT = "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"


def test_kid_is_the_rfc7638_thumbprint_of_the_public_key():
    key = jwt.PyJWK(RFC8037_JWK).key
    assert tokens.thumbprint(key.public_key()) == RFC8037_THUMBPRINT
    jwk = tokens.public_jwk(key)
    assert jwk == {
        "kty": "OKP",
        "crv": "Ed25519",
        "x": RFC8037_JWK["x"],
        "kid": RFC8037_THUMBPRINT,
        "use": "sig",
        "alg": "EdDSA",
    }
    assert "d" not in jwk


def test_a_pem_round_trip_keeps_the_key():
    key = tokens.generate_private_key()
    again = tokens.load_private_key(tokens.private_key_pem(key))
    assert tokens.public_jwk(again) == tokens.public_jwk(key)


def test_only_ed25519_keys_are_accepted():
    pem = (
        generate_private_key(SECP256R1())
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )
    with pytest.raises(ValueError, match="Ed25519"):
        tokens.load_private_key(pem)


def test_claims_carry_identity_tenancy_and_lifetime():
    claims = tokens.claims(
        issuer="http://issuer",
        audience="aud",
        subject="u-1",
        administration_id="adm-1",
        roles=["respondent", "coordinator", "respondent"],
        name="Ana",
        locale="fr",
        ttl_s=60,
        now=1_000,
    )
    assert claims["iss"] == "http://issuer"
    assert claims["aud"] == "aud"
    assert claims["sub"] == "u-1"
    assert (claims["iat"], claims["exp"]) == (1_000, 1_060)
    assert claims["administration_id"] == "adm-1"
    assert claims["roles"] == ["coordinator", "respondent"]
    assert (claims["name"], claims["locale"]) == ("Ana", "fr")
    other = tokens.claims(
        issuer="i",
        audience="a",
        subject="s",
        administration_id=None,
        roles=[],
        name="",
        locale="en",
        ttl_s=1,
    )
    assert claims["jti"] != other["jti"]


def test_a_signed_token_verifies_with_the_public_jwk_and_names_its_key():
    key = tokens.generate_private_key()
    jwk = tokens.public_jwk(key)
    claims = tokens.claims(
        issuer="i",
        audience="a",
        subject="s",
        administration_id=None,
        roles=["operator"],
        name="Op",
        locale="en",
        ttl_s=60,
    )
    token = tokens.sign(claims, key, jwk["kid"])
    header = jwt.get_unverified_header(token)
    assert header["alg"] == "EdDSA"
    assert header["kid"] == jwk["kid"]
    decoded = jwt.decode(token, jwt.PyJWK(jwk).key, algorithms=["EdDSA"], audience="a")
    assert decoded == json.loads(json.dumps(claims))


def test_a_jwks_lists_each_key_once():
    first = tokens.public_jwk(tokens.generate_private_key())
    second = tokens.public_jwk(tokens.generate_private_key())
    assert tokens.jwks([first, second, first]) == {"keys": [first, second]}
