"""The Kubernetes manifests (deploy/k8s/) wire the processes as the code expects and keep them
confined: Services and the gateway reach the right pods, the NetworkPolicies admit exactly the
traffic each process needs, every container has resources and a restricted security context,
the processes write only on volumes, and each piece scales on its own backlog.

Built and validated as in test_kubernetes.py (helpers: k8s_manifests, k8s_network, k8s_contract).
"""

from __future__ import annotations

import importlib
import re
import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import k8s_contract as kc
import k8s_manifests as km
import k8s_network as kn
from k8s_contract import (  # noqa: F401  (the fixtures)
    built_fixture,
    dev_fixture,
    overlay_fixture,
    production_fixture,
)
from k8s_network import selects


# ---------------------------------------------------------------------- services and gateway
def test_services_select_pods_and_target_their_ports(built: list[dict[str, Any]]) -> None:
    all_pods = [p for p in km.pods(built) if p.owner["kind"] != "Job"]
    for name, service in km.named(built, "Service").items():
        chosen = [
            p for p in all_pods if selects({"matchLabels": service["spec"]["selector"]}, p.labels)
        ]
        assert len(chosen) == 1, f"Service {name} selects {[p.name for p in chosen]}"
        exposed = {
            key: port["containerPort"]
            for c in chosen[0].containers(init=False)
            for port in c.get("ports", [])
            for key in (port.get("name"), port["containerPort"])
        }
        for port in service["spec"]["ports"]:
            assert port["targetPort"] in exposed, (
                f"Service {name}: {port['targetPort']} not exposed"
            )


def test_the_gateway_is_configured_as_in_compose(built: list[dict[str, Any]]) -> None:
    _, compose_gateway = kc.CC._gateway(kc.COMPOSE)
    compose_env = {
        key: re.sub(r"^\$\{\w+:-(.*)\}$", r"\1", value)
        for key, value in kc.CC._environment(compose_gateway).items()
    }
    (pod,) = [p for p in km.pods(built) if p.labels.get("app.kubernetes.io/name") == "gateway"]
    (nginx,) = pod.containers()
    env = km.environment(nginx, built)
    placeholders = set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)\}", kc.CC.TEMPLATE.read_text("utf-8")))
    assert placeholders <= set(env), f"unset placeholders {placeholders - set(env)}"
    for key, value in compose_env.items():
        if not key.endswith("_UPSTREAM"):
            assert env[key] == value, key
    for svc in kc.SERVICES:
        web, port = kc.service_pod(built, env[f"{svc.upper()}_UPSTREAM"])
        assert km.app_package(web.containers(init=False)[0]) == svc
        compose_web = [
            s for s in kc.COMPOSE.values() if kc.CC._app_package(s) == svc and kc.CC._bind_port(s)
        ]
        assert port == kc.CC._bind_port(compose_web[0]), svc
    mounts = {m["mountPath"]: m["name"] for m in nginx["volumeMounts"]}
    volume = next(v for v in pod.spec["volumes"] if v["name"] == mounts["/etc/nginx/templates"])
    template = km.named(built, "ConfigMap")[volume["configMap"]["name"]]["data"]
    assert template == {"gateway.conf.template": kc.CC.TEMPLATE.read_text(encoding="utf-8")}
    assert str(nginx["ports"][0]["containerPort"]) == env["GATEWAY_PORT"]


# --------------------------------------------------------------------------- network policies
PUBLIC, PRIVATE, METADATA = "198.51.100.7", "10.20.30.40", "169.254.169.254"


def _peer(built: list[dict[str, Any]], owner: str) -> kn.Peer:
    return kn.Peer(labels=km.pod_labels(built, owner))


