"""`make run`'s launcher: the printed URL works, and Ctrl-C stops every process it started."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from shared.testing import uses_postgresql

REPO = Path(__file__).resolve().parents[2]
pytestmark = [
    pytest.mark.gateway,
    # `make run` starts on its embedded defaults (SQLite files) whatever TEST_DB says: the
    # PostgreSQL pass would run the very same thing a second time.
    pytest.mark.skipif(uses_postgresql(), reason="embedded defaults: run in the SQLite pass"),
]


def _descendants(pid: int) -> set[int]:
    found: set[int] = set()
    frontier = [pid]
    while frontier:
        parent = frontier.pop()
        for task in Path("/proc").glob("[0-9]*"):
            try:
                stat = (task / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == parent:
                child = int(task.name)
                if child not in found:
                    found.add(child)
                    frontier.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_run_prints_a_working_url_and_ctrl_c_stops_everything(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    for name in (
        "PORTAL_DATABASE_URL",
        "ASSESSMENT_DATABASE_URL",
        "REPORTS_DATABASE_URL",
        "REDIS_URL",
    ):
        env.pop(name, None)  # the embedded defaults: SQLite files and a Redis of its own
    launcher = subprocess.Popen(
        [
            sys.executable,
            str(REPO / "deploy" / "local" / "run.py"),
            "--free-ports",
            "--data-dir",
            str(tmp_path / "data"),
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        lines = []
        deadline = time.monotonic() + 120
        url = None
        while time.monotonic() < deadline and url is None:
            line = launcher.stdout.readline()
            if not line and launcher.poll() is not None:
                break
            lines.append(line)
            match = re.search(r"Open:\s+(http://\S+?)/?\s*$", line)
            url = match.group(1) if match else None
        assert url, "".join(lines)
        while "Press Ctrl-C" not in lines[-1]:
            lines.append(launcher.stdout.readline())
        assert "coordinator@demo.example" in "".join(lines)
        login = requests.post(
            f"{url}/api/v1/portal/auth/login",
            timeout=10,
            json={"email": "coordinator@demo.example", "password": "demo-password-2026"},
        )
        assert login.status_code == 200
        started = _descendants(launcher.pid)
        assert len(started) >= 10  # redis, 3 webs, 3 event processes, worker, 2 schedulers, gateway

        launcher.send_signal(signal.SIGINT)
        assert launcher.wait(timeout=60) == 0
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and any(_alive(pid) for pid in started):
            time.sleep(0.2)
        assert not [pid for pid in started if _alive(pid)]
    finally:
        if launcher.poll() is None:
            launcher.kill()
            launcher.wait()
        launcher.stdout.close()
