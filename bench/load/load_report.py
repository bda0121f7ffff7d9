"""The load benchmark's tables: per endpoint beside its service's lightest request, sign-ins,
CPU per process group, server errors, and the comparison of a run with one web service scaled.
"""

from __future__ import annotations

import json
import statistics
import sys
from dataclasses import dataclass, field
from pathlib import Path

from load_observe import NGINX, RETRIED, GroupCpu
from load_run import LocustRun, Row, Sample, percentile, rows_of

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # bench/: harness.py

from harness import Line

READ_P95_MS = 100.0
SAVE_P95_MS = 50.0
ANSWER = "/api/v1/assessment/assessments/<assessment_id>/answers/<indicator>"
STREAM = "/api/v1/reports/notifications/stream"
PROBES = {
    "gateway": "/gateway/healthz",
    "portal": "/api/v1/portal/healthz",
    "assessment": "/api/v1/assessment/healthz",
    "reports": "/api/v1/reports/healthz",
}


@dataclass
class RunResult:
    """One configuration's run, with everything measured around it."""

    label: str
    workers: dict[str, str]
    run: LocustRun
    steady: list[Row]
    probe_load: dict[str, Row]
    probe_idle: dict[str, Row]
    cpu: list[GroupCpu]
    machine_cpu: float
    errors: dict[str, list[str]]
    statuses: dict[int, int]
    processes: dict[str, int] = field(default_factory=dict)
    room: dict[int, int] = field(default_factory=dict)
    window_s: float = 0.0  # the steady window's length (all rounds' for a pooled result)

    def row(self, name: str) -> Row | None:
        """Return the steady row of ``name`` (any type), if there is one."""
        return next((row for row in self.steady if row.name == name), None)


def pool(results: list[RunResult], label: str) -> RunResult:
    """Return one configuration's rounds as one result: every round's steady requests pooled
    for the rows, CPU and probes as the rounds' mean and median."""
    if len(results) == 1:
        return results[0]
    runs = [result.run for result in results]
    steady = [s for run in runs for s in run.samples if run.steady_start <= s.at <= run.ended_at]
    window = sum(run.ended_at - run.steady_start for run in runs)
    merged = LocustRun(
        samples=[s for run in runs for s in run.samples],
        failures={k: sum(run.failures.get(k, 0) for run in runs) for r in runs for k in r.failures},
        started_at=runs[0].started_at,
        spawned_at=runs[0].spawned_at,
        ended_at=runs[0].ended_at,
        exit_code=max(run.exit_code for run in runs),
        log=runs[0].log,
        pid=runs[0].pid,
    )
    cpu: dict[str, list[GroupCpu]] = {}
    for result in results:
        for group in result.cpu:
            cpu.setdefault(group.name, []).append(group)
    errors: dict[str, list[str]] = {}
    statuses: dict[int, int] = {}
    for result in results:
        for name, lines in result.errors.items():
            errors.setdefault(name, []).extend(lines)
        for code, count in result.statuses.items():
            statuses[code] = statuses.get(code, 0) + count
    return RunResult(
        label=label,
        workers=results[0].workers,
        run=merged,
        steady=rows_of(steady, float("-inf"), float("inf"), window),
        probe_load=_median_rows([result.probe_load for result in results]),
        probe_idle=_median_rows([result.probe_idle for result in results]),
        cpu=sorted(
            (
                GroupCpu(
                    name,
                    max(g.processes for g in groups),
                    statistics.fmean(g.percent for g in groups),
                    max(g.busiest_percent for g in groups),
                )
                for name, groups in cpu.items()
            ),
            key=lambda group: -group.percent,
        ),
        machine_cpu=statistics.fmean(result.machine_cpu for result in results),
        errors=errors,
        statuses=statuses,
        window_s=window,
    )


def _median_rows(per_round: list[dict[str, Row]]) -> dict[str, Row]:
    """Return, per probe, a row of the rounds' median figures."""
    out = {}
    for key in per_round[0]:
        rows = [rows[key] for rows in per_round if key in rows]
        out[key] = Row(
            rows[0].kind,
            rows[0].name,
            sum(row.count for row in rows),
            sum(row.failures for row in rows),
            statistics.median(row.rate for row in rows),
            statistics.median(row.p50 for row in rows),
            statistics.median(row.p95 for row in rows),
            statistics.median(row.p99 for row in rows),
        )
    return out


def service_of(name: str) -> str:
    """Return the service behind a request name (as the gateway routes it), or ``-``."""
    for prefix, service in (
        ("/api/v1/assessment", "assessment"),
        ("/assessment", "assessment"),
        ("/api/v1/reports", "reports"),
        ("/reports", "reports"),
    ):
        if name.startswith(prefix):
            return service
    return "portal" if name.startswith("/") else "-"


