"""Writes limited per caller (the token's subject: a user or an API key), never per address.

A customs administration reaches the platform through one address; thirty officers autosaving
in a workshop are thirty callers, each far below the limit. What the limit stops is one caller
flooding a service (a script sending one request per answer): its 429 says when to come back
and points to the bulk endpoints. The gateway's per-address limit stays, far higher, as a flood
guard. One fixed window per caller and service, one Redis round trip per write:
``<service>:writes:<subject>:<window>``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import redis

from shared.errors import ApiError

_log = logging.getLogger(__name__)

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
BULK_HINT = (
    "Too many writes from this caller: wait for Retry-After seconds; to send many answers, use "
    "POST /api/v1/assessment/assessments/{assessment_id}/bulk-answers"
)


class WriteLimiter:
    """Counts a caller's writes in fixed windows; refuses the ones over ``limit`` per window."""

    def __init__(
        self,
        client: redis.Redis,
        *,
        service: str,
        limit: int,
        window_s: int,
        clock: Callable[[], float] = time.time,
        detail: str = BULK_HINT,
    ) -> None:
        self.client = client
        self.service = service
        self.limit = limit
        self.window_s = max(1, window_s)
        self.clock = clock
        # What the 429 tells the caller (a narrower limit names its own advice).
        self.detail = detail

    def hit(self, subject: str) -> None:
        """Count one write by ``subject``; raise a 429 problem when over the limit."""
        if self.limit <= 0:
            return
        now = self.clock()
        window = int(now // self.window_s)
        key = f"{self.service}:writes:{subject}:{window}"
        pipe = self.client.pipeline(transaction=False)
        pipe.incr(key)
        pipe.expire(key, self.window_s + 1)
        try:
            count = int(pipe.execute()[0])
        except redis.RedisError:
            # Writes are stored in the database, not Redis: an outage of the counter must not
            # stop them; the gateway's per-address guard still holds.
            _log.warning("write limit not counted: Redis unavailable", exc_info=True)
            return
        if count > self.limit:
            retry = max(1, int((window + 1) * self.window_s - now + 0.999))
            raise ApiError(429, "rate_limited", self.detail, headers={"Retry-After": str(retry)})