def test_network_policies_admit_the_gateway_to_each_web_pod(built: list[dict[str, Any]]) -> None:
    gateway = _peer(built, "gateway")
    assert kn.allows(built, kn.Peer(address=PUBLIC), gateway, 8080)
    for svc in kc.SERVICES:
        port = kc.CC._bind_port(kc.COMPOSE[svc])
        web = _peer(built, f"{svc}-web")
        assert kn.allows(built, gateway, web, port), f"gateway cannot reach {svc}"
        assert not kn.allows(built, kn.Peer(labels={"app": "other"}), web, port), svc
        assert not kn.allows(built, kn.Peer(address=PUBLIC), web, port), svc
        assert not kn.allows(built, _peer(built, "portal-events"), web, port), svc


def test_assessment_and_reports_reach_the_portals_jwks(built: list[dict[str, Any]]) -> None:
    config = km.named(built, "ConfigMap")
    jwks = next(
        c["data"]["AUTH_JWKS_URL"] for c in config.values() if "AUTH_JWKS_URL" in c.get("data", {})
    )
    match = re.fullmatch(r"http://([a-z-]+:\d+)(/.*)", jwks)
    assert match and match.group(2) == "/.well-known/jwks.json", jwks
    portal, port = kc.service_pod(built, match.group(1))
    assert km.app_package(portal.containers(init=False)[0]) == "portal"
    for owner in ("assessment-web", "reports-web", "reports-worker", "assessment-importer"):
        assert kn.allows(built, _peer(built, owner), kn.Peer(labels=portal.labels), port), owner
    assert not kn.allows(built, _peer(built, "gateway"), kn.Peer(labels=portal.labels), 8002)


def test_every_process_reaches_its_data_stores(overlay: str, built: list[dict[str, Any]]) -> None:
    for pod, _, _ in kc.ours(built):
        source = kn.Peer(labels=pod.labels)
        for store, port in (("postgres", 5432), ("redis", 6379)):
            target = _peer(built, store) if overlay == "dev" else kn.Peer(address=PRIVATE)
            assert kn.allows(built, source, target, port), f"{pod.name} -> {store}"
    stores = {"postgres", "redis"} & set(km.named(built, "StatefulSet"))
    assert stores == ({"postgres", "redis"} if overlay == "dev" else set())
    if overlay == "dev":
        assert not kn.allows(built, _peer(built, "gateway"), _peer(built, "postgres"), 5432)
        assert not kn.allows(built, kn.Peer(labels={"app": "other"}), _peer(built, "redis"), 6379)


def test_only_the_delivery_worker_reaches_webhook_receivers_and_smtp(
    built: list[dict[str, Any]],
) -> None:
    worker = _peer(built, "reports-delivery-worker")
    assert kn.allows(built, worker, kn.Peer(address=PUBLIC), 443)
    assert kn.allows(built, worker, kn.Peer(address=PUBLIC), 8443)  # a receiver's own port
    assert kn.allows(built, worker, kn.Peer(address=PRIVATE), 587)  # an internal SMTP relay
    assert not kn.allows(built, worker, kn.Peer(address=PRIVATE), 443)  # no private webhooks
    assert not kn.allows(built, worker, kn.Peer(address=METADATA), 80)
    for owner in ("reports-worker", "reports-web", "portal-web", "gateway", "reports-events"):
        assert not kn.allows(built, _peer(built, owner), kn.Peer(address=PUBLIC), 443), owner
    assert not kn.allows(built, _peer(built, "reports-worker"), kn.Peer(address=PRIVATE), 587)


def test_the_portal_reaches_a_private_file_store_and_nothing_public(
    overlay: str, built: list[dict[str, Any]]
) -> None:
    portal, store = _peer(built, "portal-web"), kn.Peer(address=PRIVATE)
    files = km.named(built, "ConfigMap")
    config = next(v["data"] for k, v in files.items() if k.startswith("portal-config"))
    if overlay == "dev":  # one portal pod, its files on its own volume
        assert config["PORTAL_FILE_STORE"] == "local"
        return
    assert config["PORTAL_FILE_STORE"] == "s3" and config["PORTAL_S3_BUCKET"]
    assert kn.allows(built, portal, store, 9000) and kn.allows(built, portal, store, 443)
    assert not kn.allows(built, portal, kn.Peer(address=PUBLIC), 9000)
    assert not kn.allows(built, _peer(built, "assessment-web"), store, 9000)


