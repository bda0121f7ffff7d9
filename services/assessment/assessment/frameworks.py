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

from assessment.framework import Framework, FrameworkError, parse_framework
from assessment.models import FrameworkVersion
from shared.errors import ApiError, NotFound

FRAMEWORKS_DIR = Path(__file__).parent / "frameworks"


def read_framework_dir(path: Path) -> dict[str, Any]:
    """Read ``framework.yaml`` and its ``areas/<key>.yaml`` files into one document."""
    document: dict[str, Any] = yaml.safe_load((path / "framework.yaml").read_text("utf-8"))
    areas = []
    for area in document.get("areas", []):
        if isinstance(area, str):
            area_file = path / "areas" / f"{area}.yaml"
            if not area_file.exists():
                raise FrameworkError({"areas": [f"missing file areas/{area}.yaml"]})
            areas.append(yaml.safe_load(area_file.read_text("utf-8")))
        else:
            areas.append(area)
    document["areas"] = areas
    return document


def repository_frameworks(root: Path = FRAMEWORKS_DIR) -> list[Framework]:
    """Parse every framework version shipped in the repository (validated, clear errors)."""
    found = []
    for path in sorted(root.glob("*/*/framework.yaml")):
        try:
            found.append(parse_framework(read_framework_dir(path.parent)))
        except FrameworkError as exc:
            raise FrameworkError({str(path.parent.relative_to(root)): exc.errors}) from exc
    return found


def checksum(document: dict[str, Any]) -> str:
    """Return a stable checksum of a framework document."""
    canonical = json.dumps(document, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def sync_repository_frameworks(*, session: Session, root: Path = FRAMEWORKS_DIR) -> list[str]:
    """Publish the repository's framework versions that the database lacks; return them."""
    added = []
    for framework in repository_frameworks(root):
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
    """Validate and publish a new framework version (an existing version is never replaced)."""
    try:
        framework = parse_framework(document)
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
    ordered = sorted(versions, key=lambda v: tuple(int(p) for p in v.split(".")))
    if not ordered:
        raise ApiError(422, "unknown_framework", errors={"framework_key": [key]})
    return ordered[-1]


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
