"""Settings of the assessment service (environment variables ``ASSESSMENT_*``)."""

from __future__ import annotations

from typing import Any

from shared.config import env_int

SERVICE = "assessment"


def settings() -> dict[str, Any]:
    """Return the service's own settings as Flask config keys."""
    return {
        "ASSESSMENT_MAX_TITLE_LENGTH": env_int("ASSESSMENT_MAX_TITLE_LENGTH", 200),
    }
