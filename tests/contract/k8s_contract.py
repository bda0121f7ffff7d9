"""Shared by the Kubernetes tests: the overlays built once per session (fixtures ``overlay``,
``built``, ``dev``, ``production``: import the ``*_fixture`` functions), docker-compose.yml as the
reference, and helpers relating the built pods to compose services and to the code."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import k8s_manifests as km
import pytest
from k8s_network import selects

CC = km.compose_contract()
COMPOSE: dict[str, dict[str, Any]] = CC._compose()["services"]
SERVICES: tuple[str, ...] = CC.SERVICES
README = km.K8S / "README.md"
# The users the third-party images run as (ours: the Dockerfiles' --uid).
IMAGE_USERS = {"nginx": 101, "postgres": 70, "redis": 999}

_BUILDS: dict[str, list[dict[str, Any]]] = {}


def _build(overlay: str, factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    if overlay not in _BUILDS:
        _BUILDS[overlay] = km.build(overlay, factory.mktemp(f"k8s-{overlay}"))
    return _BUILDS[overlay]


@pytest.fixture(name="overlay", params=km.OVERLAYS)
def overlay_fixture(request: pytest.FixtureRequest) -> str:
    """Each overlay's name in turn."""
    return str(request.param)


@pytest.fixture(name="built")
def built_fixture(overlay: str, tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    """The resources of each overlay in turn."""
    return _build(overlay, tmp_path_factory)


@pytest.fixture(name="dev")
def dev_fixture(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    """The resources of the dev overlay."""
    return _build("dev", tmp_path_factory)


@pytest.fixture(name="production")
def production_fixture(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    """The resources of the production overlay."""
    return _build("production", tmp_path_factory)


def ours(built: list[dict[str, Any]]) -> list[tuple[km.Pod, dict[str, Any], str]]:
    """Return every container running one of our packages, with its pod and the package."""
    found = []
    for pod, container in km.iter_containers(built):
        package = km.app_package(container)
        if package:
            found.append((pod, container, package))
    return found


def pod_named(built: list[dict[str, Any]], owner: str) -> km.Pod:
    """Return the pod template of the Deployment, StatefulSet or Job ``owner``."""
    return next(p for p in km.pods(built) if p.owner["metadata"]["name"] == owner)


def compose_argv(name: str) -> list[str]:
    """Return compose service ``name``'s command, ``${X:-default}`` written ``$(X)`` as the
    manifests do (Kubernetes expands it from the container's environment)."""
    return [re.sub(r"\$\{(\w+):-[^}]*\}", r"$(\1)", a) for a in CC._command(COMPOSE[name])]


def compose_check(name: str) -> tuple[str, dict[str, Any]]:
    """Return compose service ``name``'s CMD-SHELL health check script (``$$`` unescaped) and
    the check itself."""
    check = COMPOSE[name]["healthcheck"]
    assert check["test"][0] == "CMD-SHELL"
    return str(check["test"][1]).replace("$$", "$"), check


def seconds(value: str) -> int:
    """Return a compose duration such as ``30s`` in seconds."""
    return int(value.removesuffix("s"))


def service_pod(built: list[dict[str, Any]], host_port: str) -> tuple[km.Pod, int]:
    """Return the pod behind ``<service>:<port>`` and the container port it targets."""
    host, _, port = host_port.rpartition(":")
    service = km.named(built, "Service")[host]
    (target,) = [p for p in service["spec"]["ports"] if p["port"] == int(port)]
    pod = next(
        p
        for p in km.pods(built)
        if p.owner["kind"] != "Job"
        and selects({"matchLabels": service["spec"]["selector"]}, p.labels)
    )
    ports = {
        p.get("name"): p["containerPort"] for c in pod.containers() for p in c.get("ports", [])
    }
    return pod, ports.get(target["targetPort"], target["targetPort"])


def secret_refs(built: list[dict[str, Any]]) -> set[tuple[str, str, bool]]:
    """Return every (Secret, key, optional) the containers and KEDA's authentications read."""
    refs = set()
    for _, container in km.iter_containers(built):
        for value in km.environment(container, built).values():
            if isinstance(value, tuple) and value[0] == "secret":
                refs.add((value[1], value[2], value[3]))
    for auth in km.named(built, "TriggerAuthentication").values():
        refs |= {(r["name"], r["key"], False) for r in auth["spec"]["secretTargetRef"]}
    return refs


def documented_secrets() -> dict[str, set[str]]:
    """Return the keys of each Secret the README's ``kubectl create secret`` commands make."""
    documented: dict[str, set[str]] = {}
    text = README.read_text(encoding="utf-8")
    for name, body in re.findall(r"create secret generic (\S+)(.*?)```", text, re.S):
        keys = re.findall(r"--from-(?:literal|file)=([A-Z0-9_]+)=", body)
        documented.setdefault(name, set()).update(keys)
    return documented


def served(svc: str, tmp: Path) -> tuple[set[str], int]:
    """Return the GET paths ``svc``'s app factory serves and the status of its ``/healthz``."""
    from shared.web import create_service_app

    test_config = {"DATABASE_URL": f"sqlite:///{tmp / svc}.db", "TESTING": True}
    app, _ = create_service_app(svc, service=svc, title=svc, test_config=test_config)
    paths = {rule.rule for rule in app.url_map.iter_rules() if "GET" in (rule.methods or ())}
    return paths, app.test_client().get("/healthz").status_code


def image_user(image: str) -> int:
    """Return the uid ``image`` runs as: our Dockerfiles' ``--uid``, else IMAGE_USERS."""
    name = image.split(":")[0]
    if name.startswith("smartcustoms/"):
        dockerfile = km.ROOT / "deploy" / "docker" / f"{name.split('/')[1]}.Dockerfile"
        found = re.search(r"--uid (\d+)", dockerfile.read_text(encoding="utf-8"))
        assert found, f"{dockerfile.name} creates no user with --uid"
        return int(found.group(1))
    return IMAGE_USERS[name]


def data_dir(package: str) -> str:
    """Return the DATA_DIR our image of ``package`` sets."""
    dockerfile = km.ROOT / "deploy" / "docker" / f"{package}.Dockerfile"
    found = re.search(r"DATA_DIR=(\S+)", dockerfile.read_text(encoding="utf-8"))
    assert found, f"{dockerfile.name} sets no DATA_DIR"
    return found.group(1)


def triggers(built: list[dict[str, Any]], name: str, kind: str) -> list[dict[str, str]]:
    """Return the metadata of ScaledObject ``name``'s triggers of type ``kind``."""
    scaled = km.named(built, "ScaledObject")[name]
    return [t["metadata"] for t in scaled["spec"]["triggers"] if t["type"] == kind]