# ----------------------------------------------------------------- resources and security


def test_every_container_has_resources_and_a_restricted_context(
    built: list[dict[str, Any]],
) -> None:
    for pod, container in km.iter_containers(built):
        where = f"{pod.name}/{container['name']}"
        resources = container.get("resources", {})
        for kind in ("requests", "limits"):
            assert {"cpu", "memory"} <= set(resources.get(kind, {})), f"{where}: no {kind}"
        context = {**pod.spec.get("securityContext", {}), **container.get("securityContext", {})}
        assert context.get("runAsNonRoot") is True, where
        assert context.get("runAsUser") == kc.image_user(container["image"]), where
        assert context.get("allowPrivilegeEscalation") is False, where
        assert context.get("readOnlyRootFilesystem") is True, where
        assert context.get("capabilities", {}).get("drop") == ["ALL"], where
        assert context.get("seccompProfile", {}).get("type") == "RuntimeDefault", where
        assert pod.spec.get("automountServiceAccountToken") is False, where


WRITES = {  # where each image's processes write, besides what their settings name
    "smartcustoms": ["/tmp"],
    "nginx": ["/etc/nginx/conf.d", "/var/cache/nginx", "/run"],
    "postgres": ["/var/lib/postgresql/data", "/var/run/postgresql", "/tmp"],
    "redis": ["/data"],
}


def test_processes_write_only_on_their_volumes(built: list[dict[str, Any]]) -> None:
    for pod, container in km.iter_containers(built):
        writable = km.writable_mounts(pod, container)
        image = container["image"].split("/")[0].split(":")[0]
        paths = list(WRITES[image])
        env = km.environment(container, built)
        if image == "smartcustoms":
            paths.append(kc.data_dir(str(km.app_package(container))))
        paths += [env[k] for k in ("EVENTS_HEARTBEAT_FILE", "XDG_CACHE_HOME", "PGDATA") if k in env]
        for path in paths:
            assert km.is_under(path, writable), f"{pod.name}/{container['name']}: {path} read-only"


# -------------------------------------------------------------------------------- scaling
def test_dev_runs_one_replica_of_each_and_no_autoscaler(dev: list[dict[str, Any]]) -> None:
    for resource in dev:
        assert resource["kind"] not in (
            "HorizontalPodAutoscaler",
            "ScaledObject",
            "PodDisruptionBudget",
        )
        if resource["kind"] in ("Deployment", "StatefulSet"):
            assert resource["spec"]["replicas"] == 1, resource["metadata"]["name"]


def test_production_scales_each_piece_on_its_own(production: list[dict[str, Any]]) -> None:
    deployments = km.named(production, "Deployment")
    hpas = km.named(production, "HorizontalPodAutoscaler")
    scaled = km.named(production, "ScaledObject")
    targets = [o["spec"]["scaleTargetRef"]["name"] for o in [*hpas.values(), *scaled.values()]]
    assert sorted(targets) == sorted(set(targets)), "two autoscalers on one Deployment"
    assert set(targets) == set(deployments) - {"gateway"}
    for hpa in hpas.values():
        target = deployments[hpa["spec"]["scaleTargetRef"]["name"]]
        assert km.argv(target["spec"]["template"]["spec"]["containers"][0])[0] == "gunicorn"
        assert 2 <= hpa["spec"]["minReplicas"] < hpa["spec"]["maxReplicas"]
        assert [m["resource"]["name"] for m in hpa["spec"]["metrics"]] == ["cpu"]
    for name in targets:  # the autoscaler owns the count: an apply must not reset it
        assert "replicas" not in deployments[name]["spec"], name
    auths = km.named(production, "TriggerAuthentication")
    for obj in scaled.values():
        assert all(t["authenticationRef"]["name"] in auths for t in obj["spec"]["triggers"])
    budgets = [b["spec"]["selector"] for b in km.named(production, "PodDisruptionBudget").values()]
    for owner in [*(f"{s}-web" for s in kc.SERVICES), "gateway"]:
        labels = km.pod_labels(production, owner)
        assert sum(selects(b, labels) for b in budgets) == 1, f"{owner}: no budget"


