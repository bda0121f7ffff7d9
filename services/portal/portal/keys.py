"""Use cases of signing keys: the key that signs, rotation, retirement and the published JWKS.

Rotation adds a key that is published at once but signs only once it is ``activation_s`` old
(``PORTAL_KEY_ACTIVATION_S``): verifiers refetch the JWKS for an unknown ``kid`` at most every few
seconds, so by the time a token carries the new ``kid`` every verifier that refetched recently
already has it. Older keys stay published until retired, so tokens signed before a rotation keep
verifying. A key from ``PORTAL_SIGNING_KEY_PEM`` takes precedence; its public half is recorded so
that it stays published after the secret is replaced.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal import tokens
from portal.models import SigningKey
from shared.errors import ApiError, NotFound
from shared.timestamps import utcnow


def _record(session: Session, key: Ed25519PrivateKey, *, keep_private: bool) -> SigningKey:
    jwk = tokens.public_jwk(key)
    row = SigningKey(
        kid=jwk["kid"],
        private_key_pem=tokens.private_key_pem(key) if keep_private else None,
        public_jwk=json.dumps(jwk, sort_keys=True),
    )
    session.add(row)
    session.flush()
    return row


def _current(session: Session, activation_s: int) -> SigningKey | None:
    query = (
        select(SigningKey)
        .where(SigningKey.retired_at.is_(None), SigningKey.private_key_pem.is_not(None))
        .order_by(SigningKey.created_at.desc(), SigningKey.kid)
    )
    rows = list(session.scalars(query))
    cutoff = utcnow() - timedelta(seconds=activation_s)
    for row in rows:
        if row.created_at <= cutoff:
            return row
    # No key is old enough (first start, or rotations in a row): the oldest was published longest.
    return rows[-1] if rows else None


def _external(session: Session, pem: str) -> tuple[str, Ed25519PrivateKey]:
    key = tokens.load_private_key(pem)
    kid = tokens.thumbprint(key.public_key())
    if session.get(SigningKey, kid) is None:
        try:
            with session.begin_nested():
                _record(session, key, keep_private=False)
        except IntegrityError:
            pass  # another process recorded the same key first
    return kid, key


def signing_kid(*, session: Session, external_pem: str = "", activation_s: int = 0) -> str | None:
    """Return the kid that signs new tokens now (None when no key exists yet)."""
    if external_pem.strip():
        return tokens.thumbprint(tokens.load_private_key(external_pem).public_key())
    row = _current(session, activation_s)
    return row.kid if row else None


def signer(
    *, session: Session, external_pem: str = "", activation_s: int = 0
) -> tuple[str, Ed25519PrivateKey]:
    """Return the kid and private key that sign new tokens (creating a key when none exists)."""
    # Runs inside the caller's write transaction: it may record a key.
    if external_pem.strip():
        return _external(session, external_pem)
    row = _current(session, activation_s)
    if row is None or row.private_key_pem is None:
        row = _record(session, tokens.generate_private_key(), keep_private=True)
    return row.kid, tokens.load_private_key(row.private_key_pem or "")


def ensure_key(*, session: Session, external_pem: str = "") -> str:
    """Make sure a signing key exists; return the kid that signs new tokens."""
    with session.begin():
        kid, _ = signer(session=session, external_pem=external_pem)
    return kid


def rotate(*, session: Session) -> SigningKey:
    """Create a new signing key; older keys stay published until retired."""
    with session.begin():
        return _record(session, tokens.generate_private_key(), keep_private=True)


def retire(*, session: Session, kid: str, activation_s: int = 0) -> SigningKey:
    """Retire a key: it leaves the JWKS, and tokens it signed stop verifying."""
    with session.begin():
        row = session.get(SigningKey, kid)
        if row is None:
            raise NotFound(f"no signing key {kid}")
        current = _current(session, activation_s)
        if current is not None and current.kid == kid:
            raise ApiError(
                409, "conflict", "this key still signs tokens: rotate, let the new key activate"
            )
        row.retired_at = row.retired_at or utcnow()
    return row


def list_keys(*, session: Session) -> list[SigningKey]:
    """Return every signing key, newest first."""
    query = select(SigningKey).order_by(SigningKey.created_at.desc(), SigningKey.kid)
    return list(session.scalars(query))


def published_jwks(*, session: Session, external_pem: str = "") -> dict[str, Any]:
    """Return the JWKS: every non-retired key, plus the configured external key."""
    query = select(SigningKey).where(SigningKey.retired_at.is_(None))
    entries = [row.jwk for row in session.scalars(query)]
    if external_pem.strip():
        entries.insert(0, tokens.public_jwk(tokens.load_private_key(external_pem)))
    return tokens.jwks(entries)
