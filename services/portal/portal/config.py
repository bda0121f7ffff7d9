"""Settings of the portal service (environment variables ``PORTAL_*``)."""

from __future__ import annotations

from typing import Any

from shared.bus import stream_name
from shared.config import env_int, env_str

SERVICE = "portal"
ASSESSMENT_STREAM = stream_name("assessment")
ASSISTANCE_GROUP = "portal-assistance"
# (stream, consumer group) of every group the event process reads.
GROUPS = ((ASSESSMENT_STREAM, ASSISTANCE_GROUP),)


def settings() -> dict[str, Any]:
    """Return the service's own settings as Flask config keys."""
    return {
        "PORTAL_TOKEN_TTL_S": env_int("PORTAL_TOKEN_TTL_S", 3600),
        "PORTAL_CLIENT_TOKEN_TTL_S": env_int("PORTAL_CLIENT_TOKEN_TTL_S", 900),
        # An Ed25519 private key (PKCS#8 PEM) from a secret store; when set it signs every token
        # and only its public half is recorded in the database.
        "PORTAL_SIGNING_KEY_PEM": env_str("PORTAL_SIGNING_KEY_PEM", ""),
        # A rotated key signs only once it has been published this long (more than the
        # verifiers' JWKS refetch interval), so no verifier meets its kid before it can know it.
        "PORTAL_KEY_ACTIVATION_S": env_int("PORTAL_KEY_ACTIVATION_S", 30),
        "PORTAL_ARGON2_TIME_COST": env_int("PORTAL_ARGON2_TIME_COST", 3),
        "PORTAL_ARGON2_MEMORY_KIB": env_int("PORTAL_ARGON2_MEMORY_KIB", 65536),
        "PORTAL_ARGON2_PARALLELISM": env_int("PORTAL_ARGON2_PARALLELISM", 4),
        # How long a cached catalogue read (item, search page) may live; 0 turns the cache off.
        # Publishing, editing or archiving a published item invalidates the cache at once.
        "PORTAL_CACHE_TTL_S": env_int("PORTAL_CACHE_TTL_S", 300),
        # Failed sign-ins before an account is refused for a while: from one address, and from
        # all addresses together; the window is short so that nobody locks an officer out long.
        "PORTAL_SIGNIN_ADDRESS_LIMIT": env_int("PORTAL_SIGNIN_ADDRESS_LIMIT", 10),
        "PORTAL_SIGNIN_ACCOUNT_LIMIT": env_int("PORTAL_SIGNIN_ACCOUNT_LIMIT", 30),
        "PORTAL_SIGNIN_WINDOW_S": env_int("PORTAL_SIGNIN_WINDOW_S", 300),
        # Members' files: "local" (a folder of this machine: one replica only) or "s3" (an
        # S3-compatible server every replica shares; credentials from the AWS_* variables).
        "PORTAL_FILE_STORE": env_str("PORTAL_FILE_STORE", "local"),
        "PORTAL_FILE_DIR": env_str("PORTAL_FILE_DIR", ""),
        "PORTAL_S3_ENDPOINT_URL": env_str("PORTAL_S3_ENDPOINT_URL", ""),
        "PORTAL_S3_BUCKET": env_str("PORTAL_S3_BUCKET", ""),
        "PORTAL_S3_REGION": env_str("PORTAL_S3_REGION", "us-east-1"),
        # Largest file a member may upload (checked while the body streams in).
        "PORTAL_UPLOAD_MAX_BYTES": env_int("PORTAL_UPLOAD_MAX_BYTES", 32 * 1024 * 1024),
        # How long after posting a member may still edit a forum post.
        "PORTAL_FORUM_EDIT_WINDOW_S": env_int("PORTAL_FORUM_EDIT_WINDOW_S", 900),
        # Forum posts (threads and replies) one caller may send per window, beyond which 429.
        "PORTAL_FORUM_POSTS_PER_CALLER": env_int("PORTAL_FORUM_POSTS_PER_CALLER", 10),
        "PORTAL_FORUM_POSTS_WINDOW_S": env_int("PORTAL_FORUM_POSTS_WINDOW_S", 60),
    }
