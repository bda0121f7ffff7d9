"""Test runs claim a Redis database each; a killed run's claim does not block the next ones."""

import socket
import subprocess
import sys

from shared.testing import _LOCK_KEY, REDIS_TEST_DBS, claim_redis_database


def _gone_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_killed_runs_claims_are_taken_over_and_a_live_runs_are_not(redis_url):
    base = redis_url.rsplit("/", 1)[0] + "/0"
    import redis

    held, released = [], []
    try:
        # Every other free database is held by a live run (this process), one by a dead one.
        while True:
            try:
                url, release = claim_redis_database(base)
            except RuntimeError:
                break
            held.append(url)
            released.append(release)
        dead_url = held.pop()
        released.pop()()  # free it, then lock it as a killed run would have left it
        dead = redis.Redis.from_url(dead_url)
        dead.set(_LOCK_KEY, f"{socket.gethostname()}:{_gone_pid()}-abc", ex=60)
        dead.set("left-behind", "x")
        url, release = claim_redis_database(base)
        released.append(release)
        assert url == dead_url
        assert dead.get("left-behind") is None  # flushed for the new owner
        assert len(held) + 1 <= len(REDIS_TEST_DBS)
    finally:
        for release in released:
            release()
