"""The Kubernetes manifests (deploy/k8s/, Kustomize) agree with the code and docker-compose.yml:
the overlays build, every resource matches its schema, and the pods run the compose commands
with the settings, secrets, images, probes and migrations the code needs.

No cluster is needed: each overlay is built with kustomize (or ``kubectl kustomize``) and every
resource is validated offline (kubernetes-validate's bundled schemas, strict; KEDA's resources
against the CRD schemas pinned in tests/contract/schemas/). Wiring, network policies, security
contexts and autoscaling: test_kubernetes_policies.py.
"""

from __future__ import annotations

import importlib
import re
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

import k8s_contract as kc
import k8s_manifests as km
from k8s_contract import (  # noqa: F401  (the fixtures)
    built_fixture,
    dev_fixture,
    overlay_fixture,
    production_fixture,
)
from k8s_network import selects

# Settings set in the manifests that no env_* call reads, each with who reads it.
READ_ELSEWHERE = {
    **{
        f"{svc.upper()}_WEB_WORKERS": "the web command's $(...) (as compose)" for svc in kc.SERVICES
    },
    "XDG_CACHE_HOME": "fontconfig, under WeasyPrint: its cache on the writable /tmp",
    "AWS_ACCESS_KEY_ID": "boto3, under the portal's S3 file store: the portal's own account",
    "AWS_SECRET_ACCESS_KEY": "boto3, under the portal's S3 file store",
}
WAIT = re.compile(r"until flask --app (\w+) db current \| grep -Eq '(.+?)';")


# ------------------------------------------------------------------------- build and schemas
def test_overlay_builds_with_the_expected_kinds(built: list[dict[str, Any]]) -> None:
    kinds = {r["kind"] for r in built}
    assert {"Deployment", "Service", "Job", "ConfigMap", "NetworkPolicy", "Namespace"} <= kinds
    assert len({r["metadata"].get("namespace") for r in built if r["kind"] != "Namespace"}) == 1


def test_every_resource_matches_its_schema(built: list[dict[str, Any]]) -> None:
    problems = []
    for resource in built:
        name = f"{resource['kind']}/{resource['metadata']['name']}"
        if (resource["apiVersion"], resource["kind"]) in km.CRD_SCHEMAS:
            problems += [f"{name}: {error}" for error in km.crd_errors(resource)]
            continue
        try:
            kubernetes_validate.validate(resource, km.KUBERNETES_VERSION, strict=True)
        except kubernetes_validate.ValidationError as exc:
            problems.append(f"{name}: {exc.message}")
    assert not problems, "\n".join(problems)


def test_a_missing_kustomize_fails_with_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")
    with pytest.raises(pytest.fail.Exception, match="install"):
        km.kustomize_command()


def test_keda_schemas_refuse_what_keda_would(tmp_path: Path) -> None:
    resources = km.build("production", tmp_path)
    scaled = km.named(resources, "ScaledObject")["reports-worker"]
    assert km.crd_errors(scaled) == []
    typo = {**scaled, "spec": {**scaled["spec"], "minReplicas": 1}}
    assert any("minReplicas" in e for e in km.crd_errors(typo))
    missing = {**scaled, "spec": {k: v for k, v in scaled["spec"].items() if k != "triggers"}}
    assert any("triggers" in e for e in km.crd_errors(missing))
    auth = km.named(resources, "TriggerAuthentication")["smartcustoms-redis"]
    broken = {**auth, "spec": {"secretTargetRef": [{"parameter": "password"}]}}
    assert km.crd_errors(auth) == [] and km.crd_errors(broken)


@pytest.mark.parametrize(
    ("copy", "original"),
    [
        ("base/gateway/gateway.conf.template", "deploy/gateway/gateway.conf.template"),
        ("overlays/dev/postgres/init-databases.sh", "deploy/postgres/init-databases.sh"),
    ],
)
def test_copies_inside_the_kustomize_tree_equal_their_originals(copy: str, original: str) -> None:
    assert (km.K8S / copy).read_bytes() == (km.ROOT / original).read_bytes(), (
        f"deploy/k8s/{copy} drifted from {original}: copy it again"
    )


# ------------------------------------------------------------------- processes and settings
def test_the_processes_are_compose_ones(built: list[dict[str, Any]]) -> None:
    expected = {
        tuple(kc.compose_argv(name))
        for name, service in kc.COMPOSE.items()
        if kc.CC._app_package(service) and "profiles" not in service
    }
    running = {
        tuple(km.argv(c))
        for p, c, _ in kc.ours(built)
        if c in p.spec["containers"] and p.owner["kind"] != "CronJob"
    }
    assert running == expected
    for pod, container, _ in kc.ours(built):
        for name in re.findall(r"\$\((\w+)\)", " ".join(km.argv(container))):
            value = km.environment(container, built).get(name)
            assert isinstance(value, str) and value.isdigit() and int(value) > 0, (pod.name, name)


