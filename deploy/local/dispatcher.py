#!/usr/bin/env python3
"""A small reverse proxy for machines without nginx: the same URLs on one port.

It routes by the prefixes of deploy/gateway/gateway.conf.template, forwards every header and the
body, keeps the status, streams responses as they arrive (server-sent events included), adds the
gateway's security headers and ``X-Request-ID``, and answers its own errors (400, 404, 405, 413,
502, 504) as RFC 9457 problem details. Any method goes to the path's service, which answers 405
with ``Allow`` for one the path does not take; TRACE and CONNECT, which nginx refuses, are asked
of the service as nginx's gateway does (without body or credentials, see ``_proxy``). It does
not rate-limit: that needs the real gateway (nginx).

    python deploy/local/dispatcher.py --port 8080 \
        --portal 127.0.0.1:8001 --assessment 127.0.0.1:8002 --reports 127.0.0.1:8003

Stdlib only, one thread per connection; meant for development and tests, not production.
"""

from __future__ import annotations

import argparse
import http.client
import json
import re
import secrets
import signal
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

MAX_BODY = 1024 * 1024  # client_max_body_size 1m
# Bulk answer uploads: the gateway's larger limit on these paths (client_max_body_size 33m).
IMPORT_PATHS = re.compile(r"^/api/v1/assessment/(assessments/[^/]+/)?imports$")
MAX_IMPORT_BODY = 33 * 1024 * 1024
# Members' contributions (a file and its description): the same larger limit.
UPLOAD_PATHS = re.compile(
    r"^(/api/v1/portal/contributions(/[^/]+/versions)?|/contribute|/contributions/[^/]+/versions)$"
)


def max_body(path: str) -> int:
    """Return the largest request body the gateway takes on ``path``."""
    return MAX_IMPORT_BODY if IMPORT_PATHS.match(path) or UPLOAD_PATHS.match(path) else MAX_BODY


CONNECT_TIMEOUT_S = 5.0
READ_TIMEOUT_S = 60.0
STREAM_TIMEOUT_S = 3600.0
STREAM_PREFIX = "/api/v1/reports/notifications/stream"
OWN_PATHS = {"/gateway/healthz": ("GET", "HEAD")}  # the gateway's own answers and their methods
# Methods nginx refuses before routing (the services route neither, so none echoes a TRACE).
REFUSED_METHODS = {"TRACE", "CONNECT"}
# A method is a token of upper-case letters, '_' and '-' (nginx answers 400 to anything else).
METHOD_TOKEN = re.compile(r"^[A-Z_-]{1,32}$")
# Never sent on with a refused method (what a TRACE would echo).
CREDENTIALS = {"authorization", "cookie", "x-api-key", "proxy-authorization"}

# Longest prefix wins; None means the gateway itself answers 404. Mirrors gateway.conf.template.
PREFIX_ROUTES: list[tuple[str, str | None]] = [
    ("/", "portal"),
    ("/.well-known/", "portal"),
    ("/api/v1/portal/", "portal"),
    ("/assessment/", "assessment"),
    ("/api/v1/assessment/", "assessment"),
    ("/reports/", "reports"),
    ("/api/v1/reports/", "reports"),
    ("/api/", None),
    ("/metrics", None),
]
EXACT_ROUTES: dict[str, str | None] = {
    "/assessment": "assessment",
    "/reports": "reports",
    "/login": "portal",
}

HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "proxy-connection",
    "te",
    "trailer",
    "trailers",
    "transfer-encoding",
    "upgrade",
}

CSP_PAGES = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
CSP_DOCS = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
DOCS_PATH = re.compile(r"^/api/v1/[a-z]+/docs")
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}
# Set by the gateway, never taken from a service (the CSP is, when the service sends one).
REPLACED = {name.lower() for name in SECURITY_HEADERS} | {"x-request-id", "server"}

SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:\-]{1,128}$")