def probe_rows(
    samples: list[tuple[float, str, float, int]], start: float, end: float
) -> dict[str, Row]:
    """Return a row per probed path between ``start`` and ``end``, keyed by service."""
    as_samples = [
        Sample(at, "probe", "GET", path, ms, status, status != 200)
        for at, path, ms, status in samples
    ]
    by_path = {row.name: row for row in rows_of(as_samples, start, end)}
    return {svc: by_path[path] for svc, path in PROBES.items() if path in by_path}


def target_of(row: Row) -> float | None:
    """Return the p95 target of a row in ms: answer saves, then every read; None: no target."""
    if row.kind == "PUT" and row.name == ANSWER:
        return SAVE_P95_MS
    if row.kind == "GET":
        return READ_P95_MS
    return None


def _ms(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def print_endpoints(result: RunResult) -> list[Line]:
    """Print the steady window's table; return a verdict line per row with a target."""
    window = result.window_s or result.run.ended_at - result.run.steady_start
    print(
        f"\n{result.label}: per endpoint, steady window of {window:.0f} s (after every user "
        "signed in); ms; baseline = p95 of the same service's /healthz through the gateway in "
        "the same window"
    )
    header = f"  {'type':<5} {'endpoint':<70} {'n':>5} {'req/s':>6} {'err %':>6} "
    print(header + f"{'p50':>6} {'p95':>6} {'p99':>6}   {'baseline':<18} {'target':<11}")
    lines = []
    for row in result.steady:
        probe = result.probe_load.get(service_of(row.name))
        baseline = f"{probe.p95:.1f} ({service_of(row.name)})" if probe else ""
        target = target_of(row)
        verdict = "" if target is None else "PASS" if row.p95 < target else "FAIL"
        print(
            f"  {row.kind:<5} {row.name[:70]:<70} {row.count:>5} {row.rate:>6.2f} "
            f"{row.error_percent:>6.1f} {_ms(row.p50):>6} {_ms(row.p95):>6} {_ms(row.p99):>6}   "
            f"{baseline:<18} {'' if target is None else f'p95 < {target:.0f}':<11} {verdict}"
        )
        if target is not None:
            lines.append(
                Line(
                    f"{row.kind} {row.name}",
                    f"p95 {row.p95:.1f} ms",
                    baseline,
                    "",
                    row.p95 < target,
                )
            )
    total = sum(row.count for row in result.steady)
    print(f"  all: {total} requests, {total / max(window, 1e-9):.1f} requests/s")
    return lines


def print_baseline(result: RunResult) -> None:
    """Print the probes: each service's /healthz idle (before the load) and under it."""
    print("\n  same-run baseline: GET /healthz through the gateway, every 0.5 s (p50 / p95 ms)")
    for service in PROBES:
        idle, load = result.probe_idle.get(service), result.probe_load.get(service)
        if idle and load:
            print(
                f"    {PROBES[service]:<28} idle {idle.p50:5.1f} / {idle.p95:5.1f}   "
                f"under load {load.p50:5.1f} / {load.p95:5.1f}   ({load.count} probes)"
            )


def print_sign_ins(result: RunResult) -> None:
    """Print the sign-ins of the ramp-up (every one of the run)."""
    run = result.run
    rows = [
        row
        for row in rows_of(run.samples, run.started_at, run.ended_at)
        if row.name in ("/login", "/api/v1/portal/auth/login", "/login?next=<path>")
    ]
    print(f"\n  ramp-up ({run.steady_start - run.started_at:.0f} s): sign-ins, all of the run")
    for row in rows:
        print(
            f"    {row.kind:<5} {row.name:<28} n {row.count:>3}  err {row.error_percent:4.1f} %  "
            f"p50 {_ms(row.p50):>6}  p95 {_ms(row.p95):>6}  max {_ms(percentile_of(run, row))} ms"
        )
    names = {row.name for row in rows}
    early = [s for s in run.samples if s.at < run.steady_start and s.name not in names]
    reads = [s.ms for s in early if s.kind == "GET"]
    if reads:
        print(
            f"    other reads meanwhile: n {len(reads)}, p50 {_ms(percentile(reads, 0.5))}, "
            f"p95 {_ms(percentile(reads, 0.95))} ms (no target: the room is signing in)"
        )


def percentile_of(run: LocustRun, row: Row) -> float:
    """Return the slowest time of a row's requests over the whole run."""
    times = [s.ms for s in run.samples if s.name == row.name and s.kind == row.kind]
    return percentile(times, 1.0)


def print_cpu(result: RunResult) -> None:
    """Print each process group's CPU over the steady window (100 % = one core)."""
    print("\n  CPU over the steady window, % of one core (the machine has 2: 200 % in all)")
    ours = 0.0
    for group in result.cpu:
        ours += group.percent
        print(
            f"    {group.name:<34} {group.processes:>3} processes {group.percent:6.1f} %   "
            f"busiest process {group.busiest_percent:5.1f} %"
        )
    others = max(0.0, result.machine_cpu - ours)
    print(f"    machine busy {result.machine_cpu:.0f} %, of which outside this run {others:.0f} %")


def _brief(line: str) -> str:
    """Return a log line shortened: an access-log entry as its request and statuses."""
    try:
        entry = json.loads(line)
    except ValueError:
        return line[:400]
    if "upstream_status" not in entry:
        return line[:400]
    return (
        f"{entry['time']} {entry['method']} {entry['uri']} -> {entry['status']} "
        f"(upstream_status {entry['upstream_status']}, upstream {entry['upstream']})"
    )


def print_errors(result: RunResult) -> list[Line]:
    """Print failures, server errors in the logs and the gateway's statuses; return verdicts."""
    failed = sum(s.failed for s in result.run.samples)
    print(f"\n  failed requests (whole run): {failed} of {len(result.run.samples)}")
    for failure, count in sorted(result.run.failures.items())[:10]:
        print(f"    {count:>4} x {failure}")
    statuses = ", ".join(f"{code}: {n}" for code, n in sorted(result.statuses.items()))
    print(f"  gateway access log, answers by status: {statuses}")
    gateway = len(result.errors.get(NGINX, []))
    served = sum(len(v) for name, v in result.errors.items() if name not in (NGINX, RETRIED))
    print(f"  server-error lines in the logs: {sum(len(v) for v in result.errors.values())}")
    for name, lines in result.errors.items():
        print(f"    {name}: {len(lines)}, first: {_brief(lines[0])}")
    return [
        Line("failed requests (whole run)", str(failed), "", "0", failed == 0),
        Line("5xx answered or in a service log", str(served), "", "0", served == 0),
        Line("gateway error log (upstream failures)", str(gateway), "", "0", gateway == 0),
    ]


def print_processes(result: RunResult) -> None:
    """Print the processes used in the run."""
    workers = ", ".join(f"{svc} {count}" for svc, count in result.workers.items())
    print(f"\n  processes: gunicorn workers {workers} (reports: gthread, 16 threads each)")
    seen = ", ".join(f"{name} {count}" for name, count in sorted(result.processes.items()))
    print(f"  processes seen (incl. masters): {seen}")


def print_room(result: RunResult) -> None:
    """Print the room check: streams opened at once after the run, by status."""
    total = sum(result.room.values())
    refused = total - result.room.get(200, 0)
    statuses = ", ".join(f"{code}: {n}" for code, n in sorted(result.room.items()))
    print(
        f"\n  a room opening the reports page after the run: {total} live streams at once from "
        f"one address -> {statuses} ({refused} refused; information, after the log scan)"
    )


def compare(base: RunResult, scaled: RunResult, service: str) -> None:
    """Print what doubling ``service``'s workers changed and where the next bottleneck is."""
    print(
        f"\nScaling: {service} web {base.workers[service]} -> {scaled.workers[service]} workers, "
        "same mix (p95 ms, steady windows)"
    )
    worst: list[tuple[float, Row]] = []
    for row in scaled.steady:
        before, target = base.row(row.name), target_of(row)
        if before is None or target is None or before.kind != row.kind:
            continue
        worst.append((row.p95 / target, row))
        print(
            f"  {row.kind:<5} {row.name[:70]:<70} {_ms(before.p95):>6} -> {_ms(row.p95):>6}"
            f"   ({service_of(row.name)})"
        )
    print("  CPU, % of one core:")
    before_cpu = {group.name: group for group in base.cpu}
    for group in scaled.cpu[:8]:
        earlier = before_cpu.get(group.name)
        print(
            f"    {group.name:<34} {earlier.percent if earlier else 0:6.1f} -> "
            f"{group.percent:6.1f} %  (busiest process {group.busiest_percent:.0f} %)"
        )
    print(f"    machine busy {base.machine_cpu:.0f} -> {scaled.machine_cpu:.0f} % of 200 %")
    print(verdict(scaled, sorted(worst, key=lambda item: -item[0])))


def verdict(scaled: RunResult, worst: list[tuple[float, Row]]) -> str:
    """Return the sentence naming the next bottleneck from the scaled run's numbers."""
    busiest = next((g for g in scaled.cpu if not g.name.startswith("locust")), None)
    parts = []
    if worst:
        share, row = worst[0]
        parts.append(
            f"slowest against its target: {row.kind} {row.name} p95 {row.p95:.0f} ms "
            f"({share:.0%} of its target, {service_of(row.name)})"
        )
    if busiest is not None:
        parts.append(
            f"busiest process group: {busiest.name} at {busiest.percent:.0f} % of a core "
            f"(its busiest process {busiest.busiest_percent:.0f} %)"
        )
    others = max(0.0, scaled.machine_cpu - sum(group.percent for group in scaled.cpu))
    if scaled.machine_cpu >= 170:
        parts.append("the 2 cores are nearly saturated: more workers only share them")
    if others >= 40:
        parts.append(f"but {others:.0f} % of the machine was work outside this run: run it again")
    return "  next bottleneck: " + "; ".join(parts)