# CronJob -> (its command, its schedule): what compose has no scheduler for.
SCHEDULED = {
    "assessment-action-reminders": (
        ["flask", "--app", "assessment", "actions", "remind", "--days", "7"],
        "15 6 * * *",
    ),
    "reports-forum-digest-daily": (
        ["flask", "--app", "reports", "digests", "send", "--period", "daily"],
        "0 6 * * *",
    ),
    "reports-forum-digest-weekly": (
        ["flask", "--app", "reports", "digests", "send", "--period", "weekly"],
        "30 6 * * 1",
    ),
    "reports-forum-digest-purge": (
        ["flask", "--app", "reports", "digests", "purge", "--older-than-days", "90"],
        "0 3 * * 0",
    ),
}


def test_scheduled_commands_run_on_schedule_one_run_at_a_time(built: list[dict[str, Any]]) -> None:
    from assessment.actions.cli import command_group

    scheduled = km.named(built, "CronJob")
    assert set(scheduled) == set(SCHEDULED)
    for name, cron in scheduled.items():
        command, schedule = SCHEDULED[name]
        assert (cron["spec"]["schedule"], cron["spec"]["concurrencyPolicy"]) == (
            schedule,
            "Forbid",
        )
        (container,) = cron["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"]
        assert km.argv(container) == command
    # the command the reminders' CronJob runs exists, with the option it passes
    remind = command_group().get_command(None, "remind")  # type: ignore[arg-type]
    assert remind is not None and "--days" in {o for p in remind.params for o in p.opts}
    # and so does the digests' one, with both periods
    from reports.digest_cli import command_group as digest_commands

    send = digest_commands().get_command(None, "send")  # type: ignore[arg-type]
    assert send is not None
    (period,) = [p for p in send.params if "--period" in p.opts]
    assert set(period.type.choices) == {"daily", "weekly"}  # type: ignore[attr-defined]
    # and the digests' retention, with the option its CronJob passes
    purge = digest_commands().get_command(None, "purge")  # type: ignore[arg-type]
    assert purge is not None and "--older-than-days" in {o for p in purge.params for o in p.opts}


def test_every_container_sets_what_the_code_reads(built: list[dict[str, Any]]) -> None:
    problems = []
    for pod, container, package in kc.ours(built):
        env = km.environment(container, built)
        missing = kc.CC.required_settings(package) - set(env) - set(kc.CC.OPTIONAL)
        read = kc.CC.settings_read_by(km.ROOT / "shared" / "shared")
        read |= kc.CC.settings_read_by(kc.CC._package_dir(package)) | {
            f"{package.upper()}_DATABASE_URL"
        }
        stray = set(env) - read - set(READ_ELSEWHERE)
        if missing or stray:
            problems.append(f"{pod.name}/{container['name']}: missing {missing}, unread {stray}")
    assert not problems, "\n".join(problems)


def test_every_secret_key_referenced_is_provided(overlay: str, built: list[dict[str, Any]]) -> None:
    refs = kc.secret_refs(built)
    assert refs, "no secret referenced"
    secrets = km.named(built, "Secret")
    documented = kc.documented_secrets()
    for name, key, optional in sorted(refs):
        if overlay == "dev":
            assert name in secrets, f"{name} is not generated"
            assert key in secrets[name].get("data", {}) or optional, f"{name} lacks {key}"
        else:
            assert name in documented, f"the README does not say how to create {name}"
            assert key in documented[name] or optional, f"README: {name} lacks {key}"
    if overlay == "production":
        for name, keys in documented.items():
            assert keys <= {k for n, k, _ in refs if n == name}, f"README: {name} lists unused keys"


