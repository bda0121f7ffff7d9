"""The deployment files agree with the code: docker-compose.yml, the Dockerfiles and the gateway.

No Docker engine is needed: the compose file is read as YAML and validated against the compose
specification's JSON schema offline; references between services, and from the file to the code,
are checked here. The gateway template is rendered and checked by the real nginx (``nginx -t``),
then both gateways (nginx and the stdlib dispatcher) are run against small stand-in backends.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import requests
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / ".env.example"
TEMPLATE = ROOT / "deploy" / "gateway" / "gateway.conf.template"
DISPATCHER = ROOT / "deploy" / "local" / "dispatcher.py"
SERVICES = ("portal", "assessment", "reports")

# How the code reads a setting (shared/shared/config.py); the scan below finds every name.
ENV_CALL = re.compile(r'env_(?:str|int|bool|float|list)\(\s*"([A-Z0-9_]+)"')
# Settings every service shares (unprefixed); the others belong to one service: <SERVICE>_<KEY>.
SHARED_NAMES = {"REDIS_URL"}
SHARED_PREFIXES = ("AUTH_", "LOG_")
# Names the code builds at run time, which the scan cannot see ({SVC} = the service, upper case).
DYNAMIC = {
    "{SVC}_DATABASE_URL": "shared.config.database_url(service) reads it",
}

# Settings a deployment may leave unset, each with the reason its default is right there.
# Anything else the code reads (of the service's own prefix or the shared set) must be set in
# every compose service that runs that code. Keep this list short and the reasons true.
OPTIONAL = {
    # shared
    "AUTH_ADMINISTRATION_CLAIM": "claim name agreed by the issuer and every verifier: the "
    "defaults match; only ever changed everywhere at once",
    "AUTH_ROLES_CLAIM": "claim name agreed by the issuer and every verifier (as above)",
    "AUTH_REVOCATIONS_REFRESH_S": "how often each process re-reads the revoked subjects: the "
    "default (5 s) bounds how long a deactivated user's token still works",
    "EVENTS_HEARTBEAT_STALE_S": "how long a loop may go without finishing a round: the default "
    "(30 s) is far above a round's length and below the health check's window",
    # portal
    "PORTAL_TOKEN_TTL_S": "token lifetime: the default (1 h) is the product's choice",
    "PORTAL_CLIENT_TOKEN_TTL_S": "machine-client token lifetime: default (15 min) is intended",
    "PORTAL_KEY_ACTIVATION_S": "delay before a rotated key signs; default exceeds the "
    "verifiers' JWKS refetch interval",
    "PORTAL_ARGON2_TIME_COST": "password hashing cost: the default is the production setting",
    "PORTAL_ARGON2_MEMORY_KIB": "password hashing memory: the default is the production setting",
    "PORTAL_ARGON2_PARALLELISM": "password hashing lanes: the default is the production setting",
    "PORTAL_CACHE_TTL_S": "catalogue read cache lifetime: writes invalidate it at once; the "
    "default (5 min) only bounds memory",
    "PORTAL_SIGNIN_ADDRESS_LIMIT": "failed sign-ins per account and address: the default (10) "
    "is the product's choice against password guessing",
    "PORTAL_SIGNIN_ACCOUNT_LIMIT": "failed sign-ins per account from all addresses (30)",
    "PORTAL_SIGNIN_WINDOW_S": "how long failures count (5 min): short, so nobody locks an "
    "officer out for long",
    "PORTAL_FORUM_EDIT_WINDOW_S": "how long a member may edit a post (15 minutes): a rule of "
    "the community, not a deployment choice",
    "PORTAL_FORUM_POSTS_PER_CALLER": "forum posts per caller and window (10 a minute): the "
    "default suits a discussion; raised only by the community's policy",
    "PORTAL_FORUM_POSTS_WINDOW_S": "the window of PORTAL_FORUM_POSTS_PER_CALLER (60 s)",
    "PORTAL_FILE_STORE": "members' files: the default (local, under the data folder) suits one "
    "machine; a deployment of several replicas sets s3",
    "PORTAL_FILE_DIR": "only with PORTAL_FILE_STORE=local: the default is under DATA_DIR",
    "PORTAL_S3_ENDPOINT_URL": "only with PORTAL_FILE_STORE=s3 (empty: AWS itself)",
    "PORTAL_S3_BUCKET": "only with PORTAL_FILE_STORE=s3",
    "PORTAL_S3_REGION": "only with PORTAL_FILE_STORE=s3: MinIO and most servers accept the "
    "default (us-east-1)",
    "PORTAL_UPLOAD_MAX_BYTES": "each uploaded file (32 MiB): the gateway's body limit on the "
    "contributions path is sized for it; change both together",
    # assessment
    "ASSESSMENT_MAX_TITLE_LENGTH": "a validation limit of the product, not a deployment choice",
    "ASSESSMENT_IMPORT_MAX_BYTES": "each uploaded file (32 MiB): the gateway's 33m on the import "
    "paths is sized for it; change both together",
    "ASSESSMENT_IMPORT_LEASE_S": "how long a dead importer's job waits before another resumes "
    "it (60 s): well above a batch's length",
    "ASSESSMENT_IMPORT_BATCH": "rows per committed batch (2,000): measured in bench/",
    "ASSESSMENT_IMPORT_MAX_PROBLEMS": "problems kept per job (10,000; the rest are counted)",
    "ASSESSMENT_IMPORT_POLL_S": "how often an idle importer looks for jobs without a wake-up",
    "ASSESSMENT_PEER_MIN_ADMINISTRATIONS": "the peer aggregates' k-threshold (5, never lower: the "
    "service refuses to start below it); raised only deliberately, by policy",
    # reports
    "REPORTS_CELERY_QUEUE": "default 'reports' is the queue the worker's --queues names",
    "REPORTS_DELIVERY_QUEUE": "default 'reports-deliveries' is the queue the delivery worker's "
    "--queues names",
    "REPORTS_VISIBILITY_TIMEOUT_S": "default stays above REPORTS_TASK_TIME_LIMIT_S's default",
    "REPORTS_TASK_TIME_LIMIT_S": "default fits the report builds; tune only with the timeout",
    "REPORTS_FILE_STORE": "default keeps report files in the reports database; set it for an "
    "S3-compatible store",
    "REPORTS_UNACKED_RESTORE_INTERVAL_S": "sweep period for tasks of dead workers: the default "
    "(10 s) is small beside the visibility timeout",
    "REPORTS_WEBHOOK_TIMEOUT_S": "webhook time-out: the default (5 s) is the product's choice",
    "REPORTS_WEBHOOK_MAX_ATTEMPTS": "webhook attempts: the default (6) is the product's choice",
    "REPORTS_WEBHOOK_BACKOFF_S": "first webhook retry wait: default (10 s, doubling) intended",
    "REPORTS_WEBHOOK_BACKOFF_MAX_S": "longest webhook retry wait: the default stays below half "
    "the default visibility timeout",
    "REPORTS_WEBHOOK_ALLOW_PRIVATE": "off by default: webhooks only reach public addresses; "
    "set it only where receivers are on an internal network",
    "REPORTS_WEBHOOK_MAX_ENDPOINTS": "a limit of the product (10 per administration)",
    "REPORTS_SSE_HEARTBEAT_S": "live stream heartbeat: the default (15 s) suits proxies",
    "REPORTS_SSE_MAX_AGE_S": "live stream lifetime: the default (5 min) is intended",
    "REPORTS_SSE_RETRY_MS": "browser reconnect delay: the default (3 s) is intended",
    "REPORTS_SSE_MAX_STREAMS": "streams per web process: the default (12) stays below the "
    "image's 16 gunicorn threads",
    "REPORTS_SMTP_HOST": "e-mail is optional: unset, notifications stay in-app (and SSE)",
    "REPORTS_SMTP_PORT": "only with REPORTS_SMTP_HOST",
    "REPORTS_SMTP_FROM": "only with REPORTS_SMTP_HOST",
    "REPORTS_SMTP_USERNAME": "only with REPORTS_SMTP_HOST, for a server that wants a login",
    "REPORTS_SMTP_PASSWORD": "only with REPORTS_SMTP_HOST, for a server that wants a login",
    "REPORTS_SMTP_STARTTLS": "only with REPORTS_SMTP_HOST",
    "REPORTS_SMTP_TIMEOUT_S": "only with REPORTS_SMTP_HOST",
    "REPORTS_TEST_BUILD_DELAY_S": "test hook only (a pause mid-build); never set in a deployment",
}


# ------------------------------------------------------------------------------------ helpers
def _compose() -> dict[str, Any]:
    data = yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return _compose()


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    result = compose["services"]
    assert isinstance(result, dict)
    return result


def _command(service: dict[str, Any]) -> list[str]:
    command = service.get("command", [])
    return shlex.split(command) if isinstance(command, str) else [str(c) for c in command]


def _environment(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment", {})
    if isinstance(env, list):
        return dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {str(k): "" if v is None else str(v) for k, v in env.items()}


def _option(argv: list[str], *names: str) -> str | None:
    for index, arg in enumerate(argv):
        for name in names:
            if arg == name and index + 1 < len(argv):
                return argv[index + 1]
            if arg.startswith(name + "="):
                return arg.split("=", 1)[1]
    return None


def _package_dir(package: str) -> Path:
    return ROOT / "services" / package / package


def _app_package(service: dict[str, Any]) -> str | None:
    """Which of our packages a compose service runs (from its command), if any."""
    argv = _command(service)
    if not argv:
        return None
    program = Path(argv[0]).name
    if program == "flask":
        app = _option(argv, "--app", "-A")
        return app.split(":")[0].split(".")[0] if app else None
    if program == "gunicorn":
        return argv[-1].split(":")[0].split(".")[0]
    if program == "celery":
        app = _option(argv, "-A", "--app")
        return app.split(".")[0] if app else None
    return None


def _bind_port(service: dict[str, Any]) -> int | None:
    argv = _command(service)
    if not argv or Path(argv[0]).name != "gunicorn":
        return None
    bind = _option(argv, "--bind", "-b")
    assert bind, f"gunicorn without --bind: {argv}"
    return int(bind.rsplit(":", 1)[1])


def _module_file(dotted: str) -> Path:
    package, *rest = dotted.split(".")
    base = _package_dir(package)
    if not rest:
        return base / "__init__.py"
    as_module = base.joinpath(*rest).with_suffix(".py")
    return as_module if as_module.exists() else base.joinpath(*rest, "__init__.py")


def settings_read_by(folder: Path) -> set[str]:
    """Every setting name read through shared.config's env_* functions under ``folder``."""
    names: set[str] = set()
    for path in folder.rglob("*.py"):
        if "tests" in path.relative_to(folder).parts:
            continue
        names.update(ENV_CALL.findall(path.read_text(encoding="utf-8")))
    return names


