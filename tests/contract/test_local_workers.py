"""The local stack (``make run``, the e2e and fault tests) runs the reports Celery workers as
docker-compose.yml does: one per queue (ADR 0011), each following its queue's setting."""

from pathlib import Path

import pytest
import yaml
from stack import WORKERS, Stack

COMPOSE = Path(__file__).resolve().parents[2] / "docker-compose.yml"


def _option(argv: list[str], name: str) -> str:
    return argv[argv.index(name) + 1]


def test_the_stack_runs_one_worker_per_queue_as_compose_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reports.config import settings

    for setting, _ in WORKERS.values():
        monkeypatch.delenv(setting, raising=False)
    stack = Stack(tmp_path)
    argvs = {name: stack._worker_argv(name) for name in WORKERS}
    compose = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))["services"]
    defaults = settings()
    for name, (setting, _) in WORKERS.items():
        queue = _option(argvs[name], "--queues")
        assert queue == defaults[setting] == _option(compose[name]["command"], "--queues"), name
    assert len({_option(argv, "--hostname") for argv in argvs.values()}) == len(WORKERS)
    assert len({_option(argv, "--pidfile") for argv in argvs.values()}) == len(WORKERS)


def test_the_stacks_workers_follow_the_queue_settings(tmp_path: Path) -> None:
    stack = Stack(tmp_path, env={"REPORTS_CELERY_QUEUE": "b", "REPORTS_DELIVERY_QUEUE": "d"})
    assert _option(stack._worker_argv("reports-worker"), "--queues") == "b"
    assert _option(stack._worker_argv("reports-delivery-worker"), "--queues") == "d"
