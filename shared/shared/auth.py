"""Verification of access tokens, and who is asking (``Principal``).

Services verify JWTs (EdDSA, RS256 or ES256) locally against the issuer's JWKS, fetched once and
cached; an unknown key id triggers one refetch (key rotation) at most every ``refetch_s``. No
service calls the issuer per request. A token once verified is remembered until it expires or the
keys are refetched, so a client's following requests skip the signature check. An external
OpenID Connect issuer works by configuration (``AUTH_ISSUER``, ``AUTH_JWKS_URL``,
``AUTH_AUDIENCE``, claim names).
"""

from __future__ import annotations

import copy
import hmac
import json
import logging
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import wraps
from typing import Any, ParamSpec, TypeVar

import jwt
import redis
from flask import Request, request

from shared.context import this_app, this_request
from shared.errors import ApiError
from shared.throttle import WRITE_METHODS

ALGORITHMS = ["EdDSA", "RS256", "ES256"]
# The issuer's list of revoked subjects: a Redis hash, subject -> epoch seconds up to which its
# tokens are refused (a deactivated user, a revoked API key as ``apikey:<id>``).
REVOCATIONS_KEY = "portal:revocations"
_log = logging.getLogger(__name__)


class Revocations:
    """The subjects whose tokens issued up to some moment are refused, re-read every few seconds.

    Verifiers never ask per request: each process reads the whole (small) hash at most every
    ``refresh_s``, so a revocation takes effect within that delay. If Redis cannot be read, the
    last list read stays in force and the read is tried again after ``refresh_s``.
    """

    def __init__(
        self, client: redis.Redis, *, key: str = REVOCATIONS_KEY, refresh_s: float = 5.0
    ) -> None:
        self.client = client
        self.key = key
        self.refresh_s = refresh_s
        self._until: dict[str, float] = {}
        self._read_at = -float("inf")

    def refuses(self, subject: str, issued_at: float) -> bool:
        """Return whether a token of ``subject`` issued at ``issued_at`` is revoked."""
        if time.monotonic() - self._read_at >= self.refresh_s:
            self._refresh()
        until = self._until.get(subject)
        return until is not None and issued_at <= until

    def _refresh(self) -> None:
        started = time.monotonic()
        try:
            raw: dict[bytes, bytes] = self.client.hgetall(self.key)  # type: ignore[assignment]
        except redis.RedisError:
            _log.warning("revocations unreadable; keeping the last list", exc_info=True)
            self._read_at = started  # try again after refresh_s, not on every request
            return
        self._until = {name.decode(): float(value) for name, value in raw.items()}
        # Only now: a thread arriving meanwhile reads the list itself rather than the old one.
        self._read_at = started


SESSION_COOKIE = "sc_session"
CSRF_COOKIE = "sc_csrf"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

P = ParamSpec("P")
R = TypeVar("R")


class Role(StrEnum):
    """Roles a user can hold."""

    RESPONDENT = "respondent"
    COORDINATOR = "coordinator"
    EDITOR = "editor"
    OPERATOR = "operator"
    MEMBER = "member"
    CLIENT = "client"


@dataclass(frozen=True)
class Principal:
    """The verified caller: a user, or an administration's machine client."""

    subject: str
    administration_id: str | None
    roles: frozenset[str] = field(default_factory=frozenset)
    name: str = ""
    language: str = "en"
    claims: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def has_any(self, *roles: str) -> bool:
        """Return whether the principal holds at least one of ``roles``."""
        return bool(self.roles.intersection(roles))


class AuthError(ApiError):
    """Missing, malformed, forged or expired credentials (401)."""

    def __init__(self, code: str = "invalid_token", detail: str | None = None) -> None:
        super().__init__(401, code, detail, headers={"WWW-Authenticate": 'Bearer realm="api"'})


JwksSource = Callable[[], dict[str, Any]]


