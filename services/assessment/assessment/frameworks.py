"""Framework versions: loaded from the repository's files, published through the API, cached.

The database is the record (every replica sees an operator's publication); the files under
``frameworks/<key>/<version>/`` are published into it by ``init-db`` and at start-up. A version,
once published, never changes: sessions stay pinned to it.
"""

from __future__ import annotations

import hashlib
import json
import threading
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import Connection, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from assessment import framework_refs as refs
from assessment.framework import Framework, FrameworkError, parse_framework
from assessment.models import FrameworkVersion
from shared.errors import ApiError, NotFound

FRAMEWORKS_DIR = Path(__file__).parent / "frameworks"
# libyaml's parser where PyYAML was built with it: the same documents and errors, about ten times
# faster than the pure-Python one (every start of a process reads every framework file).
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _load_yaml(text: str) -> Any:
    return yaml.load(text, Loader=_YAML_LOADER)  # noqa: S506 (a safe loader)


def read_framework_dir(path: Path) -> dict[str, Any]:
    """Read ``framework.yaml`` and its ``areas/<key>.yaml`` files into one document.

    References (``reuse:`` entries) are kept as they are: ``resolve`` replaces them.
    """
    framework_file = path / "framework.yaml"
    if not framework_file.exists():
        raise FrameworkError({"framework.yaml": ["missing file framework.yaml"]})
    try:
        document = _load_yaml(framework_file.read_text("utf-8"))
    except yaml.YAMLError as exc:
        raise FrameworkError({"framework.yaml": [f"not valid YAML: {exc}"]}) from exc
    if not isinstance(document, dict):
        raise FrameworkError({"framework.yaml": ["must be a mapping of fields"]})
    areas = []
    for area in document.get("areas") or []:
        if isinstance(area, str):
            area_file = path / "areas" / f"{area}.yaml"
            if not area_file.exists():
                raise FrameworkError({"areas": [f"missing file areas/{area}.yaml"]})
            try:
                areas.append(_load_yaml(area_file.read_text("utf-8")))
            except yaml.YAMLError as exc:
                raise FrameworkError({f"areas/{area}.yaml": [f"not valid YAML: {exc}"]}) from exc
        else:
            areas.append(area)
    document["areas"] = areas
    return document


Documents = dict[tuple[str, str], dict[str, Any]]


def read_folders(folders: list[Path]) -> tuple[Documents, dict[tuple[str, str], Path]]:
    """Read framework version folders (``<key>/<version>``) into raw documents by id.

    A folder whose name differs from the key and version it declares is an error: the id is
    how other frameworks reference it.
    """
    documents: Documents = {}
    where: dict[tuple[str, str], Path] = {}
    problems: dict[str, Any] = {}
    for folder in folders:
        label = folder_label(folder)
        try:
            document = read_framework_dir(folder)
        except FrameworkError as exc:
            problems[label] = exc.errors
            continue
        declared = (str(document.get("key")), str(document.get("version")))
        if declared != (folder.parent.name, folder.name):
            problems[label] = {
                "key": [f"the folder {label} declares {declared[0]} {declared[1]}: rename one"]
            }
            continue
        documents[declared], where[declared] = document, folder
    if problems:
        raise FrameworkError(problems)
    return documents, where


def resolve_all(documents: Documents, published: refs.Lookup | None = None) -> Documents:
    """Resolve every document's references (within ``documents``, then ``published``)."""
    resolved: Documents = {}
    problems: dict[str, Any] = {}

    def lookup(key: str, version: str) -> dict[str, Any] | None:
        if (key, version) in documents:
            return resolved.get((key, version))  # None: it failed, and says so itself
        found = published(key, version) if published else None
        return dict(found) if found is not None else None

    for node in refs.resolution_order(documents):
        try:
            resolved[node] = refs.resolve(documents[node], lookup)
            parse_framework(resolved[node])
        except refs.UnresolvedReferences as exc:
            problems[f"{node[0]}/{node[1]}"] = _with_the_rest(exc)
        except FrameworkError as exc:
            resolved.pop(node, None)
            problems[f"{node[0]}/{node[1]}"] = exc.errors
    if problems:
        raise FrameworkError(problems)
    return resolved


def _with_the_rest(unresolved: refs.UnresolvedReferences) -> dict[str, Any]:
    """Return the reference problems with those of the rest of the document."""
    try:
        parse_framework(unresolved.partial)
        errors: dict[str, Any] = {}
    except FrameworkError as exc:
        errors = dict(exc.errors)
    areas = errors.get("areas")
    merged = dict(areas) if isinstance(areas, dict) else {}
    if isinstance(areas, list):
        merged["_schema"] = areas
    merged.update(unresolved.errors["areas"])  # instead of "Field may not be null."
    errors["areas"] = merged
    return errors


def folder_label(folder: Path) -> str:
    """Return a framework version folder's ``key/version`` label."""
    return f"{folder.parent.name}/{folder.name}"


def folders_under(root: Path) -> list[Path]:
    """Return the framework version folders under ``root`` (``<key>/<version>/framework.yaml``)."""
    return sorted(path.parent for path in root.glob("*/*/framework.yaml"))


