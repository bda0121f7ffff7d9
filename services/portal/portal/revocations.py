"""The issuer's side of token revocation: the subjects whose earlier tokens every service refuses.

The list is ``shared.auth.REVOCATIONS_KEY`` in Redis (subject -> epoch seconds up to which its
tokens are refused); each service's verifier re-reads it every few seconds. An entry is kept only
as long as a token issued before it could still be valid, so the hash stays small.
"""

from __future__ import annotations

import time

import redis

from shared.auth import REVOCATIONS_KEY


class RevocationWriter:
    """Adds and removes revoked subjects."""

    def __init__(self, client: redis.Redis, *, keep_s: float, key: str = REVOCATIONS_KEY) -> None:
        self.client = client
        self.keep_s = keep_s
        self.key = key

    def revoke(self, subject: str) -> None:
        """Refuse every token of ``subject`` issued until now; forget entries past any token."""
        now = time.time()
        self.client.hset(self.key, subject, f"{now:.3f}")
        stale = [
            name
            for name, until in self.client.hgetall(self.key).items()
            if float(until) < now - self.keep_s
        ]
        if stale:
            self.client.hdel(self.key, *stale)

    def restore(self, subject: str) -> None:
        """Accept ``subject``'s new tokens again (a reactivated user signs in anew)."""
        self.client.hdel(self.key, subject)
