"""Settings of the assessment service (environment variables ``ASSESSMENT_*``)."""

from __future__ import annotations

import contextlib
import os
import secrets
from typing import Any

from shared.bus import stream_name
from shared.config import data_dir, env_float, env_int, env_str

SERVICE = "assessment"
PORTAL_STREAM = stream_name("portal")
ADMINISTRATIONS_GROUP = "assessment-administrations"
ASSISTANCE_GROUP = "assessment-assistance"
# (stream, consumer group) of every group the event process reads.
GROUPS = ((PORTAL_STREAM, ADMINISTRATIONS_GROUP), (PORTAL_STREAM, ASSISTANCE_GROUP))
MIB = 1024 * 1024


def stored_workbook_secret() -> str:
    """Return the embedded default key that signs offline workbooks, made once per data folder.

    Production sets ``ASSESSMENT_WORKBOOK_SECRET`` instead (the same on every replica, from a
    secret store).
    """
    path = data_dir() / "assessment-workbook.key"
    if not path.exists():
        # Written aside then linked: processes starting together all read one complete key.
        draft = path.with_name(f"{path.name}.{os.getpid()}")
        draft.write_text(secrets.token_hex(32))
        draft.chmod(0o600)
        with contextlib.suppress(FileExistsError):
            os.link(draft, path)
        draft.unlink()
    return path.read_text().strip()


def settings() -> dict[str, Any]:
    """Return the service's own settings as Flask config keys."""
    return {
        "ASSESSMENT_MAX_TITLE_LENGTH": env_int("ASSESSMENT_MAX_TITLE_LENGTH", 200),
        # "": the key kept under the data folder (see stored_workbook_secret).
        "ASSESSMENT_WORKBOOK_SECRET": env_str("ASSESSMENT_WORKBOOK_SECRET", ""),
        # Each uploaded file (a 10,000-respondent CSV is about 25 MiB).
        "ASSESSMENT_IMPORT_MAX_BYTES": env_int("ASSESSMENT_IMPORT_MAX_BYTES", 32 * MIB),
        "ASSESSMENT_IMPORT_LEASE_S": env_float("ASSESSMENT_IMPORT_LEASE_S", 60.0),
        "ASSESSMENT_IMPORT_BATCH": env_int("ASSESSMENT_IMPORT_BATCH", 2000),
        "ASSESSMENT_IMPORT_MAX_PROBLEMS": env_int("ASSESSMENT_IMPORT_MAX_PROBLEMS", 10_000),
        "ASSESSMENT_IMPORT_POLL_S": env_float("ASSESSMENT_IMPORT_POLL_S", 2.0),
        # Peer aggregates are shown from this many administrations on (never fewer than 5).
        "ASSESSMENT_PEER_MIN_ADMINISTRATIONS": env_int("ASSESSMENT_PEER_MIN_ADMINISTRATIONS", 5),
    }
