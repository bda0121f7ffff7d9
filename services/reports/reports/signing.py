"""Standard Webhooks signatures (pure): secrets ``whsec_<base64>``, headers of one attempt.

The signed content is ``"<webhook-id>.<webhook-timestamp>.<body>"``, HMAC-SHA256 with the secret's
base64-decoded bytes, sent as ``webhook-signature: v1,<base64 signature>``. Any Standard Webhooks
library verifies these headers unchanged (the tests check with the ``standardwebhooks`` package).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac

SECRET_PREFIX = "whsec_"  # noqa: S105  (a prefix, not a secret)
SECRET_BYTES = 32  # within the specification's 24-64 bytes


class InvalidSecret(ValueError):
    """A secret that is not ``whsec_`` followed by base64 of 24 to 64 bytes."""


def encode_secret(key: bytes) -> str:
    """Return the ``whsec_...`` form of the raw key ``key``."""
    if not 24 <= len(key) <= 64:
        raise InvalidSecret("a webhook key has 24 to 64 bytes")
    return SECRET_PREFIX + base64.b64encode(key).decode("ascii")


def decode_secret(secret: str) -> bytes:
    """Return the raw key of a ``whsec_...`` secret."""
    if not secret.startswith(SECRET_PREFIX):
        raise InvalidSecret("a webhook secret starts with whsec_")
    try:
        key = base64.b64decode(secret[len(SECRET_PREFIX) :], validate=True)
    except (binascii.Error, ValueError) as exc:
        raise InvalidSecret("a webhook secret is base64 after whsec_") from exc
    if not 24 <= len(key) <= 64:
        raise InvalidSecret("a webhook key has 24 to 64 bytes")
    return key


def signature(secret: str, *, message_id: str, timestamp: int, body: bytes) -> str:
    """Return the ``v1,<base64>`` signature of ``body`` sent as ``message_id`` at ``timestamp``."""
    signed = message_id.encode() + b"." + str(int(timestamp)).encode() + b"." + body
    digest = hmac.new(decode_secret(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode("ascii")


def signed_headers(secret: str, *, message_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    """Return the Standard Webhooks headers of one delivery attempt."""
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(timestamp)),
        "webhook-signature": signature(
            secret, message_id=message_id, timestamp=timestamp, body=body
        ),
    }
