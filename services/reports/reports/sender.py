"""One outbound webhook POST: only http(s), short time-outs, no redirects, no private addresses.

The host is resolved once, every address it resolves to is checked (unless private targets are
allowed, as in a test or an internal deployment), and the connection goes to the checked address,
so a DNS answer cannot change between the check and the connection. Redirects are never followed:
a 3xx answer is a failed attempt like any other non-2xx.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

USER_AGENT = "SmartCustoms-Webhooks/1"
MAX_ERROR = 500
# The receiver's answer is not used: read a little so the connection ends cleanly, no more.
MAX_ANSWER_BYTES = 4096


@dataclass(frozen=True)
class Outcome:
    """What one attempt gave: the receiver's status code, or why there was none."""

    status_code: int | None
    error: str | None = None

    @property
    def ok(self) -> bool:
        """Return whether the receiver accepted the webhook (2xx)."""
        return self.status_code is not None and 200 <= self.status_code < 300


class UnsafeTarget(ValueError):
    """A URL the sender refuses: not http(s), no host, or an address it may not reach."""


def check_url(url: str) -> None:
    """Raise ``UnsafeTarget`` unless ``url`` is an absolute http(s) URL with a host."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise UnsafeTarget("the URL must start with http:// or https://")
    if not parts.hostname:
        raise UnsafeTarget("the URL has no host")
    if parts.username is not None or parts.password is not None:
        raise UnsafeTarget("the URL must not hold credentials")
    try:
        _ = parts.port
    except ValueError as exc:
        raise UnsafeTarget("the URL's port is invalid") from exc


def _address(host: str, port: int, *, allow_private: bool) -> str:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise UnsafeTarget(f"host {host!r} does not resolve: {exc}") from exc
    addresses = [str(info[4][0]) for info in infos]
    if not addresses:
        raise UnsafeTarget(f"host {host!r} has no address")
    if not allow_private:
        refused = [a for a in addresses if not ipaddress.ip_address(a.split("%")[0]).is_global]
        if refused:
            raise UnsafeTarget(f"host {host!r} resolves to a non-public address {refused[0]}")
    return addresses[0]


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, *, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, *, address: str, timeout: float) -> None:
        self._tls = ssl.create_default_context()
        super().__init__(host, port, timeout=timeout, context=self._tls)
        self._address = address

    def connect(self) -> None:
        raw = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._tls.wrap_socket(raw, server_hostname=self.host)


def post(
    url: str,
    *,
    body: bytes,
    headers: dict[str, str],
    timeout_s: float,
    allow_private: bool = False,
) -> Outcome:
    """POST ``body`` as JSON to ``url`` once; never raises for network or receiver errors."""
    try:
        check_url(url)
        parts = urlsplit(url)
        host = str(parts.hostname)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        address = _address(host, port, allow_private=allow_private)
    except UnsafeTarget as exc:
        return Outcome(None, f"refused: {exc}"[:MAX_ERROR])
    kind = _PinnedHTTPS if parts.scheme == "https" else _PinnedHTTP
    connection = kind(host, port, address=address, timeout=timeout_s)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request(
            "POST",
            target,
            body=body,
            headers={
                **headers,
                "Content-Type": "application/json",
                "User-Agent": USER_AGENT,
            },
        )
        answer = connection.getresponse()
        answer.read(MAX_ANSWER_BYTES)
        return Outcome(answer.status)
    except (OSError, http.client.HTTPException) as exc:
        return Outcome(None, f"{type(exc).__name__}: {exc}"[:MAX_ERROR])
    finally:
        connection.close()