def test_no_secret_value_is_committed(production: list[dict[str, Any]]) -> None:
    for path in km.K8S.rglob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"^kind:\s*Secret\s*$", text, re.M), f"{path}: a Secret in the repo"
        if path.name != "kustomization.yaml":
            continue
        for generator in (yaml.safe_load(text) or {}).get("secretGenerator", []):
            assert "literals" not in generator, f"{path}: secret values in the kustomization"
            for source in [*generator.get("envs", []), *generator.get("files", [])]:
                ignored = subprocess.run(
                    ["git", "check-ignore", "-q", str(path.parent / source.split("=")[-1])],
                    cwd=km.ROOT,
                    check=False,
                )
                assert ignored.returncode == 0, f"{path}: {source} must be gitignored"
    example = (km.K8S / "overlays" / "dev" / "secrets.env.example").read_text(encoding="utf-8")
    for key, value in re.findall(r"^([A-Z0-9_]+)=(.*)$", example, re.M):
        password = re.search(r"://[^:/@]+:([^@]*)@", value)
        if re.search(r"PASSWORD|SECRET", key) or password:
            assert (password.group(1) if password else value) == "change-me", key
    assert not km.named(production, "Secret"), "production's Secrets are made in the cluster"


def test_dev_database_urls_name_the_dev_data_stores(dev: list[dict[str, Any]]) -> None:
    example = dict(
        line.split("=", 1)
        for line in (km.K8S / "overlays/dev/secrets.env.example").read_text("utf-8").splitlines()
        if "=" in line and not line.startswith("#")
    )
    services = km.named(dev, "Service")
    for svc in kc.SERVICES:
        url = example[f"{svc.upper()}_DATABASE_URL"]
        assert url == f"postgresql+psycopg://smartcustoms:change-me@postgres:5432/{svc}"
    assert example["REDIS_URL"] == "redis://redis:6379/0" and {"postgres", "redis"} <= set(services)


# ------------------------------------------------------------------------ images and probes
def test_images_are_the_compose_ones_and_pinned(overlay: str, built: list[dict[str, Any]]) -> None:
    third_party = {
        str(s["image"]).split(":")[0]: str(s["image"])
        for s in kc.COMPOSE.values()
        if "build" not in s
    }
    tags = set()
    for pod, container in km.iter_containers(built):
        image, _, tag = container["image"].rpartition(":")
        package = km.app_package(container)
        if package:
            assert image == f"smartcustoms/{package}", (pod.name, container["image"])
            tags.add(tag)
        else:
            assert container["image"] == third_party[image], (pod.name, container["image"])
    if overlay == "dev":
        assert tags == {"dev"}
    else:  # one pinned release for the three images
        assert len(tags) == 1 and not tags & {"", "latest", "dev"}, tags


def test_web_probes_ask_what_the_services_serve(
    built: list[dict[str, Any]], tmp_path: Path
) -> None:
    webs = [(p, c, pkg) for p, c, pkg in kc.ours(built) if km.argv(c)[0] == "gunicorn"]
    assert {pkg for _, _, pkg in webs} == set(kc.SERVICES)
    for pod, container, package in webs:
        paths, healthz = kc.served(package, tmp_path)
        assert healthz == 200 and {"/healthz", "/readyz"} <= paths, package
        ports = {p["name"]: p["containerPort"] for p in container["ports"]}
        bind = int(kc.CC._option(km.argv(container), "--bind").rsplit(":", 1)[1])
        for kind, path in (("readinessProbe", "/readyz"), ("livenessProbe", "/healthz")):
            probe = container[kind]["httpGet"]
            assert probe["path"] == path, (pod.name, kind)
            assert ports.get(probe["port"], probe["port"]) == bind, (pod.name, kind)


@pytest.mark.parametrize(
    "name",
    [
        "portal-events",
        "assessment-events",
        "assessment-importer",
        "reports-events",
        "reports-worker",
        "reports-delivery-worker",
    ],
)
def test_background_processes_are_probed_as_compose_checks_them(
    name: str, built: list[dict[str, Any]]
) -> None:
    pod = next(p for p in km.pods(built) if p.owner["metadata"]["name"] == name)
    container = pod.containers(init=False)[0]
    assert km.argv(container) == kc.compose_argv(name)
    script, check = kc.compose_check(name)
    probe = container["livenessProbe"]
    assert probe["exec"]["command"] == ["sh", "-c", script]
    assert probe["periodSeconds"] == kc.seconds(check["interval"])
    assert probe["timeoutSeconds"] == kc.seconds(check["timeout"])
    assert probe["failureThreshold"] == check["retries"]
    env = km.environment(container, built)
    if "EVENTS_HEARTBEAT_FILE" in script:
        heartbeat = env["EVENTS_HEARTBEAT_FILE"]
        assert heartbeat and km.is_under(heartbeat, km.writable_mounts(pod, container))


