"""What a load test watches besides its own requests: the CPU of each process group (read from
/proc, no library), the gateway's and services' lightest requests as a same-run baseline, and
the logs, for server errors.

How the logs record status: the services write JSON lines (shared/shared/logs.py) but no line
per request; a request that ends in a 500 logs ``unhandled error`` at level ``error`` with its
traceback (shared/shared/errors.py), and gunicorn writes ``[ERROR]``/``[CRITICAL]`` lines (a
worker timeout, a crash). Every request's status is in the gateway's JSON access log
(``status``, ``upstream_status``), and nginx's own failures (an upstream refusing or closing a
connection) in its error log.
"""

from __future__ import annotations

import http.client
import json
import os
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")
ERROR_MARKS = ("[ERROR]", "[CRITICAL]", "Traceback (most recent call last)", "WORKER TIMEOUT")
NGINX_ERRORS = ("[error]", "[crit]", "[alert]", "[emerg]")


# -------------------------------------------------------------------------------------- CPU
def _stat(pid: str) -> tuple[int, int] | None:
    """Return (process group, utime + stime ticks) of a process, None once it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()  # after "pid (comm) "
    return int(fields[2]), int(fields[11]) + int(fields[12])


def _cmdline(pid: str) -> str:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return ""
    return raw.replace(b"\0", b" ").decode(errors="replace")


def machine_busy_ticks() -> tuple[int, int]:
    """Return (busy, total) ticks of all cores since boot (/proc/stat)."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    return sum(values) - idle, sum(values)


@dataclass
class Snapshot:
    """One reading: when, the machine's ticks, and each watched process's group and ticks."""

    at: float
    machine: tuple[int, int]
    processes: dict[int, tuple[str, int]]


@dataclass
class GroupCpu:
    """A process group's CPU over a window: in % of one core, overall and its busiest process."""

    name: str
    processes: int
    percent: float
    busiest_percent: float


class CpuSampler:
    """Reads every watched process's CPU time once a second in a thread.

    ``groups`` maps a process group id (a Stack process's pid: each runs in its own session) to
    a name; ``matchers`` name other processes by their command line (PostgreSQL backends of the
    run's databases, the Redis server).
    """

    def __init__(
        self,
        groups: Mapping[int, str],
        matchers: Mapping[str, Callable[[str], bool]] | None = None,
        interval_s: float = 1.0,
    ) -> None:
        self.groups = dict(groups)
        self.matchers = dict(matchers or {})
        self.interval_s = interval_s
        self.snapshots: list[Snapshot] = []
        self._named: dict[str, str | None] = {}  # pid -> matcher name (cmdlines read once)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="cpu-sampler")

    def __enter__(self) -> CpuSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _name(self, pid: str, group: int) -> str | None:
        if group in self.groups:
            return self.groups[group]
        if pid not in self._named:
            line = _cmdline(pid)
            self._named[pid] = next((n for n, hit in self.matchers.items() if hit(line)), None)
        return self._named[pid]

    def sample(self) -> None:
        """Take one snapshot."""
        processes: dict[int, tuple[str, int]] = {}
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            stat = _stat(entry.name)
            if stat is None:
                continue
            name = self._name(entry.name, stat[0])
            if name is not None:
                processes[int(entry.name)] = (name, stat[1])
        self.snapshots.append(Snapshot(time.time(), machine_busy_ticks(), processes))

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval_s)

    def window(self, start: float, end: float) -> tuple[list[GroupCpu], float]:
        """Return each group's CPU between ``start`` and ``end``, and the machine's (% of one
        core; 100 % per core is the ceiling)."""
        inside = [s for s in self.snapshots if start <= s.at <= end]
        if len(inside) < 2:
            return [], 0.0
        first, last = inside[0], inside[-1]
        seconds = last.at - first.at
        busy: dict[int, tuple[str, int, int]] = {}
        for snapshot in inside:  # a pid's first and last readings in the window
            for pid, (name, ticks) in snapshot.processes.items():
                low = busy.get(pid, (name, ticks, ticks))[1]
                busy[pid] = (name, low, ticks)
        per_group: dict[str, list[float]] = {}
        for name, low, high in busy.values():
            per_group.setdefault(name, []).append((high - low) / TICKS / seconds * 100)
        rows = [
            GroupCpu(name, len(values), sum(values), max(values))
            for name, values in per_group.items()
        ]
        machine_busy = (last.machine[0] - first.machine[0]) / TICKS / seconds * 100
        return sorted(rows, key=lambda row: -row.percent), machine_busy