PROBLEMS: dict[int, tuple[str, str, str]] = {
    400: ("bad_request", "Bad request", "The gateway could not read the request."),
    404: ("not_found", "Not found", "No service answers this path."),
    405: (
        "method_not_allowed",
        "Method not allowed",
        "This path does not take this method; Allow lists the ones it takes.",
    ),
    413: (
        "payload_too_large",
        "The request body is too large",
        "Request bodies are limited to 1 MiB (33 MiB for bulk imports and contributions).",
    ),
    502: (
        "service_unavailable",
        "The service is unavailable",
        "The service behind this path did not answer properly.",
    ),
    504: (
        "service_unavailable",
        "The service is unavailable",
        "The service behind this path took too long to answer.",
    ),
}


def route(path: str) -> tuple[bool, str | None]:
    """Return ``(matched, service)`` for a request path; service None means answer 404 here."""
    if path in EXACT_ROUTES:
        return True, EXACT_ROUTES[path]
    best: tuple[str, str | None] | None = None
    for prefix, service in PREFIX_ROUTES:
        if path.startswith(prefix) and (best is None or len(prefix) > len(best[0])):
            best = (prefix, service)
    return (best is not None), (best[1] if best else None)


def problem(status: int, request_id: str) -> bytes:
    """Return the problem document the gateway sends for ``status``."""
    code, title, detail = PROBLEMS[status]
    body = {
        "type": f"/problems/{code.replace('_', '-')}",
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
        "request_id": request_id,
    }
    return json.dumps(body).encode()


class BodyTooLargeError(Exception):
    """The request body is over ``MAX_BODY``."""