def test_grace_periods_are_at_least_compose_ones(built: list[dict[str, Any]]) -> None:
    by_argv = {tuple(kc.compose_argv(n)): n for n, s in kc.COMPOSE.items() if kc.CC._app_package(s)}
    for pod, container, _ in kc.ours(built):
        name = by_argv.get(tuple(km.argv(container)))
        if name and pod.owner["kind"] == "Deployment":
            compose = kc.seconds(str(kc.COMPOSE[name].get("stop_grace_period", "10s")))
            assert pod.spec["terminationGracePeriodSeconds"] >= compose, pod.name


def test_the_worker_waits_for_a_report_build(
    built: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    from reports.config import settings

    monkeypatch.delenv("REPORTS_TASK_TIME_LIMIT_S", raising=False)
    limit = settings()["REPORTS_TASK_TIME_LIMIT_S"]
    worker = next(p for p in km.pods(built) if p.owner["metadata"]["name"] == "reports-worker")
    assert worker.spec["terminationGracePeriodSeconds"] >= limit + 30


def test_deliveries_run_in_their_own_worker_pods_of_the_same_image(
    built: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    from reports.config import settings

    monkeypatch.delenv("REPORTS_DELIVERY_QUEUE", raising=False)
    build, delivery = (
        kc.pod_named(built, n) for n in ("reports-worker", "reports-delivery-worker")
    )
    assert not selects(build.owner["spec"]["selector"], delivery.labels), "two Deployments' pods"
    assert not selects(delivery.owner["spec"]["selector"], build.labels), "two Deployments' pods"
    (builder,), (deliverer,) = build.containers(init=False), delivery.containers(init=False)
    assert deliverer["image"] == builder["image"]
    assert kc.CC._option(km.argv(deliverer), "--queues") == settings()["REPORTS_DELIVERY_QUEUE"]
    env = km.environment(deliverer, built)
    assert {k: v for k, v in env.items() if not k.startswith("REPORTS_SMTP_")} == {
        k: v for k, v in km.environment(builder, built).items() if k != "XDG_CACHE_HOME"
    }
    # e-mails leave from the delivery worker only: the SMTP login goes there alone
    assert {"REPORTS_SMTP_USERNAME", "REPORTS_SMTP_PASSWORD"} <= set(env)
    assert not {k for k in km.environment(builder, built) if k.startswith("REPORTS_SMTP_")}
    assert delivery.spec["securityContext"] == build.spec["securityContext"]
    assert deliverer["securityContext"] == builder["securityContext"]
    assert delivery.spec["terminationGracePeriodSeconds"] > settings()["REPORTS_SMTP_TIMEOUT_S"]


# --------------------------------------------------------------------------------- migrations
def test_a_job_migrates_each_service_before_its_processes_start(
    built: list[dict[str, Any]],
) -> None:
    jobs = {
        km.app_package(p.spec["containers"][0]): p
        for p in km.pods(built)
        if p.owner["kind"] == "Job"
    }
    assert set(jobs) == set(kc.SERVICES)
    for svc, job in jobs.items():
        assert km.argv(job.spec["containers"][0]) == ["flask", "--app", svc, "init-db"]
        assert kc.compose_argv(f"{svc}-init") == ["flask", "--app", svc, "init-db"]
    for pod, container, package in kc.ours(built):
        if pod.owner["kind"] == "Deployment" and container in pod.spec["containers"]:
            (wait,) = pod.spec["initContainers"]
            match = WAIT.search(km.argv(wait)[2])
            assert match and match.group(1) == package, pod.name
            assert wait["image"] == container["image"], pod.name


@pytest.mark.parametrize("svc", kc.SERVICES)
def test_the_wait_passes_once_the_database_is_migrated(
    svc: str, dev: list[dict[str, Any]], tmp_path: Path
) -> None:
    from shared.migration_commands import current_line, db_commands
    from shared.migrations import upgrade

    scripts = [
        km.argv(c)[2] for _, c in km.iter_containers(dev) if c["name"] == "wait-for-migration"
    ]
    (pattern,) = {match.group(2) for match in map(WAIT.search, scripts) if match}
    schema = importlib.import_module(f"{svc}.migrations").SCHEMA
    assert "current" in db_commands(schema).commands, "the wait runs `db current`"
    path = tmp_path / "db.sqlite"
    url = f"sqlite:///{path}"
    assert not re.search(pattern, current_line(schema, url)), "passes on an empty database"
    upgrade(schema, url)
    assert re.search(pattern, current_line(schema, url)), current_line(schema, url)
    connection = sqlite3.connect(path)
    with connection:  # as a newer release leaves it (a rollback must still start)
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    connection.close()
    assert re.search(pattern, current_line(schema, url)), current_line(schema, url)