def required_settings(package: str) -> set[str]:
    """What a compose service running ``package`` must set (before the OPTIONAL list)."""
    read = settings_read_by(ROOT / "shared" / "shared") | settings_read_by(_package_dir(package))
    read |= {name.replace("{SVC}", package.upper()) for name in DYNAMIC}
    own = f"{package.upper()}_"
    return {
        name
        for name in read
        if name.startswith(own) or name in SHARED_NAMES or name.startswith(SHARED_PREFIXES)
    }


def _gateway(services: dict[str, dict[str, Any]]) -> tuple[str, dict[str, Any]]:
    found = [(n, s) for n, s in services.items() if str(s.get("image", "")).startswith("nginx")]
    assert len(found) == 1, "exactly one nginx gateway service expected"
    return found[0]


# ------------------------------------------------------------------------- compose contract
def test_compose_file_matches_the_compose_schema() -> None:
    checker = Path(sys.executable).parent / "check-jsonschema"
    assert checker.exists(), f"{checker} missing: run `uv sync --all-packages`"
    result = subprocess.run(
        [str(checker), "--builtin-schema", "vendor.compose-spec", str(COMPOSE_FILE)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_builds_point_at_existing_dockerfiles(services: dict[str, dict[str, Any]]) -> None:
    built = {n: s for n, s in services.items() if "build" in s}
    assert built, "no service builds an image"
    for name, service in built.items():
        build = service["build"]
        context = ROOT / (build if isinstance(build, str) else build.get("context", "."))
        dockerfile = context / (
            "Dockerfile" if isinstance(build, str) else build.get("dockerfile", "Dockerfile")
        )
        assert context.is_dir(), f"{name}: build context {context} missing"
        assert dockerfile.is_file(), f"{name}: {dockerfile} missing"
        package = _app_package(service)
        if package:
            text = dockerfile.read_text(encoding="utf-8")
            assert f"--package smartcustoms-{package}" in text, (
                f"{name} runs {package} but {dockerfile.name} installs another package"
            )


@pytest.mark.parametrize("svc", SERVICES)
def test_dockerfile_copies_existing_paths(svc: str) -> None:
    dockerfile = ROOT / "deploy" / "docker" / f"{svc}.Dockerfile"
    text = dockerfile.read_text(encoding="utf-8")
    assert "USER " in text and "USER root" not in text, "images run as a non-root user"
    assert "HEALTHCHECK" in text
    for line in text.splitlines():
        parts = line.split()
        if parts[:1] != ["COPY"] or any(p.startswith("--from") for p in parts):
            continue
        for source in parts[1:-1]:
            assert (ROOT / source).exists(), f"{dockerfile.name}: COPY source {source} missing"


@pytest.mark.parametrize("svc", SERVICES)
def test_dockerfile_compiles_every_catalog_the_image_speaks_from(svc: str) -> None:
    # A domain left out is not an error at run time: each process compiles its .po files in
    # memory on first use, in every replica. The image compiles them once, at build.
    text = (ROOT / "deploy" / "docker" / f"{svc}.Dockerfile").read_text(encoding="utf-8")
    found = re.search(r"RUN for domain in ([\w ]+); do", text)
    assert found, f"{svc}.Dockerfile compiles no catalog"
    with_catalogs = {
        domain
        for domain, package in (("shared", ROOT / "shared" / "shared"),
                                (svc, ROOT / "services" / svc / svc))
        if (package / "translations").is_dir()
    }  # fmt: skip
    assert set(found.group(1).split()) == with_catalogs


def test_commands_refer_to_real_code(services: dict[str, dict[str, Any]]) -> None:
    for name, service in services.items():
        argv = _command(service)
        program = Path(argv[0]).name if argv else None
        if program == "flask":
            app = _option(argv, "--app", "-A")
            assert app, f"{name}: flask without --app"
            assert (_package_dir(app) / "__init__.py").is_file(), f"{name}: no package {app}"
        elif program == "gunicorn":
            module, _, factory = argv[-1].partition(":")
            path = _module_file(module)
            assert path.is_file(), f"{name}: gunicorn app module {module} missing ({path})"
            attribute = factory.split("(")[0]
            assert re.search(rf"\b{attribute}\b", path.read_text(encoding="utf-8")), (
                f"{name}: {path} has no {attribute}"
            )
        elif program == "celery":
            app = _option(argv, "-A", "--app")
            assert app, f"{name}: celery without -A"
            assert _module_file(app).is_file(), f"{name}: celery app module {app} missing"


def test_every_app_service_sets_what_the_code_needs(services: dict[str, dict[str, Any]]) -> None:
    problems = []
    for name, service in services.items():
        package = _app_package(service)
        if package is None:
            continue
        missing = required_settings(package) - set(_environment(service)) - set(OPTIONAL)
        if missing:
            problems.append(f"{name} ({package}) does not set {sorted(missing)}")
    assert not problems, (
        "\n".join(problems) + "\nSet them in docker-compose.yml, or add them with a reason to "
        "OPTIONAL in this test."
    )


def test_optional_list_names_settings_the_code_reads() -> None:
    read = settings_read_by(ROOT / "shared" / "shared")
    for svc in SERVICES:
        read |= settings_read_by(_package_dir(svc))
    stale = sorted(set(OPTIONAL) - read)
    assert not stale, f"OPTIONAL lists settings no code reads any more: {stale}"


def celery_workers(services: dict[str, dict[str, Any]]) -> dict[str, str]:
    """Return each compose service running a Celery worker with the queues it consumes."""
    found = {}
    for name, service in services.items():
        argv = _command(service)
        if argv and Path(argv[0]).name == "celery" and "worker" in argv:
            queues = _option(argv, "--queues", "-Q")
            assert queues, f"{name}: a worker without --queues consumes every queue"
            found[name] = queues
    return found


def test_builds_and_deliveries_each_have_their_own_worker(
    services: dict[str, dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    from reports.config import settings

    for name in ("REPORTS_CELERY_QUEUE", "REPORTS_DELIVERY_QUEUE"):
        monkeypatch.delenv(name, raising=False)
    defaults = settings()
    workers = celery_workers(services)
    assert workers == {
        "reports-worker": defaults["REPORTS_CELERY_QUEUE"],
        "reports-delivery-worker": defaults["REPORTS_DELIVERY_QUEUE"],
    }
    build, delivery = (services[name] for name in workers)
    assert delivery["image"] == build["image"] and delivery["build"] == build["build"], "one image"
    assert _environment(delivery) == _environment(build)
    assert delivery["healthcheck"] == build["healthcheck"]
    # warm shutdown: the grace period outlasts one attempt of a delivery (its time-out)
    grace = int(str(delivery["stop_grace_period"]).removesuffix("s"))
    assert grace > max(defaults["REPORTS_WEBHOOK_TIMEOUT_S"], defaults["REPORTS_SMTP_TIMEOUT_S"])


def test_dependencies_exist_and_can_be_met(services: dict[str, dict[str, Any]]) -> None:
    for name, service in services.items():
        depends = service.get("depends_on", {})
        items = (
            {d: {"condition": "service_started"} for d in depends}
            if isinstance(depends, list)
            else depends
        )
        for target, spec in items.items():
            assert target in services, f"{name} depends on unknown service {target}"
            assert target != name
            condition = spec.get("condition", "service_started")
            other = services[target]
            if condition == "service_healthy":
                check = other.get("healthcheck", {})
                assert check and not check.get("disable"), (
                    f"{name} waits for {target} to be healthy, but {target} has no healthcheck"
                )
            if condition == "service_completed_successfully":
                assert str(other.get("restart", "no")) == "no", f"{target} is one-shot"
            assert "profiles" not in other or "profiles" in service, (
                f"{name} depends on {target}, which only starts with a profile"
            )


def test_web_healthchecks_use_the_bound_port(services: dict[str, dict[str, Any]]) -> None:
    for name, service in services.items():
        port = _bind_port(service)
        if port is None:
            continue
        test = " ".join(service.get("healthcheck", {}).get("test", []))
        assert f":{port}/" in test, f"{name}: healthcheck does not probe port {port}: {test}"


def test_event_processes_are_checked_by_their_heartbeat(
    services: dict[str, dict[str, Any]],
) -> None:
    event_processes = [n for n, svc in services.items() if _command(svc)[-2:] == ["events", "run"]]
    assert len(event_processes) == 3, event_processes
    for name in event_processes:
        service = services[name]
        assert _environment(service).get("EVENTS_HEARTBEAT_FILE"), f"{name}: no heartbeat file"
        check = service.get("healthcheck", {})
        assert not check.get("disable"), f"{name}: health check switched off"
        assert "$$EVENTS_HEARTBEAT_FILE" in " ".join(check.get("test", [])), name


def test_gateway_upstreams_match_the_services(services: dict[str, dict[str, Any]]) -> None:
    name, gateway = _gateway(services)
    env = _environment(gateway)
    for svc in SERVICES:
        upstream = env.get(f"{svc.upper()}_UPSTREAM")
        assert upstream, f"{name} has no {svc.upper()}_UPSTREAM"
        host, _, port = upstream.rpartition(":")
        assert host in services, f"{svc.upper()}_UPSTREAM names unknown service {host}"
        assert _app_package(services[host]) == svc, f"{host} does not run {svc}"
        assert _bind_port(services[host]) == int(port), (
            f"{svc.upper()}_UPSTREAM port {port} is not the port {host} binds"
        )
        depends = gateway.get("depends_on", {})
        assert host in depends, f"{name} should wait for {host}"


def test_gateway_template_is_mounted_and_filled(services: dict[str, dict[str, Any]]) -> None:
    name, gateway = _gateway(services)
    mounts = [str(v) for v in gateway.get("volumes", [])]
    template_mount = [m for m in mounts if m.split(":")[0].endswith("gateway.conf.template")]
    assert template_mount, f"{name} does not mount the gateway template"
    assert template_mount[0].split(":")[1].startswith("/etc/nginx/templates/")
    placeholders = set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)\}", TEMPLATE.read_text("utf-8")))
    missing = placeholders - set(_environment(gateway))
    assert not missing, f"{name} does not set template placeholders {sorted(missing)}"
    published = [str(p) for p in gateway.get("ports", [])]
    assert any(p.endswith(f":{_environment(gateway)['GATEWAY_PORT']}") for p in published)


def test_only_the_gateway_publishes_ports(services: dict[str, dict[str, Any]]) -> None:
    name, _ = _gateway(services)
    publishing = sorted(n for n, s in services.items() if s.get("ports"))
    assert publishing == [name]


def test_bind_mounts_exist(services: dict[str, dict[str, Any]]) -> None:
    for name, service in services.items():
        for volume in service.get("volumes", []):
            source = str(volume).split(":")[0]
            if source.startswith((".", "/")):
                assert (ROOT / source).exists(), f"{name}: mounted {source} missing"


def test_no_secret_is_written_in_the_compose_file() -> None:
    text = COMPOSE_FILE.read_text(encoding="utf-8")
    secret_setting = re.compile(
        r"^\s*([A-Z0-9_]*(?:PASSWORD|SECRET|TOKEN|KEY_PEM)[A-Z0-9_]*):\s*(.*)$", re.M
    )
    for match in secret_setting.finditer(text):
        assert match.group(2).startswith("${"), f"{match.group(1)}: set it from the environment"
    for match in re.finditer(r"://[^:/@\s]+:([^@\s]+)@", text):
        assert match.group(1).startswith("${"), f"a URL embeds a password: {match.group(0)}"
    assert "${POSTGRES_PASSWORD:?" in text, "POSTGRES_PASSWORD must be required, not defaulted"


def test_env_example_documents_every_interpolated_variable() -> None:
    used = set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)", COMPOSE_FILE.read_text(encoding="utf-8")))
    documented = set(re.findall(r"^([A-Z][A-Z0-9_]*)=", ENV_EXAMPLE.read_text("utf-8"), re.M))
    assert used - documented == set(), f".env.example lacks {sorted(used - documented)}"


@pytest.mark.parametrize("svc", SERVICES)
def test_web_worker_count_is_one_setting_everywhere(
    svc: str, services: dict[str, dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = importlib.util.spec_from_file_location("stack", ROOT / "deploy" / "local" / "stack.py")
    assert spec and spec.loader
    stack = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(stack)
    setting = f"{svc.upper()}_WEB_WORKERS"
    monkeypatch.delenv(setting, raising=False)
    default = stack.web_workers(svc)
    expected = f"${{{setting}:-{default}}}"
    web = [s for s in services.values() if _command(s)[:1] == ["gunicorn"]]
    commands = [_command(s) for s in web if _command(s)[-1] == f"{svc}:create_app()"]
    assert commands, f"no compose service runs {svc}'s web app"
    for argv in commands:
        assert argv[argv.index("--workers") + 1] == expected
    dockerfile = (ROOT / "deploy" / "docker" / f"{svc}.Dockerfile").read_text(encoding="utf-8")
    assert f'exec gunicorn --workers \\"{expected}\\"' in dockerfile
    monkeypatch.setenv(setting, "7")
    assert stack.web_workers(svc) == "7"


def test_postgres_init_creates_each_service_database(services: dict[str, dict[str, Any]]) -> None:
    script = ROOT / "deploy" / "postgres" / "init-databases.sh"
    text = script.read_text(encoding="utf-8")
    assert "portal assessment reports" in text
    for svc in SERVICES:
        for name, service in services.items():
            url = _environment(service).get(f"{svc.upper()}_DATABASE_URL")
            if url:
                assert url.startswith("postgresql+psycopg://"), f"{name}: {url}"
                assert url.endswith(f"/{svc}"), f"{name}: {svc} must use its own database"


# ---------------------------------------------------------------------------------- gateway
def _load_render() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "gateway_render", ROOT / "deploy" / "gateway" / "render.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def nginx_bin() -> str:
    found = shutil.which("nginx") or (
        "/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None
    )
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("nginx is required in CI (apt-get install nginx-light)")
        pytest.skip("nginx is not installed")
    return found


def test_rendered_nginx_config_is_valid(nginx_bin: str, tmp_path: Path) -> None:
    conf = _load_render().render_local(tmp_path / "gateway", {"GATEWAY_PORT": str(_free_port())})
    result = subprocess.run(
        [nginx_bin, "-t", "-p", str(conf.parent), "-c", str(conf)],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (conf.parent / "gateway.conf").is_file()
    assert "${" not in conf.read_text(encoding="utf-8")


def test_render_refuses_a_missing_placeholder() -> None:
    with pytest.raises(KeyError, match="GATEWAY_PORT"):
        _load_render().render_template("listen ${GATEWAY_PORT};", {})


class _Backend(BaseHTTPRequestHandler):
    """Stands in for a service: echoes what it received, plus a few special paths."""

    protocol_version = "HTTP/1.1"
    service = "?"

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if self.path.endswith("/drop"):
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if self.path.startswith("/api/v1/reports/notifications/stream"):
            self._stream()
            return
        payload = {
            "service": self.service,
            "method": self.command,
            "path": self.path,
            "headers": {k.lower(): v for k, v in self.headers.items()},
            "body_length": len(body),
        }
        data = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Set-Cookie", "one=1")
        self.send_header("Set-Cookie", "two=2")
        self.end_headers()
        self.wfile.write(data)

    def _stream(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for index in range(2):
            event = f"data: {index}\n\n".encode()
            self.wfile.write(b"%x\r\n%s\r\n" % (len(event), event))
            self.wfile.flush()
            if index == 0:
                time.sleep(1.0)
        self.wfile.write(b"0\r\n\r\n")

    def do_GET(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        self._answer()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def backends() -> Iterator[dict[str, int]]:
    servers = {}
    for svc in SERVICES:
        handler = type(f"{svc}Backend", (_Backend,), {"service": svc})
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers[svc] = server
    yield {svc: int(server.server_address[1]) for svc, server in servers.items()}
    for server in servers.values():
        server.shutdown()
        server.server_close()


def _wait_up(url: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        assert proc.poll() is None, "the gateway exited at start"
        try:
            if requests.get(url, timeout=1).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.05)
    pytest.fail(f"gateway not answering at {url}")


@pytest.fixture(scope="module", params=["nginx", "dispatcher"])
def gateway_under_test(
    request: pytest.FixtureRequest,
    backends: dict[str, int],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[str]:
    port = _free_port()
    upstreams = {svc: f"127.0.0.1:{backends[svc]}" for svc in SERVICES}
    if request.param == "nginx":
        nginx = request.getfixturevalue("nginx_bin")
        prefix = tmp_path_factory.mktemp("nginx")
        overrides = {"GATEWAY_PORT": str(port)}
        overrides.update({f"{svc.upper()}_UPSTREAM": upstreams[svc] for svc in SERVICES})
        conf = _load_render().render_local(prefix, overrides)
        argv = [nginx, "-p", str(prefix), "-c", str(conf), "-g", "daemon off;"]
    else:
        argv = [sys.executable, str(DISPATCHER), "--port", str(port)]
        for svc in SERVICES:
            argv += [f"--{svc}", upstreams[svc]]
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_up(f"{url}/gateway/healthz", proc)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


ROUTES = {
    "/": "portal",
    "/resources?lang=fr": "portal",
    "/.well-known/jwks.json": "portal",
    "/.well-known/openid-configuration": "portal",
    "/api/v1/portal/healthz": "portal",
    "/api/v1/portal/docs": "portal",
    "/assessment": "assessment",
    "/assessment/sessions/1": "assessment",
    "/api/v1/assessment/readyz": "assessment",
    "/reports": "reports",
    "/reports/files/2": "reports",
    "/api/v1/reports/readyz": "reports",
}


@pytest.mark.gateway
@pytest.mark.parametrize(("path", "service"), ROUTES.items())
def test_gateway_routes_by_prefix(gateway_under_test: str, path: str, service: str) -> None:
    response = requests.get(gateway_under_test + path, timeout=5)
    assert response.status_code == 200
    assert response.json()["service"] == service
    assert response.json()["path"] == path  # no rewrite


@pytest.mark.gateway
@pytest.mark.parametrize("path", ["/metrics", "/metrics/extra", "/api/v1/unknown/things"])
def test_gateway_answers_404_problems_itself(gateway_under_test: str, path: str) -> None:
    response = requests.get(gateway_under_test + path, timeout=5)
    assert response.status_code == 404
    assert response.headers["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert {"type", "title", "status", "detail", "code"} <= set(body)
    assert body["status"] == 404 and body["code"] == "not_found"


@pytest.mark.gateway
def test_gateway_forwards_headers_and_body(gateway_under_test: str) -> None:
    traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
    response = requests.post(
        gateway_under_test + "/api/v1/assessment/things",
        data=b"x" * 5000,
        headers={"X-Request-ID": "req-123", "traceparent": traceparent, "X-Custom": "kept"},
        timeout=5,
    )
    assert response.status_code == 200
    seen = response.json()
    assert seen["method"] == "POST" and seen["body_length"] == 5000
    headers = seen["headers"]
    assert headers["x-request-id"] == "req-123"
    assert headers["traceparent"] == traceparent
    assert headers["x-custom"] == "kept"
    assert headers["x-forwarded-for"] == "127.0.0.1"
    assert headers["x-forwarded-proto"] == "http"
    assert headers["host"] == gateway_under_test.removeprefix("http://")
    assert response.headers["X-Request-ID"] == "req-123"
    assert response.cookies.get("one") == "1" and response.cookies.get("two") == "2"


@pytest.mark.gateway
def test_gateway_replaces_an_unsafe_request_id(gateway_under_test: str) -> None:
    response = requests.get(
        gateway_under_test + "/", headers={"X-Request-ID": "bad id\t<x>"}, timeout=5
    )
    sent = response.json()["headers"]["x-request-id"]
    assert re.fullmatch(r"[A-Za-z0-9._:-]{8,128}", sent)
    assert response.headers["X-Request-ID"] == sent


@pytest.mark.gateway
def test_gateway_sets_security_headers(gateway_under_test: str) -> None:
    for path in ("/", "/metrics"):
        headers = requests.get(gateway_under_test + path, timeout=5).headers
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"]
        assert "default-src 'self'" in headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert "Strict-Transport-Security" not in headers  # plain http
        assert "unsafe-inline" not in headers["Content-Security-Policy"]
    docs = requests.get(gateway_under_test + "/api/v1/assessment/docs", timeout=5).headers
    assert "script-src 'self' 'unsafe-inline'" in docs["Content-Security-Policy"]


@pytest.mark.gateway
def test_gateway_limits_the_body_size(gateway_under_test: str) -> None:
    response = requests.post(
        gateway_under_test + "/api/v1/portal/things", data=b"x" * (1024 * 1024 + 1), timeout=10
    )
    assert response.status_code == 413
    assert response.headers["Content-Type"].startswith("application/problem+json")
    assert response.json()["code"] == "payload_too_large"


@pytest.mark.gateway
@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/portal/contributions",
        "/api/v1/portal/contributions/c-1/versions",
        "/contribute",
        "/contributions/c-1/versions",
    ],
)
def test_gateway_takes_member_files_on_the_upload_paths_only(
    gateway_under_test: str, path: str
) -> None:
    body = b"x" * (2 * 1024 * 1024)
    response = requests.post(gateway_under_test + path, data=body, timeout=10)
    assert response.status_code == 200 and response.json()["body_length"] == len(body)
    assert response.json()["service"] == "portal"
    elsewhere = requests.post(gateway_under_test + path + "/other", data=body, timeout=10)
    assert elsewhere.status_code == 413


@pytest.mark.gateway
def test_gateway_turns_a_broken_upstream_into_502(gateway_under_test: str) -> None:
    response = requests.get(gateway_under_test + "/api/v1/reports/drop", timeout=10)
    assert response.status_code == 502
    assert response.headers["Content-Type"].startswith("application/problem+json")
    assert response.json()["code"] == "service_unavailable"


@pytest.mark.gateway
def test_gateway_streams_server_sent_events(gateway_under_test: str) -> None:
    started = time.monotonic()
    with requests.get(
        gateway_under_test + "/api/v1/reports/notifications/stream", stream=True, timeout=10
    ) as response:
        assert response.status_code == 200
        lines = response.iter_lines()
        first = next(line for line in lines if line)
        first_at = time.monotonic() - started
        rest = [line for line in lines if line]
    assert first == b"data: 0"
    assert rest == [b"data: 1"]
    assert first_at < 0.8, f"first event after {first_at:.2f} s: the gateway buffered the stream"


# The gateway's limits are flood guards per address (an administration is one address); the
# limits per account and per caller are the services'. A small configured guard keeps this fast.
FLOOD_GUARD = {
    "GATEWAY_LOGIN_RATE": "6r/m",
    "GATEWAY_LOGIN_BURST": "3",
    "GATEWAY_WRITE_RATE": "6r/m",
    "GATEWAY_WRITE_BURST": "3",
}


@pytest.fixture
def guarded_nginx(
    nginx_bin: str, backends: dict[str, int], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """An nginx gateway (fresh counters) with the small ``FLOOD_GUARD`` limits."""
    port = _free_port()
    prefix = tmp_path_factory.mktemp("nginx-guarded")
    overrides = {"GATEWAY_PORT": str(port), **FLOOD_GUARD}
    overrides.update({f"{svc.upper()}_UPSTREAM": f"127.0.0.1:{backends[svc]}" for svc in SERVICES})
    conf = _load_render().render_local(prefix, overrides)
    argv = [nginx_bin, "-p", str(prefix), "-c", str(conf), "-g", "daemon off;"]
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_up(f"{url}/gateway/healthz", proc)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _assert_gateway_429(response: requests.Response) -> None:
    assert response.status_code == 429
    assert response.headers["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["code"] == "rate_limited" and body["status"] == 429
    assert "Retry-After" in body["detail"] and "bulk-answers" in body["detail"]
    assert body["request_id"] == response.headers["X-Request-ID"]
    assert response.headers["Retry-After"] == "1"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.gateway
@pytest.mark.parametrize("gateway_under_test", ["nginx"], indirect=True)  # dispatcher: no limits
def test_nginx_lets_a_room_sign_in_from_one_address_by_default(gateway_under_test: str) -> None:
    # A workshop of 40 officers behind one address, each through the API or the sign-in form.
    assert requests.get(gateway_under_test + "/", timeout=5).headers["Server"] == "nginx"
    api = [
        requests.post(gateway_under_test + "/api/v1/portal/auth/login", json={}, timeout=5)
        for _ in range(40)
    ]
    form = [
        requests.post(gateway_under_test + "/login", data={"email": "a@b.example"}, timeout=5)
        for _ in range(40)
    ]
    assert [r.status_code for r in api + form] == [200] * 80  # all reached the stand-in


@pytest.mark.gateway
def test_nginx_guards_logins_against_a_flood(guarded_nginx: str) -> None:
    login = guarded_nginx + "/api/v1/portal/auth/login"
    assert all(requests.get(login, timeout=5).status_code == 200 for _ in range(8))  # reads
    statuses = [requests.post(login, json={}, timeout=5) for _ in range(8)]
    limited = [r for r in statuses if r.status_code == 429]
    assert limited, [r.status_code for r in statuses]
    _assert_gateway_429(limited[0])


@pytest.mark.gateway
def test_nginx_guards_the_sign_in_form_as_the_login_api(guarded_nginx: str) -> None:
    form = guarded_nginx + "/login"
    assert all(requests.get(form, timeout=5).status_code == 200 for _ in range(8))  # reads
    statuses = [
        requests.post(form, data={"email": "a@b.example"}, timeout=5).status_code for _ in range(8)
    ]
    assert 429 in statuses, statuses


@pytest.mark.gateway
def test_nginx_guards_writes_against_a_flood(guarded_nginx: str) -> None:
    things = guarded_nginx + "/api/v1/assessment/things"
    statuses = [requests.post(things, json={}, timeout=5) for _ in range(8)]
    limited = [r for r in statuses if r.status_code == 429]
    assert limited, [r.status_code for r in statuses]
    _assert_gateway_429(limited[0])
    assert requests.get(things, timeout=5).status_code == 200  # reads are never limited


def test_gateway_limit_defaults_agree(services: dict[str, dict[str, Any]]) -> None:
    # render.py (local runs and tests), docker-compose.yml and .env.example state one default.
    defaults = _load_render().DEFAULTS
    _, gateway = _gateway(services)
    example = dict(
        line.split("=", 1)
        for line in ENV_EXAMPLE.read_text("utf-8").splitlines()
        if line.startswith("GATEWAY_")
    )
    for name in ("LOGIN_RATE", "LOGIN_BURST", "WRITE_RATE", "WRITE_BURST"):
        key = f"GATEWAY_{name}"
        assert str(_environment(gateway)[key]) == f"${{{key}:-{defaults[key]}}}", key
        assert example[key] == defaults[key], key