class GatewayHandler(BaseHTTPRequestHandler):
    """Proxies one request to the service its path belongs to."""

    protocol_version = "HTTP/1.1"
    timeout = 300  # seconds an idle keep-alive connection may wait for its next request
    server_version = "smartcustoms-dispatcher"
    sys_version = ""
    upstreams: dict[str, tuple[str, int]] = {}
    listen = "127.0.0.1:8080"  # our own host:port, the Host for a request that sent none
    _started: float | None = None
    _status = 0
    _request_id = ""

    # One handler for every verb, made-up ones included (http.server looks up ``do_<METHOD>``
    # and answers 501 without one): the service says whether the path takes it.
    def __getattr__(self, name: str) -> Any:
        if name.startswith("do_"):
            return self._handle
        raise AttributeError(name)

    def handle_expect_100(self) -> bool:
        """Refuse an announced oversized body before the client sends it."""
        self._begin()
        length = self.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > max_body(urlsplit(self.path).path):
            self.close_connection = True
            self._send_problem(413)
            return False
        return super().handle_expect_100()

    # ------------------------------------------------------------------ helpers
    def _begin(self) -> None:
        self._started = time.monotonic()
        self._request_id = self._incoming_request_id()
        self._status = 0

    def _handle(self) -> None:
        self._begin()
        path = urlsplit(self.path).path or "/"
        service = route(path)[1]
        if self._answer_here(path, service):
            return
        assert service is not None  # _answer_here answered the paths no service takes
        if self.command in REFUSED_METHODS:
            self._proxy(service, path, None, refused=True)
            return
        try:
            body = self._read_body(max_body(path))
        except BodyTooLargeError:
            self.close_connection = True
            self._send_problem(413)
            return
        except (ValueError, OSError):
            self.close_connection = True
            self._send_problem(400)
            return
        self._proxy(service, path, body)

    def _answer_here(self, path: str, service: str | None) -> bool:
        """Answer what never reaches a service (a malformed method, the gateway's own paths, a
        path no service answers); return whether it did."""
        if self.command in REFUSED_METHODS:
            self.close_connection = True  # as nginx: the body stays unread, the connection ends
        if not METHOD_TOKEN.match(self.command):
            self.close_connection = True
            self._send_problem(400)
            return True
        own = OWN_PATHS.get(path)
        if own is None and service is not None:
            return False
        if self.headers.get("Content-Length", "0") != "0" or "Transfer-Encoding" in self.headers:
            self.close_connection = True  # an unread body would be read as the next request
        if own is None:
            self._send_problem(404)
        elif self.command not in own:
            self._send_problem(405, {"Allow": ", ".join(own)})
        else:
            self._send_own(200, b'{"status":"ok"}', "application/json")
        return True

    def _incoming_request_id(self) -> str:
        value = self.headers.get("X-Request-ID", "")
        return value if SAFE_REQUEST_ID.match(value) else secrets.token_hex(16)

    def _read_body(self, limit: int) -> bytes | None:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self._read_chunked(limit)
        length = self.headers.get("Content-Length")
        if length is None:
            return None
        size = int(length)
        if size < 0:
            raise ValueError("negative Content-Length")
        if size > limit:
            raise BodyTooLargeError
        return self.rfile.read(size)

    def _read_chunked(self, limit: int) -> bytes:
        parts: list[bytes] = []
        total = 0
        while True:
            size = int(self.rfile.readline(1024).split(b";")[0].strip(), 16)
            if size == 0:
                while self.rfile.readline(8192) not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                return b"".join(parts)
            total += size
            if total > limit:
                raise BodyTooLargeError
            parts.append(self.rfile.read(size))
            self.rfile.readline(8)

    def _upstream_headers(self, body: bytes | None, *, refused: bool = False) -> dict[str, str]:
        connection_tokens = {
            token.strip().lower() for token in self.headers.get("Connection", "").split(",")
        }
        headers: dict[str, str] = {}
        for name, value in self.headers.items():
            lower = name.lower()
            if lower in HOP_BY_HOP or lower in connection_tokens or lower == "content-length":
                continue
            if lower in {"x-request-id", "x-forwarded-for", "x-forwarded-proto"}:
                continue
            if refused and (lower in CREDENTIALS or lower == "accept"):
                continue
            headers[name] = value
        client = self.client_address[0]
        forwarded_for = self.headers.get("X-Forwarded-For")
        host = self.headers.get("Host") or self.listen
        proto = self.headers.get("X-Forwarded-Proto", "")
        headers.update(
            {
                "Host": host,
                "X-Request-ID": self._request_id,
                "X-Real-IP": client,
                "X-Forwarded-For": f"{forwarded_for}, {client}" if forwarded_for else client,
                "X-Forwarded-Proto": proto if proto in ("http", "https") else "http",
                "X-Forwarded-Host": host,
            }
        )
        if refused:
            headers["Accept"] = "application/problem+json"
        if body is not None:
            headers["Content-Length"] = str(len(body))
        return headers

    def _proxy(self, service: str, path: str, body: bytes | None, *, refused: bool = False) -> None:
        """Forward the request to ``service`` and relay its answer.

        ``refused``: a method the gateway does not forward (TRACE, CONNECT). Only the service
        knows which methods the path takes, so it is asked, without the body or credentials
        and for a problem document: its 405 with ``Allow`` (404 for a path it does not know) is
        the answer, as nginx's @sc_405 does.
        """
        host, port = self.upstreams[service]
        stream = path.startswith(STREAM_PREFIX)
        conn = http.client.HTTPConnection(host, port, timeout=CONNECT_TIMEOUT_S)
        try:
            try:
                conn.connect()
                conn.sock.settimeout(STREAM_TIMEOUT_S if stream else READ_TIMEOUT_S)
                headers = self._upstream_headers(body, refused=refused)
                conn.request(self.command, self.path, body=body, headers=headers)
                response = conn.getresponse()
            except TimeoutError:
                self._send_problem(504)
                return
            except (OSError, http.client.HTTPException):
                self._send_problem(502)
                return
            self._relay(response)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client went away
        finally:
            conn.close()

    def _relay(self, response: http.client.HTTPResponse) -> None:
        self._status = response.status
        self.send_response_only(response.status, response.reason)
        has_csp = False
        length: str | None = None
        for name, value in response.getheaders():
            lower = name.lower()
            if lower in HOP_BY_HOP or lower in REPLACED:
                continue
            if lower == "content-length":
                length = value
                continue
            has_csp = has_csp or lower == "content-security-policy"
            self.send_header(name, value)
        self._security_headers(with_csp=not has_csp)
        no_body = self.command == "HEAD" or response.status in (204, 304) or response.status < 200
        if no_body:
            if length is not None:
                self.send_header("Content-Length", length)
            self.end_headers()
            return
        if length is not None:
            self.send_header("Content-Length", length)
            self.end_headers()
            self._copy(response, chunked=False)
        else:
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            self._copy(response, chunked=True)

    def _copy(self, response: http.client.HTTPResponse, *, chunked: bool) -> None:
        while True:
            data = response.read1(65536)
            if not data:
                break
            if chunked:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
            else:
                self.wfile.write(data)
            self.wfile.flush()
        if chunked:
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()

    def _security_headers(self, *, with_csp: bool) -> None:
        for name, value in SECURITY_HEADERS.items():
            self.send_header(name, value)
        if with_csp:
            path = urlsplit(self.path).path
            self.send_header(
                "Content-Security-Policy", CSP_DOCS if DOCS_PATH.match(path) else CSP_PAGES
            )
        self.send_header("X-Request-ID", self._request_id)

    def _send_own(
        self,
        status: int,
        body: bytes,
        content_type: str,
        headers: dict[str, str] | None = None,
    ) -> None:
        self._status = status
        self.send_response_only(status)
        self.send_header("Date", self.date_time_string())
        self.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self._security_headers(with_csp=True)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _send_problem(self, status: int, headers: dict[str, str] | None = None) -> None:
        body = problem(status, self._request_id)
        self._send_own(status, body, "application/problem+json", headers)

    # ------------------------------------------------------------------ logging
    def log_request(self, code: Any = "-", size: Any = "-") -> None:
        """Requests are logged once, after they finish (see ``handle_one_request``)."""

    def handle_one_request(self) -> None:
        """Serve one request, then write one JSON access-log line."""
        self._started = None
        self._status = 0
        super().handle_one_request()
        if self._started is None or not self._status:
            return
        entry = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "service": "gateway",
            "request_id": self._request_id,
            "remote_addr": self.client_address[0],
            "method": self.command,
            "uri": self.path,
            "status": self._status,
            "duration_s": round(time.monotonic() - self._started, 4),
        }
        self._started = None
        sys.stderr.write(json.dumps(entry) + "\n")
        sys.stderr.flush()

    def log_message(self, format: str, *args: Any) -> None:
        """Errors from http.server (bad request lines and such) go to stderr as JSON too."""
        entry = {"time": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "message": format % args}
        sys.stderr.write(json.dumps(entry) + "\n")


class DispatcherServer(ThreadingHTTPServer):
    """Threaded server whose worker threads never keep the process alive."""

    daemon_threads = True
    allow_reuse_address = True


def _hostport(value: str) -> tuple[str, int]:
    host, _, port = value.rpartition(":")
    return host or "127.0.0.1", int(port)


def main(argv: list[str] | None = None) -> int:
    """Command line entry point: serve until SIGTERM or Ctrl-C."""
    parser = argparse.ArgumentParser(description="Smart Customs development gateway (no nginx).")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--portal", default="127.0.0.1:8001", help="portal host:port")
    parser.add_argument("--assessment", default="127.0.0.1:8002", help="assessment host:port")
    parser.add_argument("--reports", default="127.0.0.1:8003", help="reports host:port")
    args = parser.parse_args(argv)

    GatewayHandler.listen = f"{args.host}:{args.port}"
    GatewayHandler.upstreams = {
        "portal": _hostport(args.portal),
        "assessment": _hostport(args.assessment),
        "reports": _hostport(args.reports),
    }
    server = DispatcherServer((args.host, args.port), GatewayHandler)

    def _stop(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _stop)
    print(f"dispatcher listening on http://{args.host}:{args.port}", file=sys.stderr, flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
