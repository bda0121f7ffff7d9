"""The scheduled commands (CronJobs in Kubernetes) also run in `make run` and in compose: the
local stack starts deploy/local/every.py for each service that has some, compose loops them."""

import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from stack import SCHEDULERS, Stack

ROOT = Path(__file__).resolve().parents[2]
EVERY = ROOT / "deploy" / "local" / "every.py"


def _cronjob_commands(service: str) -> set[tuple[str, ...]]:
    path = ROOT / "deploy" / "k8s" / "base" / f"{service}.yaml"
    found = set()
    for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")):
        if doc and doc.get("kind") == "CronJob":
            containers = doc["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"]
            found.update(tuple(c["command"]) for c in containers)
    return found


def _runs(log: Path) -> int:
    return log.read_text(encoding="utf-8").count("\n") if log.exists() else 0


def _wait_for(predicate: Any, timeout_s: float = 10.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_the_runner_runs_its_commands_every_interval_survives_a_failure_and_stops_on_sigterm(
    tmp_path: Path,
) -> None:
    log = tmp_path / "runs"
    record = f"{sys.executable} -c \"open({str(log)!r}, 'a').write('run\\n')\""
    argv = [
        sys.executable, str(EVERY), "--interval-s", "0.3",
        "--command", f"{sys.executable} -c 'raise SystemExit(3)'",
        "--command", "/nonexistent/program",
        "--command", record,
    ]  # fmt: skip
    runner = subprocess.Popen(
        argv,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        _wait_for(lambda: _runs(log) >= 3)
        runner.send_signal(signal.SIGTERM)
        output, _ = runner.communicate(timeout=10)
    finally:
        if runner.poll() is None:
            runner.kill()
            runner.wait()
    assert runner.returncode == 0
    assert "exited 3" in output
    assert "/nonexistent/program: could not start" in output
    assert output.count("exited 0") >= 3
    assert output.rstrip().endswith("every: stopped")
    after_stop = _runs(log)
    time.sleep(0.6)
    assert _runs(log) == after_stop


def test_the_runner_stops_a_running_command_on_sigint_without_waiting_for_the_interval(
    tmp_path: Path,
) -> None:
    started = tmp_path / "started"
    command = f"{sys.executable} -c \"import time; open({str(started)!r}, 'w'); time.sleep(60)\""
    runner = subprocess.Popen(
        [sys.executable, str(EVERY), "--interval-s", "3600", "--command", command],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        _wait_for(started.exists)
        began = time.monotonic()
        runner.send_signal(signal.SIGINT)
        output, _ = runner.communicate(timeout=10)
    finally:
        if runner.poll() is None:
            runner.kill()
            runner.wait()
    assert runner.returncode == 0
    assert time.monotonic() - began < 5
    assert "every: stopped" in output


def test_the_runner_refuses_a_missing_command() -> None:
    result = subprocess.run(
        [sys.executable, str(EVERY), "--interval-s", "1"],
        capture_output=True,
        text=True,
        timeout=10,
        check=False,
    )
    assert result.returncode == 2
    assert "give a command" in result.stderr


def test_the_stack_starts_a_scheduler_per_service_with_its_cronjobs_commands(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[str] = []
    stack = Stack(tmp_path, gateway="dispatcher", redis_url="redis://127.0.0.1:1/0")
    for step in ("_check_ports", "_run_once", "_start_gateway", "_wait_ready", "check_alive"):
        monkeypatch.setattr(stack, step, lambda *args, **kwargs: None)
    monkeypatch.setattr(stack, "_add", lambda name, argv: started.append(name))
    monkeypatch.setattr("stack.SETTLE_S", 0.0)
    stack._start()
    assert set(SCHEDULERS) <= set(started)
    assert started.index("assessment-scheduler") > started.index("assessment-web")
    for name, commands in SCHEDULERS.items():
        service = name.removesuffix("-scheduler")
        assert set(commands) == _cronjob_commands(service), name


def test_the_schedulers_run_every_interval_with_the_stacks_programs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SCHEDULER_INTERVAL_S", raising=False)
    default = Stack(tmp_path)._scheduler_argv("reports-scheduler")
    assert default[:6] == [
        sys.executable, str(EVERY), "--interval-s", "3600", "--first-after-s", "60",
    ]  # fmt: skip
    commands = [shlex.split(default[i + 1]) for i, a in enumerate(default) if a == "--command"]
    assert [tuple(c[1:]) for c in commands] == [c[1:] for c in SCHEDULERS["reports-scheduler"]]
    assert all(Path(c[0]).is_absolute() and Path(c[0]).name == "flask" for c in commands)
    quick = Stack(tmp_path, env={"SCHEDULER_INTERVAL_S": "5", "SCHEDULER_FIRST_RUN_S": "0"})
    assert quick._scheduler_argv("assessment-scheduler")[3:6] == ["5", "--first-after-s", "0"]


def test_the_first_round_waits_its_delay_and_a_stop_meanwhile_runs_nothing(
    tmp_path: Path,
) -> None:
    log = tmp_path / "runs"
    record = f"{sys.executable} -c \"open({str(log)!r}, 'a').write('run\\n')\""
    argv = [sys.executable, str(EVERY), "--interval-s", "3600", "--first-after-s", "1.5"]
    delayed = subprocess.Popen([*argv, "--command", record])
    started = time.monotonic()
    _wait_for(lambda: _runs(log) >= 1)
    assert time.monotonic() - started >= 1.5
    delayed.send_signal(signal.SIGTERM)
    assert delayed.wait(timeout=10) == 0

    never = subprocess.Popen([*argv[:-1], "3600", "--command", record])
    time.sleep(0.5)  # the runner is waiting for its first round
    never.send_signal(signal.SIGTERM)
    assert never.wait(timeout=10) == 0
    assert _runs(log) == 1  # the stopped runner ran nothing


def test_compose_runs_the_same_scheduled_commands_in_a_loop() -> None:
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    services = services["services"]
    for name, commands in SCHEDULERS.items():
        service = services[name]
        shell, flag, script = service["command"]
        assert (shell, flag) == ("sh", "-c"), name
        assert script.startswith("while :; do ") and script.endswith("done"), name
        for command in commands:
            assert f"{shlex.join(command)};" in script, (name, command)
        assert 'sleep "$$SCHEDULER_INTERVAL_S"' in script, name
        assert service["environment"]["SCHEDULER_INTERVAL_S"] == "${SCHEDULER_INTERVAL_S:-3600}"
        init = name.replace("-scheduler", "-init")
        assert service["depends_on"][init] == {"condition": "service_completed_successfully"}
