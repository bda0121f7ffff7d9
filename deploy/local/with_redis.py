#!/usr/bin/env python3
"""Run a command with a Redis in REDIS_URL: `make test` uses it around pytest.

    python deploy/local/with_redis.py .venv/bin/pytest -x

- REDIS_URL already set: used as it is.
- else a Redis answering on 127.0.0.1:6379: REDIS_URL=redis://127.0.0.1:6379/0.
- else a throwaway redis-server on a free port (nothing saved to disk), stopped afterwards.

Exits with the command's exit code. Stdlib only.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from stack import find_redis_server, free_port, redis_ping

LOCAL_REDIS = "redis://127.0.0.1:6379/0"


def _run(argv: list[str], env: dict[str, str]) -> int:
    child = subprocess.Popen(argv, env=env)  # noqa: S603 - the caller's own command
    try:
        return child.wait()
    except KeyboardInterrupt:
        child.send_signal(signal.SIGINT)
        return child.wait()


def main(argv: list[str]) -> int:
    """Provide a Redis, run ``argv``, return its exit code."""
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    env = dict(os.environ)
    if env.get("REDIS_URL"):
        return _run(argv, env)
    if redis_ping(LOCAL_REDIS):
        env["REDIS_URL"] = LOCAL_REDIS
        return _run(argv, env)

    port = free_port()
    env["REDIS_URL"] = f"redis://127.0.0.1:{port}/0"
    with tempfile.TemporaryDirectory(prefix="smartcustoms-redis-") as folder:
        argv_redis = [
            find_redis_server(),
            "--port", str(port),
            "--bind", "127.0.0.1",
            "--save", "",
            "--appendonly", "no",
            "--dir", folder,
            "--daemonize", "no",
        ]  # fmt: skip
        redis = subprocess.Popen(  # noqa: S603 - redis-server found on this machine
            argv_redis, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
        )
        try:
            deadline = time.monotonic() + 15
            while not redis_ping(env["REDIS_URL"]):
                if redis.poll() is not None or time.monotonic() > deadline:
                    print("with_redis: the throwaway redis-server did not start", file=sys.stderr)
                    return 1
                time.sleep(0.1)
            print(f"with_redis: throwaway Redis at {env['REDIS_URL']}", file=sys.stderr)
            return _run(argv, env)
        finally:
            redis.terminate()
            try:
                redis.wait(timeout=10)
            except subprocess.TimeoutExpired:
                redis.kill()
                redis.wait()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
