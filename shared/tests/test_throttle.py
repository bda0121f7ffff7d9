"""Writes are counted per caller in fixed windows, on the real Redis."""

import pytest

from shared.errors import ApiError
from shared.throttle import WriteLimiter


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_a_caller_over_the_limit_is_told_when_to_come_back_and_others_go_on(redis_client):
    clock = Clock(1_000_040.0)  # 20 s into a 60 s window
    limiter = WriteLimiter(redis_client, service="svc", limit=3, window_s=60, clock=clock)
    for _ in range(3):
        limiter.hit("officer-1")
    with pytest.raises(ApiError) as refused:
        limiter.hit("officer-1")
    assert refused.value.status == 429
    assert refused.value.headers["Retry-After"] == "40"
    assert "bulk-answers" in refused.value.detail
    limiter.hit("officer-2")  # another caller, behind the same address or not
    clock.now += 40  # the next window
    limiter.hit("officer-1")
    assert 0 < redis_client.ttl("svc:writes:officer-1:16668") <= 61


def test_a_zero_limit_counts_nothing(redis_client):
    limiter = WriteLimiter(redis_client, service="svc", limit=0, window_s=60)
    for _ in range(5):
        limiter.hit("officer-1")
    assert redis_client.keys("svc:writes:*") == []


def test_writes_go_on_when_the_counter_is_unreachable(caplog):
    import redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    unreachable = redis.Redis(
        host="127.0.0.1", port=1, socket_connect_timeout=0.2, retry=Retry(NoBackoff(), 0)
    )
    limiter = WriteLimiter(unreachable, service="svc", limit=1, window_s=60)
    limiter.hit("officer-1")
    limiter.hit("officer-1")
    assert "Redis unavailable" in caplog.text
