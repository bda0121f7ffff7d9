"""Helpers of the Kubernetes tests: build the Kustomize overlays of deploy/k8s/, read what the
built pods run and set, and validate custom resources (KEDA) against their pinned schemas.

The code's settings and the compose services are read with tests/contract/test_compose.py's own
discovery (loaded here as a module), so both deployments are held to the same list.
"""

from __future__ import annotations

import copy
import functools
import importlib.util
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
SCHEMAS = Path(__file__).resolve().parent / "schemas"
OVERLAYS = ("dev", "production")
KUBERNETES_VERSION = "1.32.0"  # the schemas kubernetes-validate checks against (it bundles them)
POD_OWNERS = ("Deployment", "StatefulSet", "Job", "CronJob")
CRD_SCHEMAS = {
    ("keda.sh/v1alpha1", "ScaledObject"): "keda.sh_scaledobjects.v1alpha1.yaml",
    ("keda.sh/v1alpha1", "TriggerAuthentication"): "keda.sh_triggerauthentications.v1alpha1.yaml",
}


@functools.cache
def compose_contract() -> ModuleType:
    """Return tests/contract/test_compose.py as a module (its discovery of settings, commands)."""
    path = Path(__file__).resolve().parent / "test_compose.py"
    spec = importlib.util.spec_from_file_location("compose_contract", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# ------------------------------------------------------------------------------------ build
def kustomize_command() -> list[str]:
    """Return the command that builds a kustomization: ``kustomize build``, else ``kubectl
    kustomize``; fail with what to install when neither exists."""
    if found := shutil.which("kustomize"):
        return [found, "build"]
    if found := shutil.which("kubectl"):
        return [found, "kustomize"]
    pytest.fail(
        "building deploy/k8s needs kustomize (v5) or kubectl (1.27 or later embeds kustomize "
        "v5): install one of them, e.g. `apt-get install kubectl` from the Kubernetes package "
        "repository, or the kustomize binary from its GitHub releases"
    )


def build(overlay: str, workdir: Path) -> list[dict[str, Any]]:
    """Build ``overlay`` from a copy of deploy/k8s in ``workdir``; return its resources.

    The copy leaves out any local secrets.env and puts the committed example in its place, so
    the build never reads (nor depends on) a developer's real secret values.
    """
    tree = workdir / "k8s"
    shutil.copytree(K8S, tree, ignore=shutil.ignore_patterns("secrets.env"))
    example = tree / "overlays" / overlay / "secrets.env.example"
    if example.exists():
        shutil.copy(example, example.with_name("secrets.env"))
    result = subprocess.run(
        [*kustomize_command(), str(tree / "overlays" / overlay)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, f"{overlay} does not build:\n{result.stderr}"
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


def named(resources: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    """Return the resources of ``kind`` by name."""
    return {r["metadata"]["name"]: r for r in resources if r["kind"] == kind}


# ------------------------------------------------------------------------------------ pods
@dataclass(frozen=True)
class Pod:
    """One pod template of a Deployment, StatefulSet, Job or CronJob."""

    owner: dict[str, Any]
    spec: dict[str, Any]
    labels: dict[str, str]

    @property
    def name(self) -> str:
        """Return ``Kind/name`` of the owner."""
        return f"{self.owner['kind']}/{self.owner['metadata']['name']}"

    def containers(self, *, init: bool = True) -> list[dict[str, Any]]:
        """Return the containers (the init containers first when ``init``)."""
        return [*(self.spec.get("initContainers", []) if init else []), *self.spec["containers"]]


def pods(resources: list[dict[str, Any]]) -> list[Pod]:
    """Return every pod template of the build."""
    found = []
    for resource in resources:
        if resource["kind"] in POD_OWNERS:
            spec = resource["spec"]
            # A CronJob's pods are those of the Job it creates on schedule.
            template = (spec["jobTemplate"]["spec"] if "jobTemplate" in spec else spec)["template"]
            found.append(Pod(resource, template["spec"], template["metadata"].get("labels", {})))
    return found


def argv(container: dict[str, Any]) -> list[str]:
    """Return what a container runs (``command`` then ``args``; no image ENTRYPOINT of ours)."""
    return [str(a) for a in [*container.get("command", []), *container.get("args", [])]]


def environment(container: dict[str, Any], resources: list[dict[str, Any]]) -> dict[str, Any]:
    """Return the container's variables: a literal value, ``("configMap", name, key)`` or
    ``("secret", name, key, optional)``; ``envFrom`` ConfigMaps give their keys' values."""
    maps = named(resources, "ConfigMap")
    env: dict[str, Any] = {}
    for source in container.get("envFrom", []):
        ref = source.get("configMapRef")
        assert ref, f"{container['name']}: only ConfigMaps are read whole (Secrets key by key)"
        env.update(maps[ref["name"]]["data"])
    for item in container.get("env", []):
        ref = item.get("valueFrom", {})
        if "secretKeyRef" in ref:
            key = ref["secretKeyRef"]
            env[item["name"]] = ("secret", key["name"], key["key"], key.get("optional", False))
        elif "configMapKeyRef" in ref:
            key = ref["configMapKeyRef"]
            env[item["name"]] = maps[key["name"]]["data"][key["key"]]
        else:
            env[item["name"]] = item.get("value", "")
    return env


def app_package(container: dict[str, Any]) -> str | None:
    """Return which of our packages a container runs (also inside an ``sh -c`` script)."""
    command = argv(container)
    if command[:2] == ["sh", "-c"]:
        match = re.search(r"\bflask --app (\w+)", command[2])
        return match.group(1) if match else None
    package: str | None = compose_contract()._app_package({"command": command})
    return package


def writable_mounts(pod: Pod, container: dict[str, Any]) -> list[str]:
    """Return the container's mount paths backed by an emptyDir or a volume claim."""
    volumes = {v["name"]: v for v in pod.spec.get("volumes", [])}
    claims = {c["metadata"]["name"] for c in pod.owner["spec"].get("volumeClaimTemplates", [])}
    paths = []
    for mount in container.get("volumeMounts", []):
        volume = volumes.get(mount["name"], {})
        if not mount.get("readOnly") and ("emptyDir" in volume or mount["name"] in claims):
            paths.append(mount["mountPath"].rstrip("/"))
    return paths


def is_under(path: str, folders: list[str]) -> bool:
    """Tell whether ``path`` is one of ``folders`` or inside one."""
    return any(path == f or path.startswith(f + "/") for f in folders)


# ------------------------------------------------------------------------ custom resources
def _strict(schema: Any) -> Any:
    """Refuse undeclared fields wherever the schema lists properties (the API server prunes or,
    with strict field validation, refuses them)."""
    if isinstance(schema, dict):
        if "properties" in schema and "additionalProperties" not in schema:
            schema["additionalProperties"] = False
        for key, value in schema.items():
            if key in ("properties", "$defs"):
                for sub in value.values():
                    _strict(sub)
            elif key in ("items", "additionalProperties"):
                _strict(value)
    return schema


def crd_validator(api_version: str, kind: str) -> jsonschema.protocols.Validator:
    """Return a strict validator for a custom resource from its pinned schema."""
    name = CRD_SCHEMAS[(api_version, kind)]
    loaded = yaml.safe_load((SCHEMAS / name).read_text(encoding="utf-8"))
    schema = _strict(copy.deepcopy(loaded["openAPIV3Schema"]))
    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    cls.check_schema(schema)
    return cls(schema)


def crd_errors(resource: dict[str, Any]) -> list[str]:
    """Return the schema errors of a custom resource (empty: valid)."""
    validator = crd_validator(resource["apiVersion"], resource["kind"])
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator.iter_errors(resource)
    ]


def pod_labels(resources: list[dict[str, Any]], owner: str) -> dict[str, str]:
    """Return the pod labels of the Deployment or StatefulSet ``owner``."""
    for pod in pods(resources):
        if pod.owner["metadata"]["name"] == owner:
            return pod.labels
    raise KeyError(owner)


def iter_containers(resources: list[dict[str, Any]]) -> Iterator[tuple[Pod, dict[str, Any]]]:
    """Yield every container (init containers too) with its pod."""
    for pod in pods(resources):
        for container in pod.containers():
            yield pod, container


def consumer_groups(service: str) -> set[tuple[str, str]]:
    """Return the (stream, consumer group) pairs ``service``'s event process reads, as its
    events module builds its ``Consumer``s (names resolved in that module), directly or through
    a function building one from its ``stream`` and ``group`` parameters."""
    import ast
    import importlib

    path = ROOT / "services" / service / service / "events.py"
    module = importlib.import_module(f"{service}.events")

    def value(node: ast.expr) -> Any:
        return node.value if isinstance(node, ast.Constant) else getattr(module, node.id)  # type: ignore[attr-defined]

    tree = ast.parse(path.read_text(encoding="utf-8"))
    builders, inside_builders = _consumer_builders(tree)
    pairs = set()
    for node in ast.walk(tree):
        name = getattr(getattr(node, "func", None), "id", None)
        if not isinstance(node, ast.Call) or id(node) in inside_builders:
            continue
        keywords = {k.arg: k.value for k in node.keywords}
        if name in builders:
            stream, group = builders[name]
            pairs.add((value(keywords[stream]), value(keywords[group])))
        elif name == "Consumer":
            streams = keywords["streams"]
            assert isinstance(streams, ast.List), f"{path}: streams not a literal list"
            pairs |= {(value(s), value(keywords["group"])) for s in streams.elts}
    return pairs


def _consumer_builders(tree: Any) -> tuple[dict[str, tuple[str, str]], set[int]]:
    """Return the functions building a Consumer of one stream from their parameters (name ->
    the stream's and the group's parameter) and the ids of those Consumer calls."""
    import ast

    builders: dict[str, tuple[str, str]] = {}
    calls: set[int] = set()
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef):
            continue
        parameters = {a.arg for a in function.args.args + function.args.kwonlyargs}
        for node in ast.walk(function):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Consumer":
                keywords = {k.arg: k.value for k in node.keywords}
                streams = getattr(keywords["streams"], "elts", [])
                named = [getattr(e, "id", None) for e in [*streams, keywords["group"]]]
                if len(named) == 2 and all(n in parameters for n in named):
                    builders[function.name] = (str(named[0]), str(named[1]))
                    calls.add(id(node))
    return builders, calls
