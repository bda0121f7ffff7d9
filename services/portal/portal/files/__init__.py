"""Members' files: where they are stored (``store``), what they are (``sniff``), and the names
they are sent back under (``names``). ``store_from_config`` picks the store the settings name.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from portal.files.store import FileStore, LocalStore, S3Store
from shared.config import ConfigError, data_dir

__all__ = ["STORES", "store_from_config"]

STORES = ("local", "s3")


def store_from_config(config: Mapping[str, Any]) -> FileStore:
    """Return the store ``PORTAL_FILE_STORE`` names: ``local`` (under the data folder, or
    ``PORTAL_FILE_DIR``) or ``s3`` (``PORTAL_S3_BUCKET`` at ``PORTAL_S3_ENDPOINT_URL``)."""
    name = str(config.get("PORTAL_FILE_STORE", "local"))
    if name == "local":
        folder = str(config.get("PORTAL_FILE_DIR") or "")
        return LocalStore(Path(folder) if folder else data_dir() / "portal-files")
    if name == "s3":
        bucket = str(config.get("PORTAL_S3_BUCKET") or "")
        if not bucket:
            raise ConfigError("PORTAL_FILE_STORE=s3 needs PORTAL_S3_BUCKET")
        return S3Store.connect(
            endpoint_url=str(config.get("PORTAL_S3_ENDPOINT_URL") or ""),
            bucket=bucket,
            region=str(config.get("PORTAL_S3_REGION") or "us-east-1"),
        )
    raise ConfigError(f"PORTAL_FILE_STORE must be one of {list(STORES)}, got {name!r}")