def repository_frameworks(root: Path = FRAMEWORKS_DIR) -> list[Framework]:
    """Parse every framework version shipped in the repository (validated, clear errors)."""
    documents, _ = read_folders(folders_under(root))
    resolved = resolve_all(documents)
    return [parse_framework(resolved[node]) for node in sorted(resolved)]


# Every start of a process (and every app a test creates) publishes the repository's versions:
# reading, resolving and validating the files costs about 0.15 s, the same result each time
# while no file changes. Kept per root, with the files' names, sizes and modification times.
_parsed: dict[Path, tuple[tuple[tuple[str, int, int], ...], list[Framework]]] = {}
_parsed_lock = threading.Lock()


def _files_signature(root: Path) -> tuple[tuple[str, int, int], ...]:
    found = []
    for path in sorted(root.rglob("*.yaml")):
        stat = path.stat()
        found.append((str(path), stat.st_size, stat.st_mtime_ns))
    return tuple(found)


def _parsed_repository_frameworks(root: Path) -> list[Framework]:
    """Return ``repository_frameworks(root)``, parsed again only when a file changed."""
    signature = _files_signature(root)
    with _parsed_lock:
        cached = _parsed.get(root)
        if cached is not None and cached[0] == signature:
            return cached[1]
    frameworks = repository_frameworks(root)
    with _parsed_lock:
        _parsed[root] = (signature, frameworks)
    return frameworks


def checksum(document: dict[str, Any]) -> str:
    """Return a stable checksum of a framework document."""
    canonical = json.dumps(document, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def sync_repository_frameworks(*, session: Session, root: Path = FRAMEWORKS_DIR) -> list[str]:
    """Publish the repository's framework versions that the database lacks; return them."""
    added = []
    for framework in _parsed_repository_frameworks(root):
        exists = session.scalar(
            select(FrameworkVersion.id).where(
                FrameworkVersion.key == framework.key,
                FrameworkVersion.version == framework.version,
            )
        )
        if exists is None:
            session.add(_row(framework, source="file", published_by=None))
            added.append(f"{framework.key}@{framework.version}")
    session.commit()
    return added


def publish_framework(
    *, session: Session, document: dict[str, Any], published_by: str
) -> FrameworkVersion:
    """Validate and publish a new framework version (an existing version is never replaced).

    Its references (``reuse:``) are resolved against the published versions and stored
    resolved: a published version never depends on another one's row.
    """

    def published(key: str, version: str) -> dict[str, Any] | None:
        return session.scalar(
            select(FrameworkVersion.document).where(
                FrameworkVersion.key == key, FrameworkVersion.version == version
            )
        )

    try:
        framework = parse_framework(refs.resolve(document, published))
    except FrameworkError as exc:
        raise ApiError(422, "invalid_framework", errors=exc.errors) from exc
    row = _row(framework, source="api", published_by=published_by)
    session.add(row)
    try:
        session.commit()
    except IntegrityError as exc:
        session.rollback()
        raise ApiError(409, "framework_version_exists") from exc
    return row


def _row(framework: Framework, *, source: str, published_by: str | None) -> FrameworkVersion:
    return FrameworkVersion(
        key=framework.key,
        version=framework.version,
        document=framework.document,
        checksum=checksum(framework.document),
        source=source,
        published_by=published_by,
    )


def list_versions(*, session: Session) -> list[FrameworkVersion]:
    """Return every published framework version."""
    return list(
        session.scalars(
            select(FrameworkVersion).order_by(FrameworkVersion.key, FrameworkVersion.published_at)
        )
    )


def latest_version(*, session: Session, key: str) -> str:
    """Return the newest published version of framework ``key``."""
    versions = session.scalars(select(FrameworkVersion.version).where(FrameworkVersion.key == key))
    ordered = sorted(versions, key=_version_order)
    if not ordered:
        raise ApiError(422, "unknown_framework", errors={"framework_key": [key]})
    return ordered[-1]


def _version_order(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.split("."))


def latest_frameworks(*, session: Session, cache: FrameworkCache) -> list[Framework]:
    """Return the newest published version of every framework, by title (the start picker)."""
    newest: dict[str, str] = {}
    for key, version in session.execute(select(FrameworkVersion.key, FrameworkVersion.version)):
        if key not in newest or _version_order(version) > _version_order(newest[key]):
            newest[key] = version
    found = [cache.get(session=session, key=k, version=v) for k, v in newest.items()]
    return sorted(found, key=lambda f: f.title["en"])


class FrameworkCache:
    """Parsed framework versions by (key, version); versions are immutable, so caching is safe."""

    def __init__(self) -> None:
        self._items: dict[tuple[str, str], Framework] = {}
        self._lock = threading.Lock()

    def get(self, *, session: Session | Connection, key: str, version: str) -> Framework:
        """Return the parsed framework version, loading it from the database once."""
        cached = self._items.get((key, version))
        if cached is not None:
            return cached
        document = session.scalar(
            select(FrameworkVersion.document).where(
                FrameworkVersion.key == key, FrameworkVersion.version == version
            )
        )
        if document is None:
            raise NotFound()
        framework = parse_framework(document)
        with self._lock:
            self._items[(key, version)] = framework
        return framework