def http_jwks_source(url: str, *, timeout_s: float = 5.0) -> JwksSource:
    """Return a source that downloads the JWKS document at ``url``."""

    def fetch() -> dict[str, Any]:
        if not url.startswith(("http://", "https://")):
            raise ValueError(f"AUTH_JWKS_URL must be http(s), got {url!r}")
        with urllib.request.urlopen(url, timeout=timeout_s) as response:  # noqa: S310
            document: dict[str, Any] = json.loads(response.read())
        return document

    return fetch


class TokenVerifier:
    """Verifies bearer tokens against a cached JWKS."""

    def __init__(
        self,
        *,
        issuer: str,
        audience: str,
        jwks_source: JwksSource,
        administration_claim: str = "administration_id",
        roles_claim: str = "roles",
        cache_s: float = 300.0,
        refetch_s: float = 10.0,
        leeway_s: int = 30,
        remembered: int = 4096,
        revocations: Revocations | None = None,
    ) -> None:
        self.issuer = issuer
        self.revocations = revocations
        self.audience = audience
        self.jwks_source = jwks_source
        self.administration_claim = administration_claim
        self.roles_claim = roles_claim
        self.cache_s = cache_s
        self.refetch_s = refetch_s
        self.leeway_s = leeway_s
        self.remembered = remembered
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at = 0.0
        self._lock = threading.Lock()
        # token -> its principal and the end of its validity (epoch seconds, leeway included)
        self._verified: dict[str, tuple[Principal, float]] = {}

    def verify(self, token: str) -> Principal:
        """Return the principal of a valid, unrevoked token, else raise ``AuthError``."""
        known = self._verified.get(token)
        if (
            known is not None
            and time.time() < known[1]
            and time.monotonic() - self._fetched_at <= self.cache_s  # keys not due a refetch
        ):
            principal = known[0]
        else:
            principal = self._verify(token)
            with self._lock:
                if len(self._verified) >= self.remembered:
                    self._verified.pop(next(iter(self._verified)))
                expires = float(principal.claims["exp"]) + self.leeway_s
                self._verified[token] = (principal, expires)
        if self.revocations is not None and self.revocations.refuses(
            principal.subject, float(principal.claims["iat"])
        ):
            raise AuthError("token_revoked")
        return principal

    def _verify(self, token: str) -> Principal:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise AuthError(detail="malformed token") from exc
        if header.get("alg") not in ALGORITHMS:
            raise AuthError(detail="unsupported token algorithm")
        key = self._key(str(header.get("kid", "")))
        try:
            claims = jwt.decode(
                token,
                key=key,
                algorithms=[str(header["alg"])],
                audience=self.audience,
                issuer=self.issuer,
                leeway=self.leeway_s,
                options={"require": ["exp", "iat", "sub"]},
            )
        except jwt.PyJWTError as exc:
            raise AuthError(detail=str(exc)) from exc
        return self._principal(claims)

    def _principal(self, claims: dict[str, Any]) -> Principal:
        roles = claim(claims, self.roles_claim) or []
        if isinstance(roles, str):
            roles = roles.split()
        admin = claim(claims, self.administration_claim)
        return Principal(
            subject=str(claims["sub"]),
            administration_id=str(admin) if admin is not None else None,
            roles=frozenset(str(r) for r in roles),
            name=str(claims.get("name", "")),
            language=str(claims.get("locale", "en"))[:2],
            claims=claims,
        )

    def _key(self, kid: str) -> jwt.PyJWK:
        now = time.monotonic()
        with self._lock:
            stale = now - self._fetched_at > self.cache_s
            unknown = kid not in self._keys and now - self._fetched_at > self.refetch_s
            if stale or unknown:
                self._refresh(now)
            key = self._keys.get(kid)
        if key is None:
            raise AuthError(detail="unknown signing key")
        return key

    def _refresh(self, now: float) -> None:
        try:
            document = self.jwks_source()
        except Exception as exc:
            if not self._keys:
                raise ApiError(503, "service_unavailable", "token keys unavailable") from exc
            return  # keep serving with the keys we have
        keys: dict[str, jwt.PyJWK] = {}
        for entry in document.get("keys", []):
            try:
                keys[str(entry.get("kid", ""))] = jwt.PyJWK(entry)
            except jwt.PyJWTError:
                continue
        self._keys = keys
        self._fetched_at = now
        self._verified = {}  # a withdrawn key's tokens must be checked again


