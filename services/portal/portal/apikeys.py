"""API keys of machine clients: ``sck_`` + 32 random bytes, stored as a SHA-256 digest.

A fast digest is enough here (unlike passwords): the secret is random and high-entropy, so it
cannot be guessed from its digest, and a unique digest lets a key be found in one lookup.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

PREFIX = "sck_"
SHOWN_CHARS = 12


@dataclass(frozen=True)
class NewApiKey:
    """A freshly generated key: the secret (shown once), its listed prefix and its digest."""

    secret: str
    prefix: str
    digest: str


def digest(key: str) -> str:
    """Return the hex SHA-256 of ``key``: what the database stores."""
    return hashlib.sha256(key.strip().encode()).hexdigest()


def generate() -> NewApiKey:
    """Return a new random API key."""
    secret = PREFIX + secrets.token_urlsafe(32)
    return NewApiKey(secret=secret, prefix=secret[:SHOWN_CHARS], digest=digest(secret))


def from_headers(authorization: str | None, x_api_key: str | None) -> str | None:
    """Return the key sent as ``Authorization: ApiKey <key>`` or ``X-API-Key``, if any."""
    if x_api_key and x_api_key.strip():
        return x_api_key.strip()
    scheme, _, value = (authorization or "").partition(" ")
    if scheme.lower() == "apikey" and value.strip():
        return value.strip()
    return None
