"""Shared cache of popular catalogue reads (items, search pages): Redis, and each process's
memory in front of it.

Keys are ``portal:cache:<namespace>:<visibility class>:<language>:<digest of the request>``, so a
public entry is only ever computed for, and read by, anonymous readers. Invalidation is a
generation counter: every entry records the generation it was computed under, and a write that
changes what readers see bumps the counter after its commit. An entry of an older generation is
never served; the generation is read before the database, so an entry computed from data older
than a bump is already stale when stored. Entries also expire after ``ttl_s``.

Each process keeps recent entries in memory too, and knows the generation without asking Redis
per request: Redis tracks the generation key for it (``CLIENT TRACKING ... BCAST``) and pushes
an invalidation message the moment it changes, before the writer's INCR even returns; every read
first drains those messages with a non-blocking poll. A popular page is then answered without
any network round trip, and stays exactly as fresh as with Redis alone.

Redis failures make reads miss (and are logged): the catalogue keeps answering from the database.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import redis

from portal.catalogue.audience import Audience

_log = logging.getLogger(__name__)
PREFIX = "portal:cache"
GENERATION_KEY = f"{PREFIX}:generation"
LOCAL_ENTRIES = 512
LOCAL_BYTES = 32 * 1024 * 1024


@dataclass(frozen=True)
class Document:
    """A JSON answer of the catalogue and the language it is written in."""

    body: bytes
    language: str

    def data(self) -> Any:
        """Return the decoded document."""
        return json.loads(self.body)

    @classmethod
    def of(cls, data: Any, language: str) -> Document:
        """Encode ``data`` as compact UTF-8 JSON."""
        body = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)
        return cls(body.encode(), language)


class GenerationWatch:
    """The cache generation as this process last read it, forgotten when Redis says it changed."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._client = redis.Redis.from_url(
            url, protocol=2, socket_timeout=5, socket_connect_timeout=2
        )
        self._connection: Any = None
        self._known: bytes | None = None

    def _watch(self) -> None:
        """Open the connection that receives invalidations of the generation key."""
        connection = self._client.connection_pool.make_connection()
        connection.connect()
        connection.send_command("CLIENT", "ID")
        own_id = connection.read_response()
        connection.send_command(
            "CLIENT", "TRACKING", "ON", "REDIRECT", own_id, "BCAST", "PREFIX", GENERATION_KEY
        )
        connection.read_response()
        connection.send_command("SUBSCRIBE", "__redis__:invalidate")
        connection.read_response()
        self._connection = connection
        self._known = None

    def generation(self) -> bytes:
        """Return the current generation (raises redis errors; the caller falls back)."""
        try:
            if self._connection is None:
                self._watch()
            while self._connection.can_read(timeout=0):
                self._connection.read_response()  # only the generation key is tracked
                self._known = None
        except redis.RedisError:
            self.close()
            raise
        if self._known is None:
            self._client.set(GENERATION_KEY, 1, nx=True)
            self._known = bytes(self._client.get(GENERATION_KEY) or b"1")  # type: ignore[arg-type]
        return self._known

    def close(self) -> None:
        """Drop the watching connection (the next read opens a new one)."""
        if self._connection is not None:
            self._connection.disconnect()
        self._connection = None
        self._known = None


class ContentCache:
    """Reads through process memory and Redis by visibility class, language and request."""

    def __init__(self, client: redis.Redis, *, ttl_s: int, url: str | None = None) -> None:
        self.client = client
        self.ttl_s = ttl_s
        self.watch = GenerationWatch(url) if url else None
        self._local: OrderedDict[str, tuple[bytes, float, Document]] = OrderedDict()
        self._local_bytes = 0
        self._lock = threading.Lock()

    @staticmethod
    def key(namespace: str, audience: Audience, language: str, request: str) -> str:
        """Return the entry key of a request for an audience in a language."""
        digest = hashlib.sha256(request.encode()).hexdigest()[:32]
        return f"{PREFIX}:{namespace}:{audience.visibility_class}:{language}:{digest}"

    def fetch(
        self,
        namespace: str,
        audience: Audience,
        language: str,
        request: str,
        build: Callable[[], Document],
    ) -> Document:
        """Return the cached document, or build, store and return it."""
        if self.ttl_s <= 0 or not audience.cacheable:
            return build()
        key = self.key(namespace, audience, language, request)
        generation = self._generation()
        if generation is None:
            return build()
        document = self._from_memory(key, generation) or self._from_redis(key, generation)
        if document is not None:
            return document
        document = build()
        value = generation + b"|" + document.language.encode() + b"|" + document.body
        try:
            self.client.set(key, value, ex=self.ttl_s)
        except redis.RedisError:
            _log.warning("catalogue cache: could not store %s", key, exc_info=True)
        self._remember(key, generation, document)
        return document

    def invalidate(self) -> None:
        """Make every entry stale (call after the commit of a change readers can see)."""
        try:
            self.client.incr(GENERATION_KEY)
        except redis.RedisError:
            _log.warning("catalogue cache: could not bump the generation", exc_info=True)

    def _generation(self) -> bytes | None:
        try:
            with self._lock:
                if self.watch is not None:
                    return self.watch.generation()
            self.client.set(GENERATION_KEY, 1, nx=True)
            return bytes(self.client.get(GENERATION_KEY) or b"1")  # type: ignore[arg-type]
        except redis.RedisError:
            _log.warning("catalogue cache unavailable; reading the database", exc_info=True)
            return None

    def _from_memory(self, key: str, generation: bytes) -> Document | None:
        with self._lock:
            found = self._local.get(key)
            if found is None:
                return None
            stored, expires, document = found
            if stored != generation or expires < time.monotonic():
                self._forget(key)
                return None
            self._local.move_to_end(key)
            return document

    def _from_redis(self, key: str, generation: bytes) -> Document | None:
        try:
            entry: bytes | None = self.client.get(key)  # type: ignore[assignment]
        except redis.RedisError:
            _log.warning("catalogue cache unavailable; reading the database", exc_info=True)
            return None
        if entry is None:
            return None
        stored, _, rest = entry.partition(b"|")
        served_language, _, body = rest.partition(b"|")
        if stored != generation:
            return None
        document = Document(body, served_language.decode())
        self._remember(key, generation, document)
        return document

    def _remember(self, key: str, generation: bytes, document: Document) -> None:
        with self._lock:
            self._forget(key)
            self._local[key] = (generation, time.monotonic() + self.ttl_s, document)
            self._local_bytes += len(document.body)
            while self._local and (
                len(self._local) > LOCAL_ENTRIES or self._local_bytes > LOCAL_BYTES
            ):
                self._forget(next(iter(self._local)))

    def _forget(self, key: str) -> None:
        found = self._local.pop(key, None)
        if found is not None:
            self._local_bytes -= len(found[2].body)
