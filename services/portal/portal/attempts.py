"""Failed sign-ins counted per account, and per account and address, in Redis.

A customs administration reaches the internet through one address and runs the self-assessment as
a workshop: thirty officers signing in at once from that address must all pass. So what is limited
is guessing one account's password: after ``per_address`` failures for one account from one
address (or ``per_account`` from anywhere), that account's sign-ins are refused with 429 for
``window_s`` seconds, whether the account exists or not (no hint), while every other account goes
on. The window is short on purpose: a stranger typing wrong passwords cannot lock an officer out
for long. Keys: ``portal:signin:account:<digest>`` and ``portal:signin:account:<digest>:<address>``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import redis

from shared.errors import ApiError

_PREFIX = "portal:signin:account"


@dataclass(frozen=True)
class AttemptLimits:
    """How many failed sign-ins an account may have, and for how long they count."""

    per_account: int
    per_address: int
    window_s: int

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> AttemptLimits:
        """Read the limits from the service's configuration."""
        return cls(
            per_account=int(config["PORTAL_SIGNIN_ACCOUNT_LIMIT"]),
            per_address=int(config["PORTAL_SIGNIN_ADDRESS_LIMIT"]),
            window_s=int(config["PORTAL_SIGNIN_WINDOW_S"]),
        )


def client_address(environ: Mapping[str, Any]) -> str:
    """Return the signing-in client's address: the gateway's ``X-Real-IP``, else the peer's."""
    # The services are reached only through the gateway, which sets X-Real-IP itself.
    return str(environ.get("HTTP_X_REAL_IP") or environ.get("REMOTE_ADDR") or "unknown")[:64]


class SignInAttempts:
    """The failed sign-in counters (Redis), checked before a password is even hashed."""

    def __init__(self, client: redis.Redis, limits: AttemptLimits) -> None:
        self.client = client
        self.limits = limits

    def _keys(self, email: str, address: str) -> tuple[str, str]:
        # The address book of who tried to sign in is nobody's business: keys hold a digest.
        digest = hashlib.sha256(email.encode("utf-8")).hexdigest()[:32]
        return f"{_PREFIX}:{digest}", f"{_PREFIX}:{digest}:{address}"

    def check(self, email: str, address: str) -> None:
        """Raise a 429 problem when this account (from this address) failed too often lately."""
        account, pair = self._keys(email, address)
        pipe = self.client.pipeline(transaction=False)
        pipe.get(account)
        pipe.get(pair)
        pipe.ttl(account)
        pipe.ttl(pair)
        by_account, by_pair, account_ttl, pair_ttl = pipe.execute()
        blocked = []
        if int(by_account or 0) >= self.limits.per_account:
            blocked.append(account_ttl)
        if int(by_pair or 0) >= self.limits.per_address:
            blocked.append(pair_ttl)
        if blocked:
            retry = max((int(ttl) for ttl in blocked if ttl > 0), default=self.limits.window_s)
            raise ApiError(429, "too_many_sign_in_attempts", headers={"Retry-After": str(retry)})

    def failed(self, email: str, address: str) -> None:
        """Count one failed sign-in (the window starts at the first failure)."""
        pipe = self.client.pipeline(transaction=True)
        for key in self._keys(email, address):
            pipe.set(key, 0, ex=self.limits.window_s, nx=True)  # INCR keeps the TTL set here
            pipe.incr(key)
        pipe.execute()

    def succeeded(self, email: str, address: str) -> None:
        """Forget this address's failures for the account (the officer got it right)."""
        self.client.delete(self._keys(email, address)[1])