def test_keda_reads_the_backlogs_the_code_keeps(
    production: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    from assessment.bulk.jobs import QUEUED, RUNNING
    from assessment.models import ImportJob
    from reports.config import settings

    for worker, setting in (
        ("reports-worker", "REPORTS_CELERY_QUEUE"),
        ("reports-delivery-worker", "REPORTS_DELIVERY_QUEUE"),
    ):
        monkeypatch.delenv(setting, raising=False)
        queue = kc.CC._option(kc.CC._command(kc.COMPOSE[worker]), "--queues")
        assert queue == settings()[setting], worker
        assert [t["listName"] for t in kc.triggers(production, worker, "redis")] == [queue]
        (container,) = kc.pod_named(production, worker).containers(init=False)
        assert kc.CC._option(km.argv(container), "--queues") == queue, worker
    for svc in kc.SERVICES:
        streams = {
            (t["stream"], t["consumerGroup"])
            for t in kc.triggers(production, f"{svc}-events", "redis-streams")
        }
        assert streams == km.consumer_groups(svc), f"{svc}: one trigger per consumer group"
        model = importlib.import_module(f"{svc}.models").OutboxMessage
        (outbox,) = kc.triggers(production, f"{svc}-events", "postgresql")
        assert (
            outbox["query"]
            == f"SELECT count(*) FROM {model.__tablename__} WHERE published_at IS NULL"
        )
    (jobs,) = kc.triggers(production, "assessment-importer", "postgresql")
    assert jobs["query"] == (
        f"SELECT count(*) FROM {ImportJob.__tablename__} WHERE status IN ('{QUEUED}', '{RUNNING}')"
    )
    assert jobs["targetQueryValue"] == "1", "one job at a time per importer"


def test_dev_brings_its_data_stores_as_compose_runs_them(dev: list[dict[str, Any]]) -> None:
    redis = km.named(dev, "StatefulSet")["redis"]["spec"]["template"]["spec"]["containers"][0]
    assert km.argv(redis) == kc.CC._command(kc.COMPOSE["redis"])
    assert "--appendonly" in km.argv(redis) and redis["volumeMounts"][0]["mountPath"] == "/data"
    postgres_set = km.named(dev, "StatefulSet")["postgres"]
    postgres = postgres_set["spec"]["template"]["spec"]["containers"][0]
    env = km.environment(postgres, dev)
    compose_env = kc.CC._environment(kc.COMPOSE["postgres"])
    assert {k: env[k] for k in ("POSTGRES_USER", "POSTGRES_DB")} == {
        k: compose_env[k] for k in ("POSTGRES_USER", "POSTGRES_DB")
    }
    assert env["POSTGRES_PASSWORD"][0] == "secret"
    assert (
        postgres["readinessProbe"]["exec"]["command"]
        == kc.COMPOSE["postgres"]["healthcheck"]["test"][1:]
    )
    init = next(
        v for v in postgres_set["spec"]["template"]["spec"]["volumes"] if v["name"] == "init"
    )
    script = km.named(dev, "ConfigMap")[init["configMap"]["name"]]["data"]["init-databases.sh"]
    assert script == (km.ROOT / "deploy/postgres/init-databases.sh").read_text(encoding="utf-8")
    assert init["configMap"]["defaultMode"] & 0o111, "the entrypoint runs it"
    mounts = {m["name"]: m["mountPath"] for m in postgres["volumeMounts"]}
    assert mounts["init"] == "/docker-entrypoint-initdb.d"
