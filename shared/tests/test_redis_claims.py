"""Test runs claim a Redis database each; a killed run's claim does not block the next ones."""

import socket
import subprocess
import sys

import pytest
import redis

from shared.testing import _LOCK_KEY, claim_redis_database


def _gone_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _database(url: str) -> int:
    return int(url.rsplit("/", 1)[1])


def test_a_live_runs_claim_is_kept_and_a_killed_runs_is_taken_over(redis_url):
    # One database of this run's own: other test runs on this server are never starved or
    # touched (the suite's passes run side by side).
    base = redis_url.rsplit("/", 1)[0] + "/0"
    url, release = claim_redis_database(base)
    try:
        database = _database(url)
        with pytest.raises(RuntimeError, match="no free Redis test database"):
            claim_redis_database(base, databases=[database])  # this live run holds it

        left = redis.Redis.from_url(url)
        left.set("left-behind", "x")
        left.set(_LOCK_KEY, f"{socket.gethostname()}:{_gone_pid()}-abc", ex=60)
        taken, release_taken = claim_redis_database(base, databases=[database])
        try:
            assert taken == url
            assert left.get("left-behind") is None  # flushed for the new owner
            assert left.get(_LOCK_KEY) not in (None, b"")
            assert b"-abc" not in left.get(_LOCK_KEY)
        finally:
            release_taken()
            left.close()
    finally:
        release()


def test_the_per_test_flush_keeps_the_database_claimed(redis_url, redis_client):
    owner = redis_client.get(_LOCK_KEY)
    assert owner is not None
    with pytest.raises(RuntimeError, match="no free Redis test database"):
        claim_redis_database(redis_url.rsplit("/", 1)[0] + "/0", databases=[_database(redis_url)])
