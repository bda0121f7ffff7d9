"""Hooks that only tests switch on, through settings that default to doing nothing.

``REPORTS_TEST_BUILD_DELAY_S``: a report build sleeps this long after marking its job
``building`` and before rendering, so a reliability test can kill the worker mid-build. Leave it
unset (0) everywhere else.
"""

from __future__ import annotations

import time

from flask import current_app, has_app_context


def pause_mid_build() -> None:
    """Sleep ``REPORTS_TEST_BUILD_DELAY_S`` seconds (no pause outside such a test)."""
    if not has_app_context():
        return
    delay = float(current_app.config.get("REPORTS_TEST_BUILD_DELAY_S", 0.0) or 0.0)
    if delay > 0:
        time.sleep(delay)