# ----------------------------------------------------------------------- same-run baseline
@dataclass
class Probe:
    """Requests the lightest paths through the gateway at a steady pace, in a thread."""

    host: str
    port: int
    paths: tuple[str, ...]
    interval_s: float = 0.5
    samples: list[tuple[float, str, float, int]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="probe")

    def __enter__(self) -> Probe:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=10)
        while not self._stop.is_set():
            for path in self.paths:
                started = time.perf_counter()
                try:
                    connection.request("GET", path)
                    answer = connection.getresponse()
                    answer.read()
                    status = answer.status
                except (OSError, http.client.HTTPException):
                    connection.close()
                    status = 0
                elapsed = (time.perf_counter() - started) * 1000
                self.samples.append((time.time(), path, elapsed, status))
            self._stop.wait(self.interval_s)
        connection.close()


# ----------------------------------------------------------------------------------- logs
def log_sizes(paths: Iterable[Path]) -> dict[Path, int]:
    """Return each file's size now: where a later scan starts."""
    return {path: path.stat().st_size if path.exists() else 0 for path in paths}


def _new_lines(path: Path, offset: int) -> list[str]:
    if not path.exists():
        return []
    with open(path, "rb") as handle:
        handle.seek(offset)
        return handle.read().decode("utf-8", errors="replace").splitlines()


def _service_error(line: str) -> bool:
    if line.startswith("{"):
        try:
            level = json.loads(line).get("level", "")
        except ValueError:
            level = ""
        return str(level).lower() in ("error", "critical")
    return any(mark in line for mark in ERROR_MARKS) or " ERROR/" in line


ANSWERED_5XX = "gateway answered 5xx"
RETRIED = "gateway retried after an upstream 5xx"  # the client got the retry's answer
NGINX = "gateway error log"


def scan_logs(
    service_logs: Iterable[Path], access_log: Path, error_log: Path, since: Mapping[Path, int]
) -> dict[str, list[str]]:
    """Return the server-error lines written since ``since``: each service log's error lines
    (by file name), the requests the gateway answered 5xx (``ANSWERED_5XX``), those it answered
    after retrying an upstream that failed (``RETRIED``), and nginx's error lines (``NGINX``)."""
    found: dict[str, list[str]] = {}
    for path in service_logs:
        hits = [line for line in _new_lines(path, since.get(path, 0)) if _service_error(line)]
        if hits:
            found[path.name] = hits
    for line in _new_lines(access_log, since.get(access_log, 0)):
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        upstream = str(entry.get("upstream_status", ""))
        if int(entry.get("status", 0)) >= 500:
            found.setdefault(ANSWERED_5XX, []).append(line)
        elif upstream.startswith("5") or ", 5" in upstream:
            found.setdefault(RETRIED, []).append(line)
    nginx = [
        line
        for line in _new_lines(error_log, since.get(error_log, 0))
        if any(mark in line for mark in NGINX_ERRORS)
    ]
    if nginx:
        found[NGINX] = nginx
    return found


def access_statuses(access_log: Path, since: int = 0) -> dict[int, int]:
    """Return how many requests the gateway answered with each status since ``since``."""
    counts: dict[int, int] = {}
    for line in _new_lines(access_log, since):
        try:
            status = int(json.loads(line)["status"])
        except (ValueError, KeyError):
            continue
        counts[status] = counts.get(status, 0) + 1
    return counts


# --------------------------------------------------------------------------- live streams
def open_streams(host: str, port: int, token: str, count: int) -> dict[int, int]:
    """Open ``count`` live notification streams at once (a room opening the reports page),
    hold them until all are answered, close them; return how many got each status."""
    statuses: dict[int, int] = {}
    opened = []
    try:
        for _ in range(count):
            connection = http.client.HTTPConnection(host, port, timeout=20)
            connection.request(
                "GET",
                "/api/v1/reports/notifications/stream",
                headers={"Authorization": f"Bearer {token}", "Accept": "text/event-stream"},
            )
            answer = connection.getresponse()
            statuses[answer.status] = statuses.get(answer.status, 0) + 1
            if answer.status == 200:
                answer.fp.readline()  # the stream's first line: it is open
            else:
                answer.read()
            opened.append(connection)
    finally:
        for connection in opened:
            connection.close()
    return statuses