def claim(claims: dict[str, Any], name: str) -> Any:
    """Return the claim ``name``: a top-level claim (URL-like names included), else a dotted
    path into nested claims, as external issuers nest roles (``realm_access.roles``)."""
    if name in claims:
        return claims[name]
    found: Any = claims
    for part in name.split("."):
        if not isinstance(found, dict) or part not in found:
            return None
        found = found[part]
    return found


def bearer_token(authorization: str | None) -> str | None:
    """Return the token of a ``Bearer`` authorization header, if any."""
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthError("unauthenticated", "use an Authorization: Bearer token")
    return token.strip()


def _request_token(req: Request) -> str | None:
    """Return the request's token: the Authorization header, else the browser session cookie.

    A cookie-borne token on a state-changing request must come with the CSRF token (double
    submit: header ``X-CSRF-Token`` or form field ``csrf_token`` equal to the ``sc_csrf`` cookie).
    """
    environ = req.environ
    token = bearer_token(environ.get("HTTP_AUTHORIZATION"))
    if token is not None:
        return token
    cookie = req.cookies.get(SESSION_COOKIE) if environ.get("HTTP_COOKIE") else None
    if not cookie:
        return None
    if req.method not in SAFE_METHODS:
        expected = req.cookies.get(CSRF_COOKIE, "")
        sent = req.headers.get("X-CSRF-Token") or req.form.get("csrf_token", "")
        if not expected or not hmac.compare_digest(expected, sent):
            raise ApiError(403, "csrf_failed")
    return cookie


_PRINCIPAL_KEY = "shared.auth.principal"


def current_principal() -> Principal:
    """Return the verified caller of the current request, or raise 401.

    It is remembered in the request's own environ, not in ``g``: ``g`` belongs to the app
    context, which a request reuses when one is still pushed (a streamed answer not yet closed),
    and a caller must never be taken for the previous one.
    """
    req = this_request()
    cached = req.environ.get(_PRINCIPAL_KEY)
    if isinstance(cached, Principal):
        return cached
    token = _request_token(req)
    if token is None:
        raise AuthError("unauthenticated")
    app = this_app()
    verifier: TokenVerifier = app.extensions["auth"]
    principal = verifier.verify(token)
    req.environ[_PRINCIPAL_KEY] = principal
    limiter = app.extensions.get("writes")
    if limiter is not None and req.method in WRITE_METHODS:
        limiter.hit(principal.subject)
    return principal


def optional_principal() -> Principal | None:
    """Return the caller when credentials were sent and are valid, else None (for pages)."""
    if not request.headers.get("Authorization") and not request.cookies.get(SESSION_COOKIE):
        return None
    try:
        return current_principal()
    except AuthError:
        return None


ROLES_EXTENSION = "x-roles"


def require(*roles: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Decorate a view: the caller must be authenticated and hold one of ``roles`` (if given).

    The roles are documented in the operation's OpenAPI entry as ``x-roles`` (absent: any
    authenticated caller), so clients and the generated access checks can read them.
    """

    def decorator(view: Callable[P, R]) -> Callable[P, R]:
        @wraps(view)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            principal = current_principal()
            if roles and not principal.has_any(*roles):
                raise ApiError(403, "forbidden")
            return view(*args, **kwargs)

        if roles:
            _document_roles(wrapper, roles)
        return wrapper

    return decorator


def _document_roles(view: Callable[..., Any], roles: tuple[str, ...]) -> None:
    """Record ``roles`` in the view's flask-smorest doc, as ``Blueprint.doc`` would."""
    # ``wraps`` shared the inner view's ``_apidoc`` dict: copy it, never change the inner one.
    apidoc: dict[str, Any] = copy.deepcopy(getattr(view, "_apidoc", {}))
    manual = apidoc.setdefault("manual_doc", {})
    manual[ROLES_EXTENSION] = list(dict.fromkeys(str(role) for role in roles))
    setattr(view, "_apidoc", apidoc)  # noqa: B010 - the attribute flask-smorest reads
