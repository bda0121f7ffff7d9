"""Signing keys and access tokens: pure functions (no database, no Flask).

Tokens are EdDSA (Ed25519) JWTs. A key's ``kid`` is its RFC 7638 JWK thumbprint, so the same
key always gets the same id, wherever it was generated.
"""

from __future__ import annotations

import base64
import hashlib
import json
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

ALGORITHM = "EdDSA"


@dataclass(frozen=True)
class IssuedToken:
    """A signed access token and its lifetime in seconds."""

    access_token: str
    expires_in: int
    token_type: str = "Bearer"  # noqa: S105 - the OAuth token type, not a secret


def generate_private_key() -> Ed25519PrivateKey:
    """Return a new Ed25519 private key."""
    return Ed25519PrivateKey.generate()


def private_key_pem(key: Ed25519PrivateKey) -> str:
    """Return ``key`` as an unencrypted PKCS#8 PEM."""
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def load_private_key(pem: str) -> Ed25519PrivateKey:
    """Return the Ed25519 private key of a PEM, raising ``ValueError`` for any other key."""
    key = serialization.load_pem_private_key(pem.strip().encode(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("the signing key must be an Ed25519 private key")
    return key


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _x(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return _b64url(raw)


def thumbprint(public_key: Ed25519PublicKey) -> str:
    """Return the RFC 7638 SHA-256 thumbprint of an Ed25519 public key."""
    members = {"crv": "Ed25519", "kty": "OKP", "x": _x(public_key)}
    canonical = json.dumps(members, separators=(",", ":"), sort_keys=True).encode()
    return _b64url(hashlib.sha256(canonical).digest())


def public_jwk(key: Ed25519PrivateKey) -> dict[str, str]:
    """Return the public JWK of ``key``, with its ``kid``."""
    public_key = key.public_key()
    return {
        "kty": "OKP",
        "crv": "Ed25519",
        "x": _x(public_key),
        "kid": thumbprint(public_key),
        "use": "sig",
        "alg": ALGORITHM,
    }


def jwks(entries: Iterable[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Return a JWKS document of public JWKs (first occurrence of a ``kid`` wins)."""
    seen: dict[str, dict[str, Any]] = {}
    for entry in entries:
        seen.setdefault(str(entry["kid"]), entry)
    return {"keys": list(seen.values())}


def claims(
    *,
    issuer: str,
    audience: str,
    subject: str,
    administration_id: str | None,
    roles: Iterable[str],
    name: str,
    locale: str,
    ttl_s: int,
    now: int | None = None,
) -> dict[str, Any]:
    """Return the claims of an access token."""
    issued_at = int(time.time()) if now is None else now
    return {
        "iss": issuer,
        "aud": audience,
        "sub": subject,
        "iat": issued_at,
        "exp": issued_at + ttl_s,
        "administration_id": administration_id,
        "roles": sorted(set(roles)),
        "name": name,
        "locale": locale,
        "jti": uuid.uuid4().hex,
    }


def sign(token_claims: dict[str, Any], key: Ed25519PrivateKey, kid: str) -> str:
    """Return the compact JWT of ``token_claims`` signed with ``key``."""
    return jwt.encode(token_claims, key, algorithm=ALGORITHM, headers={"kid": kid})
